#!/usr/bin/env node
'use strict';
// G-counter and pn-counter on seq-kv (see ../python/counter.py): per-node keys, cas loop, fenced reads.
const crypto = require('crypto');
const {Node, RPCError} = require('./maelstrom');
const node = new Node();

async function readKey(key) {
  try {
    return (await node.rpc('seq-kv', {type: 'read', key})).value;
  } catch (e) {
    if (e instanceof RPCError && e.code === 20) return 0;
    throw e;
  }
}

node.on('add', async (msg) => {
  for (;;) {
    const current = await readKey(node.nodeId);
    try {
      await node.rpc('seq-kv', {type: 'cas', key: node.nodeId, from: current, to: current + msg.body.delta, create_if_not_exists: true});
      break;
    } catch (e) {
      if (!(e instanceof RPCError && e.code === 22)) throw e;
    }
  }
  node.reply(msg, {type: 'add_ok'});
});

node.on('read', async (msg) => {
  await node.rpc('seq-kv', {type: 'write', key: 'fence-' + node.nodeId, value: crypto.randomUUID()});
  let total = 0;
  for (const n of node.nodeIds) total += await readKey(n);
  node.reply(msg, {type: 'read_ok', value: total});
});

node.run();
