"""A small Maelstrom node library: JSON lines on stdin/stdout, handlers, RPCs, timers.

Handlers run on the reader thread under the node's lock, unless registered with threaded=True
(then each message gets its own thread, so the handler may block in sync_rpc).
"""
import json
import sys
import threading
import time


class RPCError(Exception):
    def __init__(self, code, text=""):
        super().__init__(f"error {code}: {text}")
        self.code = code
        self.text = text


class Node:
    def __init__(self):
        self.node_id = None
        self.node_ids = []
        self.lock = threading.RLock()
        self._out = threading.Lock()
        self._handlers = {}
        self._callbacks = {}
        self._next_msg_id = 0
        self._init_hooks = []

    def log(self, *args):
        print(*args, file=sys.stderr, flush=True)

    def on(self, msg_type, threaded=False):
        def register(fn):
            self._handlers[msg_type] = (fn, threaded)
            return fn
        return register

    def on_init(self, fn):
        self._init_hooks.append(fn)
        return fn

    def send(self, dest, body):
        line = json.dumps({"src": self.node_id, "dest": dest, "body": body})
        with self._out:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()

    def reply(self, req, body):
        body = dict(body)
        body["in_reply_to"] = req["body"].get("msg_id")
        self.send(req["src"], body)

    def rpc(self, dest, body, callback):
        with self.lock:
            self._next_msg_id += 1
            msg_id = self._next_msg_id
            self._callbacks[msg_id] = callback
        body = dict(body)
        body["msg_id"] = msg_id
        self.send(dest, body)
        return msg_id

    def sync_rpc(self, dest, body, timeout=1.0):
        """Sends a request and waits for its reply body; raises RPCError or TimeoutError."""
        done = threading.Event()
        box = {}

        def got(msg):
            box["msg"] = msg
            done.set()

        msg_id = self.rpc(dest, body, got)
        if not done.wait(timeout):
            with self.lock:
                self._callbacks.pop(msg_id, None)
            raise TimeoutError(f"no reply from {dest} to {body.get('type')}")
        reply = box["msg"]["body"]
        if reply.get("type") == "error":
            raise RPCError(reply.get("code"), reply.get("text", ""))
        return reply

    def every(self, seconds, fn):
        def loop():
            while True:
                time.sleep(seconds)
                if self.node_id is not None:
                    with self.lock:
                        fn()
        threading.Thread(target=loop, daemon=True).start()

    def _dispatch(self, msg):
        body = msg["body"]
        if "in_reply_to" in body:
            with self.lock:
                cb = self._callbacks.pop(body["in_reply_to"], None)
            if cb:
                cb(msg)
            return
        t = body.get("type")
        if t == "init":
            self.node_id = body["node_id"]
            self.node_ids = body["node_ids"]
            for hook in self._init_hooks:
                hook()
            self.reply(msg, {"type": "init_ok"})
            return
        entry = self._handlers.get(t)
        if entry is None:
            self.reply(msg, {"type": "error", "code": 10, "text": f"unsupported type {t}"})
            return
        fn, threaded = entry
        if threaded:
            threading.Thread(target=self._guarded, args=(fn, msg), daemon=True).start()
        else:
            with self.lock:
                self._guarded(fn, msg)

    def _guarded(self, fn, msg):
        try:
            fn(msg)
        except RPCError as e:
            self.reply(msg, {"type": "error", "code": e.code, "text": e.text})
        except Exception as e:  # indefinite: the op may or may not have happened
            self.log(f"handler failed: {e!r}")
            self.reply(msg, {"type": "error", "code": 13, "text": repr(e)})

    def run(self):
        for line in sys.stdin:
            line = line.strip()
            if line:
                self._dispatch(json.loads(line))
