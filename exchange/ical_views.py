"""iCalendar downloads: one listing, or every public listing (of a member, category or area).

Cached until public content changes (core.public_cache): an area feed renders every listing.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404

from core.http import Cors, with_cors
from core.limits import limited
from core.public_cache import public_cached
from directory.listings.location import public_area, public_service_areas
from directory.models import Area, Member, MemberStatus, Scheme, VocabularyTerm
from exchange.hsds.selection import PublicListing, find_public_listing, public_listings
from exchange.ical import calendar

SITE_NAME = "つながり"


def _ics(
    request: HttpRequest, name: str, filename: str, items: Iterable[PublicListing]
) -> HttpResponse:
    cal = calendar(name, items, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return with_cors(response, Cors.ANY_ORIGIN)  # public feeds (core.http)


@limited("feed", cors=Cors.ANY_ORIGIN)
@public_cached
def listing_calendar(request: HttpRequest, uuid: UUID) -> HttpResponse:
    item = find_public_listing(uuid)
    if item is None:
        raise Http404("掲載が見つかりません。")
    return _ics(request, f"{SITE_NAME}: {item.listing.title}", str(uuid), [item])


@limited("feed", cors=Cors.ANY_ORIGIN)
@public_cached
def member_feed(request: HttpRequest, slug: str) -> HttpResponse:
    member = get_object_or_404(Member, slug=slug, status=MemberStatus.APPROVED)
    items = [item for item in public_listings() if item.member.pk == member.pk]
    return _ics(request, f"{SITE_NAME}: {member.name}", f"member-{slug}", items)


@limited("feed", cors=Cors.ANY_ORIGIN)
@public_cached
def category_feed(request: HttpRequest, slug: str) -> HttpResponse:
    term = get_object_or_404(VocabularyTerm, scheme=Scheme.CATEGORY, slug=slug)
    items = [
        item
        for item in public_listings()
        if any(t.pk == term.pk for t in item.listing.categories.all())
    ]
    return _ics(request, f"{SITE_NAME}: {term.label}", f"category-{slug}", items)


@limited("feed", cors=Cors.ANY_ORIGIN)
@public_cached
def all_feed(request: HttpRequest) -> HttpResponse:
    """Every public listing's sessions: the feed /events/ offers without filters."""
    return _ics(request, f"{SITE_NAME}: すべての開催日", "all", public_listings())


def area_and_below(area: Area) -> set[int]:
    """The area and every area below it (municipality → 学区・圏域)."""
    found, frontier = {area.pk}, [area.pk]
    while frontier:
        frontier = list(Area.objects.filter(parent__in=frontier).values_list("pk", flat=True))
        found.update(frontier)
    return found


@limited("feed", cors=Cors.ANY_ORIGIN)
@public_cached
def area_feed(request: HttpRequest, code: str) -> HttpResponse:
    area = get_object_or_404(Area, code=code)
    inside = area_and_below(area)
    items = [
        item
        for item in public_listings()
        if getattr(public_area(item.listing), "pk", None) in inside
        or any(a.pk in inside for a in public_service_areas(item.listing))
    ]
    return _ics(request, f"{SITE_NAME}: {area.name}", f"area-{code}", items)
