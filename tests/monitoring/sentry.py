"""A local receiver of Sentry's envelope protocol: the outside service, stood in for.

The SDKs post envelopes to `<dsn host>/api/<project>/envelope/`; every byte received
(request line, headers and body, and the body decompressed) is kept for the test to
search, and each envelope's items are parsed into events.
"""

import gzip
import json
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cms.testing.ports import free_port

PUBLIC_KEY = "0123456789abcdef0123456789abcdef"


def _decompress(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    if encoding == "br":
        import brotli  # sentry-sdk compresses with it when it is installed

        return brotli.decompress(body)
    assert not encoding, f"unexpected Content-Encoding {encoding}"
    return body


@dataclass
class Receiver:
    port: int
    captured: list[bytes] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def dsn(self, project: int) -> str:
        return f"http://{PUBLIC_KEY}@127.0.0.1:{self.port}/{project}"

    def everything(self) -> bytes:
        with self.lock:
            return b"\n".join(self.captured)

    def errors(self) -> list[dict]:
        with self.lock:
            return [event for event in self.events if event.get("exception")]

    def take(self, raw: bytes, body: bytes) -> None:
        lines = body.split(b"\n")
        events = []
        # An envelope: its header line, then (item header, payload) pairs.
        for index in range(1, len(lines) - 1, 2):
            header = json.loads(lines[index] or b"{}")
            if header.get("type") in ("event", "transaction"):
                events.append(json.loads(lines[index + 1]))
        with self.lock:
            self.captured += [raw, body]
            self.events += events


@contextmanager
def sentry_receiver() -> Iterator[Receiver]:
    receiver = Receiver(free_port())

    class Handler(BaseHTTPRequestHandler):
        def body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))
            chunks = []  # the Node.js SDK streams its envelopes
            while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            self.rfile.readline()
            return b"".join(chunks)

        def do_POST(self) -> None:
            body = self.body()
            raw = (self.requestline.encode() + b"\r\n" + bytes(self.headers) + body)
            receiver.take(raw, _decompress(body, self.headers.get("Content-Encoding", "")))
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", receiver.port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()
