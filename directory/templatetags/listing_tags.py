"""Presentational helpers for public pages: dates, labels, location text, freshness.

Japanese by default; English when the visitor chose it (`translation.get_language() == "en"`).

The functions are pure (no database, `today` passed in where it matters) so they are tested
directly; the template filters and tags below only adapt them to templates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django import template
from django.conf import settings
from django.db.models import prefetch_related_objects
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from directory.listings.ages import age_range_label
from directory.listings.location import PublicLocation, public_location, public_service_areas
from directory.listings.schedules import (
    JST,
    MONTH_NAMES_EN,
    WEEKDAY_LABELS,
    WEEKDAY_NAMES_EN,
    Occurrence,
    Recurrence,
    clock_text,
    display_rule_text,
    flag_closures,
)
from directory.models.listings import LANGUAGE_CHOICES, EventPage, ListingStatus

register = template.Library()

# After this long without a check the page asks residents to confirm before going.
STALE_AFTER = timedelta(days=365)
# How far ahead a rule closed on holidays names the holidays it skips (「休み: 1月11日（月）」).
HOLIDAY_PREVIEW = timedelta(days=62)
LANGUAGE_LABELS = dict(LANGUAGE_CHOICES)
STATUS_BANNERS = {
    ListingStatus.PAUSED: gettext_lazy(
        "現在休止中です。再開の予定は問い合わせ先にご確認ください。"
    ),
    ListingStatus.ENDED: gettext_lazy("この活動は終了しました。"),
}


def in_english() -> bool:
    """Whether the visitor chose the English pages."""
    return translation.get_language() == "en"


def list_separator() -> str:
    """「、」 between items in Japanese, 「, 」 in English."""
    return ", " if in_english() else "、"


# -- dates ------------------------------------------------------------------------------------
def format_day(day: date, today: date | None = None) -> str:
    """「12月10日（水）」, with the year when it is not this year (「2027年1月6日（水）」).

    English: 「Wed 10 Dec」, 「Wed 6 Jan 2027」.
    """
    today = today or timezone.localdate()
    if in_english():
        text = (
            f"{WEEKDAY_NAMES_EN[day.weekday()][:3]} {day.day} {MONTH_NAMES_EN[day.month - 1][:3]}"
        )
        return text if day.year == today.year else f"{text} {day.year}"
    text = f"{day.month}月{day.day}日（{WEEKDAY_LABELS[day.weekday()]}）"
    return text if day.year == today.year else f"{day.year}年{text}"


def format_full_date(day: date) -> str:
    """「2026年4月1日」 (「1 April 2026」): for dates people compare with a calendar."""
    if in_english():
        return f"{day.day} {MONTH_NAMES_EN[day.month - 1]} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


@register.filter
def clock(moment: datetime) -> str:
    """A session's time of day as every page writes it (schedules.clock_text: 24:00, not 23:59)."""
    return clock_text(moment.astimezone(JST).time())


def format_occurrence(occurrence: Occurrence, today: date | None = None) -> str:
    """「12月10日（水）15:00〜17:00」; all-day sessions show the day only."""
    start = occurrence.start.astimezone(JST)
    text = format_day(start.date(), today)
    if occurrence.all_day:
        return text
    text += f" {clock_text(start.time())}{'–' if in_english() else '〜'}"
    if occurrence.end:
        end = occurrence.end.astimezone(JST)
        if end.date() != start.date():
            text += format_day(end.date(), today) + " "
        text += clock_text(end.time())
    return text


def describe_rule(rule: Recurrence, today: date | None = None) -> str:
    """Recurrence.describe() plus its validity window and the closures still to come.

    Closures are the exception dates and, for a rule closed on holidays or over 年末年始, those
    days of the next two months that fall on one of its days — so 「毎週月曜」 names the Monday
    it skips.
    """
    text = display_rule_text(rule)
    english = in_english()
    window = []
    if rule.valid_from:
        start = format_full_date(rule.valid_from)
        window.append(f"from {start}" if english else f"{start}から")
    if rule.valid_until:
        end = format_full_date(rule.valid_until)
        window.append(f"until {end}" if english else f"{end}まで")
    if window:
        text += f" ({' '.join(window)})" if english else f"（{''.join(window)}）"
    today = today or timezone.localdate()
    closures = closures_text(upcoming_closures([rule], today), today)
    if not closures:
        return text
    return f"{text}. Closed: {closures}" if english else f"{text}　休み: {closures}"


def upcoming_closures(rules: Iterable[Recurrence], today: date) -> list[date]:
    """The exception dates still to come and the holidays of the next two months the rules skip."""
    days: set[date] = set()
    for rule in rules:
        days.update(day for day in rule.exceptions if day >= today)
        days.update(flag_closures(rule, today, today + HOLIDAY_PREVIEW))
    return sorted(days)


def closures_text(days: Sequence[date], today: date) -> str:
    """「12月23日（水）、2027年1月11日（月）」: the first five closures, then 「ほか」."""
    text = list_separator().join(format_day(day, today) for day in days[:5])
    if len(days) <= 5:
        return text
    return f"{text} and more" if in_english() else f"{text} ほか"


def recurring_rule_texts(rules: Iterable[Recurrence], today: date | None = None) -> list[str]:
    """Descriptions of the repeating rules; dated rules are already listed as next sessions."""
    return [describe_rule(rule, today) for rule in rules if rule.frequency != "dates"]


@dataclass(frozen=True)
class ScheduleView:
    """When a listing happens, said once: its `lines` and the closures they do not name."""

    lines: list[str]
    closures: str = ""


def schedule_view(listing: Any, today: date | None = None) -> ScheduleView:
    """The one schedule a page shows: the member's own words when they wrote some, else the rules.

    The member's text and the rules read from it say the same thing; showing both
    (開催日時 and 開催ルール) made residents compare two wordings. The rules still add what the
    text cannot know: the coming closures (holidays, exception dates).
    """
    today = today or timezone.localdate()
    rules = listing.recurrences
    if listing.schedule_text:
        repeating = [rule for rule in rules if rule.frequency != "dates"]
        return ScheduleView(
            [listing.schedule_text], closures_text(upcoming_closures(repeating, today), today)
        )
    return ScheduleView(recurring_rule_texts(rules, today))


# -- labels -----------------------------------------------------------------------------------
def language_labels(codes: Iterable[str]) -> list[str]:
    """Names of language codes stored on a listing (unknown codes shown as they are)."""
    return [_(LANGUAGE_LABELS[code]) if code in LANGUAGE_LABELS else code for code in codes or ()]


def age_text(age_min: int | None, age_max: int | None) -> str:
    """A listing's 対象年齢 as the page shows it: age_range_label, or English on English pages."""
    if not in_english():
        return age_range_label(age_min, age_max)
    if age_min is not None and age_max is not None:
        return f"Age {age_min}" if age_min == age_max else f"Ages {age_min}–{age_max}"
    if age_min is not None:
        return f"Ages {age_min} and over"
    if age_max is not None:
        return f"Up to age {age_max}"
    return ""


def is_stale(last_verified: date | None, today: date | None = None) -> bool:
    """True when the information was never verified or was verified more than a year ago."""
    if last_verified is None:
        return True
    return (today or timezone.localdate()) - last_verified > STALE_AFTER


# -- cards ------------------------------------------------------------------------------------
def listing_badges(listing: Any) -> list[dict[str, str]]:
    """Kind, status when not active, then categories and targets (for components/card.html)."""
    badges = [{"label": listing._meta.verbose_name, "variant": "kind"}]
    if listing.status != ListingStatus.ACTIVE:
        badges.append({"label": listing.get_status_display(), "variant": "status"})
    badges += [
        {"label": term.display_label, "variant": "category"} for term in listing.categories.all()
    ]
    badges += [{"label": term.display_label, "variant": "target"} for term in listing.targets.all()]
    return badges


def listing_card(listing: Any, today: date | None = None) -> dict[str, Any]:
    """The arguments of components/card.html for one listing."""
    meta = [" ".join(public_location(listing).lines)]
    if listing.schedule_text:
        meta.append(listing.schedule_text)
    upcoming = listing.next_occurrences(count=1)
    if upcoming:
        meta.append(_("次回: %(when)s") % {"when": format_occurrence(upcoming[0], today)})
    return {
        "title": listing.title,
        "url": listing.url,
        "summary": listing.summary,
        "badges": listing_badges(listing),
        "meta": [line for line in meta if line],
    }


def prefetch_listings(listings: Sequence[Any]) -> None:
    """Load the vocabulary, area and venue of many listings in a few queries per type."""
    by_type: dict[type, list[Any]] = {}
    for listing in listings:
        by_type.setdefault(type(listing), []).append(listing)
    for model, items in by_type.items():
        lookups = ["categories", "targets", "area__parent"]
        if issubclass(model, EventPage):
            lookups += ["venue", "venue__area__parent"]
        prefetch_related_objects(items, *lookups)


# -- template adapters ------------------------------------------------------------------------
register.filter("ja_day", format_day)
register.filter("ja_date", format_full_date)
register.filter("ja_occurrence", format_occurrence)
register.filter("language_labels", language_labels)
register.filter("list_join", lambda items: list_separator().join(str(item) for item in items))
register.filter("is_stale", is_stale)
# What a page may say about where a listing happens: directory.listings.location decides.
register.simple_tag(public_location, name="location_view")


@register.simple_tag
def service_areas(listing: Any) -> list[Any]:
    """The listing's 対象地域 as published (a hidden 小学校区 shows as its municipality)."""
    return public_service_areas(listing)


@register.simple_tag
def status_banner(listing: Any) -> str:
    """The sentence shown at the top of a paused or ended listing ('' when active)."""
    return str(STATUS_BANNERS.get(listing.status, ""))


@register.simple_tag
def age_view(listing: Any) -> str:
    """The listing's 対象年齢 in the page's language ('' when it states none)."""
    return age_text(listing.age_min, listing.age_max)


@register.simple_tag
def listing_cards(listings: Sequence[Any]) -> list[dict[str, Any]]:
    """Card arguments for many listings, with their relations prefetched (no N+1)."""
    listings = list(listings)
    prefetch_listings(listings)
    return [listing_card(listing) for listing in listings]


@register.simple_tag
def member_cards(member_pages: Iterable[Any]) -> list[dict[str, Any]]:
    """Card arguments for member pages (type and fields as badges), prefetched."""
    pages = list(member_pages)
    members = [page.member for page in pages]
    prefetch_related_objects(members, "fields", "targets", "areas")
    cards = []
    for page, member in zip(pages, members, strict=True):
        badges = [{"label": member.get_member_type_display(), "variant": "kind"}]
        badges += [
            {"label": term.display_label, "variant": "category"} for term in member.fields.all()
        ]
        badges += [
            {"label": term.display_label, "variant": "target"} for term in member.targets.all()
        ]
        areas = list_separator().join(area.name for area in member.areas.all())
        cards.append(
            {
                "title": member.name,
                "url": page.url,
                "summary": Truncator(member.description).chars(120),
                "badges": badges,
                "meta": [_("活動地域: %(areas)s") % {"areas": areas}] if areas else [],
            }
        )
    return cards


# -- contact and directions -------------------------------------------------------------------
CONTACT_FIELDS = ("contact_point", "phone", "email", "website")


@dataclass(frozen=True)
class ListingContact:
    """A listing's own contact and, for the fields it leaves empty, its member's 団体の連絡先."""

    own: dict[str, str]
    organisation: dict[str, str]


def listing_contact(listing: Any, member: Any) -> ListingContact:
    """One rule: each contact field the listing leaves empty is its member's organisational one.

    A listing with a 窓口名 but no phone or mail used to show neither although its member has
    both; the page now shows the member's under 「団体の連絡先」, so residents can tell whose
    number they call.
    """
    own = {name: value for name in CONTACT_FIELDS if (value := getattr(listing, name))}
    organisation = {
        name: value
        for name in CONTACT_FIELDS
        if name not in own and (value := getattr(member, name, ""))
    }
    return ListingContact(own, organisation)


# A route needs a start the page does not know: the services ask for it (or use the device's).
DIRECTIONS = (
    (gettext_lazy("地理院地図"), "https://maps.gsi.go.jp/#17/{lat}/{lng}/"),
    ("OpenStreetMap", "https://www.openstreetmap.org/directions?route=%3B{lat}%2C{lng}"),
)


def directions_links(view: PublicLocation) -> list[dict[str, str]]:
    """Map links to a public point; none without one (a confidential or online place has none)."""
    if view.confidential or view.point is None:
        return []
    lat, lng = view.point
    return [{"label": str(label), "url": url.format(lat=lat, lng=lng)} for label, url in DIRECTIONS]


register.simple_tag(listing_contact, name="listing_contact")
register.simple_tag(directions_links, name="directions_links")
register.simple_tag(schedule_view, name="schedule_view")


@register.simple_tag
def listing_map_config(listing: Any, view: PublicLocation) -> dict[str, Any]:
    """What static/js/listing-map.js needs: the public point and the configured tiles."""
    lat, lng = view.point or (None, None)
    return {
        "lat": lat,
        "lng": lng,
        "name": listing.title,
        "tileUrl": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
    }
