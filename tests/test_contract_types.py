"""The site's TypeScript types are generated from the OpenAPI document; stale ones fail."""

import shutil
import subprocess

from cms.testing.processes import REPO

WEB = REPO / "web"


def run_check(lib_dir):
    return subprocess.run(
        ["npx", "openapi-typescript", str(lib_dir / "openapi.json"), "-o",
         str(lib_dir / "api.generated.ts"), "--check"],
        cwd=WEB, capture_output=True, text=True, timeout=120,
    )


def test_committed_types_match_the_document_and_stale_ones_fail(tmp_path):
    for name in ("openapi.json", "api.generated.ts"):
        shutil.copy(WEB / "lib" / name, tmp_path / name)
    assert run_check(tmp_path).returncode == 0

    stale = (tmp_path / "api.generated.ts").read_text().replace(
        '"example.ArticlePage"', '"example.OldArticlePage"')
    (tmp_path / "api.generated.ts").write_text(stale)

    assert run_check(tmp_path).returncode != 0
    check = subprocess.run(["npm", "run", "types:check"], cwd=WEB, capture_output=True,
                           text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
