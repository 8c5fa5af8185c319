"""Every Prometheus metric the CMS and its worker record, defined once (prometheus_client).

Under gunicorn and Celery's prefork pool each process writes its values to files in
PROMETHEUS_MULTIPROC_DIR and the process serving /metrics adds them up
(`cms.monitoring.exposition`). Durations are in seconds, timestamps in Unix seconds.
What is read at scrape time instead (the outbox, queue lengths, Redis memory) is in
`cms.monitoring.collectors`. Labels take values from short fixed lists (view names,
task names, configured destinations), never from a request's path or parameters.
"""

from prometheus_client import Counter, Gauge, Histogram

# Requests take 1 ms (a cached document) to seconds (an admin page with uploads).
REQUEST_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
# A statement of the hot path takes well under a millisecond.
QUERY_BUCKETS = (0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5)
# Publishing happens within seconds; a renderer that was down makes it minutes.
PUBLISH_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600)
TASK_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300)

http_requests = Counter(
    "mortar_http_requests", "Requests the CMS answered, by view (URL name), method and status.",
    ["view", "method", "status"])
http_request_duration = Histogram(
    "mortar_http_request_duration_seconds", "Time the CMS took to answer, by view and method.",
    ["view", "method"], buckets=REQUEST_BUCKETS)
document_cache = Counter(
    "mortar_document_cache_requests",
    "By-path documents answered from the document cache (hit) or built (miss).", ["result"])
db_query_duration = Histogram(
    "mortar_db_query_duration_seconds", "Time each SQL statement took, by database alias.",
    ["alias"], buckets=QUERY_BUCKETS)
redis_errors = Counter(
    "mortar_redis_errors",
    "Redis errors the CMS carried on through (a cache read missed, a write was skipped).",
    ["component"])

celery_task_duration = Histogram(
    "mortar_celery_task_duration_seconds", "Time a task ran, by task name and final state.",
    ["task", "state"], buckets=TASK_BUCKETS)
celery_task_failures = Counter(
    "mortar_celery_task_failures", "Tasks that raised (a retry follows or they gave up).",
    ["task"])
beat_last_tick = Gauge(
    "mortar_beat_last_tick_timestamp_seconds",
    "When a worker last started the schedule sweep that beat sends every "
    "MORTAR_SCHEDULE_SWEEP_SECONDS: it stops moving when beat (or every worker) stops.",
    multiprocess_mode="max")

publish_to_renderer_told = Histogram(
    "mortar_publish_to_renderer_told_seconds",
    "From a change's commit (its outbox row) to every cache having been told.",
    buckets=PUBLISH_BUCKETS)
scheduled_publish_lateness = Histogram(
    "mortar_scheduled_publish_lateness_seconds",
    "How long after its go-live time a scheduled revision was published.",
    buckets=PUBLISH_BUCKETS)
delivery_duration = Histogram(
    "mortar_delivery_duration_seconds",
    "Time a renderer (revalidate) or HTTP cache (purge) took to answer a delivery, by "
    "target kind, destination (its origin) and outcome (2xx, 4xx, 5xx or error).",
    ["target", "destination", "outcome"], buckets=REQUEST_BUCKETS)
