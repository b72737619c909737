#!/usr/bin/env python3
"""G-counter and pn-counter, stateless as Gossip Glomers asks: each node keeps its own total in seq-kv.

add: read our key, then cas it to value + delta (retry on precondition-failed).
read: write a fresh value to a fence key first, so seq-kv cannot serve us a stale state, then
sum every node's key.
"""
import uuid

from maelstrom import Node, RPCError

node = Node()


def read_key(key):
    try:
        return node.sync_rpc("seq-kv", {"type": "read", "key": key})["value"]
    except RPCError as e:
        if e.code == 20:
            return 0
        raise


@node.on("add", threaded=True)
def add(msg):
    delta = msg["body"]["delta"]
    while True:
        current = read_key(node.node_id)
        try:
            node.sync_rpc("seq-kv", {"type": "cas", "key": node.node_id, "from": current,
                                     "to": current + delta, "create_if_not_exists": True})
            break
        except RPCError as e:
            if e.code != 22:
                raise
    node.reply(msg, {"type": "add_ok"})


@node.on("read", threaded=True)
def read(msg):
    node.sync_rpc("seq-kv", {"type": "write", "key": "fence-" + node.node_id, "value": str(uuid.uuid4())})
    total = sum(read_key(n) for n in node.node_ids)
    node.reply(msg, {"type": "read_ok", "value": total})


node.run()
