#!/usr/bin/env python3
"""Unique ids: node id, a random boot id (a restarted node forgets its counter), and a counter."""
import secrets

from maelstrom import Node

node = Node()
counter = [0]
boot = secrets.token_hex(4)


@node.on("generate")
def generate(msg):
    counter[0] += 1
    node.reply(msg, {"type": "generate_ok", "id": f"{node.node_id}-{boot}-{counter[0]}"})


node.run()
