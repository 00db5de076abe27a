"""Anonymous page caching (core/page_cache.py): served without queries, never stale, never
personal.

A second anonymous visit of a public page costs no query; publish, unpublish and edits show on
the next visit; logged-in editors, forms with a CSRF token, search words and match requests are
never stored or served from the cache.
"""

import json
from datetime import datetime
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import page_cache, public_cache
from directory.listings.schedules import JST
from tests.factories.directory import MemberFactory, PlacePageFactory, member_page_for


@pytest.fixture(autouse=True)
def stored_pages():
    """Every page key the middleware stores (LocMem or Redis alike)."""
    keys: list[str] = []

    def record(key, *args, **kwargs):
        keys.append(key)
        return cache.set(key, *args, **kwargs)

    with mock.patch.object(page_cache, "cache", wraps=cache) as spy:
        spy.set.side_effect = record
        yield keys


def queries_of(client: Client, path: str, **extra) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    assert response.status_code == 200, response.status_code
    return len(queries), response.content.decode()


@pytest.fixture
def listing(member):
    return PlacePageFactory(title="ひだまりの居場所", member=member)


def test_a_second_anonymous_visit_costs_no_query(client, listing):
    first, page = queries_of(client, listing.url)
    second, cached = queries_of(client, listing.url)
    assert first > 5 and second == 0
    assert cached == page
    response = client.get(listing.url)
    assert "Cookie" in response["Vary"] and "Accept-Language" in response["Vary"]


def test_an_edit_and_publish_shows_on_the_next_visit(client, listing):
    assert "ひだまりの居場所" in queries_of(client, listing.url)[1]
    listing.title = "なまえを変えた居場所"
    listing.save_revision().publish()
    assert "なまえを変えた居場所" in queries_of(client, listing.url)[1]


def test_a_published_listing_shows_on_its_member_page_at_once(client, member, listing):
    member_url = member_page_for(member).url
    assert "あたらしい居場所" not in queries_of(client, member_url)[1]
    PlacePageFactory(title="あたらしい居場所", member=member)
    assert "あたらしい居場所" in queries_of(client, member_url)[1]


def test_an_unpublished_listing_is_gone_on_the_next_visit(client, listing):
    url = listing.url
    queries_of(client, url)
    listing.unpublish()
    assert client.get(url).status_code == 404


def test_a_change_bumped_in_another_process_is_seen(client, listing):
    queries_of(client, listing.url)
    type(listing).objects.filter(pk=listing.pk).update(title="ほかの処理で変えた居場所")
    public_cache._increment()  # what the signal does in the process that saved
    assert "ほかの処理で変えた居場所" in queries_of(client, listing.url)[1]


def test_a_new_day_renders_afresh(client, listing):
    queries_of(client, listing.url)
    tomorrow = datetime(2099, 1, 1, 0, 1, tzinfo=JST)
    with mock.patch.object(page_cache, "datetime", wraps=datetime) as clock:
        clock.now.return_value = tomorrow
        assert queries_of(client, listing.url)[0] > 0


def test_logged_in_editors_are_never_served_or_stored(client, editor_client, listing, stored_pages):
    queries_of(client, listing.url)  # the anonymous page is cached
    stored = set(stored_pages)
    for _ in range(2):
        assert queries_of(editor_client, listing.url)[0] > 0
    assert set(stored_pages) == stored


def test_a_page_with_a_csrf_form_is_never_stored_and_its_form_still_works(db, stored_pages):
    visitor = Client(enforce_csrf_checks=True)
    for _ in range(2):
        response = visitor.get(reverse("membership-apply"))
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" in response.content.decode()
    assert set(stored_pages) == set()
    token = response.context["csrf_token"]
    posted = visitor.post(reverse("membership-apply"), {"csrfmiddlewaretoken": str(token)})
    assert posted.status_code != 403


@pytest.mark.parametrize("query", [{"q": "居場所"}, {"age": "15"}, {"lat": "35.7", "lng": "139.7"}])
def test_what_a_resident_typed_is_never_stored(client, listing, query, stored_pages):
    client.get(reverse("search"), query)
    client.get(listing.url, query)
    assert set(stored_pages) == set()


def test_a_match_request_is_never_stored(client, listing, stored_pages):
    client.get(reverse("match"))
    client.post(reverse("match"), {"age_band": "13-18"})
    client.post(reverse("api-match"), json.dumps({}), content_type="application/json")
    assert set(stored_pages) == set()


def uncached_queries(client: Client, path: str) -> int:
    public_cache._increment()  # as after a publish
    return queries_of(client, path)[0]


@pytest.mark.parametrize("path", ["/search/", "/members/", "/"])
def test_queries_do_not_grow_with_more_listings(client, db, path, monkeypatch):
    # The synonym stamp is re-read on a clock, not per listing: keep it out of the count.
    monkeypatch.setattr("search.synonyms.REVALIDATE_SECONDS", 3600.0)
    for n in range(3):
        PlacePageFactory(title=f"居場所{n}", member=MemberFactory())
    uncached_queries(client, path)  # first render: site and settings rows, once per process
    few = uncached_queries(client, path)
    for n in range(12):
        PlacePageFactory(title=f"もっと居場所{n}", member=MemberFactory())
    assert uncached_queries(client, path) == few
