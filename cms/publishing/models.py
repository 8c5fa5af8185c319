"""The revalidation outbox (one row per change), and what the renderer's cache entries show."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RevalidationRequest(models.Model):
    """Written in the transaction that changed the content, delivered after it commits.

    `tags` holds the dependency names the change touched (`cms.publishing.dependencies`). A
    row stays undelivered (and visible in the admin with its outcome) until the document
    cache has dropped them and each renderer holding entries that show them has been told
    (a `Delivery` per renderer), and the HTTP caches purged; delivering one twice is
    harmless.
    """

    tags = models.JSONField(default=list)
    paths = models.JSONField(default=list)
    # How many renderer entries (their tags) showed the names when the document cache had
    # dropped them; None until then. 0: nothing cached showed the change.
    sent_tags = models.PositiveIntegerField(null=True, blank=True)
    reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("revalidation request")
        verbose_name_plural = _("revalidation requests")

    def __str__(self) -> str:
        return f"{self.reason or 'revalidate'}: {', '.join(self.tags[:5])}"

    @property
    def status(self) -> str:
        """"delivered" (an entry was told), "nothing cached showed this", "failing" (an
        error is waiting to be retried) or "pending"."""
        if self.delivered_at:
            return "delivered" if self.sent_tags else NOTHING_CACHED
        failing = self.last_error or any(delivery.last_error
                                         for delivery in self.deliveries.all())
        return "failing" if failing else "pending"

    @property
    def outcome(self) -> str:
        """What came of it, for editors: "told 3 entries on http://localhost:3000", "nothing
        cached showed this", or what is failing where."""
        if self.sent_tags is None:
            return self.last_error or "waiting for the worker"
        if not self.sent_tags:
            return NOTHING_CACHED
        deliveries = list(self.deliveries.all())
        if not deliveries:  # delivered before deliveries were kept per renderer
            return f"told {self.sent_tags} entries"
        return "; ".join(delivery.outcome for delivery in deliveries)


NOTHING_CACHED = "nothing cached showed this"


class DeliveryTarget(models.Model):
    """A renderer (its base URL) or an HTTP cache (its purge URL) that is told of changes,
    and how that last went.

    A target that fails is retried on its own schedule (`retry_at`, cms.publishing.tasks),
    sooner while it has been down briefly; every other target is told at once.
    """

    RENDERER = "renderer"
    HTTP_CACHE = "http_cache"
    KINDS = [(RENDERER, _("renderer")), (HTTP_CACHE, _("HTTP cache"))]

    kind = models.CharField(max_length=16, choices=KINDS)
    url = models.CharField(max_length=255)
    # The last time it took what it was sent, and how many entries (tags) that named.
    answered_at = models.DateTimeField(null=True, blank=True)
    told = models.PositiveIntegerField(default=0)
    # Since when it fails (None: it does not), and why, in one line.
    failing_since = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # When the task that retries it is due; None: no retry is scheduled.
    retry_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "url"],
                                               name="mortar_delivery_target_unique")]
        verbose_name = _("delivery target")
        verbose_name_plural = _("delivery targets")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.url}"


class Delivery(models.Model):
    """An outbox row's tags for one renderer: told to it, then purged from every HTTP cache
    in front of the renderers (only after: each refills from the renderer)."""

    request = models.ForeignKey(RevalidationRequest, on_delete=models.CASCADE,
                                related_name="deliveries")
    renderer = models.ForeignKey(DeliveryTarget, on_delete=models.CASCADE, related_name="+")
    # The tags of the renderer's entries to drop, by Site id: {"3": ["localhost|navigation"]}.
    tags = models.JSONField(default=dict)
    told_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "renderer"],
                                               name="mortar_delivery_unique")]
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")

    def __str__(self) -> str:
        return self.outcome

    @property
    def entries(self) -> int:
        return sum(len(tags) for tags in self.tags.values())

    @property
    def outcome(self) -> str:
        entries = f"{self.entries} entr{'y' if self.entries == 1 else 'ies'}"
        told = f"told {entries} on {self.renderer.url}"
        if self.told_at and self.purged_at:
            return told
        if self.told_at:
            return f"{told}; HTTP cache purge waiting: {self.last_error or 'pending'}"
        waiting = self.last_error or "pending"
        return f"{self.renderer.url}: {entries} waiting: {waiting}"


class RendererDependency(models.Model):
    """A renderer cache entry of a Site, by its tag (`docs.example.com|path:/about/`,
    `docs.example.com|navigation`; unqualified `path:/about/` for a client that sent no
    `site`), shows a name.

    Written as the CMS answers the renderer, with the dependency names of the answer
    (`cms.publishing.dependencies`) and the Site it answered for; read when a change is
    delivered, so each Site's renderer is sent the tags of exactly its entries that show
    the change's names.
    """

    site = models.ForeignKey("wagtailcore.Site", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=255)
    tag = models.CharField(max_length=256)
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "name", "tag"],
                                               name="mortar_renderer_dependency_unique")]
        verbose_name = _("renderer dependency")
        verbose_name_plural = _("renderer dependencies")

    def __str__(self) -> str:
        return f"{self.tag} shows {self.name}"
