"""Stand-ins for what the CMS tells of changes, as real HTTP servers on loopback: the
renderer's `/api/revalidate` (POST, and the GET the CMS probes it with) and a CDN's purge
API (the outside world)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StandInRenderer:
    """Checks the shared secret like the renderer does (POST and its GET probe) and records
    every accepted body."""

    def __init__(self, port: int, secret: str) -> None:
        self.bodies: list[dict] = []
        self.rejected = 0
        renderer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                """The CMS's probe: would the renderer take a revalidation?"""
                if self.path != "/api/revalidate":
                    self.send_response(404)
                elif self.headers.get("Authorization") != f"Bearer {secret}":
                    self.send_response(401)
                else:
                    self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if self.path != "/api/revalidate":
                    self.send_response(404)
                elif self.headers.get("Authorization") != f"Bearer {secret}":
                    renderer.rejected += 1
                    self.send_response(401)
                else:
                    renderer.bodies.append(json.loads(body))
                    self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def tags(self) -> set[str]:
        return {tag for body in self.bodies for tag in body["tags"]}

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class StandInCdn:
    """The outside world: an HTTP purge API (Wagtail's HTTPBackend speaks PURGE <url>)."""

    def __init__(self) -> None:
        self.purged: list[str] = []
        cdn = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self) -> None:
                cdn.purged.append(f"{self.headers['Host']}{self.path}")
                self.send_response(200)
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
