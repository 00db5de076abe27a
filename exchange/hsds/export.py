"""Listings and members as HSDS 3.0 objects (Open Referral Human Services Data Specification).

One place builds every HSDS object, so `export_hsds`, the `/api/hsds/` read API and the
round-trip tests agree. Ids of listings and members are their own UUIDs; ids of the nested
objects (locations, schedules, attributes …) are UUIDv5 derived from the owner's UUID, so an
export is stable from one run to the next and an import can find them again.
Only public data leaves: the listings of `for_open_data()` (directory/models/listings.py — live,
no password, approved member, any status); confidential places keep
their address and point to themselves and show only their area.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from wagtail.models import Page

from directory.listings.location import PublicLocation, public_location, public_service_areas
from directory.models import (
    Area,
    CostType,
    EventPage,
    ListingPage,
    ListingStatus,
    LocationMode,
    Member,
    MemberPage,
    Scheme,
    VocabularyTerm,
)
from directory.models.listings import (
    LANGUAGE_CHOICES,
    ListingQuerySet,
    find_visible_listing,
    open_data_listings,
)
from exchange.hsds.schedules import HOLIDAY_NOTE
from exchange.rrule import RRuleSpec, to_spec

HSDS_VERSION = "3.0"
# Fixed namespace for ids that belong to the platform rather than to one listing (taxonomies).
NAMESPACE = uuid.UUID("6f1c9a52-2b7e-4d4e-9a57-4b0c3f1d8e21")
VOCABULARY_SCHEMES = (Scheme.KIND, Scheme.CATEGORY, Scheme.TARGET, Scheme.CONDITION)
TAXONOMY_PREFIX = "tsunagari-"
# Vocabulary scheme → the listing field holding its terms (the kind is the page type).
LISTING_VOCABULARY = {
    Scheme.CATEGORY: "categories",
    Scheme.TARGET: "targets",
    Scheme.CONDITION: "conditions",
}
TAXONOMY_DESCRIPTIONS = {
    Scheme.KIND: "つながりの掲載の種類（居場所・支援・イベント） / Kind of listing",
    Scheme.CATEGORY: "分野 / Category of activity",
    Scheme.TARGET: "対象 / Who it is for",
    Scheme.CONDITION: "参加条件 / Conditions of participation",
}
STATUS_TO_HSDS = {
    ListingStatus.ACTIVE: "active",
    ListingStatus.PAUSED: "temporarily closed",
    ListingStatus.ENDED: "defunct",
}
# BCP 47 for the two project codes that are not ISO 639-1 (jsl is ISO 639-3 already).
LANGUAGE_TO_HSDS = {"easy-ja": "ja-x-easy"}
LANGUAGE_LABELS = dict(LANGUAGE_CHOICES)
AREA_URI = "urn:tsunagari:area:"
OUTSIDE_AREA_URI = "urn:tsunagari:outside-area-ok"
AREA_IDENTIFIER_TYPE = "tsunagari-area"
CORPORATE_NUMBER_SCHEME = "JP-JCN"
EXDATE_NOTE = "休み（EXDATE）: "
DEADLINE_LINE = "申込締切: "
CAPACITY_LINE = "定員: "
ONLINE_NAME = "オンライン"
JST_OFFSET = "+09:00"


@dataclass(frozen=True)
class PublicListing:
    """A live, public listing, the approved member that publishes it and its kind's term.

    `kind` is looked up once per list (public_listings), not once per listing and output.
    """

    listing: ListingPage
    member: Member
    kind: VocabularyTerm | None = None


def child_id(owner: uuid.UUID | str, *parts: object) -> str:
    """A stable UUID for an object nested in `owner` (a listing or member UUID)."""
    return str(uuid.uuid5(uuid.UUID(str(owner)), "/".join(map(str, parts))))


def taxonomy_name(scheme: str) -> str:
    return f"{TAXONOMY_PREFIX}{scheme}"


def taxonomy_id(scheme: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"taxonomy/{scheme}"))


def taxonomy_term_id(scheme: str, slug: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"taxonomy_term/{scheme}/{slug}"))


def _compact(obj: dict[str, Any], keep: Iterable[str] = ()) -> dict[str, Any]:
    """Drop empty optional fields: HSDS strings may not be null."""
    kept = set(keep)
    return {k: v for k, v in obj.items() if k in kept or v not in (None, "", [])}


# -- taxonomies ---------------------------------------------------------------------------
def taxonomy_object(scheme: str) -> dict[str, Any]:
    return {
        "id": taxonomy_id(scheme),
        "name": taxonomy_name(scheme),
        "description": TAXONOMY_DESCRIPTIONS[Scheme(scheme)],
        "version": "1",
    }


def taxonomy_term_object(term: VocabularyTerm) -> dict[str, Any]:
    return _compact(
        {
            "id": taxonomy_term_id(term.scheme, term.slug),
            "code": term.slug,
            "name": term.label,
            "description": term.description or term.label,
            "taxonomy": taxonomy_name(term.scheme),
            "taxonomy_id": taxonomy_id(term.scheme),
            "language": "ja",
        },
        keep=("description",),
    )


def vocabulary_terms() -> list[VocabularyTerm]:
    """The terms that appear in HSDS (kind, category, target, condition), in curated order."""
    return list(VocabularyTerm.objects.filter(scheme__in=VOCABULARY_SCHEMES))


# -- organizations ------------------------------------------------------------------------
def organization_object(member: Member) -> dict[str, Any]:
    phones = (
        [
            {
                "id": child_id(member.uuid, "phone"),
                "organization_id": str(member.uuid),
                "number": member.phone,
            }
        ]
        if member.phone
        else []
    )
    identifiers = (
        [
            {
                "id": child_id(member.uuid, "identifier", CORPORATE_NUMBER_SCHEME),
                "organization_id": str(member.uuid),
                "identifier_scheme": CORPORATE_NUMBER_SCHEME,
                "identifier_type": "法人番号",
                "identifier": member.corporate_number,
            }
        ]
        if member.corporate_number
        else []
    )
    return _compact(
        {
            "id": str(member.uuid),
            "name": member.name,
            "alternate_name": member.kana,
            "description": member.description,
            "email": member.email,
            "website": member.website,
            "legal_status": member.member_type,
            "phones": phones,
            "organization_identifiers": identifiers,
        },
        keep=("description",),
    )


def public_members() -> list[Member]:
    """Approved members with a live page: the organisations the public can see."""
    pages = MemberPage.objects.for_residents()
    return list(Member.objects.filter(page__in=pages).order_by("kana", "name"))


# -- listings -----------------------------------------------------------------------------
def public_listings() -> list[PublicListing]:
    """Every listing the PF publishes as data (`for_open_data()`), in a stable order."""

    def related(queryset: ListingQuerySet) -> ListingQuerySet:
        queryset = queryset.select_related("area__parent__parent").prefetch_related(
            "categories", "targets", "conditions", "service_areas"
        )
        if queryset.model is EventPage:
            queryset = queryset.select_related("venue__area__parent__parent")
        return queryset

    listings = list(open_data_listings(related))
    owners = _owners(listings)
    kinds = _kind_terms()
    found = [
        PublicListing(listing, owners[listing.path[: -Page.steplen]], kind_term(listing, kinds))
        for listing in listings
    ]
    return sorted(found, key=lambda item: (item.listing.title, str(item.listing.uuid)))


def find_public_listing(listing_uuid: uuid.UUID | str) -> PublicListing | None:
    """One published listing by its UUID (None when unknown or not `for_open_data()`)."""
    listing = find_visible_listing(listing_uuid, open_data=True)
    if listing is None:
        return None
    owner = _owners([listing])[listing.path[: -Page.steplen]]
    return PublicListing(listing, owner, kind_term(listing, _kind_terms()))


def _owners(listings: Iterable[ListingPage]) -> dict[str, Member]:
    """MemberPage path → its member, for the pages holding `listings` (their parents)."""
    paths = {listing.path[: -Page.steplen] for listing in listings}
    pages = MemberPage.objects.filter(path__in=paths).select_related("member")
    return {page.path: page.member for page in pages}


def kind_term(listing: ListingPage, kinds: Iterable[VocabularyTerm]) -> VocabularyTerm:
    """The vocabulary term of the listing's kind (an unsaved stand-in when it has none)."""
    return next(
        (t for t in kinds if t.slug == listing.kind),
        VocabularyTerm(scheme=Scheme.KIND, slug=listing.kind, label=listing.kind),
    )


def listing_terms(
    listing: ListingPage, kind: VocabularyTerm | None = None
) -> list[tuple[str, VocabularyTerm]]:
    """(scheme, term) of the listing's kind and vocabulary, kind first.

    Pass `kind` (PublicListing.kind) when it is known: otherwise it costs a query.
    """
    found = [(Scheme.KIND.value, kind or kind_term(listing, _kind_terms()))]
    for scheme, attribute in LISTING_VOCABULARY.items():
        terms = sorted(getattr(listing, attribute).all(), key=lambda t: (t.sort_order, t.slug))
        found.extend((scheme.value, term) for term in terms)
    return found


def _kind_terms() -> list[VocabularyTerm]:
    return list(VocabularyTerm.objects.filter(scheme=Scheme.KIND))


def attribute_objects(
    listing: ListingPage, kind: VocabularyTerm | None = None
) -> list[dict[str, Any]]:
    return [
        {
            "id": child_id(listing.uuid, "attribute", scheme, term.slug),
            "link_id": str(listing.uuid),
            "link_type": "service",
            "link_entity": "service",
            "taxonomy_term_id": taxonomy_term_id(scheme, term.slug),
            "taxonomy_term": taxonomy_term_object(term),
        }
        for scheme, term in listing_terms(listing, kind)
    ]


def _area_fields(area: Area | None) -> dict[str, Any]:
    if area is None:
        return {}
    return {"external_identifier": area.code, "external_identifier_type": AREA_IDENTIFIER_TYPE}


def location_objects(listing: ListingPage) -> list[dict[str, Any]]:
    """The physical (or area-only) location and, when it can be joined online, a virtual one."""
    place = public_location(listing)
    locations: list[dict[str, Any]] = []
    accessibility = (
        [
            {
                "id": child_id(listing.uuid, "accessibility"),
                "description": listing.accessibility,
            }
        ]
        if listing.accessibility
        else []
    )
    if place.mode == LocationMode.CONFIDENTIAL:
        area_name = place.area_name
        locations.append(
            _compact(
                {
                    "id": child_id(listing.uuid, "location", "physical"),
                    "location_type": "physical",
                    "name": area_name,
                    "description": f"所在地は公開していません（地域: {area_name}）。",
                    **_area_fields(place.area),
                    "accessibility": accessibility,
                }
            )
        )
    elif place.mode == LocationMode.ADDRESS:
        locations.append(_physical_location(listing, place, accessibility))
    if listing.location_mode == LocationMode.ONLINE or listing.online_available:
        locations.append(
            _compact(
                {
                    "id": child_id(listing.uuid, "location", "virtual"),
                    "location_type": "virtual",
                    "name": ONLINE_NAME,
                    "url": listing.online_url,
                    "accessibility": accessibility if not locations else [],
                }
            )
        )
    for location in locations:
        for item in location.get("accessibility", []):
            item["location_id"] = location["id"]
    return locations


def _physical_location(
    listing: ListingPage, place: PublicLocation, accessibility: list[dict[str, Any]]
) -> dict[str, Any]:
    location_id = child_id(listing.uuid, "location", "physical")
    municipality = place.area.municipality if place.area else None
    prefecture = municipality.parent if municipality else None
    address = {
        "id": child_id(listing.uuid, "address"),
        "location_id": location_id,
        "address_1": place.address,
        "address_2": place.building,
        "city": municipality.name if municipality else "",
        "state_province": prefecture.name if prefecture else "",
        "postal_code": place.postal_code,
        "country": "JP",
        "address_type": "physical",
    }
    point = place.point
    return _compact(
        {
            "id": location_id,
            "location_type": "physical",
            "name": listing.title,
            "latitude": point[0] if point else None,
            "longitude": point[1] if point else None,
            **_area_fields(place.area),
            "addresses": [
                _compact(address, keep=("address_1", "city", "state_province", "postal_code"))
            ],
            "accessibility": accessibility,
        }
    )


def _hsds_time(value: time | None) -> str | None:
    return f"{value:%H:%M}{JST_OFFSET}" if value else None


def schedule_objects(listing: ListingPage) -> list[dict[str, Any]]:
    """One HSDS schedule per weekly/monthly rule and per date; the text goes in description."""
    service_id = str(listing.uuid)
    schedules: list[dict[str, Any]] = []
    for rule in listing.recurrences:
        description = listing.schedule_text or rule.describe()
        common = {
            "service_id": service_id,
            "opens_at": _hsds_time(rule.start_time),
            "closes_at": _hsds_time(rule.end_time),
            "timezone": 9,
            "description": description,
        }
        if rule.frequency == "dates":
            for day in sorted(d for d in set(rule.dates) if rule.matches(d)):
                iso = day.isoformat()
                schedules.append(
                    {"dtstart": iso, "valid_from": iso, "valid_to": iso, "count": 1, **common}
                )
            continue
        spec = to_spec(rule)
        schedules.append(
            {
                "freq": spec.freq,
                "interval": spec.interval,
                "byday": ",".join(spec.byday),
                "wkst": spec.wkst,
                "dtstart": _iso(spec.dtstart),
                "until": _iso(spec.until),
                "valid_from": _iso(rule.valid_from),
                "valid_to": _iso(rule.valid_until),
                "notes": _notes(spec),
                **common,
            }
        )
    if not schedules and listing.schedule_text:
        schedules.append({"service_id": service_id, "description": listing.schedule_text})
    return _with_ids(listing, [_compact(s) for s in schedules])


def _notes(spec: RRuleSpec) -> str | None:
    """HSDS has no field for exception days or 「祝日は休み」: both go into notes."""
    parts = [HOLIDAY_NOTE] if spec.closed_on_holidays else []
    if spec.exdates:
        parts.append(EXDATE_NOTE + ", ".join(d.isoformat() for d in spec.exdates))
    return "".join(parts) or None


def _with_ids(listing: ListingPage, schedules: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Content-derived ids: the same schedule keeps its id after an import/export cycle."""
    seen: dict[str, int] = {}
    for schedule in schedules:
        key = "|".join(
            str(schedule.get(k, ""))
            for k in ("freq", "interval", "byday", "dtstart", "until", "opens_at", "closes_at")
        )
        seen[key] = seen.get(key, 0) + 1
        schedule["id"] = child_id(listing.uuid, "schedule", key, seen[key])
    return [{"id": s.pop("id"), **s} for s in schedules]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def service_area_objects(listing: ListingPage) -> list[dict[str, Any]]:
    areas = sorted(public_service_areas(listing), key=lambda a: a.code)
    found = [
        {
            "id": child_id(listing.uuid, "service_area", area.code),
            "service_id": str(listing.uuid),
            "name": area.name,
            "uri": f"{AREA_URI}{area.code}",
        }
        for area in areas
    ]
    if listing.accepts_outside_area:
        found.append(
            {
                "id": child_id(listing.uuid, "service_area", "outside"),
                "service_id": str(listing.uuid),
                "name": "対象地域外からも参加できます",
                "uri": OUTSIDE_AREA_URI,
            }
        )
    return found


def _cost_options(listing: ListingPage) -> list[dict[str, Any]]:
    if not listing.cost_type:
        return []
    return [
        _compact(
            {
                "id": child_id(listing.uuid, "cost_option"),
                "service_id": str(listing.uuid),
                "option": CostType(listing.cost_type).label,
                "currency": "JPY",
                "amount": 0 if listing.cost_type == CostType.FREE else None,
                "amount_description": listing.cost_text,
            }
        )
    ]


def _application_process(listing: ListingPage) -> str:
    lines = [listing.how_to_join] if listing.how_to_join else []
    deadline = getattr(listing, "registration_deadline", None)
    if deadline:
        lines.append(f"{DEADLINE_LINE}{deadline.isoformat()}")
    if listing.capacity:
        lines.append(f"{CAPACITY_LINE}{listing.capacity}名")
    return "\n".join(lines)


def service_object(item: PublicListing) -> dict[str, Any]:
    """A fully embedded HSDS service (what export_hsds writes and /services/{id} returns)."""
    listing, member = item.listing, item.member
    service_id = str(listing.uuid)
    description = "\n\n".join(filter(None, (listing.summary, listing.description)))
    contacts = (
        [
            _compact(
                {
                    "id": child_id(listing.uuid, "contact"),
                    "service_id": service_id,
                    "department": listing.contact_point,
                    "email": listing.email,
                }
            )
        ]
        if listing.contact_point
        else []
    )
    service = {
        **service_list_object(item),
        "description": description,
        "url": listing.website,
        "email": listing.email,
        "application_process": _application_process(listing),
        "fees_description": listing.cost_text
        or (CostType(listing.cost_type).label if listing.cost_type else ""),
        "phones": [
            {
                "id": child_id(listing.uuid, "phone"),
                "service_id": service_id,
                "number": listing.phone,
                "type": "voice",
            }
        ]
        if listing.phone
        else [],
        "contacts": contacts,
        "schedules": schedule_objects(listing),
        "service_areas": service_area_objects(listing),
        "service_at_locations": [
            service_at_location_object(listing, location) for location in location_objects(listing)
        ],
        "languages": [
            {
                "id": child_id(listing.uuid, "language", code),
                "service_id": service_id,
                "name": LANGUAGE_LABELS.get(code, code),
                "code": LANGUAGE_TO_HSDS.get(code, code),
            }
            for code in listing.languages or []
        ],
        "cost_options": _cost_options(listing),
        "attributes": attribute_objects(listing, item.kind),
        "organization": organization_object(member),
    }
    return _compact(service)


def service_list_object(item: PublicListing) -> dict[str, Any]:
    """The one-to-one fields of a service (the list form of the API)."""
    listing = item.listing
    modified = listing.last_published_at or listing.latest_revision_created_at
    return _compact(
        {
            "id": str(listing.uuid),
            "organization_id": str(item.member.uuid),
            "name": listing.title,
            "alternate_name": listing.kana,
            "description": listing.summary,
            "status": STATUS_TO_HSDS[ListingStatus(listing.status)],
            "assured_date": _iso(listing.last_verified),
            "last_modified": modified.isoformat() if modified else None,
        }
    )


def service_at_location_object(listing: ListingPage, location: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": child_id(listing.uuid, "service_at_location", location["location_type"]),
        "service_id": str(listing.uuid),
        "location_id": location["id"],
        "location": location,
    }


def export_services() -> Iterator[dict[str, Any]]:
    """Every public listing as an embedded HSDS service object."""
    for item in public_listings():
        yield service_object(item)
