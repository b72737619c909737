# A tiny HTTP service for `heddle demo`: serves on the listening socket it inherits at fd 3
# (LISTEN_FDS, systemd's convention); it never binds a port itself.
import http.server, os, socket, sys

class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = ("hello from web, pid %d\n" % os.getpid()).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        print("%s %s" % (self.address_string(), fmt % args), flush=True)

assert os.environ.get("LISTEN_FDS") == "1", "expected one socket at fd 3"
server = http.server.HTTPServer(("", 0), Handler, bind_and_activate=False)
server.socket = socket.socket(fileno=3)
print("web: serving on %s:%d (fd 3, pid %d)" % (*server.socket.getsockname()[:2], os.getpid()), flush=True)
server.serve_forever()
