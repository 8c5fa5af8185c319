"""Hostile visitors against `next start`: odd methods, bodies and headers on every route.

One renderer of the session's build, serving every site by Host (no CMS_SITE_HOSTNAME),
with a cache prefix of its own in the session's Redis, so that what it stores can be
counted. In order: a seeded fuzz (every route x methods x bodies x headers), then the
cache's growth under random paths and Host ports, then SIGTERM.

Figures (the seed, counts, RSS, growth, the stop) are printed: `pytest -s` shows them.
"""

import os
import random
import re
import signal
import socket
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from cms.testing.ports import free_port
from tests.conftest import REVALIDATE_SECRET
from tests.e2e.helpers import fetch
from tests.webserver import WebBuild, next_start

pytestmark = pytest.mark.django_db

SEED = int(os.environ.get("FUZZ_SEED", "2323"))
REQUESTS = 2400
SLOWEST_ALLOWED = 5.0  # seconds, for any one answer
RSS_BOUND = 1024 * 1024 * 1024  # bytes, every process of the renderer together
HOST = "localhost"  # the seeded Site's hostname

ROUTES = ["/", "/about/", "/about", "/contact/message/", "/articles/", "/articles/page/2/",
          "/articles/designing-for-editors/", "/search/?q=lime", "/search/?q=%00%ff",
          "/sitemap.xml", "/sitemap/1.xml", "/robots.txt", "/favicon.ico",
          "/api/revalidate", "/api/preview?content_type=x&token=y",
          "/api/preview?content_type=a.b&token=%ff%00", "/api/preview/exit",
          "/api/page-access", "/mortar-page-access/about/", "/mortar-site/localhost/about/",
          "/_next/image?url=%2Fmedia%2Fx.jpg&w=640&q=75", "/_next/static/chunks/nope.js",
          "/_util/authenticate_with_password/1/1/", "/media/original_images/x.jpg",
          "/documents/1/x.pdf", "/caf%E9/", "/%2e%2e/%2e%2e/etc/passwd", "/a//b/",
          "/" + "x" * 3000 + "/", "/no-such-page-{n}/"]
METHODS = ["GET", "GET", "GET", "HEAD", "POST", "POST", "POST", "PUT", "DELETE", "PATCH",
           "OPTIONS", "TRACE", "PROPFIND", "QUERY"]


@dataclass(frozen=True)
class Renderer:
    process: subprocess.Popen
    port: int
    prefix: str

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def pids(self) -> list[int]:
        """The renderer's processes: `next start` and every process under it."""
        group = self.process.pid  # the leader of its own session (next_start)
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == group:  # pgrp
                pids.append(int(stat.parent.name))
        return pids

    def rss(self) -> int:
        total = 0
        for pid in self.pids():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
            total += int(found.group(1)) * 1024 if found else 0
        return total


@pytest.fixture(scope="module")
def renderer(web_build: WebBuild, cms_server: str) -> Iterator[Renderer]:
    port = free_port()
    prefix = f"fuzz-{uuid.uuid4().hex[:8]}-"
    env = {"CMS_API_URL": cms_server, "REVALIDATE_SECRET": REVALIDATE_SECRET,
           "CMS_SITE_HOSTNAME": "", "NEXT_PUBLIC_SITE_URL": f"http://{HOST}:{port}",
           "CACHE_KEY_PREFIX": prefix}
    with next_start(web_build, port, env, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL) as process:
        yield Renderer(process, port, prefix)


def action_id(renderer: Renderer) -> str:
    """The form's server action id, as the page gives it to the browser."""
    status, _, body = fetch(f"{renderer.url}/contact/message/",
                            headers={"Host": f"{HOST}:{renderer.port}"})
    assert status == 200, body[:300]
    found = re.search(r"id&quot;:&quot;([0-9a-f]{20,})", body)
    assert found, "no server action in the form page"
    return found.group(1)


def multipart(fields: dict[str, str], boundary: str = "fuzz") -> bytes:
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
             for name, value in fields.items()]
    return ("".join(parts) + f"--{boundary}--\r\n").encode()


def bodies(rng: random.Random, action: str) -> list[tuple[bytes | None, dict[str, str]]]:
    """(body, headers) pairs: none, forms good and broken, JSON, React's action encoding
    good and broken, huge, and headers only Next.js's own client should send."""
    form = {"$ACTION_REF_1": "", "$ACTION_1:0": f'{{"id":"{action}","bound":"$@1"}}',
            "$ACTION_1:1": '[7,{"status":"idle"}]', "$ACTION_KEY": "k1",
            "your_name": "Fuzz", "email": "fuzz@example", "message": "x" * rng.randrange(50)}
    good = multipart(form)
    next_action = {"Next-Action": action, "Content-Type": "text/plain;charset=UTF-8"}
    multipart_type = {"Content-Type": "multipart/form-data; boundary=fuzz"}
    broken = [b'["$Q1"]', b'["$@9"]', b"null", b"[" * 5000, b'"x"', b'["$F1"]']
    return [
        (None, {}),
        (None, {"RSC": "1"}),
        (None, {"RSC": "1", "Next-Router-State-Tree": "%5B%22garbage"}),
        (None, {"RSC": "1", "Next-Router-Prefetch": "1", "Next-Router-Segment-Prefetch": "/_tree"}),
        (None, {"x-middleware-subrequest": "proxy:proxy:proxy:proxy:proxy"}),
        (None, {"Next-Action": "0" * 42}),
        (None, {"Host": f"{HOST}:{rng.randrange(1, 65536)}"}),
        (None, {"Host": f"evil-{rng.randrange(10**6)}.example"}),
        (None, {"Host": "[::1]"}),
        (None, {"Accept-Encoding": "br, gzip, deflate, zstd", "Range": "bytes=0-1,5-"}),
        (b'{"tags": ["x"]}', {"Content-Type": "application/json",
                              "Authorization": "Bearer wrong"}),
        (b"x=1&y=2", {"Content-Type": "application/x-www-form-urlencoded"}),
        (good, multipart_type),
        (good[:rng.randrange(1, len(good))], multipart_type),
        (good, {"Content-Type": "multipart/form-data"}),
        (b'[7,{"status":"idle"},"$K1"]', next_action),
        (rng.choice(broken), next_action),
        (b"[" + b'"' + b"y" * 70_000 + b'"]', next_action),
        (os.urandom(rng.randrange(1, 4096)), {"Content-Type": "application/octet-stream"}),
        (b"z" * (2 * 1024 * 1024), multipart_type),
    ]


def send(renderer: Renderer, method: str, path: str, body: bytes | None,
         headers: dict[str, str]) -> tuple[int, float, dict[str, str]]:
    headers = {"Host": f"{HOST}:{renderer.port}", **headers}
    started = time.monotonic()
    try:
        status, answer_headers, _ = fetch(f"{renderer.url}{path}", method=method, body=body,
                                          headers=headers)
    except (ConnectionResetError, BrokenPipeError):
        # Closed while the body was still being sent: the server refused it (413) early.
        return 0, time.monotonic() - started, {}
    except OSError:
        return -1, time.monotonic() - started, {}
    return status, time.monotonic() - started, answer_headers


def truncated(renderer: Renderer, action: str) -> float:
    """A POST announcing more body than it sends, then silence: the server must neither
    hang on it for others nor leak it; the connection is closed after a second."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", renderer.port), timeout=5) as conn:
        conn.sendall((f"POST /contact/message/ HTTP/1.1\r\nHost: {HOST}:{renderer.port}\r\n"
                      f"Next-Action: {action}\r\nContent-Type: text/plain\r\n"
                      "Content-Length: 5000\r\n\r\n[7,").encode())
        time.sleep(1)  # the client stalls mid-body: what a slow or broken client does
    return time.monotonic() - started


def test_fuzzing_every_route_gives_no_5xx_no_slow_answer_and_bounded_memory(renderer):
    rng = random.Random(SEED)
    action = action_id(renderer)
    before = renderer.rss()
    cases = []
    for n in range(REQUESTS):
        route = rng.choice(ROUTES).replace("{n}", str(n))
        body, headers = rng.choice(bodies(rng, action))
        cases.append((rng.choice(METHODS), route, body, headers))

    peak = before
    stop = threading.Event()

    def watch_memory() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, renderer.rss())
            time.sleep(0.2)

    watcher = threading.Thread(target=watch_memory, daemon=True)
    watcher.start()
    started = time.monotonic()
    try:
        with ThreadPoolExecutor(max_workers=6) as pool:
            slow_clients = [pool.submit(truncated, renderer, action) for _ in range(4)]
            results = list(pool.map(lambda case: (case, send(renderer, *case)), cases))
            for client in slow_clients:
                client.result()
    finally:
        stop.set()
        watcher.join()
    took = time.monotonic() - started

    statuses = Counter(status for _, (status, _, _) in results)
    slowest = max(results, key=lambda item: item[1][1])
    errors = [(case[0], case[1][:60], case[3], status) for case, (status, _, headers) in results
              if (status >= 500 and not (status == 503 and "retry-after" in headers))
              or status < 0]
    print(f"\nfuzz seed {SEED}: {len(results)} requests in {took:.1f}s, statuses {dict(statuses)}, "
          f"slowest {slowest[1][1]:.2f}s ({slowest[0][0]} {slowest[0][1][:40]}), "
          f"RSS {before / 2**20:.0f} MiB before, {peak / 2**20:.0f} MiB at most")
    assert not errors, f"seed {SEED}: {len(errors)} server errors, e.g. {errors[:5]}"
    assert slowest[1][1] < SLOWEST_ALLOWED, \
        f"seed {SEED}: {slowest[0][:2]} took {slowest[1][1]:.1f}s"
    assert peak < RSS_BOUND
    # The renderer still answers a page at once.
    assert send(renderer, "GET", "/about/", None, {})[0] == 200


def cache_bytes(renderer: Renderer) -> tuple[int, int]:
    """(keys, bytes) the renderer holds in Redis under its prefix (MEMORY USAGE each)."""
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    keys = list(client.scan_iter(match=f"{renderer.prefix}*", count=1000))
    return len(keys), sum(client.memory_usage(key) or 0 for key in keys)


def test_random_paths_and_host_ports_do_not_grow_the_cache(renderer):
    rng = random.Random(SEED + 1)
    for path in ("/", "/about/", "/articles/"):  # what visitors of the site ask for
        assert send(renderer, "GET", path, None, {})[0] == 200
    keys_before, bytes_before = cache_bytes(renderer)

    def ask(n: int) -> int:
        if n < 2000:
            path = f"/{rng.randrange(10**9):x}/{uuid.uuid4().hex[:rng.randrange(1, 30)]}/"
            return send(renderer, "GET", path, None, {})[0]
        port = rng.randrange(1, 65536)
        return send(renderer, "GET", "/about/", None, {"Host": f"{HOST}:{port}"})[0]

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = Counter(pool.map(ask, range(2500)))
    keys_after, bytes_after = cache_bytes(renderer)
    grown = bytes_after - bytes_before
    print(f"\ncache growth: {statuses}; {keys_before} keys / {bytes_before} B before, "
          f"{keys_after} keys / {bytes_after} B after: {grown} B for 2,500 requests")
    assert statuses[404] >= 1900 and statuses[500] == 0
    # Ports other than the renderer's and the public one are refused before rendering; a
    # random port can match one of them.
    assert statuses[421] >= 490
    assert keys_after - keys_before <= 2
    assert grown < 64 * 1024


def test_sigterm_stops_the_renderer_within_ten_seconds(renderer):
    """Last: after everything above, the renderer still stops when asked."""
    assert send(renderer, "GET", "/about/", None, {})[0] == 200
    started = time.monotonic()
    os.killpg(renderer.process.pid, signal.SIGTERM)
    renderer.process.wait(timeout=30)
    stopped = time.monotonic() - started
    print(f"\nSIGTERM: stopped in {stopped:.2f}s")
    assert stopped <= 10
    assert renderer.pids() == []
