#!/usr/bin/env python3
"""BROKEN on purpose: forwards each broadcast once to its neighbours, never retries, acks at once.

Under partitions, forwarded messages are dropped and never re-sent, so acknowledged values are lost.
"""
from maelstrom import Node

node = Node()
values = set()
neighbours = []


@node.on("topology")
def topology(msg):
    neighbours[:] = msg["body"]["topology"].get(node.node_id, [])
    node.reply(msg, {"type": "topology_ok"})


@node.on("broadcast")
def broadcast(msg):
    v = msg["body"]["message"]
    if v not in values:
        values.add(v)
        for n in neighbours:
            node.send(n, {"type": "forward", "message": v})
    node.reply(msg, {"type": "broadcast_ok"})


@node.on("forward")
def forward(msg):
    v = msg["body"]["message"]
    if v not in values:
        values.add(v)
        for n in neighbours:
            if n != msg["src"]:
                node.send(n, {"type": "forward", "message": v})


@node.on("read")
def read(msg):
    node.reply(msg, {"type": "read_ok", "messages": sorted(values)})


node.run()
