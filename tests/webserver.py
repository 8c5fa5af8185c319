"""The renderer under `next build && next start`, against the CMS of the test stack."""

import os
import subprocess
from collections.abc import Iterator

import pytest

from tests.conftest import REPO, REVALIDATE_SECRET, stop, wait_for


@pytest.fixture(scope="session")
def web_server(cms_server, ports, web_url) -> Iterator[str]:
    web = REPO / "web"
    env = {**os.environ, "CMS_API_URL": cms_server, "REVALIDATE_SECRET": REVALIDATE_SECRET,
           "NEXT_PUBLIC_SITE_URL": web_url, "NEXT_TELEMETRY_DISABLED": "1"}
    subprocess.run(["npm", "run", "build"], cwd=web, env=env, check=True)
    process = subprocess.Popen(["npx", "next", "start", "-p", str(ports["web"]), "-H",
                                "127.0.0.1"], cwd=web, env=env)
    try:
        wait_for(f"{web_url}/", process, timeout=90)
        yield web_url
    finally:
        stop(process)
