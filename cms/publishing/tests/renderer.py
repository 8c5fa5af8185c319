"""The renderer's side of the publishing tests: stand-ins for its `POST /api/revalidate`
and for a CDN's purge API (real HTTP servers on loopback), reading pages as it does,
and pages to change."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from django.conf import settings
from django.test import Client
from wagtail.models import Page

from cms.testing.content import add
from cms.testing.pages.models import SampleContentPage


def add_page(parent: Page, slug: str, live: bool = True, **fields: object) -> SampleContentPage:
    """A content page under `parent`, published unless `live` is false; fetched afresh."""
    page = add(parent, SampleContentPage(title=slug.title(), slug=slug, **fields), publish=live)
    return SampleContentPage.objects.get(pk=page.pk)


def as_renderer(client: Client, html_path: str, site: str | None = None) -> int:
    """GET a page by path as the renderer does (with `site=<hostname>` when given), so
    the CMS records what it shows."""
    params = {"html_path": html_path, **({"site": site} if site else {})}
    response = client.get("/api/v2/pages/by-path/", params,
                          HTTP_AUTHORIZATION=f"Bearer {settings.REVALIDATE_SECRET}")
    return response.status_code


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
