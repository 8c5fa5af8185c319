"""Varnish (infra/varnish) in front of the renderer, as production runs it, on loopback.

Started before the CMS, which is told to purge it (HTTP_CACHE_PURGE_URLS); its probe
marks the renderer healthy once `next start` answers.
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.request import Request, urlopen

import pytest

from cms.testing.ports import free_port
from cms.testing.processes import REPO, wait_until
from tests.conftest import REVALIDATE_SECRET

VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
VCL = REPO / "infra" / "varnish" / "mortar.vcl"
BACKENDS = REPO / "infra" / "varnish" / "backends.vcl"


def backends_vcl(renderers: list[tuple[str, int]]) -> str:
    """infra/varnish/backends.vcl with these renderers in place of the compose services."""
    text = BACKENDS.read_text()
    head, _, rest = text.partition("backend web1 {")
    body, _, _ = rest.partition("}\n")
    tail = rest[rest.index("sub vcl_init"):]
    declared = ""
    for n, (host, port) in enumerate(renderers, start=1):
        own = body.replace('"web-1"', f'"{host}"').replace('"3000"', f'"{port}"')
        declared += f"backend web{n} {{{own}}}\n\n"
    adds = "".join(f"    renderers.add_backend(web{n});\n" for n in range(1, len(renderers) + 1))
    tail = re.sub(r"(    renderers\.add_backend\(web\d+\);\n)+", adds, tail)
    return head + declared + tail


class Varnish:
    def __init__(self, renderers: list[tuple[str, int]], secret: str = REVALIDATE_SECRET) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.directory = Path(tempfile.mkdtemp(prefix="mortar-varnish-"))
        (self.directory / "backends.vcl").write_text(backends_vcl(renderers))
        shutil.copy(VCL, self.directory / "mortar.vcl")
        self.secret = secret
        self.process = subprocess.Popen(
            [VARNISHD, "-F", "-j", "none", "-n", str(self.directory / "work"),
             "-a", f"127.0.0.1:{self.port}", "-f", str(self.directory / "mortar.vcl"),
             "-s", "malloc,64m", "-T", "none"],
            env={**os.environ, "MORTAR_PURGE_SECRET": secret},
            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)

    def wait_ready(self) -> None:
        """Varnish answers its own PURGE without any renderer: up once that works."""
        def purges() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"varnishd exited with {self.process.returncode}")
            request = Request(self.url, method="PURGE",
                              headers={"X-Purge-Secret": self.secret, "xkey-purge": "none"})
            try:
                urlopen(request, timeout=2).close()
            except OSError:
                return False
            return True
        wait_until(purges, 30, interval=0.2, message="varnishd answering a PURGE")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        shutil.rmtree(self.directory, ignore_errors=True)


@pytest.fixture(scope="session")
def http_cache(ports) -> Iterator[Varnish]:
    """Varnish in front of the session's renderer (which may start after it)."""
    if not Path(VARNISHD).exists():
        pytest.skip("varnish is not installed")
    varnish = Varnish([("127.0.0.1", ports["web"])])
    try:
        varnish.wait_ready()
        yield varnish
    finally:
        varnish.stop()


@pytest.fixture(scope="session")
def scale_out_cache(ports) -> Iterator[Varnish]:
    """Varnish in front of every renderer of the scale-out test (ports web, web2, ...), as
    production runs one cache in front of several; the CMS purges it with the session's.
    Renderers not started are probed as down and never asked."""
    if not Path(VARNISHD).exists():
        pytest.skip("varnish is not installed")
    names = ["web", *sorted(name for name in ports if name.startswith("web") and name != "web")]
    varnish = Varnish([("127.0.0.1", ports[name]) for name in names])
    try:
        varnish.wait_ready()
        yield varnish
    finally:
        varnish.stop()


def backend_requests(varnish: Varnish) -> dict[str, int]:
    """How many fetches Varnish sent each of its renderers (web1, web2, ...), from its
    shared-memory counters."""
    output = subprocess.run(["varnishstat", "-n", str(varnish.directory / "work"), "-1", "-j",
                             "-f", "VBE.*.req"], capture_output=True, text=True, check=True)
    counters = json.loads(output.stdout)
    counters = counters.get("counters", counters)
    return {name.split(".")[-2]: value["value"] for name, value in counters.items()
            if isinstance(value, dict) and name.startswith("VBE.")}
