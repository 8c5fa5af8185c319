"""What the test suites share, in one place, imported by tests only.

- `cms.testing.ports`: a free TCP port.
- `cms.testing.processes`: the test database's URL, waiting for a condition, and the
  servers tests start for real (gunicorn, Celery workers) with their environment.
- `cms.testing.content`: pages (a home page and site, `add` like the admin does) and
  images and documents uploaded like an editor does.
- `cms.testing.factories`: wagtail-factories for the test-only page types.
- `cms.testing.stats`: `percentile` (nearest rank), for tests and bench/ alike.
- `cms.testing.s3`: a real S3 endpoint (moto's server) and the settings pointed at it.
- `cms.testing.fixtures`: the pytest fixtures built on these, registered for every
  suite by the root conftest.py.
- `cms.testing.pages`: the test-only page types (installed by `cms.testing.settings`).
"""
