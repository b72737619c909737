#!/usr/bin/env python3
"""BROKEN on purpose: echoes with an exclamation mark added."""
from maelstrom import Node

node = Node()


@node.on("echo")
def echo(msg):
    node.reply(msg, {"type": "echo_ok", "echo": msg["body"]["echo"] + "!"})


node.run()
