#!/usr/bin/env node
'use strict';
// Deliberately broken txn-list-append and txn-rw-register: no isolation at all. Each node applies a
// txn's micro-ops one at a time to its own copy, pausing between them, so concurrent txns see each
// other's partial work (G1b, G1c, G-single, G2); every write is gossiped to the other nodes, which
// apply it whenever it arrives (in another order, for appends); and some txns are aborted with
// txn-conflict after their writes were applied and gossiped, never rolled back (G1a).
const {Node, RPCError} = require('./maelstrom');
const node = new Node();
const db = new Map(); // key -> value, or list of values for appends

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function write(f, k, v) {
  if (f === 'append') db.set(k, [...(db.get(k) || []), v]);
  else db.set(k, v);
}

node.on('txn', async (msg) => {
  const out = [];
  let wrote = false;
  for (const [f, k, v] of msg.body.txn) {
    if (f === 'r') {
      const value = db.get(k);
      out.push([f, k, value === undefined ? null : Array.isArray(value) ? [...value] : value]);
    } else {
      write(f, k, v);
      wrote = true;
      for (const peer of node.nodeIds) {
        if (peer !== node.nodeId) node.send(peer, {type: 'apply', f, k, v});
      }
      out.push([f, k, v]);
    }
    await sleep(Math.random() * 15);
  }
  if (wrote && Math.random() < 0.2) throw new RPCError(30, 'aborted (but not rolled back)');
  node.reply(msg, {type: 'txn_ok', txn: out});
});

node.on('apply', (msg) => write(msg.body.f, msg.body.k, msg.body.v));

node.run();
