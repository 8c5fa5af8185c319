"""The revalidation outbox: one row per change the renderer must hear about."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RevalidationRequest(models.Model):
    """Written in the transaction that changed the content, delivered after it commits.

    A row stays undelivered (and visible in the admin with its last error) until the
    renderer answers 200; delivering one twice is harmless, revalidation is idempotent.
    """

    tags = models.JSONField(default=list)
    paths = models.JSONField(default=list)
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
