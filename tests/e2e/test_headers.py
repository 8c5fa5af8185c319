"""Response headers: nginx without its version, the renderer's own security headers."""

import http.client

import pytest

from tests.e2e.nginx import direct, echo_server, exchange, hostport, nginx

SITE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}


def test_nginx_names_no_version():
    with echo_server("cms") as cms, echo_server("web") as web, nginx(cms, web) as proxy:
        page = proxy.request("GET", "/")
        unknown_host = proxy.request("GET", "/", headers={"Host": "elsewhere.example"})
        redirect = exchange(http.client.HTTPConnection("127.0.0.1", proxy.http_port, timeout=10),
                            "GET", "/", None, {"Host": "lcl.example.com"})

    for answer in (page, unknown_host, redirect):
        assert answer.headers.get_all("Server") == ["nginx"]
    assert redirect.status == 301 and b"nginx/" not in redirect.body


@pytest.mark.django_db
def test_the_renderer_sends_security_headers_without_nginx(web_server):
    answer = direct(web_server, "GET", "/")

    assert answer.status == 200
    for name, value in SITE_HEADERS.items():
        assert answer.headers.get_all(name) == [value]
    assert "X-Powered-By" not in answer.headers


@pytest.mark.django_db
def test_behind_nginx_each_security_header_comes_once(cms_server, web_server):
    with nginx(hostport(cms_server), hostport(web_server)) as proxy:
        answer = proxy.request("GET", "/", headers={"Host": "lcl.example.com"})

    assert answer.status == 200
    for name, value in SITE_HEADERS.items():
        assert answer.headers.get_all(name) == [value]
