"""The revalidation outbox (one row per change), and what the renderer's cache entries show."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RevalidationRequest(models.Model):
    """Written in the transaction that changed the content, delivered after it commits.

    `tags` holds the dependency names the change touched (`cms.api.dependencies`). A
    row stays undelivered (and visible in the admin with its last error) until the
    document cache has dropped them and the renderer has answered 200 for the tags of
    its entries that show them; delivering one twice is harmless.
    """

    tags = models.JSONField(default=list)
    paths = models.JSONField(default=list)
    # How many renderer cache tags the delivery sent (0: no cached entry showed them).
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
        if self.delivered_at:
            return "delivered"
        return "failing" if self.last_error else "pending"


class RendererDependency(models.Model):
    """A renderer cache entry of a Site, by its tag (`docs.example.com|path:/about/`,
    `docs.example.com|navigation`; unqualified `path:/about/` for a client that sent no
    `site`), shows a name.

    Written as the CMS answers the renderer, with the dependency names of the answer
    (`cms.api.dependencies`) and the Site it answered for; read when a change is
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
