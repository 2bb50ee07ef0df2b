"""Serves a built console (dist/) the way a static host must: under a base path, with an SPA
fallback to index.html for the console's own routes, and the right type for .wasm.

Usage: spa_server.py --root DIST --port PORT [--base /sub/path] [--file NAME=PATH ...] [--pid-file F]

--file serves PATH in place of NAME (e.g. a test's own config.json) without touching DIST.
Every answer carries the headers scripts/hosting.py defines for static hosts (the
Content-Security-Policy among them), computed for the config.json this server serves.
The server writes its own PID file (under pyenv, a shell's $! is the shim's PID, not Python's).
"""
import argparse
import http.server
import os
import posixpath
import sys
import urllib.parse

import hosting

TYPES = {
    ".wasm": "application/wasm",
    ".js": "text/javascript",
    ".css": "text/css",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".html": "text/html; charset=utf-8",
}


def make_handler(root, base, overrides, rules):
    class Handler(http.server.BaseHTTPRequestHandler):
        server_version = "keyrack-spa"
        sys_version = ""

        def log_message(self, format, *args):
            pass  # quiet: tests read their own output

        def send_file(self, path, head_only, served_as):
            with open(path, "rb") as f:
                data = f.read()
            name = os.path.basename(path)
            self.send_response(200)
            self.send_header("Content-Type", TYPES.get(os.path.splitext(name)[1], "application/octet-stream"))
            self.send_header("Content-Length", str(len(data)))
            for header, value in hosting.headers_for(f"{base}/{served_as}", rules).items():
                self.send_header(header, value)
            self.end_headers()
            if not head_only:
                self.wfile.write(data)

        def handle_get(self, head_only):
            path = urllib.parse.urlsplit(self.path).path
            if base and path == base:
                self.send_response(301)
                self.send_header("Location", base + "/")
                self.end_headers()
                return
            if not path.startswith(base + "/"):
                self.send_error(404)
                return
            relative = posixpath.normpath(urllib.parse.unquote(path[len(base) + 1:])).lstrip("/")
            if relative in ("", "."):
                relative = "index.html"
            if relative.startswith(".."):
                self.send_error(404)
                return
            if relative in overrides:
                self.send_file(overrides[relative], head_only, relative)
                return
            candidate = os.path.join(root, relative)
            if os.path.isfile(candidate):
                self.send_file(candidate, head_only, relative)
            elif "." in posixpath.basename(relative):
                self.send_error(404)  # a missing asset, not a console route
            else:
                self.send_file(os.path.join(root, "index.html"), head_only, "index.html")

        def do_GET(self):
            self.handle_get(False)

        def do_HEAD(self):
            self.handle_get(True)

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--base", default="")
    parser.add_argument("--file", action="append", default=[])
    parser.add_argument("--pid-file")
    args = parser.parse_args()
    base = "/" + args.base.strip("/") if args.base.strip("/") else ""
    overrides = dict(item.split("=", 1) for item in args.file)
    root = os.path.abspath(args.root)
    try:
        config = hosting.read_config(overrides.get(hosting.CONFIG_FILE, os.path.join(root, hosting.CONFIG_FILE)))
    except hosting.HostingError:
        config = {}  # the console shows what is wrong with it; the policy allows only this origin
    rules = hosting.header_rules(base + "/", os.listdir(root), config)
    handler = make_handler(root, base, overrides, rules)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    if args.pid_file:
        with open(args.pid_file, "w") as f:
            f.write(str(os.getpid()))
    print(f"[serve] http://127.0.0.1:{args.port}{base}/ from {args.root}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        if args.pid_file and os.path.exists(args.pid_file):
            os.remove(args.pid_file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
