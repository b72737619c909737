#!/usr/bin/env node
'use strict';
// txn-list-append and txn-rw-register, strict-serializable: the whole database is one lin-kv value.
// A txn reads it, applies its micro-ops to a copy and installs the copy with cas; a txn that only
// reads needs no cas. When another txn got in first (error 22) it retries, and after a few losses it
// gives up with txn-conflict (30), which is definite: nothing was installed. A timeout is a crash
// (13, indefinite): the cas may have happened.
const {Node, RPCError} = require('./maelstrom');
const node = new Node();
const KEY = 'db';

async function load() {
  try {
    return (await node.rpc('lin-kv', {type: 'read', key: KEY})).value;
  } catch (e) {
    if (e instanceof RPCError && e.code === 20) return null;
    throw e;
  }
}

function apply(db, txn) {
  const next = {...db};
  const out = [];
  for (const [f, k, v] of txn) {
    if (f === 'r') {
      out.push([f, k, next[k] === undefined ? null : next[k]]);
    } else if (f === 'append') {
      next[k] = [...(next[k] || []), v];
      out.push([f, k, v]);
    } else {
      next[k] = v;
      out.push([f, k, v]);
    }
  }
  return {next, out};
}

node.on('txn', async (msg) => {
  const txn = msg.body.txn;
  const writes = txn.some(([f]) => f !== 'r');
  for (let attempt = 0; attempt < 10; attempt++) {
    const current = await load();
    const {next, out} = apply(current || {}, txn);
    if (!writes) {
      node.reply(msg, {type: 'txn_ok', txn: out});
      return;
    }
    try {
      const cas = {type: 'cas', key: KEY, from: current, to: next};
      if (current === null) cas.create_if_not_exists = true;
      await node.rpc('lin-kv', cas);
      node.reply(msg, {type: 'txn_ok', txn: out});
      return;
    } catch (e) {
      if (!(e instanceof RPCError && e.code === 22)) throw e;
    }
  }
  throw new RPCError(30, 'gave up after 10 conflicting attempts');
});

node.run();
