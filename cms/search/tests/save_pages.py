"""One process publishing pages over and over, for the concurrent indexing test.

`python -m cms.search.tests.save_pages GO_FILE ROUNDS PREFIX PAGE_ID...`: prints "ready",
waits for GO_FILE to exist (cms.testing.together: two such processes start saving together), then
ROUNDS times edits and publishes each page (title and body text "PREFIXN"), the search
index written in this process, as the test settings do. Exits 0 and prints
"saved COUNT" when every save succeeded; a failure is a traceback and exit status 1.
"""

import json
import sys
from pathlib import Path


def main(go_file: Path, rounds: int, prefix: str, page_ids: list[int]) -> int:
    import django

    django.setup()
    from cms.testing.pages.models import SampleContentPage
    from cms.testing.together import await_go

    if not await_go(go_file):
        return 1
    saved = 0
    for n in range(rounds):
        for pk in page_ids:
            page = SampleContentPage.objects.get(pk=pk)
            page.title = f"{prefix}{n}"
            page.body = json.dumps([{"type": "rich_text", "value": f"<p>{prefix}{n}</p>"}])
            page.save_revision().publish()
            saved += 1
    print(f"saved {saved}", flush=True)
    return 0


if __name__ == "__main__":
    go, count, name, *ids = sys.argv[1:]
    sys.exit(main(Path(go), int(count), name, [int(pk) for pk in ids]))
