"""One CSV row → a `Draft` listing: every cell read, every doubt written down. No database.

What can be structured is (schedules, fees, reservation, targets, yes/no columns, codes,
coordinates); what cannot is kept as text on the listing and named in `review` so the member
sees it in the editor. `errors` are reasons the row cannot become a listing at all.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from directory.listings.schedules import Recurrence
from exchange.opendata.columns import Format
from exchange.opendata.normalise import (
    SWAPPED_COORDINATES,
    clean_identifier,
    clean_kana,
    clean_text,
    coordinates,
    local_government_code,
    parse_date,
    parse_time,
    phone_number,
    postal_code,
    read_age_range,
    read_fee,
    read_reservation,
    read_targets,
    yes_no,
)
from exchange.opendata.reading import Row
from exchange.opendata.schedule_text import parse_schedule_text

SUMMARY_LENGTH = 120
MAX_CAPACITY = 100_000  # anything larger is a typo or an ID in the wrong column; kept as text
# Longer event periods become one weekly rule over the window instead of a list of dates.
MAX_LISTED_DAYS = 31
NO_COORDINATES = (
    "緯度・経度がありません。`manage.py geocode_missing` で補うか、編集画面の地図で位置を"
    "指定してください（それまでは地域の中心で表示されます）。"
)


@dataclass
class Draft:
    """Everything a row says, in the shape of a listing."""

    row: int
    name: str = ""
    kana: str = ""
    summary: str = ""
    description: str = ""
    code: str = ""
    source_id: str = ""
    municipality_name: str = ""
    organiser: str = ""
    address: str = ""
    address_building: str = ""
    postal_code: str = ""
    lat: Decimal | None = None
    lng: Decimal | None = None
    coordinates_swapped: bool = False  # the importer checks such a point against the area
    school_district: str = ""
    schedule_text: str = ""
    rules: tuple[Recurrence, ...] = ()
    cost_type: str = ""
    cost_text: str = ""
    categories: set[str] = field(default_factory=set)
    targets: set[str] = field(default_factory=set)
    conditions: set[str] = field(default_factory=set)
    phone: str = ""
    email: str = ""
    website: str = ""
    contact_point: str = ""
    how_to_join: str = ""
    accessibility: str = ""
    capacity: int | None = None
    age_min: int | None = None
    age_max: int | None = None
    registration_deadline: date | None = None
    review: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def read_row(fmt: Format, row: Row, reference: date | None = None) -> Draft:
    """Read one row of a file in `fmt`; never raises on odd cells."""
    cells = {key: clean_text(value) for key, value in row.values.items()}
    draft = Draft(row=row.number, review=list(row.problems), errors=list(row.errors))
    _identity(draft, cells, fmt)
    _place(draft, cells)
    _schedule(draft, cells, fmt, reference or date.today())
    _participation(draft, cells, fmt)
    _contact(draft, cells)
    return draft


def get(cells: dict[str, str], key: str) -> str:
    return cells.get(key, "")


def _identity(draft: Draft, cells: dict[str, str], fmt: Format) -> None:
    draft.name = get(cells, "name")[:255]
    if not draft.name:
        draft.errors.append("名称がありません。")
    draft.kana = clean_kana(get(cells, "kana"))[:200]
    draft.source_id = clean_identifier(get(cells, "id"))[:80]
    draft.code, problem = local_government_code(get(cells, "code"))
    if problem:
        draft.review.append(problem)
    draft.municipality_name = get(cells, "municipality_name") or (
        get(cells, "address_prefecture") + get(cells, "address_city")
    )
    draft.organiser = get(cells, "organiser") or (
        draft.name if fmt.slug == "kodomo-shokudo" else ""
    )
    draft.categories.update(fmt.categories)
    draft.conditions.update(fmt.conditions)
    parts = [
        get(cells, "description"),
        _labelled("会場", get(cells, "venue_name")),
        _labelled("アクセス", get(cells, "access")),
        _labelled("駐車場", get(cells, "parking")),
        _labelled("備考", get(cells, "remarks")),
    ]
    draft.description = "\n".join(p for p in parts if p)
    first = re.split("(?<=[。！？!?])|\n", get(cells, "description"), maxsplit=1)[0].strip()
    draft.summary = _shorten(first) if first else fmt.default_summary


def _labelled(label: str, value: str) -> str:
    return f"{label}: {value}" if value else ""


def _shorten(text: str) -> str:
    return text if len(text) <= SUMMARY_LENGTH else text[: SUMMARY_LENGTH - 1] + "…"


def _address(text: str) -> str:
    """NFKC (全角 digits) and 長音/hyphen look-alikes between digits → '-'."""
    text = unicodedata.normalize("NFKC", text)
    return re.sub("(?<=\\d)\\s*[ー‐‑–—―−－ｰ]\\s*(?=\\d)", "-", text)


def _place(draft: Draft, cells: dict[str, str]) -> None:
    parts = [get(cells, key) for key in ("address_prefecture", "address_city")]
    parts += [get(cells, key) for key in ("address_town", "address_rest")]
    composed = _address("".join(parts))
    address = _address(get(cells, "address"))
    city = get(cells, "address_city")
    if address and city and city not in address:
        draft.review.append(
            f"所在地_連結表記「{address}」と所在地_市区町村「{city}」が一致しません（連結表記を使いました）。"
        )
    draft.address = (address or composed)[:200]
    draft.address_building = _address(get(cells, "building"))[:120]
    draft.postal_code, problem = postal_code(get(cells, "postal_code"))
    if problem:
        draft.review.append(problem)
    draft.lat, draft.lng, problem = coordinates(get(cells, "lat"), get(cells, "lng"))
    draft.coordinates_swapped = problem == SWAPPED_COORDINATES
    if problem:
        draft.review.append(problem)
    if draft.lat is None and draft.address:
        draft.review.append(NO_COORDINATES)
    draft.school_district = get(cells, "school_district")


def _clock(text: str) -> str:
    parsed = parse_time(text)
    return parsed.strftime("%H:%M") if parsed else text


def _schedule(draft: Draft, cells: dict[str, str], fmt: Format, reference: date) -> None:
    """Rules from the schedule columns; the original text is always kept.

    Events: 開始日時特記事項 wins when it states sessions (開始日 is then just the first one),
    else 開始日〜終了日. Places: the note alone is used when it already contains what
    利用可能曜日・開始時間・終了時間 say (our own export), else everything is read together.
    """
    note = get(cells, "schedule_note")
    if fmt.listing_kind == "event":
        # 「12/5(土)」 in an event's note is in the year of its 開始日.
        reference = parse_date(get(cells, "start_date")) or reference
    note_parsed = parse_schedule_text(note, reference=reference)
    times = "〜".join(_clock(get(cells, k)) for k in ("start_time", "end_time") if get(cells, k))
    if get(cells, "start_time") and not get(cells, "end_time"):
        times += "〜"
    base_text = " ".join(p for p in (get(cells, "schedule"), get(cells, "weekdays"), times) if p)
    if fmt.listing_kind == "event" and note_parsed.rules:
        text, parsed = note, replace(note_parsed, rules=_within_period(note_parsed.rules, cells))
    elif fmt.listing_kind == "event" and get(cells, "start_date"):
        rules, text = _event_dates(draft, cells)
        text = " ".join(t for t in (text, note) if t)
        # 「祝日は休み」 in the note applies to the 開始日〜終了日 sessions too.
        closed = note_parsed.closed_on_holidays
        parsed = replace(
            note_parsed, rules=tuple(replace(r, closed_on_holidays=closed) for r in rules)
        )
    elif fmt.listing_kind == "event":
        text = " ".join(p for p in (base_text, note) if p)
        parsed = parse_schedule_text(text, reference=reference)
    else:
        base = parse_schedule_text(base_text, reference=reference)
        # The columns cannot say 「祝日は休み」: the note's own saying of it applies to them.
        closed = note_parsed.closed_on_holidays
        base_rules = {replace(r, closed_on_holidays=closed) for r in base.rules}
        if note_parsed.rules and base_rules <= set(note_parsed.rules):
            text, parsed = note, note_parsed
        else:
            text = " ".join(p for p in (base_text, note) if p)
            parsed = parse_schedule_text(text, reference=reference)
    draft.schedule_text = text
    draft.rules = parsed.rules
    for leftover in parsed.leftovers:
        draft.review.append(f"開催日時「{leftover.text}」: {leftover.reason}")
    if fmt.listing_kind == "event" and not draft.rules:
        draft.errors.append(
            "開催日が読み取れないため取り込めません（開始日または開始日時特記事項をご確認ください）。"
        )


def _within_period(rules: tuple[Recurrence, ...], cells: dict[str, str]) -> tuple[Recurrence, ...]:
    """A series in 開始日時特記事項 runs from 開始日 to 終了日 when both are given."""
    first, last = parse_date(get(cells, "start_date")), parse_date(get(cells, "end_date"))
    if not (first and last and last > first):
        return rules
    return tuple(
        rule
        if rule.frequency == "dates" or rule.valid_from or rule.valid_until
        else replace(rule, valid_from=first, valid_until=last)
        for rule in rules
    )


def _event_dates(draft: Draft, cells: dict[str, str]) -> tuple[tuple[Recurrence, ...], str]:
    """開始日〜終了日 with 開始時間・終了時間 → one rule, and a readable text for it."""
    first = parse_date(get(cells, "start_date"))
    last = parse_date(get(cells, "end_date")) if get(cells, "end_date") else first
    start, end = parse_time(get(cells, "start_time")), parse_time(get(cells, "end_time"))
    if first is None:
        draft.review.append(f"開始日「{get(cells, 'start_date')}」が日付として読めません。")
        return (), get(cells, "start_date")
    if last is None or last < first:
        draft.review.append(
            f"終了日「{get(cells, 'end_date')}」が開始日より前か読めないため、開始日だけを使いました。"
        )
        last = first
    if start and end and end <= start:
        draft.review.append("終了時間が開始時間より前のため、開始時間だけを使いました。")
        end = None
    span = (last - first).days + 1
    if span <= MAX_LISTED_DAYS:
        days = tuple(first + timedelta(days=i) for i in range(span))
        rule = Recurrence("dates", dates=days, start_time=start, end_time=end)
    else:
        rule = Recurrence(
            "weekly",
            weekdays=tuple(range(7)),
            start_time=start,
            end_time=end,
            valid_from=first,
            valid_until=last,
        )
    text = _date_text(first) + (f"〜{_date_text(last)}" if last != first else "")
    if start:
        text += " " + _times_text(start, end)
    return (rule,), text


def _date_text(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _times_text(start: time | None, end: time | None) -> str:
    if start is None:
        return ""
    return f"{start:%H:%M}〜" + (f"{end:%H:%M}" if end else "")


def _participation(draft: Draft, cells: dict[str, str], fmt: Format) -> None:
    fee, detail = get(cells, "fee"), get(cells, "fee_detail")
    if clean_identifier(fee).isdigit():
        fee = f"{clean_identifier(fee)}円"
    reading = read_fee(fee, detail)
    draft.cost_type = reading.cost_type
    draft.conditions.update(reading.conditions)
    # A bare amount in 料金(基本) is restated by 料金(詳細); keep the words, not the number twice.
    bare_amount = clean_identifier(get(cells, "fee")).isdigit()
    fee_text = fee if bare_amount else get(cells, "fee")
    if bare_amount and re.search(
        f"(?<![\\d,]){re.escape(fee)}", unicodedata.normalize("NFKC", detail)
    ):
        fee_text = ""
    draft.cost_text = " / ".join(t for t in (fee_text, detail) if t)[:200]
    if (
        fee
        and detail
        and read_fee(fee).cost_type == "free"
        and read_fee(detail).cost_type == "paid"
    ):
        draft.cost_type = "varies"
        draft.conditions.discard("free")
        draft.review.append(
            f"料金が「{fee}」と「{detail}」で食い違っています（両方を費用の説明に残しました）。"
        )

    reservation = get(cells, "reservation")
    conditions, problem = read_reservation(reservation)
    draft.conditions.update(conditions)
    if problem:
        draft.review.append(problem)

    ages = get(cells, "ages")
    ages_read = _ages(draft, ages, get(cells, "target"))
    # An age column that did not read as a range stays text, on the 対象 line.
    target = "、".join(t for t in (get(cells, "target"), "" if ages_read else ages) if t)
    draft.targets.update(read_targets(target))
    if "親子" in target:
        draft.conditions.add("family-ok")

    join = [reservation, _labelled("対象", target)]
    capacity = get(cells, "capacity")
    digits = re.search("\\d+", clean_identifier(capacity))
    if digits and int(digits.group(0)) <= MAX_CAPACITY:
        draft.capacity = int(digits.group(0))
    elif capacity:
        join.append(_labelled("定員", capacity))
    draft.how_to_join = "\n".join(j for j in join if j)

    deadline = get(cells, "deadline")
    if deadline:
        draft.registration_deadline = parse_date(deadline)
        if draft.registration_deadline is None:
            draft.review.append(f"参加申込終了日「{deadline}」が日付として読めません。")

    _flag(draft, get(cells, "takeout"), "テイクアウト", lambda: draft.conditions.add("takeout"))
    _flag(
        draft,
        get(cells, "pantry"),
        "フードパントリー",
        lambda: draft.categories.add("food-support"),
    )
    draft.accessibility = get(cells, "accessibility")
    if draft.accessibility and re.search(
        "車(いす|椅子)(可|対応|OK)|バリアフリー", draft.accessibility
    ):
        draft.conditions.add("wheelchair")


def _ages(draft: Draft, ages: str, target: str) -> bool:
    """対象年齢 from its own column, else from 対象者; whether the age column was read.

    Only unambiguous statements become numbers (read_age_range); a cell that mentions an age
    in any other way is named in review and the range left for the member to enter.
    """
    column, in_target = read_age_range(ages, "対象年齢"), read_age_range(target, "対象者")
    chosen = column if column.stated else in_target
    draft.age_min, draft.age_max = chosen.age_min, chosen.age_max
    if column.stated and in_target.stated and column != in_target:
        draft.review.append(
            f"対象年齢「{ages}」と対象者「{target}」の年齢が食い違っています（対象年齢を使いました）。"
        )
    if not chosen.stated:
        draft.review.extend(r.problem for r in (column, in_target) if r.problem)
    return column.stated


def _flag(draft: Draft, value: str, label: str, when_yes: Callable[[], None]) -> None:
    """A yes/no column: yes applies the vocabulary, anything unreadable is kept and flagged."""
    answer = yes_no(value)
    if answer:
        when_yes()
    elif answer is None and value:
        draft.description = "\n".join(p for p in (draft.description, f"{label}: {value}") if p)
        draft.review.append(
            f"{label}欄「{value}」が「あり・なし」として読めません（説明に残しました）。"
        )


def _first_of_list(draft: Draft, label: str, value: str) -> str:
    """Contact cells may hold a 「;」-separated list: the first value is used, the rest kept."""
    first, *rest = [v for v in re.split("[;；]", value) if v.strip()] or [""]
    if rest:
        kept = "、".join(v.strip() for v in rest)
        draft.description = "\n".join(
            p for p in (draft.description, f"{label}（ほか）: {kept}") if p
        )
    return first


def _contact(draft: Draft, cells: dict[str, str]) -> None:
    phone, problem = phone_number(_first_of_list(draft, "電話番号", get(cells, "phone")))
    if problem:
        draft.review.append(problem)
    extension = clean_identifier(get(cells, "extension"))
    draft.phone = f"{phone} 内線{extension}"[:30] if phone and extension else phone
    email = clean_identifier(_first_of_list(draft, "メールアドレス", get(cells, "email")))
    url = clean_identifier(_first_of_list(draft, "URL", get(cells, "url")))
    checks = (
        ("email", email, validate_email, "メールアドレス"),
        ("website", url, URLValidator(schemes=["http", "https"]), "URL"),
    )
    for attribute, value, validator, label in checks:
        if not value:
            continue
        try:
            validator(value)
            setattr(draft, attribute, value[:200])
        except ValidationError:
            draft.review.append(f"{label}「{value}」の形式が正しくありません。")
    draft.contact_point = get(cells, "contact_name")[:120]
