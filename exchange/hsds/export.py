"""Listings and members as HSDS 3.0 objects (Open Referral Human Services Data Specification).

One place builds every HSDS object, so `export_hsds`, the `/api/hsds/` read API and the
round-trip tests agree. Which listings leave is selection.py (`for_open_data()` only); ids are
ids.py; locations and service areas, where confidential places show only their area, are
places.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, time
from typing import Any

from core.language import source_text
from directory.models import CostType, ListingPage, ListingStatus, Member, Scheme, VocabularyTerm
from directory.models.listings import LANGUAGE_CHOICES, LANGUAGE_TAGS
from exchange.hsds.ids import (
    child_id,
    compact,
    organization_id_slots,
    taxonomy_id,
    taxonomy_name,
    taxonomy_term_id,
    with_kept_ids,
)
from exchange.hsds.places import location_objects, service_area_objects
from exchange.hsds.schedules import HOLIDAY_NOTE
from exchange.hsds.selection import PublicListing, listing_terms, public_listings
from exchange.rrule import RRuleSpec, to_spec

HSDS_VERSION = "3.0"
SUMMARY_LENGTH = 200  # the listing's ひとことで, cut from a longer HSDS description
VOCABULARY_SCHEMES = (Scheme.KIND, Scheme.CATEGORY, Scheme.TARGET, Scheme.CONDITION)
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
LANGUAGE_TO_HSDS = LANGUAGE_TAGS
LANGUAGE_LABELS = dict(LANGUAGE_CHOICES)
CORPORATE_NUMBER_SCHEME = "JP-JCN"
EXDATE_NOTE = "休み（EXDATE）: "
DEADLINE_LINE = "申込締切: "
CAPACITY_LINE = "定員: "
JST_OFFSET = "+09:00"


# -- taxonomies ---------------------------------------------------------------------------
def taxonomy_object(scheme: str) -> dict[str, Any]:
    return {
        "id": taxonomy_id(scheme),
        "name": taxonomy_name(scheme),
        "description": TAXONOMY_DESCRIPTIONS[Scheme(scheme)],
        "version": "1",
    }


def taxonomy_term_object(term: VocabularyTerm) -> dict[str, Any]:
    return compact(
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
    contacts = (
        [
            {
                "id": child_id(member.uuid, "contact"),
                "organization_id": str(member.uuid),
                "department": member.contact_point,
            }
        ]
        if member.contact_point
        else []
    )
    organization = compact(
        {
            "id": str(member.uuid),
            "name": member.name,
            "alternate_name": member.kana,
            "description": member.description,
            "email": member.email,
            "website": member.website,
            "legal_status": member.member_type,
            "contacts": contacts,
            "phones": phones,
            "organization_identifiers": identifiers,
        },
        keep=("description",),
    )
    return with_kept_ids(organization, member.hsds_source.get("ids", {}), organization_id_slots)


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
    return _with_ids(listing, [compact(s) for s in schedules])


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


def _cost_options(listing: ListingPage) -> list[dict[str, Any]]:
    if not listing.cost_type:
        return []
    return [
        compact(
            {
                "id": child_id(listing.uuid, "cost_option"),
                "service_id": str(listing.uuid),
                "option": source_text(CostType(listing.cost_type).label),
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


def split_description(text: str) -> tuple[str, str]:
    """Summary and description of an HSDS description (the inverse of hsds_description).

    Ours is "summary\n\ndescription"; in another file the first paragraph is the summary,
    cut with 「…」 when too long, and the whole text then stays the description.
    """
    first, _, rest = text.partition("\n\n")
    if len(first) <= SUMMARY_LENGTH:
        return first.strip(), rest.strip()
    return first[: SUMMARY_LENGTH - 1] + "…", text


def hsds_description(listing: ListingPage) -> str:
    """ "summary\n\ndescription", or the description alone when the summary was cut from it."""
    summary, description = listing.summary, listing.description
    if summary.endswith("…") and description.startswith(summary.removesuffix("…")):
        return description
    return "\n\n".join(filter(None, (summary, description)))


def service_object(item: PublicListing) -> dict[str, Any]:
    """A fully embedded HSDS service (what export_hsds writes and /services/{id} returns)."""
    listing, member = item.listing, item.member
    service_id = str(listing.uuid)
    description = hsds_description(listing)
    contacts = (
        [
            compact(
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
        or (source_text(CostType(listing.cost_type).label) if listing.cost_type else ""),
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
    return with_kept_ids(compact(service), listing.hsds_source.get("ids", {}))


def service_list_object(item: PublicListing) -> dict[str, Any]:
    """The one-to-one fields of a service (the list form of the API)."""
    listing = item.listing
    modified = listing.last_published_at or listing.latest_revision_created_at
    imported = listing.hsds_source
    return compact(
        {
            "id": str(listing.uuid),
            "organization_id": str(item.member.uuid),
            "name": listing.title,
            "alternate_name": listing.kana,
            "description": listing.summary,
            "status": STATUS_TO_HSDS[ListingStatus(listing.status)],
            "minimum_age": listing.age_min,
            "maximum_age": listing.age_max,
            "assured_date": _iso(listing.last_verified),
            "last_modified": imported["last_modified"]
            if imported.get("last_modified")
            and imported.get("revision") == listing.live_revision_id
            else (modified.isoformat() if modified else None),
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
