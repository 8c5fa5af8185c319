"""Fixtures shared by the unit and integration tests of every app: they live in
cms.testing.fixtures (the platform's test support), registered here for every suite; and
which tests need the machine to themselves."""

import pytest

pytest_plugins = ["cms.testing.fixtures"]


@pytest.fixture(autouse=True)
def _fresh_api_cache() -> None:
    """Tests roll their data back behind the signals' back: start from no cached document."""
    from cms.publishing import cache, dependencies

    cache.bump(dependencies.GLOBAL)


# Tests that check a timing the code promises (a lockout's 2 s cool-off, a health check's
# deadlines, a worker's answer while several start at once, every part of `make run` gone
# within seconds of a signal): beside the parallel stages on two cores they would measure
# the load, not the code. Marked `alone`, they run after the
# parallel stages, one at a time (`make test-alone`); test ids or whole files.
ALONE = (
    "cms/lockout/tests/test_lockout.py",
    "cms/health/tests/test_healthz.py::test_storage_down_is_503_naming_storage",
    "cms/health/tests/test_healthz.py::test_wrong_credentials_is_503_naming_storage",
    "cms/health/tests/test_healthz.py::test_one_run_answers_every_caller_within_the_window",
    "cms/publishing/tests/test_sweep.py::"
    "test_beat_and_worker_run_the_sweep_on_the_embedded_filesystem_broker",
    "cms/publishing/tests/test_scheduling.py::test_two_workers_and_duplicated_tasks_publish_once",
    # Live (or expired) within a second of the time set: both failed at a load of 12.
    "cms/publishing/tests/test_scheduling.py::test_scheduled_page_is_live_within_a_second_of_go_live",
    "cms/publishing/tests/test_scheduling.py::test_expiry_unpublishes_on_time",
    "cms/publishing/tests/test_scheduling.py::test_moved_schedule_publishes_the_new_revision_at_the_new_time",
    "tests/test_runstack.py",
    # Every page fresh within 5 s of Redis's return, through a TCP proxy in the test
    # process: beside the parallel stages it measured 8 s of load (and 2.5 s alone).
    "tests/e2e/test_publishing_outage.py",
    # Every page equal to an uncached render within 5 s of each of 40 changes: beside the
    # parallel stages (a load of 8 to 12) one look at its 27 pages took 5 s, half the
    # changes were first seen fresh after 2.7 s and one in ten after 4 s; twice in CI a page
    # was still stale at its last look.
    "tests/e2e/test_freshness_differential.py",
)


# Tests that start processes of their own (Celery workers, gunicorn, `manage.py` commands,
# a second process at the same database), seconds each: `make test` runs them, the quick
# loop (`make test-fast`) leaves them out. Marked `processes`; whole files.
PROCESSES = (
    "cms/api/tests/test_page_by_path_cache.py",
    "cms/core/tests/test_installed_sites.py",
    "cms/core/tests/test_sqlite.py",
    "cms/forms/tests/test_notification_email.py",
    "cms/health/tests/test_healthz.py",
    "cms/images/tests/test_renditions.py",
    "cms/media/tests/test_check_storage.py",
    "cms/media/tests/test_renditions_worker.py",
    "cms/media/tests/test_s3_outage.py",
    "cms/media/tests/test_static_files.py",
    "cms/publishing/tests/test_changes.py",
    "cms/publishing/tests/test_outages.py",
    "cms/publishing/tests/test_scheduling.py",
    "cms/publishing/tests/test_sites.py",
    "cms/publishing/tests/test_sweep.py",
    "cms/search/tests/test_indexing.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.nodeid.startswith(ALONE):
            item.add_marker(pytest.mark.alone)
        if item.nodeid.startswith(PROCESSES):
            item.add_marker(pytest.mark.processes)
