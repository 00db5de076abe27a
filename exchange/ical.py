"""iCalendar (RFC 5545) for listings: one VEVENT per schedule rule, in Asia/Tokyo.

Weekly and monthly rules become RRULEs (exceptions as EXDATE) starting at their first session
from today, so a calendar shows no sessions from before the feed was read; lists of dates
become DTSTART + RDATE (the first date in RDATE too), all through the shared exchange.rrule
conversion; a rule closed on holidays or over 年末年始 gets an EXDATE for each such day it would
otherwise have (a year back, HORIZON_DAYS ahead), since RRULE cannot say 「祝日は休み」. Only public data:
no contact person, and a confidential place shows its area, never its address or point.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from icalendar import Calendar, Event, vRecur

from directory.listings.location import public_location
from directory.listings.schedules import JST, Recurrence, next_occurrences
from directory.models import ListingPage, ListingStatus, LocationMode, Scheme, VocabularyTerm
from exchange.hsds.selection import PublicListing, listing_terms
from exchange.rrule import RRuleSpec, to_spec

PRODID = "-//Tsunagari//Tsunagari directory//JA"
TZID = "Asia/Tokyo"


def calendar(name: str, items: Iterable[PublicListing], *, base_url: str) -> Calendar:
    """A VCALENDAR with every session rule of `items` and the VTIMEZONE they use."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TZID)
    for item in items:
        for event in listing_events(item.listing, base_url=base_url, kind=item.kind):
            cal.add_component(event)
    cal.add_missing_timezones()
    return cal


def listing_events(
    listing: ListingPage, *, base_url: str, kind: VocabularyTerm | None = None
) -> list[Event]:
    """One VEVENT per rule of an active listing; UID is uuid@site domain (then -2, -3 …)."""
    if listing.status != ListingStatus.ACTIVE:
        return []
    events = []
    for number, rule in enumerate(listing.recurrences, start=1):
        spec = upcoming(to_spec(rule), rule)
        if spec.dtstart is None:
            continue
        event = Event()
        suffix = "" if number == 1 else f"-{number}"
        event.add("uid", f"{listing.uuid}{suffix}@{uid_domain()}")
        event.add("summary", listing.title)
        event.add("dtstamp", listing.last_published_at or datetime.now(JST))
        _add_times(event, rule, spec)
        _add_place(event, listing)
        url = f"{base_url.rstrip('/')}{listing.url}" if listing.url else ""
        if url:
            event.add("url", url)
        event.add("description", _description(listing, rule, url))
        labels = [
            term.label for scheme, term in listing_terms(listing, kind) if scheme != Scheme.KIND
        ]
        if labels:
            event.add("categories", labels)
        events.append(event)
    return events


def uid_domain() -> str:
    """The configured site domain: a UID must not change with the Host a feed is fetched by."""
    return str(settings.TSUNAGARI_SITE_DOMAIN)


def upcoming(spec: RRuleSpec, rule: Recurrence) -> RRuleSpec:
    """A repeating rule's DTSTART moved to its first session from today (in Japan).

    The rule's own first session may lie years back (open-ended rules count from 2024), and
    calendar apps would show every session since then. A session day keeps the RRULE's phase
    (隔週, 第2・第4), so the set from DTSTART on is unchanged; an ended rule keeps its DTSTART.
    """
    if spec.freq is None:
        return spec
    today = datetime.combine(datetime.now(JST).date(), time(0), JST)
    nexts = next_occurrences([rule], after=today, count=1)
    return replace(spec, dtstart=nexts[0].day) if nexts else spec


def _at(day: date, moment: time | None) -> date | datetime:
    return datetime.combine(day, moment, JST) if moment else day


def _add_times(event: Event, rule: Recurrence, spec: RRuleSpec) -> None:
    """DTSTART/DTEND of the first session, then RRULE or RDATE, and EXDATE."""
    if spec.dtstart is None:
        return
    event.add("dtstart", _at(spec.dtstart, rule.start_time))
    if rule.start_time is None:
        event.add("dtend", spec.dtstart + timedelta(days=1))
    elif rule.end_time:
        event.add("dtend", _at(spec.dtstart, rule.end_time))
    if spec.freq:
        recur: dict[str, Any] = {"FREQ": spec.freq, "BYDAY": list(spec.byday), "WKST": spec.wkst}
        if spec.interval > 1:
            recur["INTERVAL"] = spec.interval
        if spec.until:
            # With a DTSTART in Asia/Tokyo, UNTIL must be in UTC (RFC 5545 3.3.10).
            recur["UNTIL"] = (
                datetime.combine(spec.until, rule.start_time, JST).astimezone(UTC)
                if rule.start_time
                else spec.until
            )
        event.add("rrule", vRecur(recur))
    if spec.rdates:
        # DTSTART counts as the first session (RFC 5545), but ical.js and Python `ical` build
        # the set from RDATE alone: listing it in RDATE too (counted once) keeps it everywhere.
        days = (spec.dtstart, *spec.rdates)
        event.add("rdate", [_at(day, rule.start_time) for day in days])
    for day in spec.exdates:
        event.add("exdate", _at(day, rule.start_time))


def _add_place(event: Event, listing: ListingPage) -> None:
    place = public_location(listing)
    if place.mode == LocationMode.CONFIDENTIAL:
        if place.area:
            event.add("location", f"{place.area_name}（所在地は非公開）")
        return
    if place.mode == LocationMode.ONLINE:
        event.add("location", "オンライン")
        return
    if place.street:
        event.add("location", place.street)
    if place.point:
        event.add("geo", place.point)


def _description(listing: ListingPage, rule: Recurrence, url: str) -> str:
    lines = [listing.summary, listing.schedule_text or rule.describe()]
    if listing.cost_text:
        lines.append(f"費用: {listing.cost_text}")
    if listing.online_available and listing.online_url:
        lines.append(f"オンライン: {listing.online_url}")
    if url:
        lines.append(url)
    return "\n".join(filter(None, lines))
