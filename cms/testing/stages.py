"""`make test`'s stages, timed, and what the run ends with: the wall time of each stage and
the 25 slowest tests of all pytest sessions.

    python -m cms.testing.stages lint web python+e2e

runs `make test-lint`, `make test-web`, ...: one argument per step, run one after the
other (all of them, whatever failed before); stages joined by "+" run side by side, each
one's output shown whole when it ends. Each pytest stage writes a JUnit report into
REPORTS (the Makefile passes `--junitxml`), whose per-test times (setup, call and teardown
together) give the slowest tests. Exits with the first failing stage's status, after
every stage and the report.
"""

import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

from cms.testing.processes import REPO

REPORTS = REPO / ".local" / "test-reports"
SLOWEST = 25


def run_stage(name: str) -> subprocess.Popen:
    """`make test-<name>`, its output into REPORTS/<name>.log (stages side by side would
    mix their lines), printed whole when it ends."""
    log = (REPORTS / f"{name}.log").open("wb")
    print(f"--- {name}: started (make test-{name})", flush=True)
    return subprocess.Popen(["make", "--no-print-directory", f"test-{name}"], cwd=REPO,
                            stdout=log, stderr=subprocess.STDOUT)


def show(name: str, seconds: float, code: int) -> None:
    sys.stdout.write((REPORTS / f"{name}.log").read_text(errors="replace"))
    print(f"--- {name}: {'passed' if code == 0 else f'FAILED ({code})'} in {seconds:.0f}s",
          flush=True)


def slowest(reports: Path, count: int = SLOWEST) -> list[tuple[float, str]]:
    """The `count` slowest tests of the JUnit reports in `reports`: (seconds, test id)."""
    times = []
    for report in sorted(reports.glob("*.xml")):
        for case in ET.parse(report).iter("testcase"):
            module = case.get("classname", "").replace(".", "/")
            times.append((float(case.get("time") or 0), f"{module}.py::{case.get('name')}"))
    return sorted(times, reverse=True)[:count]


def main(steps: list[str]) -> int:
    REPORTS.mkdir(parents=True, exist_ok=True)
    for old in [*REPORTS.glob("*.xml"), *REPORTS.glob("*.log")]:
        old.unlink()
    walls: list[tuple[str, float, int]] = []
    status = 0
    # Every pytest session of this run (e2e, alone) serves the one `next build` the first
    # makes, removed when the run ends.
    from tests.conftest import RUN

    run = os.environ[RUN] = f"make-{os.getpid()}"
    started = time.monotonic()
    load_before = os.getloadavg()
    from tests.webserver import remove_run_builds

    try:
        for step in steps:
            running = {name: (run_stage(name), time.monotonic()) for name in step.split("+")}
            while running:
                for name, (process, began) in list(running.items()):
                    if process.poll() is not None:
                        walls.append((name, time.monotonic() - began, process.returncode))
                        show(*walls[-1])
                        status = status or process.returncode
                        del running[name]
                time.sleep(0.2)
    finally:
        # Also on Ctrl-C: a run's builds are hundreds of MB.
        remove_run_builds(run)
    total = time.monotonic() - started

    print(f"\n{'=' * 30} {SLOWEST} slowest tests {'=' * 30}")
    for seconds, test in slowest(REPORTS):
        print(f"{seconds:8.2f}s  {test}")
    print(f"{'=' * 30} stages (wall) {'=' * 30}")
    for name, seconds, code in walls:
        print(f"{name:>8}  {seconds:7.1f}s  {'ok' if code == 0 else f'FAILED ({code})'}")
    print(f"{'all':>8}  {total:7.1f}s")
    print("load average (1, 5, 15 min) before: {:.2f} {:.2f} {:.2f}, after: {:.2f} {:.2f} {:.2f}"
          .format(*load_before, *os.getloadavg()))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
