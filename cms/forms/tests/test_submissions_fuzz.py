"""Hypothesis posts any JSON, any form data and any page id: never a 500, never stored
unless valid."""

import json

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.contrib.forms.models import FormSubmission

from cms.forms.schema import HONEYPOT_FIELD
from cms.testing.forms import VALID, form_page

EXAMPLES = 150
text = st.text(st.characters(), max_size=60)  # surrogates and NUL included
names = st.sampled_from([*VALID, HONEYPOT_FIELD, "__all__", "submit_time", ""]) | text
scalars = st.none() | st.booleans() | st.integers() | st.floats() | text
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(text, inner, max_size=3), max_leaves=6)
bodies = st.one_of(
    st.dictionaries(names, values, max_size=10),
    st.builds(lambda extra: {**VALID, **extra}, st.dictionaries(names, values, max_size=3)),
    values,
)


@pytest.fixture
def contact(home):
    return form_page(home)


@override_settings(FORM_SUBMISSION_RATE="100000/s")
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=bodies)
def test_any_json_body_is_answered_without_a_5xx(client, contact, body):
    before = FormSubmission.objects.count()
    raw = json.dumps(body, ensure_ascii=True, allow_nan=True)
    response = client.post(f"/api/v2/forms/{contact.pk}/submissions/", raw,
                           content_type="application/json", REMOTE_ADDR="10.200.0.1")
    assert response.status_code in (201, 400, 413), response.content
    assert "message" in response.json()
    stored = FormSubmission.objects.count() - before
    assert stored == (1 if response.status_code == 201 else 0)


@override_settings(FORM_SUBMISSION_RATE="100000/s")
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.dictionaries(names, st.lists(text, max_size=3) | text, max_size=10),
       page_id=st.integers(min_value=-(2**70), max_value=2**70) | st.just(None),
       content_type=st.sampled_from(["application/x-www-form-urlencoded",
                                     "multipart/form-data; boundary=BoUnDaRy",
                                     "text/plain", "application/json; charset=latin-1"]))
def test_any_form_body_and_page_id_is_answered_without_a_5xx(client, contact, data, page_id,
                                                            content_type):
    from urllib.parse import urlencode

    flat = [(k, v) for k, vs in data.items() for v in (vs if isinstance(vs, list) else [vs])]
    raw = urlencode([(k.encode("utf-8", "surrogatepass"), v.encode("utf-8", "surrogatepass"))
                     for k, v in flat])
    target = contact.pk if page_id is None else page_id
    response = client.post(f"/api/v2/forms/{target}/submissions/", raw,
                           content_type=content_type, REMOTE_ADDR="10.200.0.2")
    assert response.status_code < 500, response.content
    assert response["Content-Type"] == "application/json"
