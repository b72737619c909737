#!/usr/bin/env python3
"""BROKEN on purpose: every node counts from 1 on its own, so ids from different nodes collide."""
from maelstrom import Node

node = Node()
counter = [0]


@node.on("generate")
def generate(msg):
    counter[0] += 1
    node.reply(msg, {"type": "generate_ok", "id": counter[0]})


node.run()
