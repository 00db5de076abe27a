"""The ready match pool (matching/ready.py): built once, rebuilt on every public change.

A match sees a publish, unpublish, edit, password restriction or member suspension on the very
next request; a change made in another process (the shared version bumped) too; a new day
recounts the upcoming sessions; and a match POST costs the same few queries however many
listings there are, because the candidates are not rebuilt per request.
"""

import json
from datetime import datetime, time
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import PageViewRestriction

from core import public_cache
from directory.listings.schedules import JST, Recurrence
from directory.models import MemberStatus
from matching import ready
from tests.factories.directory import MemberFactory, PlacePageFactory

WEDNESDAY_AFTERNOON = [Recurrence("weekly", weekdays=(2,), start_time=time(15), end_time=time(18))]


def matched(client) -> list[str]:
    response = client.post(
        reverse("api-match"), json.dumps({"limit": 50}), content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return [result["name"] for result in response.json()["results"]]


@pytest.fixture
def listing(db):
    return PlacePageFactory(title="ひだまりの居場所")


def test_a_published_listing_is_matched_on_the_next_request(client, listing):
    assert matched(client) == ["ひだまりの居場所"]
    PlacePageFactory(title="あたらしい居場所")
    assert sorted(matched(client)) == ["あたらしい居場所", "ひだまりの居場所"]


def test_an_unpublished_listing_is_gone_on_the_next_request(client, listing):
    assert matched(client) == ["ひだまりの居場所"]
    listing.unpublish()
    assert matched(client) == []


def test_an_edit_is_matched_on_the_next_request(client, listing):
    assert matched(client) == ["ひだまりの居場所"]
    page = type(listing).objects.get(pk=listing.pk)
    page.title = "なまえを変えた居場所"
    page.save_revision().publish()
    assert matched(client) == ["なまえを変えた居場所"]


def test_a_password_restricted_listing_is_gone_on_the_next_request(client, listing):
    assert matched(client) == ["ひだまりの居場所"]
    PageViewRestriction.objects.create(
        page=listing, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    assert matched(client) == []


def test_a_suspended_member_s_listings_are_gone_on_the_next_request(client, db):
    member = MemberFactory()
    PlacePageFactory(title="団体の居場所", member=member)
    assert matched(client) == ["団体の居場所"]
    member.status = MemberStatus.SUSPENDED
    member.save()
    assert matched(client) == []


def test_a_change_bumped_in_another_process_is_seen(client, listing):
    """Another gunicorn process changed the data and bumped the shared version: no signal
    ran here, yet the next match rebuilds from the database."""
    assert matched(client) == ["ひだまりの居場所"]
    type(listing).objects.filter(pk=listing.pk).update(title="ほかの処理で変えた居場所")
    assert matched(client) == ["ひだまりの居場所"]  # no bump yet: the ready pool answers
    public_cache._increment()
    assert matched(client) == ["ほかの処理で変えた居場所"]


def test_the_pool_is_built_once_not_per_request(client, listing):
    with mock.patch.object(ready, "live_candidates", wraps=ready.live_candidates) as build:
        for _ in range(5):
            matched(client)
    assert build.call_count == 1


def post_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        matched(client)
    return len(queries)


def test_a_match_post_costs_the_same_few_queries_at_any_size(client, listing):
    matched(client)  # the first match after a change builds the pool
    few = post_queries(client)
    for n in range(10):
        PlacePageFactory(title=f"居場所{n}", schedule=WEDNESDAY_AFTERNOON)
    matched(client)
    assert post_queries(client) == few
    assert few <= 3  # the vocabulary and areas of the request's form; no listing query


def test_a_new_day_recounts_the_upcoming_sessions(db):
    PlacePageFactory(title="水曜の居場所", schedule=WEDNESDAY_AFTERNOON)
    tuesday_night = datetime(2026, 12, 1, 23, 59, tzinfo=JST)
    wednesday_night = datetime(2026, 12, 2, 23, 59, tzinfo=JST)
    thursday = datetime(2026, 12, 3, 0, 1, tzinfo=JST)
    first = ready.ready_pool(tuesday_night)
    assert first.candidates[0].slots[0].next_day.isoformat() == "2026-12-02"
    assert ready.ready_pool(wednesday_night) is not first
    assert ready.ready_pool(thursday).candidates[0].slots[0].next_day.isoformat() == "2026-12-09"


def test_the_pool_never_outlives_the_public_cache_timeout(settings, listing):
    now = datetime.now(JST)
    first = ready.ready_pool(now)
    assert ready.ready_pool(now) is first
    settings.PUBLIC_CACHE_TIMEOUT = 0
    assert ready.ready_pool(now) is not first
