"""The one vocabulary of freshness: names of the things an API answer shows.

While the CMS builds an answer (a page by path, the navigation, the sitemap, a 404
or a redirect) it records the names of everything the answer shows. Every change
maps to names too (`cms.publishing.changes`), and a change reaches exactly the
cached answers that share a name with it: in the CMS's document cache
(`cms.publishing.cache`) and in the renderer's cache (`cms.publishing.delivery`).

Names, each at most a few dozen characters:
- `page:<id>`: a page's own fields, path, live state or visibility (a page view
  restriction names the page and every page below it).
- `children:<id>`: which pages are below a page, and their order (listings).
- `menu:<id>`: which pages below a page are shown in menus.
- `image:<id>`, `document:<id>`: an image's file, alt text, focal point, renditions,
  collection; a document's title, file, collection; who may see its collection (a
  collection's view restriction names the media in it and below it).
- `snippet:<app_label.model>:<pk>`: a snippet shown in a page.
- `object:<app_label.model>:<pk>`: an object of a model a site shows through a kind of
  value of its own (a `cms.api.adapters.Kind`), whose changes `changes.watch` names.
- `setting:<app_label.model>`: a site or generic setting (menus, footer).
- `site:<id>`: a Wagtail Site's fields.
- `routes:<site id>`: what a path of the Site answers (a page, a redirect, or nothing),
  which every 404 and redirect of it shows.
- `pages:<site id>`: every page of the Site's live state, path or publish date, which
  its sitemap shows.
- the global names below, which every answer shows.
"""

# What answers where: Sites (hostname, port, root page, default) decide what every answer
# may show; so does a view restriction on a page with more descendants than
# `changes.MAX_DESCENDANTS`, or on a collection of more media than `changes.MAX_MEDIA`
# (below those, a restriction names the pages or media it covers).
SITES = "sites"
RESTRICTIONS = "restrictions"
GLOBAL = (SITES, RESTRICTIONS)


def page(pk: object) -> str:
    return f"page:{pk}"


def children(pk: object) -> str:
    return f"children:{pk}"


def menu(pk: object) -> str:
    return f"menu:{pk}"


def image(pk: object) -> str:
    return f"image:{pk}"


def document(pk: object) -> str:
    return f"document:{pk}"


def snippet(label: str, pk: object) -> str:
    return f"snippet:{label.lower()}:{pk}"


def instance(label: str, pk: object) -> str:
    """An object of a site's own model, shown through a kind of value of the site's."""
    return f"object:{label.lower()}:{pk}"


def setting(label: str) -> str:
    return f"setting:{label.lower()}"


def site(pk: object) -> str:
    return f"site:{pk}"


def routes(site_pk: object) -> str:
    return f"routes:{site_pk}"


def pages(site_pk: object) -> str:
    return f"pages:{site_pk}"
