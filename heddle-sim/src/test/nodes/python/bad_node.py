#!/usr/bin/env python3
"""A misbehaving echo node for the simulator's own tests. The first argument picks the misbehaviour:
garbage, malformed, unknown-reply, unknown-dest, exit, die-at-start, no-init, flood."""
import sys
import threading
import time

from maelstrom import Node

mode = sys.argv[1]
if mode == "die-at-start":
    sys.exit("bad config: no such file /etc/node.conf")
node = Node()


@node.on("echo")
def echo(msg):
    if mode == "garbage":
        print("hello from a print statement that should have gone to stderr", flush=True)
    elif mode == "malformed":
        print('{"src": "%s", "body": {"type": "echo_ok"}}' % node.node_id, flush=True)
    elif mode == "unknown-reply":
        node.send(msg["src"], {"type": "echo_ok", "in_reply_to": 987654, "echo": "?"})
    elif mode == "unknown-dest":
        node.send("n99", {"type": "hello"})
    node.reply(msg, {"type": "echo_ok", "echo": msg["body"]["echo"]})


def later():
    time.sleep(0.5)
    if mode == "exit" and node.node_id == "n0":
        node.log("giving up: something went terribly wrong")
        import os
        os._exit(3)
    if mode == "flood" and node.node_id == "n0":
        line = '{"src":"n0","dest":"n1","body":{"type":"spam","x":"%s"}}\n' % ("x" * 100)
        end = time.time() + 2
        while time.time() < end:
            sys.stdout.write(line * 1000)
            sys.stderr.write("spam " * 2000 + "\n")
        sys.stdout.flush()


if mode == "no-init":
    for line in sys.stdin:
        pass
else:
    node.on_init(lambda: threading.Thread(target=later, daemon=True).start())
    node.run()
