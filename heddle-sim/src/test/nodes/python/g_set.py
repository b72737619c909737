#!/usr/bin/env python3
"""G-set: a replicated grow-only set (see gossip_set.py); read returns "value"."""
from gossip_set import serve

serve("add", "element", "value")
