"""The heavy public read endpoints (HSDS lists, iCal feeds): cached, invalidated, bounded queries.

docs/benchmarks.md has the timings at demo size; here the behaviour behind them: a repeated
request is answered from the cache without touching the database, any publish / unpublish /
restriction / delete shows at once, and an uncached answer costs the same number of queries
for 5 listings as for 15 (no query per listing or per organisation).
"""

from __future__ import annotations

from datetime import time
from typing import cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from icalendar import Calendar
from wagtail.models import Page, PageViewRestriction

from directory.listings.schedules import Recurrence
from directory.models import Area, ListingPage, Member
from tests.factories.directory import (
    AreaFactory,
    EventPageFactory,
    MemberFactory,
    MunicipalityFactory,
    PlacePageFactory,
    ServicePageFactory,
    member_page_for,
)

pytestmark = pytest.mark.django_db

MUNICIPALITY = "139998"
CATEGORY = "kodomo-shokudo"
HSDS_PATHS = [
    "/api/hsds/services",
    "/api/hsds/services?full=true&per_page=200",
    "/api/hsds/services?minimal=true",
    "/api/hsds/organizations?full=true&per_page=200",
    "/api/hsds/service_at_locations?full=true&per_page=200",
]


def feed_paths(member: Member) -> list[str]:
    return [
        f"/feeds/areas/{MUNICIPALITY}.ics",
        f"/feeds/members/{member.slug}.ics",
        f"/feeds/categories/{CATEGORY}.ics",
    ]


def make_listings(count: int, members: list[Member], district: Area) -> list[ListingPage]:
    """`count` listings of every kind, with terms, areas and schedules, over `members`."""
    factories = (PlacePageFactory, ServicePageFactory, EventPageFactory)
    return [
        cast(
            ListingPage,
            factories[n % 3](
                member=members[n % len(members)],
                title=f"掲載{count}-{n:02d}",
                area=district,
                service_areas=[district.parent],
                categories=[CATEGORY],
                targets=["anyone"],
                schedule=[Recurrence("weekly", weekdays=(n % 7,), start_time=time(10))],
            ),
        )
        for n in range(count)
    ]


@pytest.fixture
def district() -> Area:
    municipality = MunicipalityFactory(code=MUNICIPALITY, name="架空市")
    return cast(
        Area, AreaFactory(code=f"{MUNICIPALITY}-01", name="架空第一小学校区", parent=municipality)
    )


@pytest.fixture
def member(district: Area) -> Member:
    member = cast(Member, MemberFactory())
    make_listings(4, [member], district)
    return member


def body(response) -> bytes:
    assert response.status_code == 200, response.content[:300]
    return response.content


def names(client, path: str = "/api/hsds/services?per_page=200") -> set[str]:
    return {s["name"] for s in client.get(path).json()["contents"]}


def summaries(client, path: str) -> set[str]:
    return {str(e["summary"]) for e in Calendar.from_ical(body(client.get(path))).walk("VEVENT")}


@pytest.mark.parametrize("index", range(len(HSDS_PATHS) + 3))
def test_second_request_is_answered_from_the_cache(
    client, member, index, django_assert_num_queries
):
    path = (HSDS_PATHS + feed_paths(member))[index]
    first = client.get(path)
    with django_assert_num_queries(0):
        second = client.get(path)
    assert body(second) == body(first)
    assert second["Content-Type"] == first["Content-Type"]
    assert second["Access-Control-Allow-Origin"] == "*"
    if path.endswith(".ics"):
        assert second["Content-Disposition"] == first["Content-Disposition"]


def test_the_query_string_is_normalised_in_the_key(client, member, django_assert_num_queries):
    body(client.get("/api/hsds/services?per_page=200&full=true"))
    with django_assert_num_queries(0):
        body(client.get("/api/hsds/services?full=true&page=&per_page=200"))


def test_what_a_resident_typed_is_never_cached(client, member):
    from django.core.cache import cache

    from core.public_cache import cache_key, content_version

    client.get("/api/hsds/services", {"search": "090-1234-5678"})
    client.get("/api/hsds/service_at_locations", {"lat": "35.7", "lng": "139.7", "proximity": 9})
    request = client.get("/api/hsds/services", {"search": "090-1234-5678"}).wsgi_request
    assert cache.get(cache_key(request, content_version())) is None


def test_publishing_and_unpublishing_change_the_answer_at_once(client, member, district):
    feed = f"/feeds/areas/{MUNICIPALITY}.ics"
    before, before_feed = names(client), summaries(client, feed)
    added = PlacePageFactory(
        member=member,
        title="新しい居場所",
        area=district,
        schedule=[Recurrence("weekly", weekdays=(1,), start_time=time(13))],
        live=False,
    )
    assert names(client) == before, "a draft is not public"
    added.save_revision(log_action=False).publish()
    assert names(client) == before | {"新しい居場所"}
    assert summaries(client, feed) == before_feed | {"新しい居場所"}
    added.refresh_from_db()
    added.unpublish()
    assert names(client) == before
    assert summaries(client, feed) == before_feed


def test_an_edit_published_changes_the_answer(client, member):
    listing = Page.objects.live().child_of(member_page_for(member)).specific().first()
    names(client)
    listing.title = "名前を変えました"
    listing.save_revision(log_action=False).publish()
    assert "名前を変えました" in names(client)


def test_restricting_deleting_or_suspending_removes_listings_at_once(client, member, district):
    other = cast(Member, MemberFactory())
    [hidden] = make_listings(1, [other], district)
    assert hidden.title in names(client)
    restriction = PageViewRestriction.objects.create(
        page=member_page_for(other), restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert hidden.title not in names(client)
    restriction.delete()
    assert hidden.title in names(client)
    hidden.delete()
    assert hidden.title not in names(client)
    before = names(client, "/api/hsds/organizations?per_page=200")
    other.status = "suspended"
    other.save()
    assert names(client, "/api/hsds/organizations?per_page=200") == before - {other.name}


def query_counts(client, paths: list[str]) -> dict[str, int]:
    counts = {}
    for path in paths:
        with CaptureQueriesContext(connection) as queries:
            body(client.get(path))
        counts[path] = len(queries)
    return counts


def test_uncached_query_count_does_not_grow_with_the_listings(client, district):
    """5 listings of 1 member, then 15 of 3: the same number of queries (all uncached)."""
    first = cast(Member, MemberFactory())
    make_listings(5, [first], district)
    paths = HSDS_PATHS + feed_paths(first)
    small = query_counts(client, paths)
    more = [first, cast(Member, MemberFactory()), cast(Member, MemberFactory())]
    make_listings(10, more, district)  # the new listings also invalidate the cache
    large = query_counts(client, paths)
    assert large == small


def test_a_streamed_answer_is_not_stored(client, member):
    """format=ndjson streams line by line: it is answered, but every time from the database."""
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/api/hsds/services", {"format": "ndjson"})
            lines = b"".join(response.streaming_content).splitlines()
        assert len(lines) == 4
        assert len(queries) > 0


def test_the_host_is_part_of_the_key(client, member, settings):
    """Feeds write URLs with the host asked for (UIDs use the site domain, never the Host)."""
    path = f"/feeds/members/{member.slug}.ics"
    for host in ("testserver", "localhost", "testserver"):
        cal = Calendar.from_ical(body(client.get(path, HTTP_HOST=host)))
        found = cal.walk("VEVENT")
        assert found and {str(e["url"]).split("/")[2] for e in found} == {host}
        uid_domains = {str(e["uid"]).split("@")[1] for e in found}
        assert uid_domains == {settings.TSUNAGARI_SITE_DOMAIN}
