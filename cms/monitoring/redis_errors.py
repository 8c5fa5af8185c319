"""`mortar_redis_errors_total`: Redis failures the CMS carries on through.

The document cache (cms.publishing.cache) and django-redis (IGNORE_EXCEPTIONS) turn a Redis
error into a miss and log it; counting those log records counts the errors without
wrapping either client.
"""

import logging

from cms.monitoring import metrics

# The logger of each component whose warnings are Redis errors.
LOGGERS = {"cms.publishing.cache": "document_cache", "django_redis.cache": "django_cache"}


class RedisErrorCounter(logging.Handler):
    def __init__(self, component: str) -> None:
        super().__init__(level=logging.WARNING)
        self.counter = metrics.redis_errors.labels(component)

    def emit(self, record: logging.LogRecord) -> None:
        self.counter.inc()


def connect() -> None:
    for name, component in LOGGERS.items():
        log = logging.getLogger(name)
        if not any(isinstance(handler, RedisErrorCounter) for handler in log.handlers):
            log.addHandler(RedisErrorCounter(component))
