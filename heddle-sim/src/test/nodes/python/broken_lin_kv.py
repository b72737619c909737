#!/usr/bin/env python3
"""BROKEN on purpose: a lin-kv proxy with a local read cache.

Writes and cas go to Maelstrom's lin-kv service, and the node remembers the value it last wrote or
read for each key; reads are served from that memory when it has one. Another node's later write
is invisible to it, so reads go stale: not linearizable.
"""
from maelstrom import Node

node = Node()
cache = {}


def forward(msg):
    body = {k: v for k, v in msg["body"].items() if k != "msg_id"}
    reply = node.sync_rpc("lin-kv", body)
    return {k: v for k, v in reply.items() if k not in ("msg_id", "in_reply_to")}


@node.on("read", threaded=True)
def read(msg):
    key = str(msg["body"]["key"])
    if key not in cache:
        cache[key] = forward(msg)["value"]
    node.reply(msg, {"type": "read_ok", "value": cache[key]})


@node.on("write", threaded=True)
def write(msg):
    node.reply(msg, forward(msg))
    cache[str(msg["body"]["key"])] = msg["body"]["value"]


@node.on("cas", threaded=True)
def cas(msg):
    node.reply(msg, forward(msg))
    cache[str(msg["body"]["key"])] = msg["body"]["to"]


node.run()
