// A small Maelstrom node library for Node.js: JSON lines on stdin/stdout, handlers, promise RPCs.
'use strict';
const readline = require('readline');

class RPCError extends Error {
  constructor(code, text) {
    super(`error ${code}: ${text}`);
    this.code = code;
    this.text = text;
  }
}

class Node {
  constructor() {
    this.nodeId = null;
    this.nodeIds = [];
    this.handlers = new Map();
    this.callbacks = new Map();
    this.nextMsgId = 0;
  }

  on(type, fn) {
    this.handlers.set(type, fn);
  }

  send(dest, body) {
    process.stdout.write(JSON.stringify({src: this.nodeId, dest, body}) + '\n');
  }

  reply(req, body) {
    this.send(req.src, {...body, in_reply_to: req.body.msg_id});
  }

  // Resolves with the reply body, rejects with RPCError or a timeout Error.
  rpc(dest, body, timeoutMs = 1000) {
    const msgId = ++this.nextMsgId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.callbacks.delete(msgId);
        reject(new Error(`no reply from ${dest} to ${body.type}`));
      }, timeoutMs);
      this.callbacks.set(msgId, (reply) => {
        clearTimeout(timer);
        if (reply.type === 'error') reject(new RPCError(reply.code, reply.text));
        else resolve(reply);
      });
      this.send(dest, {...body, msg_id: msgId});
    });
  }

  async dispatch(msg) {
    const body = msg.body;
    if (body.in_reply_to !== undefined) {
      const cb = this.callbacks.get(body.in_reply_to);
      this.callbacks.delete(body.in_reply_to);
      if (cb) cb(body);
      return;
    }
    if (body.type === 'init') {
      this.nodeId = body.node_id;
      this.nodeIds = body.node_ids;
      if (this.onInit) this.onInit();
      this.reply(msg, {type: 'init_ok'});
      return;
    }
    const fn = this.handlers.get(body.type);
    if (!fn) {
      this.reply(msg, {type: 'error', code: 10, text: `unsupported type ${body.type}`});
      return;
    }
    try {
      await fn(msg);
    } catch (e) {
      const code = e instanceof RPCError ? e.code : 13;
      this.reply(msg, {type: 'error', code, text: String(e.message)});
    }
  }

  run() {
    const rl = readline.createInterface({input: process.stdin, terminal: false});
    rl.on('line', (line) => {
      if (line.trim()) this.dispatch(JSON.parse(line));
    });
  }
}

module.exports = {Node, RPCError};
