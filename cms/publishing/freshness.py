"""What the API calls to keep its answers fresh: the one surface of cms.publishing it uses.

Freshness sits below the API: while the API builds an answer it names what the answer
shows (`dependencies`), keeps the document in the CMS's cache (`cache`) and records the
names under the renderer's tag for the answer (`record`, `records`); a change then
reaches every cache holding those names (cms.publishing.changes, .delivery; a kind of
value of a site's own says which changes of its model name what, with `watch`), without
cms.publishing ever importing the API. The API imports this module and no other of
cms.publishing (cms/core/tests/test_import_graph.py checks it), so what the outbox,
the models and the tasks do stays theirs to change.
"""

from cms.publishing import cache, dependencies
from cms.publishing.changes import watch, watched
from cms.publishing.renderer_tags import (
    DIGEST_PREFIX,
    MAX_ITEMS,
    MAX_TAG_LENGTH,
    NAVIGATION,
    PATH_PREFIX,
    SITE_SEPARATOR,
    SITEMAP,
    path_tag,
    qualified,
    record,
    records,
)

__all__ = ["DIGEST_PREFIX", "MAX_ITEMS", "MAX_TAG_LENGTH", "NAVIGATION", "PATH_PREFIX", "SITEMAP",
           "SITE_SEPARATOR", "cache", "dependencies", "path_tag", "qualified", "record",
           "records", "watch", "watched"]
