"""MORTAR_SITES: which websites (apps under sites/) the CMS installs; the platform runs
with none."""

import os
import subprocess
import sys

from cms.testing.processes import REPO

# The installed site names, from INSTALLED_APPS ("<SITES_PACKAGE>.<name>").
SHOW_APPS = ("import django; django.setup(); from django.conf import settings; "
             "prefix = settings.SITES_PACKAGE + '.'; "
             "print(','.join(a.removeprefix(prefix) for a in settings.INSTALLED_APPS "
             "if a.startswith(prefix)))")


def run(code: str, sites: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "MORTAR_SITES"}
    if sites is not None:
        env["MORTAR_SITES"] = sites
    return subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True,
                          text=True, timeout=120,
                          env={**env, "DJANGO_SETTINGS_MODULE": "cms.settings"})


def test_every_site_folder_by_default_and_the_listed_ones_otherwise():
    found = sorted(path.parent.name for path in (REPO / "sites").glob("*/apps.py"))
    assert "example" in found
    assert run(SHOW_APPS, None).stdout.strip() == ",".join(found)
    assert run(SHOW_APPS, " example ").stdout.strip() == "example"
    assert run(SHOW_APPS, "").stdout.strip() == ""


def test_the_platform_passes_its_checks_with_no_site_installed():
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=REPO,
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "MORTAR_SITES": "",
                                 "DJANGO_SETTINGS_MODULE": "cms.settings"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "no issues" in result.stdout


def test_a_name_that_is_not_a_site_is_one_readable_error():
    result = run(SHOW_APPS, "example,my-site")
    assert result.returncode != 0
    assert ("MORTAR_SITES: 'my-site' is not a site name (a folder under sites/, "
            "comma-separated)") in result.stderr
