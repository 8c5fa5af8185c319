"""Processes that start their work at the same moment, for tests of what two writers do at
once (deadlocks, races): the test starts them with `run_together`; each, once set up, calls
`await_go` and then does its work.
"""

import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from cms.testing.processes import REPO

GO_SECONDS = 60


def await_go(go_file: Path) -> bool:
    """In a process `run_together` started: says "ready", then waits until `go_file`
    exists; False (and a line on stderr) if it did not within GO_SECONDS."""
    print("ready", flush=True)
    deadline = time.monotonic() + GO_SECONDS
    while not go_file.exists():
        if time.monotonic() > deadline:
            print(f"no go file within {GO_SECONDS} s", file=sys.stderr)
            return False
        time.sleep(0.005)
    return True


def run_together(commands: Sequence[Sequence[str]], envs: Sequence[dict[str, str]],
                 go_file: Path, timeout: float) -> list[tuple[int, str, str]]:
    """Start each command (with the env of the same index) in REPO, wait until every one
    says "ready", create `go_file`, and wait `timeout` seconds at most for all to end:
    each one's (exit status, stdout after "ready", stderr). Raises AssertionError when one
    ends before it is ready (with its stderr), subprocess.TimeoutExpired when one runs
    past `timeout` (every one is killed)."""
    processes = [subprocess.Popen(list(command), cwd=REPO, env=env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
                 for command, env in zip(commands, envs, strict=True)]
    try:
        for process in processes:  # every one set up, then all start at once
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready", process.stderr.read()
        go_file.touch()
        outputs = [process.communicate(timeout=timeout) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
    return [(process.returncode, out, err)
            for process, (out, err) in zip(processes, outputs, strict=True)]
