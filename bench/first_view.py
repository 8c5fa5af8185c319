"""The first view of a page after its publish, through the front (`make bench` runs it).

The heavy article is held by every cache, as on a visited site: the HTTP cache in front
(infra/varnish, tests.httpcache), the renderer's cache and the CMS's document cache.
Each of PUBLISHES times, an editor's publish (a new revision, published, as the admin
does) starts the freshness chain: the outbox row, then the worker drops the CMS's
document, tells the renderer (`POST /api/revalidate`) and purges the HTTP cache. Once
the outbox says all that is done (its rows delivered: polled, not slept), one GET of the
page through the front is timed, as a browser asks (gzip): a miss of the HTTP cache, a
miss of the renderer's cache, and the CMS's document built cold. It must show the new
title and be the front's miss, or the bench stops.

Figures: `first_view_after_publish_p95_ms` (and `_p50_ms`), over the PUBLISHES views.
"""

import gzip
import time
from urllib.request import Request, urlopen

from cms.publishing.models import RevalidationRequest
from cms.testing.processes import wait_until
from cms.testing.stats import percentile
from sites.example.models import ArticlePage

GZIP = {"Accept-Encoding": "gzip"}


def _get(url: str) -> tuple[str, bytes]:
    """The front's X-Cache ("HIT" or "MISS") and the (gzipped) body."""
    with urlopen(Request(url, headers=GZIP), timeout=30) as response:
        return response.headers.get("X-Cache", ""), response.read()


def _shows(body: bytes, title: str) -> bool:
    try:
        body = gzip.decompress(body)
    except OSError:  # sent as it is
        pass
    return title.encode() in body


def _delivered(after_pk: int) -> bool:
    """Every outbox row written since `after_pk` is delivered (and there is one)."""
    done = list(RevalidationRequest.objects.filter(pk__gt=after_pk)
                .values_list("delivered_at", flat=True))
    return bool(done) and all(done)


def run(page_url: str, page: ArticlePage, publishes: int) -> dict[str, float]:
    """`page_url`: the page through the front."""
    url, timings = page_url, []
    for n in range(publishes):
        # Held by every cache before the publish: the front answers it from its own.
        wait_until(lambda: _get(url)[0] == "HIT", 30, interval=0.1,
                   message=f"the front holding {url}")
        after_pk = RevalidationRequest.objects.order_by("-pk").values_list(
            "pk", flat=True).first() or 0
        title = f"The heavy article, edition {n} {time.time_ns()}"
        page.title = title
        page.save_revision().publish()
        wait_until(lambda after_pk=after_pk: _delivered(after_pk), 30, interval=0.02,
                   message=f"publish {n} delivered (outbox rows after {after_pk})")
        started = time.perf_counter()
        cached, body = _get(url)
        timings.append((time.perf_counter() - started) * 1000)
        if cached != "MISS" or not _shows(body, title):
            raise SystemExit(f"bench.first_view: the first view after publish {n} was "
                             f"X-Cache {cached!r}, showing the new title: "
                             f"{_shows(body, title)}")
        page.refresh_from_db()
    return {"first_view_after_publish_p50_ms": round(percentile(timings, 0.5), 1),
            "first_view_after_publish_p95_ms": round(percentile(timings, 0.95), 1)}
