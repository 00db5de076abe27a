"""Live listings → the standard's イベント一覧 / 公共施設一覧 CSV (UTF-8 with BOM, CRLF).

Municipal portals and Excel expect exactly that. The file imports back through the importer:
IDs are the original 「コード:ID」 of imported listings or our listing UUIDs, and the schedule is
written as text the schedule parser reads back into the same rules.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

from core.text import to_katakana
from directory.listings.ages import age_range_label
from directory.listings.location import PublicLocation, public_location
from directory.listings.schedules import (
    WEEKDAY_LABELS,
    Recurrence,
    closes_at_year_end,
    rule_text,
)
from directory.models import Area, EventPage, ListingPage, LocationMode, PlacePage, ServicePage
from directory.vocabulary import vocabulary_labels
from exchange.opendata.columns import FORMATS
from exchange.opendata.normalise import read_age_range
from exchange.opendata.schedule_text import parse_schedule_text

EXPORT_MODELS: dict[str, tuple[type[ListingPage], ...]] = {
    "event": (EventPage,),
    "facility": (PlacePage, ServicePage),
}
# Lines of how_to_join the importer wrote from other columns: "<label>: <value>".
JOIN_LINE_FIELDS = {"対象": "target", "定員": "capacity"}


def export_listings(format_slug: str) -> list[ListingPage]:
    """The listings of one format that the PF publishes as data (`for_open_data()`)."""
    found: list[ListingPage] = []
    for model in EXPORT_MODELS[format_slug]:
        queryset = model.objects.for_open_data().select_related("area__parent")
        found.extend(queryset.order_by("path"))
    return found


def export_csv(format_slug: str) -> str:
    """The whole file as text, starting with a BOM, lines ending in CRLF."""
    columns = FORMATS[format_slug].export_columns
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([header for header, _ in columns])
    for values in export_rows(format_slug):
        writer.writerow([values.get(name, "") for _, name in columns])
    return buffer.getvalue()


def export_rows(format_slug: str) -> Iterator[dict[str, str]]:
    target_labels = vocabulary_labels("target")
    for listing in export_listings(format_slug):
        yield listing_values(listing, target_labels)


def listing_values(listing: ListingPage, target_labels: dict[str, str]) -> dict[str, str]:
    """Internal field → cell for one listing (the column table picks what each format uses)."""
    code, source_id = _identity(listing)
    municipality = listing.area.municipality if listing.area else None
    rules = listing.recurrences
    first = rules[0] if rules else None
    member_page = listing.get_parent().specific
    phone, _, extension = listing.phone.partition(" 内線")
    place = public_location(listing)
    values = {
        "code": code,
        "id": source_id,
        "municipality_name": _municipality_name(municipality),
        "name": listing.title,
        "kana": to_katakana(listing.kana),
        "description": listing.description,
        **address_columns(place),
        "venue_name": place.venue.title if place.venue else "",
        "building": place.building,
        "postal_code": place.postal_code,
        "lat": "" if place.point is None else f"{place.point[0]:.6f}",
        "lng": "" if place.point is None else f"{place.point[1]:.6f}",
        "phone": phone,
        "extension": extension,
        "email": listing.email,
        "contact_name": listing.contact_point,
        "url": listing.website,
        "organiser": member_page.member.name if hasattr(member_page, "member") else "",
        "accessibility": listing.accessibility,
        "schedule_note": schedule_text_for_export(listing, rules),
        "start_time": f"{first.start_time:%H:%M}" if first and first.start_time else "",
        "end_time": f"{first.end_time:%H:%M}" if first and first.end_time else "",
        "weekdays": "".join(
            WEEKDAY_LABELS[d]
            for d in sorted({d for r in rules if r.frequency == "weekly" for d in r.weekdays})
        ),
        "fee": _basic_fee(listing),
        "fee_detail": listing.cost_text,
        "capacity": "" if listing.capacity is None else str(listing.capacity),
    }
    values.update(_join_columns(listing.how_to_join))
    if not values.get("target"):
        values["target"] = "、".join(
            target_labels[t.slug] for t in listing.targets.all() if t.slug in target_labels
        )
    values["target"] = target_with_ages(values["target"], listing.age_min, listing.age_max)
    if isinstance(listing, EventPage):
        values.update(_event_dates(listing, rules))
    return values


def target_with_ages(target: str, age_min: int | None, age_max: int | None) -> str:
    """対象者 with the 対象年齢 written in, unless it already says that range.

    The standard has no age column: 対象者 is where such files state ages, and the importer
    reads 「中高生（12〜18歳）」 back into the same range (read_age_range).
    """
    label = age_range_label(age_min, age_max)
    reading = read_age_range(target)
    if not label or (reading.age_min, reading.age_max) == (age_min, age_max):
        return target
    return f"{target}（{label}）" if target else label


def _identity(listing: ListingPage) -> tuple[str, str]:
    """(全国地方公共団体コード, ID): the imported key when there is one, else our UUID."""
    code, _, source_id = listing.external_id.partition(":")
    if not source_id or source_id.startswith("name-"):
        source_id = str(listing.uuid)
    if not re.fullmatch("\\d{6}", code):
        municipality = listing.area.municipality if listing.area else None
        code = municipality.code if municipality else ""
    return code, source_id


def _municipality_name(municipality: Area | None) -> str:
    """地方公共団体名 as the standard writes it: 「東京都架空市」."""
    if municipality is None:
        return ""
    parent = municipality.parent
    return f"{parent.name if parent else ''}{municipality.name}"


def address_columns(place: PublicLocation) -> dict[str, str]:
    """所在地_連結表記 and its parts, from the public location only (nothing when not public).

    都道府県 and 市区町村 come from the Area tree; the rest of the address string is split by
    one simple rule: 町字 up to the first digit, 番地以下 from it (「中央1丁目」 → 中央 / 1丁目).
    An address written without the prefecture or municipality is read as inside the area.
    """
    if place.mode != LocationMode.ADDRESS or not place.address:
        return {}
    municipality = place.area.municipality if place.area else None
    if municipality is None or municipality.parent is None:
        return {"address": place.address}  # no Area tree to take the parts from
    prefecture, city = municipality.parent.name, municipality.name
    rest = place.address.removeprefix(prefecture)
    if rest != place.address and not rest.startswith(city):
        # Another municipality of the prefecture: keep the address as written.
        return {"address": place.address, "address_prefecture": prefecture}
    rest = rest.removeprefix(city)
    digit = re.search("[0-9０-９]", rest)
    split = digit.start() if digit else len(rest)
    return {
        "address": f"{prefecture}{city}{rest}",
        "address_prefecture": prefecture,
        "address_city": city,
        "address_town": rest[:split],
        "address_rest": rest[split:],
    }


def _basic_fee(listing: ListingPage) -> str:
    """料金(基本) is a number: 0 when free, the amount when one amount is stated."""
    if listing.cost_type == "free":
        return "0"
    amounts = set(re.findall("(\\d[\\d,]*)\\s*円", listing.cost_text))
    if listing.cost_type == "paid" and len(amounts) == 1:
        return amounts.pop().replace(",", "")
    return ""


def _join_columns(how_to_join: str) -> dict[str, str]:
    """Split how_to_join back into 参加申込方法 and the 対象者 / 定員 lines the importer added."""
    values: dict[str, str] = {}
    rest: list[str] = []
    for line in how_to_join.splitlines():
        label, _, value = line.partition(": ")
        if value and label in JOIN_LINE_FIELDS:
            values[JOIN_LINE_FIELDS[label]] = value
        else:
            rest.append(line)
    values["reservation"] = "\n".join(rest)
    return values


def schedule_text_for_export(listing: ListingPage, rules: list[Recurrence]) -> str:
    """The listing's own text if it reads back as the same rules, else the rules as text."""
    if listing.schedule_text:
        again = parse_schedule_text(listing.schedule_text, reference=_earliest_day(rules))
        # A listing's rules pause over 年末年始 when its text says so (ListingPage.recurrences).
        year_end = closes_at_year_end(listing.schedule_text)
        if {replace(rule, closed_year_end=year_end) for rule in again.rules} == set(rules):
            return listing.schedule_text
    timed = [r for r in rules if r.start_time]
    untimed = [r for r in rules if not r.start_time]
    # Untimed rules last: the parser gives a time to every day part written before it.
    return "、".join(rule_text(rule, exact=True) for rule in [*timed, *untimed])


def _earliest_day(rules: list[Recurrence]) -> date | None:
    """Dates without a year in the text are read relative to the listing's own first date."""
    days = [d for r in rules for d in (*r.dates, r.valid_from) if d]
    return min(days) if days else None


def _event_dates(listing: EventPage, rules: list[Recurrence]) -> dict[str, str]:
    """開始日 = the next session (or the first listed date), 終了日 = the last listed date."""
    upcoming = listing.next_occurrences(count=1)
    dates = sorted(d for r in rules if r.frequency == "dates" for d in r.dates)
    period_start = next((r.valid_from for r in rules if r.valid_from), None)
    start = period_start or (upcoming[0].day if upcoming else (dates[0] if dates else None))
    end = dates[-1] if dates else next((r.valid_until for r in rules if r.valid_until), None)
    return {
        "start_date": start.isoformat() if start else "",
        "end_date": end.isoformat() if end else "",
        "deadline": listing.registration_deadline.isoformat()
        if listing.registration_deadline
        else "",
    }
