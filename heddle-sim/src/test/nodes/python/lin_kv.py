#!/usr/bin/env python3
"""lin-kv as a proxy: every read, write and cas is forwarded to Maelstrom's lin-kv service and its
reply (or error, with the same code) goes back to the client. Linearizable because the service is.
A timeout towards the service becomes error 13 (crash, indefinite), as it may have happened.
"""
from maelstrom import Node

node = Node()


def forward(msg):
    body = {k: v for k, v in msg["body"].items() if k != "msg_id"}
    reply = node.sync_rpc("lin-kv", body)
    node.reply(msg, {k: v for k, v in reply.items() if k not in ("msg_id", "in_reply_to")})


for op in ("read", "write", "cas"):
    node.on(op, threaded=True)(forward)

node.run()
