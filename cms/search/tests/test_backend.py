"""Searching reads the index first (cms.search.backend) and answers what Wagtail's stock
PostgreSQL backend answers: the same rows, in the same order, and the same count."""

import json

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from cms.search.backend import IndexFirstQueryCompiler
from cms.testing.factories import SampleContentPageFactory
from cms.testing.pages.models import SampleContentPage

STOCK = {"default": {"BACKEND": "modelsearch.backends.database.postgres.postgres"}}

pytestmark = pytest.mark.skipif(
    django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="the index-first search is PostgreSQL's")


def text(words):
    return json.dumps([{"type": "rich_text", "value": f"<p>{words}</p>"}])


@pytest.fixture
def pages(home):
    """Pages whose ranks differ, tie, and some of which the searched queryset leaves out."""
    made = [SampleContentPageFactory(parent=home, title=title, body=text(words))
            for title, words in [
                ("Granite", "granite granite granite"), ("Walls", "granite walls"),
                ("Floors", "granite floors"), ("Roofs", "slate roofs and granite"),
                ("Slate", "slate only"), ("Granite walls", "walls of granite"),
                ("Steps", "granite"), ("Kerbs", "granite")]]
    SampleContentPageFactory(parent=home, title="Draft granite", slug="draft", body=text("granite"),
                             publish=False)
    return made


def searched(query, **kwargs):
    """(titles, count) with our backend and with the stock one."""
    answers = []
    for backend_settings in ({}, {"WAGTAILSEARCH_BACKENDS": STOCK}):
        with override_settings(**backend_settings):
            results = Page.objects.live().search(query, **kwargs)
            answers.append(([page.title for page in results], results.count()))
    return answers


@pytest.mark.parametrize(("query", "kwargs"), [
    ("granite", {}),
    ("granite walls", {}),
    ("granite walls", {"operator": "or"}),
    ("slate", {}),
    ("nothing-matches", {}),
])
def test_the_same_answer_as_wagtails_own_backend(pages, query, kwargs):
    ours, stock = searched(query, **kwargs)
    assert ours == stock
    assert query == "nothing-matches" or ours[1] > 0
    assert "Draft granite" not in ours[0]


def test_slices_page_through_the_same_order(pages):
    everything = [page.pk for page in Page.objects.live().search("granite")]
    results = Page.objects.live().search("granite")
    assert [page.pk for page in results[2:5]] == everything[2:5]
    assert len(everything) == 7 and results[2:5].count() == 3


def test_scores_when_asked(pages):
    results = Page.objects.live().search("granite").annotate_score("score")
    scores = [page.score for page in results]
    assert scores == sorted(scores, reverse=True) and scores[0] > 0


def test_what_it_does_not_cover_is_wagtails_search(pages):
    """Unranked, by field, autocomplete: Wagtail's compiler, unchanged."""
    backend = get_search_backend()
    plain = Page.objects.live().search("granite")
    assert isinstance(plain.query_compiler, IndexFirstQueryCompiler)
    assert plain.query_compiler.index_first
    assert not Page.objects.live().search("granite", order_by_relevance=False) \
        .query_compiler.index_first
    assert sorted(page.title for page in Page.objects.live().search(
        "granite", order_by_relevance=False)) == sorted(
        ["Granite", "Walls", "Floors", "Roofs", "Granite walls", "Steps", "Kerbs"])
    by_title = backend.search("granite", SampleContentPage.objects.live(), fields=["title"])
    assert not by_title.query_compiler.index_first
    assert {page.title for page in by_title} == {"Granite walls", "Granite"}
    assert {page.title for page in Page.objects.live().autocomplete("gran")} == {
        "Granite", "Granite walls"}


def test_a_query_without_words_finds_nothing(pages):
    results = Page.objects.live().search(" - -- ")
    assert results.query_compiler.index_first
    assert list(results) == [] and results.count() == 0
