"""The project's nginx config (infra/nginx/) in front of the real CMS and renderer.

Debian's nginx runs the template rendered for loopback ports, with a certificate made
by infra/make-cert.sh, in front of gunicorn (`cms_server`) and `next start`
(`web_server`). Every request goes over HTTPS, verified against that certificate.
"""

import gzip
import hashlib
import http.client
import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile

from cms.testing.ports import free_port
from cms.testing.processes import REPO

TEMPLATE = REPO / "infra" / "nginx" / "mortar.conf.template"
MAKE_CERT = REPO / "infra" / "make-cert.sh"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
UPLOAD_LIMIT = 25 * 1024 * 1024  # client_max_body_size 25m
HSTS_MAX_AGE = "31536000"
PLACEHOLDER = re.compile(r"\$\{(MORTAR_[A-Z_]+)\}")

pytestmark = pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed")


def render_template(text: str, values: dict[str, str]) -> str:
    """What envsubst does in the nginx image, for the MORTAR_* names only."""
    wanted = set(PLACEHOLDER.findall(text))
    assert wanted == set(values), f"template placeholders {sorted(wanted)} != {sorted(values)}"
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


@dataclass
class Proxy:
    https_port: int
    http_port: int
    cafile: Path
    directory: Path

    def tls(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=str(self.cafile))
        return context

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> "Answer":
        conn = http.client.HTTPSConnection("127.0.0.1", self.https_port, context=self.tls(),
                                           timeout=30)
        return exchange(conn, method, path, body, headers)

    def upstream_of(self, test_id: str) -> str:
        """The upstream address nginx logged for the request sent with this X-Test-Id."""
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # nginx logs once the answer is sent
            for line in (self.directory / "access.log").read_text().splitlines():
                ident, _, rest = line.partition(" ")
                if ident == test_id:
                    return rest.split(" ")[0]
            time.sleep(0.05)
        raise AssertionError(f"no access log line for {test_id}")


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def content_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip()

    def signature(self, with_body: bool = True) -> tuple[int, str, str, str]:
        """Status, type, redirect target and (for answers that do not vary) the body."""
        body = hashlib.sha256(self.body).hexdigest() if with_body else ""
        return (self.status, self.content_type, self.headers.get("Location") or "", body)


def exchange(conn: http.client.HTTPConnection, method: str, path: str, body: bytes | None,
             headers: dict[str, str] | None) -> Answer:
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        conn.close()


def direct(base_url: str, method: str, path: str, body: bytes | None = None,
           headers: dict[str, str] | None = None) -> Answer:
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    return exchange(conn, method, path, body, headers)


def make_cert(directory: Path) -> tuple[Path, Path]:
    subprocess.run([str(MAKE_CERT), "lcl.example.com", str(directory)], check=True,
                   capture_output=True, text=True)
    return directory / "lcl.example.com.crt", directory / "lcl.example.com.key"


def wait_for_port(port: int, process: subprocess.Popen, log: Path, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited with {process.returncode}:\n{log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nginx did not listen on {port}:\n{log.read_text()}")


@contextmanager
def nginx(cms: str, web: str, media: str = "http://mortar_cms",
          public_https_port: int | None = None) -> Iterator[Proxy]:
    """nginx with the project's template, its pid, logs and temp files in a fresh folder.

    `public_https_port`: the port redirects name, when a port mapping (docker's 443:443)
    puts nginx's HTTPS behind another one; by default the one it listens on.
    """
    # Not pytest's tmp_path: nginx workers drop to `nobody` when started as root, and
    # must be able to reach their temp folders (request bodies of uploads land there).
    directory = Path(tempfile.mkdtemp(prefix="mortar-nginx-"))
    directory.chmod(0o755)
    try:
        cert, key = make_cert(directory / "certs")
        https_port, http_port = free_port(), free_port()
        site = render_template(TEMPLATE.read_text(), {
            "MORTAR_SERVER_NAME": "lcl.example.com localhost 127.0.0.1",
            "MORTAR_HTTP_LISTEN": f"127.0.0.1:{http_port}",
            "MORTAR_HTTPS_LISTEN": f"127.0.0.1:{https_port}",
            "MORTAR_HTTPS_PORT": str(public_https_port or https_port),
            "MORTAR_TLS_CERT": str(cert),
            "MORTAR_TLS_KEY": str(key),
            "MORTAR_CMS_UPSTREAM": cms,
            "MORTAR_WEB_UPSTREAM": web,
            "MORTAR_MEDIA_PROXY": media,
            "MORTAR_HSTS_MAX_AGE": HSTS_MAX_AGE,
        })
        (directory / "mortar.conf").write_text(site)
        temp = {name: directory / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
        (directory / "nginx.conf").write_text(f"""
worker_processes 1;
pid {directory}/nginx.pid;
error_log {directory}/error.log info;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    # Which upstream answered each request, for the routing test.
    log_format routed '$http_x_test_id $upstream_addr $status';
    access_log {directory}/access.log routed;
    client_body_temp_path {temp['body']};
    proxy_temp_path {temp['proxy']};
    fastcgi_temp_path {temp['fastcgi']};
    uwsgi_temp_path {temp['uwsgi']};
    scgi_temp_path {temp['scgi']};
    include {directory}/mortar.conf;
}}
""")
        command = [NGINX, "-c", str(directory / "nginx.conf"), "-p", str(directory)]
        check = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        process = subprocess.Popen([*command, "-g", "daemon off;"])
        try:
            wait_for_port(https_port, process, directory / "error.log")
            wait_for_port(http_port, process, directory / "error.log")
            yield Proxy(https_port, http_port, cert, directory)
        finally:
            process.terminate()
            process.wait(timeout=15)
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def hostport(url: str) -> str:
    return urlsplit(url).netloc


# --- nginx's own behaviour, in front of a stand-in upstream that echoes what it got ----


class Echo(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.answer({})

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.answer({"received": len(body), "sha256": hashlib.sha256(body).hexdigest()})

    def answer(self, extra: dict) -> None:
        body = json.dumps({"path": self.path, "headers": dict(self.headers.items()),
                           "name": self.server.name, **extra}).encode()  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        # Set by the upstream on purpose: nginx must replace these, not add a second copy.
        self.send_header("X-Frame-Options", "DENY")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def echo_server(name: str) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Echo)
    server.name = name  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def echo_proxy() -> Iterator[Proxy]:
    with echo_server("cms") as cms, echo_server("web") as web, nginx(cms, web) as proxy:
        yield proxy


def test_the_upstream_learns_the_client_address_scheme_and_host(echo_proxy):
    answer = echo_proxy.request("GET", "/api/v2/pages/?type=x",
                                headers={"Host": "lcl.example.com",
                                         "X-Forwarded-For": "203.0.113.9"})
    seen = json.loads(answer.body)
    assert seen["name"] == "cms"
    assert seen["path"] == "/api/v2/pages/?type=x"
    headers = {key.lower(): value for key, value in seen["headers"].items()}
    assert headers["host"] == "lcl.example.com"
    assert headers["x-forwarded-host"] == "lcl.example.com"
    assert headers["x-forwarded-proto"] == "https"
    assert headers["x-forwarded-port"] == str(echo_proxy.https_port)
    assert headers["x-real-ip"] == "127.0.0.1"
    # The client's own claim is kept, the address nginx saw is appended.
    assert headers["x-forwarded-for"] == "203.0.113.9, 127.0.0.1"


def test_security_headers_are_sent_once(echo_proxy):
    answer = echo_proxy.request("GET", "/")
    assert json.loads(answer.body)["name"] == "web"
    assert answer.headers.get_all("Strict-Transport-Security") == [
        f"max-age={HSTS_MAX_AGE}; includeSubDomains"]
    assert answer.headers.get_all("X-Frame-Options") == ["SAMEORIGIN"]
    assert answer.headers.get_all("X-Content-Type-Options") == ["nosniff"]
    assert answer.headers.get_all("Referrer-Policy") == ["strict-origin-when-cross-origin"]


def test_plain_http_redirects_to_https(echo_proxy):
    conn = http.client.HTTPConnection("127.0.0.1", echo_proxy.http_port, timeout=10)
    answer = exchange(conn, "GET", "/articles/?page=2", None, {"Host": "lcl.example.com"})
    assert answer.status == 301
    assert answer.headers["Location"] == (
        f"https://lcl.example.com:{echo_proxy.https_port}/articles/?page=2")
    conn = http.client.HTTPConnection("127.0.0.1", echo_proxy.http_port, timeout=10)
    answer = exchange(conn, "POST", "/admin/login/", b"x=1", {"Host": "lcl.example.com"})
    assert answer.status == 301  # nothing is ever proxied over plain HTTP


def test_uploads_up_to_the_limit_reach_the_upstream_intact(echo_proxy):
    # Exactly client_max_body_size passes (Wagtail's largest image, 20 MB, fits in it);
    # one byte more is refused.
    body = os.urandom(UPLOAD_LIMIT)
    answer = echo_proxy.request("POST", "/admin/images/multiple/add/", body,
                                {"Content-Type": "image/jpeg"})
    seen = json.loads(answer.body)
    assert (answer.status, seen["name"]) == (200, "cms")
    assert seen["received"] == UPLOAD_LIMIT
    assert seen["sha256"] == hashlib.sha256(body).hexdigest()
    too_big = post_declared_size(echo_proxy, "/admin/images/multiple/add/", UPLOAD_LIMIT + 1,
                                 test_id="one-more")
    assert too_big.startswith(b"HTTP/1.1 413 "), too_big[:200]


def test_the_redirect_leaves_out_the_default_https_port():
    with echo_server("cms") as cms, echo_server("web") as web, \
            nginx(cms, web, public_https_port=443) as proxy:
        conn = http.client.HTTPConnection("127.0.0.1", proxy.http_port, timeout=10)
        answer = exchange(conn, "GET", "/about/", None, {"Host": "lcl.example.com"})
    assert answer.status == 301
    assert answer.headers["Location"] == "https://lcl.example.com/about/"


def test_the_certificate_is_checked_against_the_one_made_by_the_script(echo_proxy):
    # A client that does not trust our certificate must refuse the connection.
    conn = http.client.HTTPSConnection("127.0.0.1", echo_proxy.https_port, timeout=10,
                                       context=ssl.create_default_context())
    with pytest.raises(ssl.SSLCertVerificationError):
        exchange(conn, "GET", "/", None, None)
    context = echo_proxy.tls()
    context.check_hostname = True
    with socket.create_connection(("127.0.0.1", echo_proxy.https_port), timeout=10) as raw, \
            context.wrap_socket(raw, server_hostname="lcl.example.com") as tls:
        assert tls.version() in {"TLSv1.2", "TLSv1.3"}


# --- the real stack: gunicorn and next start behind nginx -------------------------------


# The mark makes pytest-django set up the test database that the stack's fixtures seed;
# these tests only read, so the rollback it wraps them in changes nothing.
stack = pytest.mark.django_db


@pytest.fixture(scope="module")
def stack_proxy(cms_server, web_server) -> Iterator[Proxy]:
    with nginx(hostport(cms_server), hostport(web_server)) as proxy:
        yield proxy


@pytest.fixture(scope="module")
def document(django_db_blocker) -> Iterator[str]:
    """A public document: its file answers under /media/, its serve view under /documents/."""
    from wagtail.documents import get_document_model

    with django_db_blocker.unblock():
        doc = get_document_model().objects.create(
            title="Proxy check", file=ContentFile(b"served through nginx\n", name="proxy.txt"))
    try:
        yield doc
    finally:
        with django_db_blocker.unblock():
            doc.delete()  # Wagtail removes the file too


VARIES = False  # rendered pages carry per-request nonces and digests, /healthz timings


def routes(document) -> list[tuple[str, str, str, bytes | None, bool]]:
    """(service, method, path, body, same body each time): every prefix nginx routes."""
    return [
        ("web", "GET", "/", None, VARIES),
        ("web", "GET", "/articles/", None, VARIES),
        ("web", "POST", "/api/revalidate", json.dumps({"tags": ["x"]}).encode(), True),
        ("web", "GET", "/api/preview?content_type=example.articlepage&token=bad", None, True),
        ("web", "GET", "/api/preview/exit", None, True),
        ("web", "POST", "/api/page-access", json.dumps({"password": "x"}).encode(), True),
        ("cms", "GET", "/api/v2/navigation/", None, True),
        ("cms", "GET", "/api/v2/pages/by-path/?html_path=/articles/", None, True),
        ("cms", "GET", "/api/v2/pages/?limit=1", None, True),
        ("cms", "GET", "/admin/", None, True),
        ("cms", "GET", "/django-admin/", None, True),
        ("cms", "GET", document.url, None, True),
        ("cms", "GET", document.file.url, None, True),
        ("cms", "GET", "/static/wagtailadmin/css/core.css", None, True),
        ("cms", "GET", "/healthz", None, VARIES),
        ("cms", "GET", "/livez", None, True),
    ]


@stack
def test_each_route_reaches_its_service(stack_proxy, cms_server, web_server, document):
    upstream = {"cms": cms_server, "web": web_server}
    unlogged = ""
    for number, (service, method, path, body, same_body) in enumerate(routes(document)):
        headers = {"Content-Type": "application/json"} if body else {}
        answer = stack_proxy.request(method, path, body, {**headers, "X-Test-Id": f"r{number}"})
        if path.startswith("/api/preview?"):
            unlogged = f"r{number}"  # its query string carries a preview token: never logged
        else:
            assert stack_proxy.upstream_of(f"r{number}") == hostport(upstream[service]), (
                f"{method} {path} went to the wrong service")
        # And the answer is that service's own, passed on unchanged.
        expected = direct(upstream[service], method, path, body, headers)
        assert answer.signature(same_body) == expected.signature(same_body), (
            f"{method} {path} via nginx: {answer.status} {answer.content_type}, "
            f"{service} itself: {expected.status} {expected.content_type}")
    logged = [line.partition(" ")[0] for line in
              (stack_proxy.directory / "access.log").read_text().splitlines()]
    assert unlogged and unlogged not in logged and f"r{len(routes(document)) - 1}" in logged


@stack
def test_compressible_answers_are_gzipped(stack_proxy, cms_server):
    path = "/static/wagtailadmin/css/core.css"
    plain = direct(cms_server, "GET", path)
    answer = stack_proxy.request("GET", path, headers={"Accept-Encoding": "gzip"})
    assert answer.status == 200
    assert answer.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(answer.body) == plain.body
    assert len(answer.body) < len(plain.body) / 2


@stack
def test_an_upload_over_the_limit_gets_413_from_nginx(stack_proxy):
    path = "/admin/images/multiple/add/"
    too_big = post_declared_size(stack_proxy, path, UPLOAD_LIMIT + 1, test_id="big")
    assert too_big.startswith(b"HTTP/1.1 413 "), too_big[:200]
    assert stack_proxy.upstream_of("big") == "-"  # refused before the CMS saw any of it


def post_declared_size(proxy: Proxy, path: str, size: int, test_id: str) -> bytes:
    """Announce a body over the limit; nginx answers 413 before any of it is sent."""
    with socket.create_connection(("127.0.0.1", proxy.https_port), timeout=10) as raw, \
            proxy.tls().wrap_socket(raw, server_hostname="127.0.0.1") as tls:
        tls.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\n"
                    f"X-Test-Id: {test_id}\r\nContent-Length: {size}\r\n\r\n".encode()
                    + b"\0" * 65536)
        return tls.recv(4096)

