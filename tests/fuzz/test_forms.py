"""Every public form under hostile input: a page with a Japanese message or a result, never a 5xx.

GET forms: /search/, /partners/, /coverage/ (and its CSV). POST forms: /match/,
/match/print/, /join/, /listings/<uuid>/report/. Field names come from the forms themselves,
so a new field is fuzzed without touching this file.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coordination.forms import CoverageForm, PartnerSearchForm
from directory.membership.forms import MembershipApplicationForm
from directory.reports.views import ListingReportForm
from matching.forms import MatchForm
from search.forms import SearchForm
from tests.factories.directory import PlacePageFactory
from tests.fuzz.conftest import FUZZ, assert_sound
from tests.fuzz.strategies import form_body, query_string

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

TEN_MB = 10 * 1024 * 1024
FORM_CONTENT = "application/x-www-form-urlencoded"

GET_FORMS = [
    ("/search/", list(SearchForm.base_fields)),
    ("/partners/", list(PartnerSearchForm.base_fields)),
    ("/coverage/", list(CoverageForm.base_fields)),
    ("/coverage/coverage.csv", list(CoverageForm.base_fields)),
]
POST_FORMS = [
    ("/match/", list(MatchForm.base_fields)),
    ("/match/print/", ["id"]),
    ("/join/", list(MembershipApplicationForm.base_fields)),
    ("/listings/{uuid}/report/", list(ListingReportForm.base_fields)),
]


def concrete(path: str, corpus: dict) -> str:
    return path.replace("{uuid}", str(corpus["place"].uuid)) if "{uuid}" in path else path


@pytest.mark.parametrize(("path", "names"), GET_FORMS, ids=[p for p, _ in GET_FORMS])
@FUZZ
@given(data=st.data())
def test_get_forms_under_hostile_query_strings(web, corpus, path, names, data):
    query = data.draw(query_string(names), label="query")
    assert_sound(web.get(f"{path}?{query}"), path)


@pytest.mark.parametrize(("path", "names"), POST_FORMS, ids=[p for p, _ in POST_FORMS])
@FUZZ
@given(data=st.data())
def test_post_forms_under_hostile_bodies(web, corpus, path, names, data):
    body = data.draw(form_body(names), label="body")
    url = concrete(path, corpus)
    assert_sound(web.post(url, body, content_type=FORM_CONTENT), url)


@pytest.mark.parametrize(
    "body",
    [
        # Kept from the fuzz runs and issue 11: text that once broke or could break a view.
        "keywords=%ED%A0%80",  # a lone surrogate as raw bytes (invalid UTF-8)
        "keywords=" + "e%CC%81" * 300,  # combining marks past the length limit
        "keywords=%E2%80%AE%E2%80%8B",  # RTL override and zero-width space
        "max_km=NaN&area=x",
        "max_km=1e309",
        "weekdays=9&periods=" + "x" * 5000,
        "age_band=%00",
    ],
)
def test_match_form_regression_bodies(web, body):
    assert_sound(web.post("/match/", body, content_type=FORM_CONTENT), "/match/")


@pytest.mark.parametrize(("path", "names"), POST_FORMS, ids=[p for p, _ in POST_FORMS])
def test_a_10_mb_form_post_is_413_with_a_message(web, path, names):
    url = concrete(path, {"place": PlacePageFactory()} if "{uuid}" in path else {})
    body = f"{names[0]}=" + "a" * TEN_MB
    response = web.post(url, body, content_type=FORM_CONTENT)
    assert response.status_code == 413
    assert_sound(response, url)
