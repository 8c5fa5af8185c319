"""A test-only app of the monitoring stack's CMS (tests/monitoring/settings.py): a view and a
task that fail, and a request that queues a task, for the error-report and trace tests."""
