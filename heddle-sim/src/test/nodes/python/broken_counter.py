#!/usr/bin/env python3
"""BROKEN on purpose: an op-based counter that applies every "inc" it receives, with no dedupe.

A duplicated message is counted twice, so final reads exceed the acceptable range.
"""
from maelstrom import Node

node = Node()
total = [0]


@node.on("add")
def add(msg):
    delta = msg["body"]["delta"]
    total[0] += delta
    for n in node.node_ids:
        if n != node.node_id:
            node.send(n, {"type": "inc", "delta": delta})
    node.reply(msg, {"type": "add_ok"})


@node.on("inc")
def inc(msg):
    total[0] += msg["body"]["delta"]


@node.on("read")
def read(msg):
    node.reply(msg, {"type": "read_ok", "value": total[0]})


node.run()
