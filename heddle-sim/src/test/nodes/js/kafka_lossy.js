#!/usr/bin/env node
'use strict';
// A Kafka-style log that is wrong on purpose: each node keeps its own log and committed offsets in
// memory and tells no one. Alone and without faults it is correct. With two nodes, clients of
// different nodes get the same offsets for different messages and never see each other's writes;
// and a killed node comes back empty, handing out offsets it had already acknowledged.
const {Node} = require('./maelstrom');
const node = new Node();
const logs = new Map();
const committed = new Map();

node.on('send', (msg) => {
  const {key, msg: value} = msg.body;
  if (!logs.has(key)) logs.set(key, []);
  const log = logs.get(key);
  log.push(value);
  node.reply(msg, {type: 'send_ok', offset: log.length - 1});
});

node.on('poll', (msg) => {
  const msgs = {};
  for (const [key, from] of Object.entries(msg.body.offsets)) {
    const log = logs.get(key) || [];
    msgs[key] = [];
    for (let offset = Math.max(0, from); offset < log.length; offset++) {
      msgs[key].push([offset, log[offset]]);
    }
  }
  node.reply(msg, {type: 'poll_ok', msgs});
});

node.on('commit_offsets', (msg) => {
  for (const [key, offset] of Object.entries(msg.body.offsets)) {
    committed.set(key, Math.max(committed.get(key) ?? -1, offset));
  }
  node.reply(msg, {type: 'commit_offsets_ok'});
});

node.on('list_committed_offsets', (msg) => {
  const offsets = {};
  for (const key of msg.body.keys) {
    if (committed.has(key)) offsets[key] = committed.get(key);
  }
  node.reply(msg, {type: 'list_committed_offsets_ok', offsets});
});

node.run();
