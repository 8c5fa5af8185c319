"""Delivering outbox rows: the CMS's document cache, then each renderer, then HTTP caches.

Order matters: each cache refills from the one behind it, so a cache told before the
one behind it would fetch the old copy again and keep it for an hour.
- the CMS's document cache drops the documents that show the row's names; while Redis
  refuses, nothing further happens (CacheUnavailable: the task retries every second);
- the row is planned: a `Delivery` for each renderer URL (`cms.core.renderers`) whose
  Sites have entries that show the names, with those entries' tags
  (`renderer_tags.tags_by_site`). No entry: nothing cached showed the change, and the row
  is done;
- every renderer is told at once, in parallel (`POST <url>/api/revalidate`, one request
  per renderer URL: Sites sharing a renderer share it). One that fails holds back no
  other: it is a failing `DeliveryTarget`, retried on its own schedule with everything it
  missed merged into one request (`catch_up`, cms.publishing.tasks);
- once a renderer is told, its tags are purged from every HTTP cache in front of the
  renderers: Varnish by `xkey` (HTTP_CACHE_PURGE_URLS, infra/varnish), a CDN by URL
  through Wagtail's frontend_cache backends (WAGTAILFRONTENDCACHE). An HTTP cache that
  fails is retried the same way.
One renderer instance told is enough: in production the renderers share one cache in
Redis (web/cache-handler.mjs), and the URL is a balancer or the HTTP cache in front of them.
"""

import logging
import re
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit, urlunsplit

import redis
import requests
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from wagtail.models import Site

from cms.core.renderers import renderer_urls
from cms.monitoring.delivery import observed
from cms.publishing import cache, renderer_tags
from cms.publishing.models import Delivery, DeliveryTarget, RevalidationRequest
from cms.publishing.renderer_tags import MAX_ITEMS

logger = logging.getLogger(__name__)

# Seconds to connect to a renderer or HTTP cache: one that is down is noticed at once.
CONNECT_TIMEOUT = 2.0


class CacheUnavailable(Exception):
    """Redis did not take the document cache's drop: the renderer must wait for it."""


@dataclass
class Outcome:
    """What one attempt did: the deliveries told to their renderer, and the targets
    that failed."""

    told: list[int] = field(default_factory=list)
    failing: list[int] = field(default_factory=list)


# --- HTTP -----------------------------------------------------------------------------


def _http(method: str, url: str, headers: dict[str, str], timeout: tuple[float, float],
          **kwargs: object) -> requests.Response:
    """`requests.request`, with every `*.localhost` host reached on loopback (RFC 6761):
    browsers and curl do so, Python's resolver on Debian does not (`make dev`'s second
    site is docs.localhost)."""
    parts = urlsplit(url)
    if parts.hostname and parts.hostname.endswith(".localhost"):
        headers = {**headers, "Host": parts.netloc}
        port = f":{parts.port}" if parts.port else ""
        url = urlunsplit(parts._replace(netloc=f"127.0.0.1{port}"))
    return requests.request(method, url, headers=headers, timeout=timeout,  # type: ignore[arg-type]
                            **kwargs)


def _secret_header() -> dict[str, str]:
    return {"Authorization": f"Bearer {settings.REVALIDATE_SECRET}"}


def _unreachable(exc: requests.RequestException) -> str:
    """Why a request got no answer, in a few words: "cannot be reached: Connection refused"."""
    if isinstance(exc, requests.Timeout):
        return "did not answer in time"
    reason = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", str(exc))
    return f"cannot be reached: {reason.group(1).strip() if reason else type(exc).__name__}"


def _refused(response: requests.Response) -> str:
    if response.status_code == 401:
        return ("refuses this CMS's REVALIDATE_SECRET (401): give the CMS and the renderer "
                "the same one")
    return f"answered HTTP {response.status_code}: {response.text[:200]}"


def probe(url: str, timeout: float = CONNECT_TIMEOUT) -> str | None:
    """Whether the renderer at `url` (its base URL) would take a revalidation from this CMS:
    None if it would, else why not, in one line ("refuses this CMS's REVALIDATE_SECRET
    (401)...", "cannot be reached: Connection refused"). One `GET <url>/api/revalidate`
    with the secret, given up on after `timeout` seconds."""
    try:
        response = _http("GET", f"{url}/api/revalidate", _secret_header(), (timeout, timeout))
    except requests.RequestException as exc:
        return _unreachable(exc)
    return None if response.status_code == 200 else _refused(response)


def probe_all(urls: Iterable[str], timeout: float = CONNECT_TIMEOUT) -> dict[str, str | None]:
    """`probe` of each URL, all at once: {url: None or why not}."""
    ordered = sorted(set(urls))
    return dict(zip(ordered, _in_parallel([lambda url=url: probe(url, timeout)
                                           for url in ordered]), strict=True))


def _post_tags(url: str, tags: list[str]) -> str | None:
    """Tell the renderer at `url` to drop the entries with these tags; None, or the error."""
    for start in range(0, len(tags), MAX_ITEMS):
        try:
            with observed("renderer", url) as attempt:
                response = _http("POST", f"{url}/api/revalidate", _secret_header(),
                                 (CONNECT_TIMEOUT, settings.REVALIDATE_TIMEOUT),
                                 json={"tags": tags[start:start + MAX_ITEMS], "paths": []})
                attempt.status = response.status_code
        except requests.RequestException as exc:
            return _unreachable(exc)
        if response.status_code != 200:
            return _refused(response)
    return None


# Varnish refuses request headers longer than 8 KB by default (http_req_hdr_len).
MAX_PURGE_HEADER = 6000


def _header_batches(tags: list[str]) -> list[str]:
    """Space-separated tags, each percent-encoded as the renderer's `xkey` header has it
    (encodeURIComponent): header values are ASCII, paths need not be."""
    batches, current = [], ""
    for tag in (quote(tag, safe="-_.!~*'()") for tag in tags):
        if current and len(current) + 1 + len(tag) > MAX_PURGE_HEADER:
            batches.append(current)
            current = ""
        current = f"{current} {tag}".strip()
    return [*batches, current] if current else batches


def _purge_tags(url: str, tags: list[str]) -> str | None:
    """Purge these tags from the HTTP cache at `url` (Varnish's xkey); None, or the error."""
    for header in _header_batches(tags):
        try:
            with observed("http_cache", url) as attempt:
                response = _http("PURGE", url, {"X-Purge-Secret": settings.REVALIDATE_SECRET,
                                                "xkey-purge": header},
                                 (CONNECT_TIMEOUT, settings.REVALIDATE_TIMEOUT))
                attempt.status = response.status_code
        except requests.RequestException as exc:
            return _unreachable(exc)
        if response.status_code != 200:
            return f"PURGE answered HTTP {response.status_code}: {response.text[:200]}"
    return None


def _in_parallel(calls: list[Callable[[], str | None]]) -> list[str | None]:
    """Each call's answer, in order; all at once, so a slow target holds back none other."""
    if len(calls) <= 1:
        return [call() for call in calls]
    with ThreadPoolExecutor(max_workers=min(8, len(calls))) as pool:
        return list(pool.map(lambda call: call(), calls))


# --- Targets --------------------------------------------------------------------------


def _answered(target: DeliveryTarget, told: int) -> None:
    if target.failing_since is not None:
        logger.info("%s takes changes again after failing since %s", target,
                    target.failing_since)
    DeliveryTarget.objects.filter(pk=target.pk).update(
        answered_at=timezone.now(), told=told, failing_since=None, last_error="")


def _failed(target: DeliveryTarget, error: str) -> None:
    if target.failing_since is None:
        logger.warning("%s cannot be told of changes: %s", target, error)
    DeliveryTarget.objects.filter(pk=target.pk, failing_since__isnull=True).update(
        failing_since=timezone.now())
    DeliveryTarget.objects.filter(pk=target.pk).update(last_error=error[:2000])


def held_back(target: DeliveryTarget) -> bool:
    """A failing target whose retry is scheduled: what it missed waits for that retry."""
    return (target.failing_since is not None and target.retry_at is not None
            and target.retry_at > timezone.now())


def _all_tags(deliveries: Iterable[Delivery]) -> list[str]:
    return sorted({tag for delivery in deliveries for tags in delivery.tags.values()
                   for tag in tags})


def tell(targets: list[DeliveryTarget]) -> Outcome:
    """Tell each renderer everything it has not been told yet, all at once."""
    work = []
    for target in targets:
        deliveries = list(Delivery.objects.filter(renderer=target, told_at__isnull=True))
        if deliveries:
            work.append((target, deliveries, _all_tags(deliveries)))
    errors = _in_parallel([lambda url=target.url, tags=tags: _post_tags(url, tags)
                           for target, _deliveries, tags in work])
    outcome = Outcome()
    for (target, deliveries, tags), error in zip(work, errors, strict=True):
        told = Delivery.objects.filter(pk__in=[delivery.pk for delivery in deliveries])
        if error is None:
            told.update(told_at=timezone.now(), last_error="", attempts=F("attempts") + 1)
            _answered(target, len(tags))
            outcome.told += [delivery.pk for delivery in deliveries]
        else:
            told.update(last_error=error[:2000], attempts=F("attempts") + 1)
            _failed(target, error)
            outcome.failing.append(target.pk)
    return outcome


def purge(told: list[int] | None = None) -> Outcome:
    """Purge what told renderers dropped from every HTTP cache in front of them: these
    deliveries (just told), or every one told and not yet purged (None: an HTTP cache's
    retry)."""
    pending = list(Delivery.objects.filter(told_at__isnull=False, purged_at__isnull=True,
                                           **({} if told is None else {"pk__in": told})))
    outcome = Outcome()
    if not pending:
        return outcome
    tags = _all_tags(pending)
    targets = [DeliveryTarget.objects.get_or_create(kind=DeliveryTarget.HTTP_CACHE, url=url)[0]
               for url in settings.HTTP_CACHE_PURGE_URLS]
    errors = _in_parallel([lambda url=target.url: _purge_tags(url, tags) for target in targets])
    failures = []
    for target, error in zip(targets, errors, strict=True):
        if error is None:
            _answered(target, len(tags))
        else:
            _failed(target, error)
            failures.append(f"{target.url}: {error}")
            outcome.failing.append(target.pk)
    done = Delivery.objects.filter(pk__in=[delivery.pk for delivery in pending])
    if failures:
        done.update(last_error="; ".join(failures)[:2000])
        return outcome
    _purge_cdn(pending)
    done.update(purged_at=timezone.now(), last_error="")
    return outcome


def _purge_cdn(deliveries: list[Delivery]) -> None:
    """A CDN through Wagtail's frontend_cache backends, by URL; its backends log their own
    failures (a CDN's purge API is the outside world's)."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    by_site: dict[int, set[str]] = {}
    for delivery in deliveries:
        for site_id, tags in delivery.tags.items():
            by_site.setdefault(int(site_id), set()).update(tags)
    urls: list[str] = []
    for site in Site.objects.filter(pk__in=by_site):
        urls.extend(cdn_urls(sorted(by_site[site.pk]), site))
    purge_urls_from_cache(urls)


def cdn_urls(tags: list[str], site: Site) -> list[str]:
    """The public URLs a CDN keeps for these renderer tags of `site`, on its root URL.

    A CDN purges by URL: `path:/x/` is /x/ (and the pages of its listing, which are
    their own entries), the menu is on every page the renderer has cached for the Site."""
    bare = {renderer_tags.bare(tag) for tag in tags}
    if renderer_tags.NAVIGATION in bare:
        bare |= {renderer_tags.bare(tag) for tag in renderer_tags.path_tags(site.pk)}
    paths = {tag.removeprefix(renderer_tags.PATH_PREFIX) for tag in bare
             if tag.startswith(renderer_tags.PATH_PREFIX)}
    if renderer_tags.SITEMAP in bare:
        paths.add("/sitemap.xml")
    return sorted(f"{site.root_url}{path}" for path in paths)


# --- Rows -----------------------------------------------------------------------------


def _by_url(by_site: dict[int, list[str]]) -> dict[str, dict[str, list[str]]]:
    """Tags by Site id, grouped by the renderer URL each Site has: {url: {"3": [...]}}."""
    by_url: dict[str, dict[str, list[str]]] = {}
    for site_id, url in renderer_urls(by_site).items():
        by_url.setdefault(url, {})[str(site_id)] = by_site[site_id]
    return by_url


def _plan(row_id: int) -> None:
    """A Delivery per renderer holding entries that show the row's names, once."""
    with transaction.atomic():
        row = RevalidationRequest.objects.select_for_update().get(pk=row_id)
        if row.sent_tags is not None:
            return
        by_site = renderer_tags.tags_by_site(row.tags)
        for url, tags in _by_url(by_site).items():
            target, _ = DeliveryTarget.objects.get_or_create(kind=DeliveryTarget.RENDERER,
                                                             url=url)
            Delivery.objects.create(request=row, renderer=target, tags=tags)
        RevalidationRequest.objects.filter(pk=row_id).update(
            sent_tags=sum(len(tags) for tags in by_site.values()), last_error="")


def finish() -> int:
    """Mark delivered every planned row whose renderers are all told and purged."""
    unfinished = Delivery.objects.filter(request=OuterRef("pk")).filter(
        Q(told_at__isnull=True) | Q(purged_at__isnull=True))
    return (RevalidationRequest.objects.filter(delivered_at__isnull=True, sent_tags__isnull=False)
            .exclude(Exists(unfinished)).update(delivered_at=timezone.now(), last_error=""))


def deliver(row_id: int) -> Outcome:
    """Act on one outbox row: drop the document cache's copies, then tell each renderer
    that holds entries showing it (those failing and waiting for their retry excepted),
    then purge the HTTP caches. Returns whether a renderer was told and which targets
    failed (to be retried, cms.publishing.tasks). Raises CacheUnavailable while Redis
    does not take the drop. Delivering a row twice is harmless."""
    row = RevalidationRequest.objects.filter(pk=row_id).first()
    if row is None or row.delivered_at is not None:
        return Outcome()
    attempted = RevalidationRequest.objects.filter(pk=row_id)
    try:
        cache.bump(row.tags)
    except redis.RedisError as exc:
        attempted.update(attempts=F("attempts") + 1, last_attempt_at=timezone.now(),
                         last_error=f"document cache: {type(exc).__name__}: {exc}"[:2000])
        raise CacheUnavailable(str(exc)) from exc
    attempted.update(attempts=F("attempts") + 1, last_attempt_at=timezone.now())
    _plan(row_id)
    waiting = Delivery.objects.filter(request_id=row_id, told_at__isnull=True)
    targets = [target for target in DeliveryTarget.objects.filter(
        pk__in=waiting.values("renderer_id")) if not held_back(target)]
    outcome = tell(targets)
    outcome.failing += purge(outcome.told).failing
    finish()
    return outcome


def catch_up(target_id: int) -> Outcome:
    """Retry one failing target with everything it missed: a renderer is told, then the
    HTTP caches purged; an HTTP cache purges what every told renderer dropped. A renderer
    that missed nothing is probed, so that it is known to be back."""
    target = DeliveryTarget.objects.filter(pk=target_id).first()
    if target is None:
        return Outcome()
    outcome = Outcome()
    if target.kind == DeliveryTarget.RENDERER:
        if Delivery.objects.filter(renderer=target, told_at__isnull=True).exists():
            outcome = tell([target])
        elif (error := probe(target.url)) is None:
            _answered(target, target.told)
        else:
            _failed(target, error)
            outcome.failing.append(target.pk)
        outcome.failing += purge(outcome.told).failing
    else:
        outcome.failing += purge().failing
    finish()
    return outcome


def send_again(row_id: int) -> int:
    """Send a delivered row's tags once more to each renderer that is not failing, and purge
    them again; returns how many tags. Best effort: errors are left to the next change.

    A page whose render began before the first delivery (its menu fetched before the
    change) is answered after it: an HTTP cache in front stores that answer, and a renderer
    keeping Next.js's own cache (`make dev`) stores the render, dated by when it was stored,
    not by when its data was read; either would keep the old menu for an hour. A second
    delivery, once such a render has finished, drops it too. (The renderers' shared cache
    in Redis keeps no such render: web/cache-handler.mjs, `storedOnlyIfFresh`.)"""
    row = RevalidationRequest.objects.filter(pk=row_id).first()
    if row is None:
        return 0
    by_url = _by_url(renderer_tags.tags_by_site(row.tags))
    failing = set(DeliveryTarget.objects.filter(kind=DeliveryTarget.RENDERER, url__in=by_url,
                                                failing_since__isnull=False)
                  .values_list("url", flat=True))
    return _send_and_purge({url: sorted({tag for tags in by_site.values() for tag in tags})
                            for url, by_site in by_url.items() if url not in failing})


def send_told_again(delivery_ids: list[int]) -> int:
    """`send_again` for deliveries a catch-up told (`catch_up`'s `Outcome.told`): their tags
    once more to their renderers that are not failing, then purged again; returns how many
    tags. A renderer back from an outage is asked for pages at once, and those renders,
    begun before it was told, would otherwise keep what it missed."""
    sends: dict[str, set[str]] = {}
    for delivery in Delivery.objects.filter(pk__in=delivery_ids,
                                            renderer__failing_since__isnull=True
                                            ).select_related("renderer"):
        sends.setdefault(delivery.renderer.url, set()).update(
            tag for tags in delivery.tags.values() for tag in tags)
    return _send_and_purge({url: sorted(tags) for url, tags in sends.items()})


def _send_and_purge(sends: dict[str, list[str]]) -> int:
    """Tags to each renderer URL, then every tag purged from the HTTP caches; best effort.
    Returns how many tags."""
    _in_parallel([lambda url=url, tags=tags: _post_tags(url, tags)
                  for url, tags in sends.items()])
    told = sorted({tag for tags in sends.values() for tag in tags})
    if told:
        _in_parallel([lambda url=url: _purge_tags(url, told)
                      for url in settings.HTTP_CACHE_PURGE_URLS])
    return len(told)
