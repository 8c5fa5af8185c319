"""The project's nginx config (infra/nginx/) run for tests: Debian's nginx with the
template rendered for loopback ports and a certificate made by infra/make-cert.sh, an
echo upstream, and raw HTTPS exchanges through it."""


import hashlib
import http.client
import json
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

from cms.testing.ports import free_port
from cms.testing.processes import REPO, wait_until

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

    def request_as(self, hostname: str, method: str, path: str,
                   headers: dict[str, str] | None = None) -> "Answer":
        """A request for `hostname` as a browser sends it (SNI and Host), to this nginx."""
        return exchange(_Loopback(hostname, self.https_port, context=self.tls(), timeout=30),
                        method, path, None, {"Host": hostname, **(headers or {})})

    def upstream_of(self, test_id: str) -> str:
        """The upstream address nginx logged for the request sent with this X-Test-Id."""
        def logged() -> str | None:
            for line in (self.directory / "access.log").read_text().splitlines():
                ident, _, rest = line.partition(" ")
                if ident == test_id:
                    return rest.split(" ")[0]
            return None
        # nginx logs once the answer is sent
        return wait_until(logged, 5, message=f"an access log line for {test_id}")


class _Loopback(http.client.HTTPSConnection):
    """HTTPS to 127.0.0.1 for a hostname that need not resolve, sending it as SNI."""

    def connect(self) -> None:
        raw = socket.create_connection(("127.0.0.1", self.port), self.timeout)
        self.sock = self._context.wrap_socket(raw, server_hostname=self.host)  # type: ignore[attr-defined]


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


def make_cert(directory: Path, hostname: str = "lcl.example.com") -> tuple[Path, Path]:
    subprocess.run([str(MAKE_CERT), hostname, str(directory)], check=True,
                   capture_output=True, text=True)
    return directory / f"{hostname}.crt", directory / f"{hostname}.key"


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
          public_https_port: int | None = None, renderers: str | None = None,
          server_names: str = "lcl.example.com localhost 127.0.0.1",
          certificate_per_host: list[str] | None = None) -> Iterator[Proxy]:
    """nginx with the project's template, its pid, logs and temp files in a fresh folder.

    `public_https_port`: the port redirects name, when a port mapping (docker's 443:443)
    puts nginx's HTTPS behind another one; by default the one it listens on.
    `renderers`: MORTAR_RENDERER_UPSTREAM, what nginx asks while `web` is down (default:
    `web` itself).
    `server_names`: MORTAR_SERVER_NAME. `certificate_per_host`: a certificate made for
    each of these hostnames, chosen by SNI (`$ssl_server_name` in MORTAR_TLS_CERT); the
    Proxy's `tls()` trusts them all.
    """
    # Not pytest's tmp_path: nginx workers drop to `nobody` when started as root, and
    # must be able to reach their temp folders (request bodies of uploads land there).
    directory = Path(tempfile.mkdtemp(prefix="mortar-nginx-"))
    directory.chmod(0o755)
    try:
        cert, key = make_cert(directory / "certs")
        tls_cert, tls_key = str(cert), str(key)
        if certificate_per_host:
            made = [make_cert(directory / "certs", host)[0] for host in certificate_per_host]
            # Named by a variable, they are read at each handshake by the workers, which
            # run as `nobody` when nginx starts as root.
            (directory / "certs").chmod(0o755)
            for host in certificate_per_host:
                (directory / "certs" / f"{host}.key").chmod(0o644)
            cert = directory / "certs" / "trusted.pem"
            cert.write_text("".join(path.read_text() for path in made))
            tls_cert = str(directory / "certs" / "$ssl_server_name.crt")
            tls_key = str(directory / "certs" / "$ssl_server_name.key")
        https_port, http_port = free_port(), free_port()
        site = render_template(TEMPLATE.read_text(), {
            "MORTAR_SERVER_NAME": server_names,
            "MORTAR_HTTP_LISTEN": f"127.0.0.1:{http_port}",
            "MORTAR_HTTPS_LISTEN": f"127.0.0.1:{https_port}",
            "MORTAR_HTTPS_PORT": str(public_https_port or https_port),
            "MORTAR_TLS_CERT": tls_cert,
            "MORTAR_TLS_KEY": tls_key,
            "MORTAR_CMS_UPSTREAM": cms,
            "MORTAR_WEB_UPSTREAM": web,
            "MORTAR_RENDERER_UPSTREAM": renderers or web,
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
