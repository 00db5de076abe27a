"""schema.org JSON-LD for public pages: Place (居場所), Event, Service and Organization.

Built from what the page itself shows, so it never says more than the page: no personal data
(contacts are organisational), and no address or coordinates for a confidential listing, only
its area. `script_tag` escapes the JSON so no text can close the <script> element.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from directory.listings.location import public_location, public_service_areas
from directory.listings.schedules import JST, Occurrence, Recurrence, next_occurrences
from directory.models import (
    CostType,
    EventPage,
    ListingPage,
    ListingStatus,
    LocationMode,
    MemberPage,
    PlacePage,
    ServicePage,
)
from directory.models.listings import language_tag
from exchange.rrule import exception_dates

SCHEMA = "https://schema.org"
DAY_URIS = tuple(
    f"{SCHEMA}/{day}"
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
)
EVENT_STATUS = {
    ListingStatus.ACTIVE: f"{SCHEMA}/EventScheduled",
    ListingStatus.PAUSED: f"{SCHEMA}/EventPostponed",
}
# A multi-session event lists this many upcoming sessions as subEvents: every one of a list of
# dates in practice; a repeating rule's further sessions are what its eventSchedule says.
SUB_EVENT_LIMIT = 30
# As django.utils.html.json_script: these characters cannot end the script element or open markup.
SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def script_tag(data: dict[str, Any]) -> SafeString:
    """<script type="application/ld+json"> with the JSON escaped like Django's json_script."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(SCRIPT_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


def absolute(url: str | None, base: str) -> str | None:
    """Wagtail page URLs may be relative; JSON-LD wants absolute ones."""
    if not url:
        return None
    return url if url.startswith(("http://", "https://")) else base.rstrip("/") + url


def compact(data: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values so the output only states what is known."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


# -- pieces -----------------------------------------------------------------------------------
def organization(member_page: MemberPage, base: str) -> dict[str, Any]:
    """A member as an Organization: organisational contact only, never its own address."""
    member = member_page.member
    identifiers = [
        {"@type": "PropertyValue", "propertyID": "tsunagari-id", "value": str(member.uuid)}
    ]
    if member.corporate_number:
        identifiers.append(
            {
                "@type": "PropertyValue",
                "propertyID": "jp-corporate-number",
                "value": member.corporate_number,
            }
        )
    return compact(
        {
            "@type": "Organization",
            "@id": absolute(member_page.url, base),
            "name": member.name,
            "alternateName": member.kana,
            "url": absolute(member_page.url, base),
            "sameAs": member.website,
            "description": member.description,
            "identifier": identifiers,
            "telephone": member.phone,
            "email": member.email,
            "knowsAbout": [term.label for term in member.fields.all()],
            "areaServed": [area.name for area in member.areas.all()],
        }
    )


def publisher(listing: ListingPage, base: str) -> dict[str, Any] | None:
    """The member whose page holds the listing (listings only live under member pages)."""
    parent = listing.member_page
    return organization(parent, base) if isinstance(parent, MemberPage) else None


def place(listing: ListingPage) -> dict[str, Any]:
    """Where the listing happens, as much as it may say: address and geo, area only, or none."""
    view = public_location(listing)
    if view.mode == LocationMode.CONFIDENTIAL:
        return compact(
            {
                "@type": "Place",
                "name": view.lines[0],
                "containedInPlace": compact(
                    {"@type": "AdministrativeArea", "name": view.area_name}
                ),
            }
        )
    data: dict[str, Any] = {
        "@type": "Place",
        "name": (view.venue or listing).title,
        "address": compact(
            {
                "@type": "PostalAddress",
                "postalCode": view.postal_code,
                "streetAddress": view.street,
                "addressCountry": "JP",
            }
        ),
    }
    if view.point:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": view.point[0],
            "longitude": view.point[1],
        }
    if view.area_name:
        data["containedInPlace"] = {"@type": "AdministrativeArea", "name": view.area_name}
    return compact(data)


def schedule(rule: Recurrence) -> dict[str, Any]:
    """A weekly or monthly rule as a schema.org Schedule (byDay, repeatFrequency, times)."""
    frequency = f"P{rule.interval}W" if rule.frequency == "weekly" else "P1M"
    return compact(
        {
            "@type": "Schedule",
            "repeatFrequency": frequency,
            "byDay": [DAY_URIS[day] for day in rule.weekdays],
            "byMonthWeek": list(rule.nths) if rule.frequency == "monthly" else None,
            "startTime": f"{rule.start_time:%H:%M}" if rule.start_time else None,
            "endTime": f"{rule.end_time:%H:%M}" if rule.end_time else None,
            "startDate": rule.valid_from.isoformat() if rule.valid_from else None,
            "endDate": rule.valid_until.isoformat() if rule.valid_until else None,
            # schema.org has no 「祝日は休み」 for a Schedule: the holidays are listed as days.
            "exceptDate": [day.isoformat() for day in exception_dates(rule)],
            "scheduleTimezone": "Asia/Tokyo",
        }
    )


def opening_hours(rules: list[Recurrence]) -> list[dict[str, Any]]:
    """Plain weekly rules as OpeningHoursSpecification (monthly rules cannot be expressed).

    When every one of them is closed on holidays, PublicHolidays is added as closed all day
    (opens = closes = 00:00, as schema.org says).
    """
    weekly = [rule for rule in rules if rule.frequency == "weekly" and rule.interval == 1]
    hours = [
        compact(
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": [DAY_URIS[day] for day in rule.weekdays],
                "opens": f"{rule.start_time:%H:%M}" if rule.start_time else None,
                "closes": f"{rule.end_time:%H:%M}" if rule.end_time else None,
                "validFrom": rule.valid_from.isoformat() if rule.valid_from else None,
                "validThrough": rule.valid_until.isoformat() if rule.valid_until else None,
            }
        )
        for rule in weekly
    ]
    if weekly and all(rule.closed_on_holidays for rule in weekly):
        hours.append(
            {
                "@type": "OpeningHoursSpecification",
                "dayOfWeek": f"{SCHEMA}/PublicHolidays",
                "opens": "00:00",
                "closes": "00:00",
            }
        )
    return hours


def common(listing: ListingPage, base: str) -> dict[str, Any]:
    """Fields every listing type shares."""
    return {
        "@context": SCHEMA,
        "@id": absolute(listing.url, base),
        "name": listing.title,
        "alternateName": listing.kana,
        "description": listing.summary,
        "disambiguatingDescription": listing.description,
        "url": absolute(listing.url, base),
        "identifier": str(listing.uuid),
        "image": absolute(listing.image.get_rendition("width-800").url, base)
        if listing.image
        else None,
    }


def keywords_and_cost(listing: ListingPage) -> dict[str, Any]:
    """keywords and isAccessibleForFree: Event and Place have them, schema.org Service does not."""
    return {
        "keywords": ",".join(tag.name for tag in listing.keywords.all()),
        "isAccessibleForFree": True if listing.cost_type == CostType.FREE else None,
    }


def languages(listing: ListingPage) -> list[str]:
    """inLanguage / availableLanguage want BCP 47 tags, not the Japanese names the page shows."""
    return [language_tag(code) for code in listing.languages or ()]


# -- documents --------------------------------------------------------------------------------
def place_document(listing: PlacePage, base: str) -> dict[str, Any]:
    # The listing is the place itself: its own name, with what place() may say about where.
    data = {
        **common(listing, base),
        **keywords_and_cost(listing),
        **place(listing),
        "@type": "Place",
        "name": listing.title,
    }
    data["openingHoursSpecification"] = opening_hours(listing.recurrences)
    data["telephone"] = listing.phone
    data["publicAccess"] = listing.status == ListingStatus.ACTIVE
    return compact(data)


def event_document(listing: EventPage, base: str) -> dict[str, Any]:
    """An Event at its next session; with more than one, every session as a subEvent too.

    Search engines read an event's dates from startDate and subEvent (each an Event with its
    own startDate), not from eventSchedule, so a series is not announced as its next date only.
    """
    rules = listing.recurrences
    upcoming = next_occurrences(rules, count=SUB_EVENT_LIMIT)
    first = upcoming[0] if upcoming else None
    online = listing.location_mode == LocationMode.ONLINE
    mixed = listing.online_available and not online
    locations: list[dict[str, Any]] = []
    if not online:
        locations.append(place(listing))
    if (online or mixed) and listing.online_url:
        # A VirtualLocation is its URL: without one it would say nothing.
        locations.append({"@type": "VirtualLocation", "url": listing.online_url})
    attendance = "Online" if online else "Mixed" if mixed else "Offline"
    shared = {
        "name": listing.title,
        "url": absolute(listing.url, base),
        "eventStatus": EVENT_STATUS.get(listing.status),
        "eventAttendanceMode": f"{SCHEMA}/{attendance}EventAttendanceMode",
        "location": locations[0] if len(locations) == 1 else locations or None,
    }
    data = {
        **common(listing, base),
        **keywords_and_cost(listing),
        **shared,
        "@type": "Event",
        **(session_dates(first) if first else {}),
        "eventSchedule": [schedule(rule) for rule in rules if rule.frequency != "dates"],
        "subEvent": [
            compact({"@type": "Event", **shared, **session_dates(session)}) for session in upcoming
        ]
        if len(upcoming) > 1
        else None,
        "organizer": publisher(listing, base),
        "maximumAttendeeCapacity": listing.capacity,
        "inLanguage": languages(listing),
        "audience": audience(listing),
    }
    return compact(data)


def session_dates(session: Occurrence) -> dict[str, str]:
    """startDate and, when known, endDate of one session."""
    dates = {"startDate": when(session.start, session.all_day)}
    if session.end:
        dates["endDate"] = when(session.end, session.all_day)
    return dates


def when(moment: datetime, all_day: bool) -> str:
    """An ISO date for all-day sessions, otherwise an ISO date-time with +09:00."""
    local = moment.astimezone(JST)
    return local.date().isoformat() if all_day else local.isoformat()


def audience(listing: ListingPage) -> dict[str, Any] | None:
    targets = [term.label for term in listing.targets.all()]
    return {"@type": "Audience", "audienceType": "、".join(targets)} if targets else None


def service_document(listing: ServicePage, base: str) -> dict[str, Any]:
    channel = compact(
        {
            "@type": "ServiceChannel",
            "serviceLocation": place(listing)
            if listing.location_mode != LocationMode.ONLINE
            else None,
            "servicePhone": compact(
                {"@type": "ContactPoint", "telephone": listing.phone, "name": listing.contact_point}
            )
            if listing.phone
            else None,
            "serviceUrl": listing.online_url or listing.website,
            "availableLanguage": languages(listing),
        }
    )
    data = {
        **common(listing, base),
        "@type": "Service",
        "serviceType": [term.label for term in listing.categories.all()],
        "provider": publisher(listing, base),
        "audience": audience(listing),
        "areaServed": [area.name for area in public_service_areas(listing)],
        "availableChannel": channel,
        "hoursAvailable": opening_hours(listing.recurrences),
    }
    return compact(data)


def member_document(member_page: MemberPage, base: str) -> dict[str, Any]:
    return {"@context": SCHEMA, **organization(member_page, base)}


def document_for(page: Any, base: str) -> dict[str, Any] | None:
    """The JSON-LD of a page, or None for page types without one.

    None too for a listing the PF does not publish (`is_open_data()`): one behind a password
    renders for whoever knows it, but must not announce itself to crawlers as open data.
    """
    if isinstance(page, ListingPage) and not page.is_open_data():
        return None
    builders = {
        PlacePage: place_document,
        EventPage: event_document,
        ServicePage: service_document,
        MemberPage: member_document,
    }
    builder = builders.get(type(page))
    return builder(page, base) if builder else None
