"""A stand-in for the renderer's `POST /api/revalidate`: a real HTTP server on loopback."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class StandInRenderer:
    """Checks the shared secret like the renderer does and records every accepted body."""

    def __init__(self, port: int, secret: str) -> None:
        self.bodies: list[dict] = []
        self.rejected = 0
        renderer = self

        class Handler(BaseHTTPRequestHandler):
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
