"""One rule for what residents see: a password-protected listing is in no public output.

Two listings are behind a Wagtail password (a PageViewRestriction): one on the listing itself,
one on its MemberPage. Each public path is asked for it while the password is set (absent,
detail answers 404) and again once the password is removed (present) — the search index
following through the restriction's own signals, with no manual reindex.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import time
from typing import cast

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, PageViewRestriction

from coordination.coverage import coverage_table
from coordination.partners import PartnerQuery, find_partners
from directory.listings.schedules import Recurrence
from directory.models import (
    EventPage,
    ListingPage,
    ListingStatus,
    Member,
    MemberPage,
    MemberStatus,
    PlacePage,
)
from directory.models.listings import resident_listings
from exchange.opendata.exporter import export_csv
from search.engines.embedded import EmbeddedEngine
from tests.factories.directory import (
    AreaFactory,
    EventPageFactory,
    MemberFactory,
    PlacePageFactory,
    member_page_for,
)

pytestmark = pytest.mark.django_db
PASSWORD = "himitsu"
WEEKLY = [Recurrence("weekly", weekdays=(2,), start_time=time(15), end_time=time(17))]


@dataclass
class Case:
    listing: ListingPage
    protected: Page  # the page that carries the password: the listing or its MemberPage
    member_page: MemberPage


@pytest.fixture
def engine(settings) -> EmbeddedEngine:
    settings.SEARCH_BACKEND = "embedded"
    engine = EmbeddedEngine(settings.SEARCH_INDEX_PATH)
    engine.clear()
    return engine


def publish(page: Page) -> None:
    page.specific.save_revision().publish()


def protect(page: Page) -> PageViewRestriction:
    return PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password=PASSWORD
    )


@pytest.fixture(params=["listing", "member-page"])
def case(request, engine, django_capture_on_commit_callbacks) -> Case:
    """A public listing next to a protected one; the index is built by publishing (signals)."""
    on_listing = request.param == "listing"
    member = cast(Member, MemberFactory(name="ひらかれた会" if on_listing else "かくれた会"))
    member_page = member_page_for(member)
    kwargs = {"categories": ["salon"], "targets": ["anyone"], "schedule": WEEKLY}
    with django_capture_on_commit_callbacks(execute=True):
        visible = PlacePageFactory(
            member=MemberFactory(name="となりの会"),
            title="となりのサロン",
            area=AreaFactory(name="東小学校区"),
            **kwargs,
        )
        factory = PlacePageFactory if on_listing else EventPageFactory
        listing = cast(
            ListingPage,
            factory(
                member=member, title="ひみつのサロン", area=AreaFactory(name="西小学校区"), **kwargs
            ),
        )
        publish(visible)
        publish(listing)
    protected: Page = listing if on_listing else member_page
    with django_capture_on_commit_callbacks(execute=True):
        protect(Page.objects.get(pk=protected.pk))
    return Case(listing=listing, protected=protected, member_page=member_page)


def unprotect(case: Case, callbacks: Callable) -> None:
    """Remove the password as the admin's privacy dialog does: delete the restriction."""
    with callbacks(execute=True):
        for restriction in PageViewRestriction.objects.filter(page=case.protected):
            restriction.delete()


def unlock(client: Client) -> None:
    """Pass every password, as Wagtail's password form does, so protected pages render."""
    session = client.session
    key = PageViewRestriction.passed_view_restrictions_session_key
    session[key] = list(PageViewRestriction.objects.values_list("pk", flat=True))
    session.save()


# -- each public path: does it show the listing? ------------------------------------------
def in_search_page(client: Client, case: Case) -> bool:
    response = client.get("/search/", {"q": "サロン"})
    assert response.status_code == 200
    return case.listing.title in response.content.decode()


def in_resources_list(client: Client, case: Case) -> bool:
    response = client.get("/api/v1/resources", {"page_size": 50})
    assert response.status_code == 200
    return str(case.listing.uuid) in {r["id"] for r in response.json()["results"]}


def in_resource_detail(client: Client, case: Case) -> bool:
    response = client.get(f"/api/v1/resources/{case.listing.uuid}")
    assert response.status_code in (200, 404)
    return response.status_code == 200


def in_match_api(client: Client, case: Case) -> bool:
    response = client.post(reverse("api-match"), json.dumps({}), content_type="application/json")
    assert response.status_code == 200, response.content
    return str(case.listing.uuid) in {r["id"] for r in response.json()["results"]}


def in_match_page(client: Client, case: Case) -> bool:
    response = client.post(reverse("match"), {"age_band": ""})
    assert response.status_code == 200
    return case.listing.title in response.content.decode()


def in_hand_out(client: Client, case: Case) -> bool:
    response = client.post(reverse("match-print"), {"id": [str(case.listing.uuid)]})
    assert response.status_code in (200, 422)  # 422: none of the chosen ids can be printed
    return case.listing.title in response.content.decode()


def in_coverage(client: Client, case: Case) -> bool:
    table = coverage_table("category")
    [row] = [row for row in table.rows if row.district.pk == case.listing.area_id]
    return row.listings == 1 and row.counts["salon"] == 1


def in_partner_results(client: Client, case: Case) -> bool:
    links = {link.id for partner in find_partners(PartnerQuery()) for link in partner.listings}
    return str(case.listing.uuid) in links


def in_partner_api(client: Client, case: Case) -> bool:
    response = client.get("/api/v1/members", {"page_size": 50})
    assert response.status_code == 200
    ids = {link["id"] for m in response.json()["results"] for link in m["listings"]}
    return str(case.listing.uuid) in ids


def in_hsds_list(client: Client, case: Case) -> bool:
    response = client.get(reverse("hsds-services"), {"per_page": 200})
    assert response.status_code == 200
    return str(case.listing.uuid) in {s["id"] for s in response.json()["contents"]}


def in_hsds_detail(client: Client, case: Case) -> bool:
    response = client.get(reverse("hsds-service", args=[case.listing.uuid]))
    assert response.status_code in (200, 404)
    return response.status_code == 200


def _ics_has(client: Client, url: str, case: Case) -> bool:
    response = client.get(url)
    if response.status_code == 404:
        return False
    assert response.status_code == 200
    return f"UID:{case.listing.uuid}@" in response.content.decode()


def in_listing_ics(client: Client, case: Case) -> bool:
    return _ics_has(client, reverse("listing-ics", kwargs={"uuid": case.listing.uuid}), case)


def in_member_feed(client: Client, case: Case) -> bool:
    slug = case.member_page.member.slug
    return _ics_has(client, reverse("member-ics", kwargs={"slug": slug}), case)


def in_category_feed(client: Client, case: Case) -> bool:
    return _ics_has(client, reverse("category-ics", kwargs={"slug": "salon"}), case)


def in_area_feed(client: Client, case: Case) -> bool:
    code = case.listing.area.code
    return _ics_has(client, reverse("area-ics", kwargs={"code": code}), case)


def in_jsonld(client: Client, case: Case) -> bool:
    unlock(client)
    response = client.get(case.listing.url)
    assert response.status_code == 200
    page = response.content.decode()
    assert case.listing.title in page  # the page itself is shown behind its password
    return "application/ld+json" in page


def in_open_data(client: Client, case: Case) -> bool:
    text = export_csv("event" if isinstance(case.listing, EventPage) else "facility")
    return case.listing.title in text


def in_member_page(client: Client, case: Case) -> bool:
    unlock(client)
    response = client.get(case.member_page.url)
    assert response.status_code == 200
    return case.listing.title in response.content.decode()


def in_report_form(client: Client, case: Case) -> bool:
    response = client.get(reverse("listing-report", kwargs={"uuid": case.listing.uuid}))
    assert response.status_code in (200, 404)
    return response.status_code == 200


PATHS = [
    in_search_page,
    in_resources_list,
    in_resource_detail,
    in_match_api,
    in_match_page,
    in_hand_out,
    in_coverage,
    in_partner_results,
    in_partner_api,
    in_hsds_list,
    in_hsds_detail,
    in_listing_ics,
    in_member_feed,
    in_category_feed,
    in_area_feed,
    in_jsonld,
    in_open_data,
    in_member_page,
    in_report_form,
]


@pytest.mark.parametrize("shows", PATHS, ids=lambda f: f.__name__)
def test_a_password_protected_listing_is_nowhere_public(client, case, shows):
    assert not shows(client, case)


@pytest.mark.parametrize("shows", PATHS, ids=lambda f: f.__name__)
def test_it_comes_back_once_the_password_is_removed(
    client, case, shows, django_capture_on_commit_callbacks
):
    unprotect(case, django_capture_on_commit_callbacks)
    assert shows(client, case)


def test_the_public_neighbour_is_shown_meanwhile(client, case):
    response = client.get("/api/v1/resources", {"page_size": 50})
    assert [r["name"] for r in response.json()["results"]] == ["となりのサロン"]


# -- the rule itself --------------------------------------------------------------------------
def test_the_querysets_and_the_predicates_agree(case, django_capture_on_commit_callbacks):
    model = type(case.listing)
    listing = model.objects.get(pk=case.listing.pk)
    assert not model.objects.for_residents().filter(pk=listing.pk).exists()
    assert not model.objects.for_open_data().filter(pk=listing.pk).exists()
    assert not listing.is_visible_to_residents() and not listing.is_open_data()
    assert [page.title for page in resident_listings()] == ["となりのサロン"]
    unprotect(case, django_capture_on_commit_callbacks)
    assert listing.is_visible_to_residents() and listing.is_open_data()
    assert sorted(page.title for page in resident_listings()) == [
        "となりのサロン",
        "ひみつのサロン",
    ]


def test_paused_is_open_data_but_not_offered_to_residents(engine):
    paused = PlacePageFactory(status=ListingStatus.PAUSED)
    assert paused.is_open_data() and not paused.is_visible_to_residents()
    assert PlacePage.objects.for_open_data().filter(pk=paused.pk).exists()
    assert not PlacePage.objects.for_residents().filter(pk=paused.pk).exists()


def test_a_suspended_members_listings_are_not_shown(engine):
    listing, neighbour = PlacePageFactory(), PlacePageFactory()
    owner = MemberPage.objects.get(path=listing.path[: -Page.steplen]).member
    owner.status = MemberStatus.SUSPENDED
    owner.save()
    assert not listing.is_visible_to_residents() and not listing.is_open_data()
    assert neighbour.is_visible_to_residents()


def test_a_draft_is_not_shown(engine):
    draft = PlacePageFactory(live=False)
    assert not draft.is_visible_to_residents() and not draft.is_open_data()


def test_a_visitor_with_the_password_still_opens_the_page(client, case):
    """Wagtail's own password form keeps working: the page shows, without JSON-LD."""
    assert case.listing.title not in client.get(case.listing.url).content.decode()
    restriction = PageViewRestriction.objects.get(page=case.protected)
    url = reverse(
        "wagtailcore_authenticate_with_password", args=[restriction.pk, case.protected.pk]
    )
    answer = client.post(url, {"password": PASSWORD, "return_url": case.listing.url})
    assert answer.status_code == 302 and answer["Location"] == case.listing.url
    page = client.get(case.listing.url).content.decode()
    assert case.listing.title in page and "application/ld+json" not in page


def test_the_members_index_leaves_out_a_password_protected_member_page(client):
    """/members/ names only member pages the public may open (the listings' own rule)."""
    shown = member_page_for(cast(Member, MemberFactory(name="ひらかれた会")))
    hidden = member_page_for(cast(Member, MemberFactory(name="かくれた会")))
    protect(hidden)
    index = shown.get_parent()

    page = client.get(index.url).content.decode()

    assert "ひらかれた会" in page
    assert "かくれた会" not in page
