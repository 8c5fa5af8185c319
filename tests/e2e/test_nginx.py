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
import socket
import ssl
from collections.abc import Iterator

import pytest
from django.core.files.base import ContentFile

from cms.testing.ports import free_port
from cms.testing.processes import gunicorn
from tests.e2e.nginx import (
    HSTS_MAX_AGE,
    UPLOAD_LIMIT,
    Proxy,
    direct,
    echo_server,
    exchange,
    hostport,
    nginx,
)


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


def test_several_sites_are_routed_by_server_name():
    names = ["lcl.example.com", "docs.lcl.example.com"]
    with echo_server("cms") as cms, echo_server("web") as web, \
            nginx(cms, web, server_names=" ".join(names)) as proxy:
        for host in names:
            for path, upstream in (("/about/", "web"), ("/api/v2/navigation/", "cms")):
                answer = proxy.request_as(host, "GET", path)
                seen = json.loads(answer.body)
                assert (answer.status, seen["name"]) == (200, upstream), (host, path)
                # The renderer and the CMS pick the site by the Host they get.
                assert seen["headers"]["Host"] == host
            conn = http.client.HTTPConnection("127.0.0.1", proxy.http_port, timeout=10)
            answer = exchange(conn, "GET", "/about/", None, {"Host": host})
            assert answer.headers["Location"] == f"https://{host}:{proxy.https_port}/about/"

        # A Host that is none of the sites': no site answers.
        assert proxy.request("GET", "/", headers={"Host": "other.example"}).status == 421
        assert proxy.request("GET", "/", headers={"Host": "localhost"}).status == 421
        conn = http.client.HTTPConnection("127.0.0.1", proxy.http_port, timeout=10)
        with pytest.raises(http.client.RemoteDisconnected):
            exchange(conn, "GET", "/", None, {"Host": "other.example"})


def test_each_site_can_have_a_certificate_of_its_own():
    names = ["lcl.example.com", "docs.example.org"]
    with echo_server("cms") as cms, echo_server("web") as web, \
            nginx(cms, web, server_names=" ".join(names), certificate_per_host=names) as proxy:
        for host in names:
            with socket.create_connection(("127.0.0.1", proxy.https_port), timeout=10) as raw, \
                    proxy.tls().wrap_socket(raw, server_hostname=host) as tls:
                subject = dict(item[0] for item in tls.getpeercert()["subject"])
            assert subject["commonName"] == host
            answer = proxy.request_as(host, "GET", "/")
            assert (answer.status, json.loads(answer.body)["name"]) == (200, "web")


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


@stack
def test_health_through_nginx_livez_is_cheap_and_healthz_no_amplifier(cms_env, web_server):
    """Anyone may ask both through nginx: /livez checks nothing, and however often /healthz
    is asked, each CMS process checks its dependencies once per HEALTH_CHECK_CACHE_SECONDS."""
    env = {**cms_env, "HEALTH_CHECK_CACHE_SECONDS": "60"}
    with gunicorn(env, free_port()) as cms, nginx(hostport(cms), hostport(web_server)) as proxy:
        live = proxy.request("GET", "/livez")
        assert (live.status, json.loads(live.body)) == (200, {"status": "ok"})

        asks = 40
        answers = [proxy.request("GET", "/healthz") for _ in range(asks)]
        assert {answer.status for answer in answers} == {200}
        bodies = [json.loads(answer.body) for answer in answers]
        assert set(bodies[0]["checks"]) == {"database", "cache", "broker", "storage"}
        runs = {body["checked_at"] for body in bodies}
        # gunicorn runs 2 worker processes here: one run each at most.
        assert len(runs) <= 2, f"{asks} asks through nginx made {len(runs)} runs"
        # Never kept by a cache on the way, which would hide an outage.
        assert "no-store" in answers[0].headers["Cache-Control"]
        assert "no-store" in live.headers["Cache-Control"]


# --- edges: what never gets past nginx, and the site while the HTTP cache is down -------


def test_purge_odd_methods_and_internal_headers_stop_at_nginx(echo_proxy):
    for method in ("PURGE", "TRACE", "BAN", "PROPFIND"):
        answer = echo_proxy.request(method, "/", headers={"Host": "lcl.example.com",
                                                          "X-Test-Id": f"method-{method}"})
        assert answer.status == 405, method
    internal = {"X-Purge-Secret": "guess", "xkey-purge": "path:/", "X-Mortar-Visitor-IP": "1.2.3.4",
                "X-Middleware-Subrequest": "proxy:proxy:proxy:proxy:proxy",
                "X-Invoke-Path": "/admin/"}
    for path in ("/about/", "/api/v2/pages/"):
        answer = echo_proxy.request("GET", path, headers={"Host": "lcl.example.com", **internal})
        seen = {key.lower() for key in json.loads(answer.body)["headers"]}
        assert not seen & {name.lower() for name in internal}, (path, seen)


def test_bodies_over_each_upstreams_limit_get_413_from_nginx(stack_proxy):
    """Announced and sent: nginx answers 413 itself, never 502 (the upstream hanging up
    on a body it would not read), and the API's in JSON."""
    for path, size in (("/api/v2/forms/1/submissions/", 100 * 1024),
                       ("/api/v2/page_access/", 40 * 1024), ("/contact/message/", 100 * 1024),
                       ("/documents/authenticate_with_password/1/", 20 * 1024)):
        for attempt in range(3):
            answer = stack_proxy.request("POST", path, body=b"x" * size, headers={
                "Host": "localhost", "Content-Type": "application/json"})
            assert answer.status == 413, (path, attempt, answer.status, answer.body[:200])
    api = stack_proxy.request("POST", "/api/v2/page_access/", body=b"x" * 40 * 1024,
                              headers={"Host": "localhost"})
    assert api.content_type == "application/json" and json.loads(api.body)["message"]


def test_the_site_is_served_by_the_renderers_while_the_http_cache_is_down(cms_server, web_server):
    down = f"127.0.0.1:{free_port()}"  # an HTTP cache that refuses every connection
    with nginx(hostport(cms_server), down, renderers=hostport(web_server)) as proxy:
        answers = [proxy.request("GET", "/about/", headers={"Host": "localhost"})
                   for _ in range(5)]
    assert [answer.status for answer in answers] == [200] * 5
    assert b"About us" in answers[0].body
    assert "xkey" not in {key.lower() for key in answers[0].headers}
    assert "x-middleware-rewrite" not in {key.lower() for key in answers[0].headers}
    assert "frame-ancestors 'self'" in answers[0].headers["Content-Security-Policy"]
