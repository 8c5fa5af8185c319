"""Schemathesis fuzzes the running CMS (gunicorn, PostgreSQL) from its own OpenAPI document."""

import re
import subprocess
import sys
from pathlib import Path

MAX_EXAMPLES = 40


def test_api_conforms_to_its_schema_under_fuzzing(cms_server):
    run = subprocess.run(
        [str(Path(sys.executable).parent / "schemathesis"),
         "--config-file", str(Path(__file__).parent / "schemathesis.toml"), "run",
         f"{cms_server}/api/v2/schema/", "--checks", "all", "--max-examples", str(MAX_EXAMPLES),
         "--seed", "20261127", "--request-timeout", "20"],
        capture_output=True, text=True, timeout=600,
    )
    summary = run.stdout[run.stdout.find("SUMMARY"):]
    print(summary)
    assert run.returncode == 0, run.stdout[-20000:]
    generated, passed = re.search(r"(\d+) generated, (\d+) passed", summary).groups()
    assert int(generated) >= 100 and generated == passed, summary
