#!/usr/bin/env python3
"""Broadcast: a replicated set (see gossip_set.py)."""
from gossip_set import serve

serve("broadcast", "message", "messages")
