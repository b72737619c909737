'use strict';
// A grow-only set replicated by gossip (see ../python/gossip_set.py for the reasoning): acks an add
// once a majority holds it, retries unconfirmed gossip, and runs anti-entropy for restarted nodes.
const {Node} = require('./maelstrom');

function serve(addType, addField, readField) {
  const node = new Node();
  const values = new Set();
  const pending = new Map(); // peer -> Set of values not yet confirmed
  const holders = new Map(); // value -> Set of nodes
  const waiting = new Map(); // value -> client requests
  const majority = () => Math.floor(node.nodeIds.length / 2) + 1;
  const hold = (v, n) => {
    if (!holders.has(v)) holders.set(v, new Set());
    holders.get(v).add(n);
  };
  const learn = (vals) => {
    for (const v of vals) {
      if (values.has(v)) continue;
      values.add(v);
      hold(v, node.nodeId);
      for (const p of node.nodeIds) {
        if (p === node.nodeId) continue;
        if (!pending.has(p)) pending.set(p, new Set());
        pending.get(p).add(v);
      }
    }
  };
  const maybeAck = (v) => {
    if ((holders.get(v) || new Set()).size >= majority()) {
      for (const req of waiting.get(v) || []) node.reply(req, {type: addType + '_ok'});
      waiting.delete(v);
    }
  };
  const flush = () => {
    for (const [peer, vals] of pending) {
      if (vals.size) node.send(peer, {type: 'gossip', values: [...vals].slice(0, 500)});
    }
  };
  node.on(addType, (msg) => {
    const v = msg.body[addField];
    learn([v]);
    if (!waiting.has(v)) waiting.set(v, []);
    waiting.get(v).push(msg);
    maybeAck(v);
    flush();
  });
  node.on('read', (msg) => node.reply(msg, {type: 'read_ok', [readField]: [...values]}));
  node.on('topology', (msg) => node.reply(msg, {type: 'topology_ok'}));
  node.on('gossip', (msg) => {
    learn(msg.body.values);
    node.send(msg.src, {type: 'gossip_ok', values: msg.body.values});
  });
  node.on('gossip_ok', (msg) => {
    for (const v of msg.body.values) {
      if (pending.has(msg.src)) pending.get(msg.src).delete(v);
      hold(v, msg.src);
      maybeAck(v);
    }
  });
  node.on('sync', (msg) => learn(msg.body.values));
  setInterval(() => node.nodeId && flush(), 200);
  setInterval(() => {
    const peers = node.nodeIds.filter((p) => p !== node.nodeId);
    if (peers.length && values.size) {
      node.send(peers[Math.floor(Math.random() * peers.length)], {type: 'sync', values: [...values]});
    }
  }, 500);
  node.run();
}

module.exports = {serve};
