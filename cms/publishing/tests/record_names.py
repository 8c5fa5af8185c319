"""One process recording one renderer entry's names over and over, for the concurrent
recording test.

`python -m cms.publishing.tests.record_names GO_FILE ROUNDS SITE_ID TAG NAME...`: prints
"ready", waits for GO_FILE to exist (cms.testing.together: two such processes record together), then
ROUNDS times records NAME... under TAG for the Site, each in its own transaction, as two
CMS processes answering the same document at once do. Exits 0 and prints "recorded COUNT"
when every record succeeded; a failure is a traceback and exit status 1.
"""

import sys
from pathlib import Path


def main(go_file: Path, rounds: int, site_id: int, tag: str, names: list[str]) -> int:
    import django

    django.setup()
    from cms.publishing import freshness
    from cms.testing.together import await_go

    if not await_go(go_file):
        return 1
    for _ in range(rounds):
        freshness.record(tag, names, site_id)
    print(f"recorded {rounds}", flush=True)
    return 0


if __name__ == "__main__":
    go, count, site, entry_tag, *entry_names = sys.argv[1:]
    sys.exit(main(Path(go), int(count), int(site), entry_tag, entry_names))
