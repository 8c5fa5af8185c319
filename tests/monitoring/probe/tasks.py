import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(bind=True)
def fail(self, password: str) -> None:
    """Fails, holding a secret in its arguments (they must not reach Sentry); each time
    with its own message, which Sentry's deduplication would otherwise drop."""
    raise RuntimeError(f"the probe task {self.request.id} failed on purpose")


@shared_task
def note(what: str) -> str:
    logger.info("probe task ran for %s", what)
    return what
