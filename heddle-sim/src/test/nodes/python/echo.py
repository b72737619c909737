#!/usr/bin/env python3
"""Echo: answers echo with echo_ok and the same value."""
from maelstrom import Node

node = Node()


@node.on("echo")
def echo(msg):
    node.reply(msg, {"type": "echo_ok", "echo": msg["body"]["echo"]})


node.run()
