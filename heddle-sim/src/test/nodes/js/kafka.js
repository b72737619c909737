#!/usr/bin/env node
'use strict';
// A Kafka-style log on lin-kv. Each key's log is one lin-kv value, the list of its messages (a
// message's offset is its index), appended with a cas loop, so an offset is taken together with its
// write and no poll can see a gap. Committed offsets are kept as the largest ever committed, also
// with a cas loop. Correct on any number of nodes, and across kills: the state lives in the service.
const {Node, RPCError} = require('./maelstrom');
const node = new Node();

async function read(key, empty) {
  try {
    return (await node.rpc('lin-kv', {type: 'read', key})).value;
  } catch (e) {
    if (e instanceof RPCError && e.code === 20) return empty;
    throw e;
  }
}

// Replaces the value of key by change(value) with a cas loop; returns the value it replaced.
async function update(key, empty, change) {
  for (;;) {
    const from = await read(key, empty);
    const to = change(from);
    if (JSON.stringify(to) === JSON.stringify(from)) return from;
    try {
      await node.rpc('lin-kv', {type: 'cas', key, from, to, create_if_not_exists: true});
      return from;
    } catch (e) {
      if (!(e instanceof RPCError && e.code === 22)) throw e;
    }
  }
}

node.on('send', async (msg) => {
  const {key, msg: value} = msg.body;
  const before = await update('log-' + key, [], (log) => [...log, value]);
  node.reply(msg, {type: 'send_ok', offset: before.length});
});

node.on('poll', async (msg) => {
  const msgs = {};
  for (const [key, from] of Object.entries(msg.body.offsets)) {
    const log = await read('log-' + key, []);
    msgs[key] = [];
    for (let offset = Math.max(0, from); offset < log.length; offset++) {
      msgs[key].push([offset, log[offset]]);
    }
  }
  node.reply(msg, {type: 'poll_ok', msgs});
});

node.on('commit_offsets', async (msg) => {
  for (const [key, offset] of Object.entries(msg.body.offsets)) {
    await update('commit-' + key, -1, (c) => Math.max(c, offset));
  }
  node.reply(msg, {type: 'commit_offsets_ok'});
});

node.on('list_committed_offsets', async (msg) => {
  const offsets = {};
  for (const key of msg.body.keys) {
    const c = await read('commit-' + key, -1);
    if (c >= 0) offsets[key] = c;
  }
  node.reply(msg, {type: 'list_committed_offsets_ok', offsets});
});

node.run();
