"""A grow-only set replicated by gossip, correct under partitions, loss, duplicates and kills.

An add is acknowledged only once a majority of nodes hold the value (so killing a minority cannot
lose it); unacknowledged gossip is retried until each peer confirms; every node sends its whole set
to a random peer twice a second (anti-entropy), so a restarted node catches up.
"""
import random

from maelstrom import Node


def serve(add_type, add_field, read_field):
    node = Node()
    values = set()
    pending = {}      # peer -> values not yet confirmed by that peer
    holders = {}      # value -> nodes known to hold it
    waiting = {}      # value -> client requests to acknowledge once a majority holds it

    def majority():
        return len(node.node_ids) // 2 + 1

    def learned(vals):
        fresh = [v for v in vals if v not in values]
        values.update(fresh)
        for v in fresh:
            holders.setdefault(v, set()).add(node.node_id)
            for peer in node.node_ids:
                if peer != node.node_id:
                    pending.setdefault(peer, set()).add(v)

    def maybe_ack(v):
        if len(holders.get(v, ())) >= majority():
            for req in waiting.pop(v, []):
                node.reply(req, {"type": add_type + "_ok"})

    @node.on(add_type)
    def add(msg):
        v = msg["body"][add_field]
        learned([v])
        holders.setdefault(v, set()).add(node.node_id)
        waiting.setdefault(v, []).append(msg)
        maybe_ack(v)
        flush()

    @node.on("read")
    def read(msg):
        node.reply(msg, {"type": "read_ok", read_field: sorted(values, key=repr)})

    @node.on("topology")
    def topology(msg):
        node.reply(msg, {"type": "topology_ok"})

    @node.on("gossip")
    def gossip(msg):
        vals = msg["body"]["values"]
        learned(vals)
        node.send(msg["src"], {"type": "gossip_ok", "values": vals})

    @node.on("gossip_ok")
    def gossip_ok(msg):
        peer = msg["src"]
        for v in msg["body"]["values"]:
            pending.get(peer, set()).discard(v)
            holders.setdefault(v, set()).add(peer)
            maybe_ack(v)

    @node.on("sync")
    def sync(msg):
        learned(msg["body"]["values"])

    def flush():
        for peer, vals in pending.items():
            if vals:
                node.send(peer, {"type": "gossip", "values": list(vals)[:500]})

    def anti_entropy():
        peers = [p for p in node.node_ids if p != node.node_id]
        if peers and values:
            node.send(random.choice(peers), {"type": "sync", "values": list(values)})

    node.every(0.2, flush)
    node.every(0.5, anti_entropy)
    node.run()
