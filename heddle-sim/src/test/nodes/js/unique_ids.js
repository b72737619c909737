#!/usr/bin/env node
'use strict';
// Unique ids: node id, a random boot id (a restarted node forgets its counter), and a counter.
const {Node} = require('./maelstrom');
const node = new Node();
let counter = 0;
const boot = require('crypto').randomBytes(4).toString('hex');
node.on('generate', (msg) => node.reply(msg, {type: 'generate_ok', id: `${node.nodeId}-${boot}-${++counter}`}));
node.run();
