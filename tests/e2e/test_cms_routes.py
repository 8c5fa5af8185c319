"""Every CMS route the site exposes, reached through the site as a visitor does.

The renderer proxies /documents/, /media/ and /_util/ (Wagtail's login and password forms)
to the CMS when it stands alone (`next start`, `make dev`); in production nginx routes them
(infra/nginx/). Each route is asked for with GET and POST, with and without its trailing
slash, through `next start`, through nginx in front of it and through `next dev`: none
may loop, none may answer 5xx, and the restricted documents open once the visitor
passes the form.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.core.files.base import ContentFile

from tests.e2e.conftest import database
from tests.e2e.nginx import NGINX, hostport, nginx

# The mark makes pytest-django set up the test database; the module's fixture commits
# its documents before any test's rolled-back transaction begins.
pytestmark = pytest.mark.django_db

PASSWORD = "open-sesame-4411"
MAX_HOPS = 10


@dataclass
class Documents:
    public: str  # the serve URL of each, "/documents/<id>/<file>"
    by_password: str
    by_login: str
    password_restriction: int
    public_file: str  # the file's own URL under /media/ (local media in development)


@pytest.fixture(scope="module")
def documents(seeded_db, django_db_blocker) -> Iterator[Documents]:
    """One public document, one behind a password, one behind a login (by collection)."""
    from wagtail.documents import get_document_model
    from wagtail.models import Collection, CollectionViewRestriction

    model = get_document_model()
    with database(django_db_blocker):
        root = Collection.get_first_root_node()
        by_password = root.add_child(name="Routes: password")
        by_login = root.add_child(name="Routes: login")
        restriction = CollectionViewRestriction.objects.create(
            collection=by_password, restriction_type=CollectionViewRestriction.PASSWORD,
            password=PASSWORD)
        CollectionViewRestriction.objects.create(
            collection=by_login, restriction_type=CollectionViewRestriction.LOGIN)
        docs = [model.objects.create(title=name, collection=collection,
                                     file=ContentFile(f"{name} document\n".encode(),
                                                      name=f"routes-{name}.txt"))
                for name, collection in (("public", root), ("password", by_password),
                                         ("login", by_login))]
    try:
        yield Documents(docs[0].url, docs[1].url, docs[2].url, restriction.pk, docs[0].file.url)
    finally:
        with database(django_db_blocker):
            for doc in docs:
                doc.delete()
            restriction.delete()
            by_password.delete()
            by_login.delete()


@pytest.fixture(scope="module")
def behind_nginx(cms_server, web_server) -> Iterator[tuple[str, str]]:
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed")
    with nginx(hostport(cms_server), hostport(web_server)) as proxy:
        yield f"https://127.0.0.1:{proxy.https_port}", str(proxy.cafile)


@dataclass
class Front:
    """A way in: the renderer alone (built or in development), or nginx before it."""

    origin: str
    verify: str | bool
    # The CMS trusts the Origin of FRONTEND_URL (the built renderer in this session) for
    # CSRF; under `make dev` that is the development server, so here it only reads.
    posts: bool = True


@pytest.fixture(params=["next start", "nginx", "next dev"])
def front(request, cms_server) -> Front:
    # `cms_server` named, not only asked for below: pytest then starts the session's stack
    # (and seeds it) before the test's rolled-back transaction opens, not inside it, where
    # seed_demo's rows would be unseen by the CMS it starts.
    if request.param == "nginx":
        return Front(*request.getfixturevalue("behind_nginx"))
    if request.param == "next dev":
        return Front(request.getfixturevalue("dev_server"), True, posts=False)
    return Front(request.getfixturevalue("web_server"), True)


class Visitor:
    """A browser-like client: cookies, its own Origin on POST, redirects followed by hand."""

    def __init__(self, front: Front) -> None:
        self.origin = front.origin
        self.verify = front.verify
        self.session = requests.Session()

    def go(self, method: str, path: str, data: dict[str, str] | None = None) -> requests.Response:
        """Follow redirects as a browser does (303/301/302 turn a POST into GET); fail on a loop."""
        url, seen = self.origin + path, []
        for _ in range(MAX_HOPS):
            headers = {"Origin": self.origin} if method == "POST" else {}
            # verify per request: requests lets REQUESTS_CA_BUNDLE override the session's.
            response = self.session.request(method, url, data=data, headers=headers,
                                            allow_redirects=False, timeout=120,
                                            verify=self.verify)
            assert response.status_code < 500, (
                f"{method} {url} answered {response.status_code}: {response.text[:300]}")
            if response.status_code not in (301, 302, 303, 307, 308):
                return response
            assert (method, url) not in seen, f"redirect loop: {[*seen, (method, url)]}"
            seen.append((method, url))
            url = requests.compat.urljoin(url, response.headers["Location"])
            assert url.startswith(self.origin), f"{path} left the site for {url}"
            if response.status_code in (301, 302, 303) and method == "POST":
                method, data = "GET", None
        raise AssertionError(f"more than {MAX_HOPS} redirects from {path}: {seen}")

    def csrf(self, response: requests.Response) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
        assert match, f"no CSRF token in the form at {response.url}"
        return match.group(1)


def slash_variants(path: str) -> list[str]:
    """The path as given and with its trailing slash added or taken away (query kept)."""
    base, sep, query = path.partition("?")
    other = base[:-1] if base.endswith("/") else base + "/"
    return [path, other + sep + query]


def test_a_public_document_and_its_file(front, documents):
    visitor = Visitor(front)
    for path in (documents.public, documents.public_file):
        answer = visitor.go("GET", path)
        assert answer.status_code == 200 and answer.text == "public document\n", path
    # The serve URL with a slash added names no document: a plain 404, not a loop or a 500.
    assert visitor.go("GET", documents.public + "/").status_code == 404


@pytest.mark.parametrize("form_slash", [True, False], ids=["form-slash", "form-no-slash"])
def test_a_password_protected_document_opens_after_the_password(front, documents, form_slash):
    visitor = Visitor(front)
    form = visitor.go("GET", documents.by_password)  # Wagtail answers with the form itself
    action = f"/documents/authenticate_with_password/{documents.password_restriction}/"
    assert form.status_code == 200 and f'action="{action}"' in form.text
    if not form_slash:
        action = action[:-1]
    # The form's own address, with or without its slash, is the form again (no loop).
    answer = visitor.go("GET", action)
    assert answer.status_code == 200 and 'name="password"' in answer.text
    if not front.posts:
        return

    wrong = visitor.go("POST", action, {"csrfmiddlewaretoken": visitor.csrf(form),
                                        "password": "wrong", "return_url": documents.by_password})
    assert wrong.status_code == 200 and 'name="password"' in wrong.text  # refused: the form
    opened = visitor.go("POST", action, {"csrfmiddlewaretoken": visitor.csrf(wrong),
                                         "password": PASSWORD,
                                         "return_url": documents.by_password})
    assert opened.status_code == 200 and opened.text == "password document\n"
    # Remembered for the session: the document opens directly from now on.
    assert visitor.go("GET", documents.by_password).text == "password document\n"


@pytest.mark.parametrize("form_slash", [True, False], ids=["form-slash", "form-no-slash"])
def test_a_login_protected_document_opens_after_logging_in(front, documents, editor,
                                                           form_slash):
    visitor = Visitor(front)
    form = visitor.go("GET", documents.by_login)
    assert form.status_code == 200 and form.url.startswith(f"{visitor.origin}/_util/login/")
    query = form.url.partition("?")[2]
    action = ("/_util/login/" if form_slash else "/_util/login") + f"?{query}"
    assert visitor.go("GET", slash_variants(action)[1]).status_code == 200
    if not front.posts:
        return

    wrong = visitor.go("POST", action, {"csrfmiddlewaretoken": visitor.csrf(form),
                                        "username": editor[0], "password": "wrong"})
    assert wrong.status_code == 200 and 'name="password"' in wrong.text
    opened = visitor.go("POST", action, {"csrfmiddlewaretoken": visitor.csrf(wrong),
                                         "username": editor[0], "password": editor[1]})
    assert opened.status_code == 200 and opened.text == "login document\n"


@pytest.mark.parametrize("path", ["/api/preview", "/api/preview/"])
def test_preview_start_refuses_a_forged_token(front, path):
    answer = Visitor(front).go("GET", f"{path}?content_type=example.contentpage&token=x")
    assert answer.status_code == 401
    assert answer.json() == {"message": "Invalid preview token"}


@pytest.mark.parametrize("path", ["/api/preview/exit", "/api/preview/exit/"])
def test_preview_exit_returns_to_the_page(front, path):
    visitor = Visitor(front)
    answer = visitor.go("GET", f"{path}?path=/about/")
    assert answer.status_code == 200 and answer.url == f"{visitor.origin}/about/"
    assert "<h1" in answer.text and "About us" in answer.text


@pytest.mark.parametrize("path", ["/api/revalidate", "/api/revalidate/"])
def test_the_revalidate_hook_is_the_renderers_with_or_without_slash(front, path):
    answer = Visitor(front).go("POST", path)
    assert answer.status_code == 401
    assert answer.json() == {"message": "Invalid or missing revalidation secret"}


@pytest.mark.parametrize("path", ["/admin", "/admin/", "/admin/login", "/admin/login/"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_admin_behind_nginx(behind_nginx, method, path):
    """The admin link of the site: nginx's way to the CMS, never a 5xx or a loop."""
    visitor = Visitor(Front(*behind_nginx))
    form = visitor.go("GET", "/admin/login/")
    answer = visitor.go(method, path, {"csrfmiddlewaretoken": visitor.csrf(form),
                                       "username": "nobody", "password": "wrong"}
                        if method == "POST" else None)
    assert answer.status_code == 200 and answer.url.startswith(f"{visitor.origin}/admin/login/")
    if method == "POST" and "login" in path:
        # The form was posted (even to the slash-less address) and refused the account.
        assert "didn&#x27;t match" in answer.text
