"""Reading one HSDS service record: its values as our listing and member fields, with notes.

What cannot be kept as it is (an unknown vocabulary, a malformed e-mail, a point outside
Japan, a contact's personal name) is dropped or adjusted and said in a note, which the member
sees in review_notes and the import report lists. Saving is exchange.hsds.records.
"""

from __future__ import annotations

import unicodedata
import uuid
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from directory.listings.schedules import Recurrence, recurrence_to_block
from directory.listings.validators import (
    validate_corporate_number,
    validate_latitude,
    validate_longitude,
)
from directory.models import (
    Area,
    CostType,
    EventPage,
    ListingPage,
    ListingStatus,
    LocationMode,
    MemberType,
    Scheme,
    VocabularyTerm,
)
from directory.models.listings import LANGUAGE_CHOICES
from exchange.hsds.export import (
    CAPACITY_LINE,
    CORPORATE_NUMBER_SCHEME,
    DEADLINE_LINE,
    LANGUAGE_TO_HSDS,
    STATUS_TO_HSDS,
)
from exchange.hsds.ids import TAXONOMY_PREFIX
from exchange.hsds.places import AREA_IDENTIFIER_TYPE, AREA_URI, OUTSIDE_AREA_URI
from exchange.hsds.schedules import convert_schedules, parse_date
from exchange.hsds.selection import LISTING_VOCABULARY
from exchange.importing import RowResult, RowSkipped, resolve_area

STATUS_FROM_HSDS = {value: key for key, value in STATUS_TO_HSDS.items()} | {
    "inactive": ListingStatus.ENDED
}
LANGUAGE_FROM_HSDS = {value: key for key, value in LANGUAGE_TO_HSDS.items()} | {
    code: code for code, _ in LANGUAGE_CHOICES
}
COST_LABELS = {label: value for value, label in CostType.choices}
SUMMARY_LENGTH = 200


def clean_text(value: Any, limit: int | None = None) -> str:
    """A string value, NFC and stripped, cut to `limit` characters."""
    text = unicodedata.normalize("NFC", str(value or "")).strip()
    return text[:limit] if limit else text


def dict_list(value: Any) -> list[dict[str, Any]]:
    """The objects of an HSDS array; anything that is not an array of objects is empty."""
    return (
        [item for item in value or [] if isinstance(item, dict)] if isinstance(value, list) else []
    )


def parse_uuid(value: Any, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError) as error:
        raise RowSkipped(f"{what}の id が UUID ではありません: {value!r}") from error


def area_with_note(code: str, name: str) -> tuple[Area | None, str]:
    """The area with this code (created when its parent is known) and a note for the report.

    The note is '' when the area already existed.
    """
    try:
        area, created = resolve_area(code, name)
    except ValidationError:
        return None, f"地域コード {code} は正しい地域コードではないため登録していません。"
    if area is None and code:
        return None, f"地域コード {code} は未登録のため地域を設定していません。"
    if not created or area is None:
        return area, ""
    return (
        area,
        f"地域「{area.name}」（{code}）を新しく登録しました。区分と中心の位置を確認してください。",
    )


def split_description(text: str) -> tuple[str, str]:
    """The export writes "summary\\n\\ndescription"; other files get their first paragraph."""
    first, _, rest = text.partition("\n\n")
    if len(first) <= SUMMARY_LENGTH:
        return first.strip(), rest.strip()
    return first[: SUMMARY_LENGTH - 1] + "…", text


class RecordReader:
    """The values of one HSDS service object as our fields; problems become notes."""

    def __init__(self, record: Any, result: RowResult) -> None:
        if not isinstance(record, dict):
            raise RowSkipped("service オブジェクト（JSON の {...}）ではありません。")
        self.record = record
        self.result = result
        self.notes: list[str] = []  # shown to the member in review_notes and in the report
        self.areas: list[Area] = []
        self.rules: list[Recurrence] = []
        self.outside_ok = False

    def note(self, message: str) -> None:
        self.notes.append(message)

    def valid(self, value: Any, validator: Any, label: str) -> str:
        """The value if it passes the validator; otherwise blank, with a note."""
        text = clean_text(value)
        if not text:
            return ""
        try:
            validator(text)
        except ValidationError:
            self.note(f"{label}の形式が正しくないため取り込みませんでした。")
            return ""
        return text

    def member_values(self, organization: dict[str, Any]) -> dict[str, Any]:
        name = clean_text(organization.get("name"), 120)
        if not name:
            raise RowSkipped("団体名（organization.name）がありません。")
        member_type = clean_text(organization.get("legal_status"))
        type_by_label = {label: value for value, label in MemberType.choices}
        phones = dict_list(organization.get("phones"))
        identifiers = [
            i
            for i in dict_list(organization.get("organization_identifiers"))
            if i.get("identifier_scheme") == CORPORATE_NUMBER_SCHEME
        ]
        corporate_number = clean_text(identifiers[0].get("identifier")) if identifiers else ""
        return {
            "name": name,
            "kana": clean_text(organization.get("alternate_name"), 200),
            "description": clean_text(organization.get("description")),
            "member_type": member_type
            if member_type in MemberType.values
            else type_by_label.get(member_type, MemberType.OTHER),
            "email": self.valid(organization.get("email"), validate_email, "団体のメール"),
            "website": self.valid(
                organization.get("website"), URLValidator(), "団体のウェブサイト"
            ),
            "phone": clean_text(phones[0].get("number"), 30) if phones else "",
            "corporate_number": self.valid(corporate_number, validate_corporate_number, "法人番号"),
        }

    def vocabulary(self) -> dict[str, list[str]]:
        """Slugs per scheme from the tsunagari-* attributes; unknown ones are reported."""
        wanted: dict[str, list[str]] = {}
        other: set[str] = set()
        for attribute in dict_list(self.record.get("attributes")):
            term = attribute.get("taxonomy_term")
            if not isinstance(term, dict):
                continue
            taxonomy = clean_text(
                term.get("taxonomy") or (term.get("taxonomy_detail") or {}).get("name")
            )
            if not taxonomy.startswith(TAXONOMY_PREFIX):
                other.add(taxonomy or "?")
                continue
            slug = clean_text(term.get("code"))
            wanted.setdefault(taxonomy.removeprefix(TAXONOMY_PREFIX), []).append(slug)
        if other:
            self.note(f"対応していない分類の属性は取り込みませんでした: {', '.join(sorted(other))}")
        known: dict[str, list[str]] = {}
        for scheme, slugs in wanted.items():
            existing = set(
                VocabularyTerm.objects.filter(scheme=scheme, slug__in=slugs).values_list(
                    "slug", flat=True
                )
            )
            unknown = [s for s in slugs if s not in existing]
            if scheme not in (*LISTING_VOCABULARY, Scheme.KIND.value) or unknown:
                self.note(
                    f"未登録の語彙（{TAXONOMY_PREFIX}{scheme}）: {', '.join(unknown or slugs)}"
                )
            known[scheme] = [s for s in slugs if s in existing]
        return known

    def listing_values(self, listing: ListingPage) -> dict[str, Any]:
        record = self.record
        summary, description = split_description(clean_text(record.get("description")))
        if not summary:
            summary = clean_text(record.get("name"), SUMMARY_LENGTH)
        how_to_join, deadline, capacity = self.application_process(
            record.get("application_process")
        )
        status = STATUS_FROM_HSDS.get(clean_text(record.get("status")))
        if status is None:
            self.note(
                f"活動状況（status）が不明なため「活動中」にしました: {record.get('status')!r}"
            )
            status = ListingStatus.ACTIVE
        schedule = convert_schedules(dict_list(record.get("schedules")))
        self.rules = schedule.rules
        for message in schedule.notes:
            self.note(message)
        values: dict[str, Any] = {
            "kana": clean_text(record.get("alternate_name"), 200),
            "summary": summary,
            "description": description,
            "status": status,
            "website": self.valid(record.get("url"), URLValidator(), "ウェブサイト"),
            "email": self.valid(record.get("email"), validate_email, "メール"),
            "how_to_join": how_to_join,
            "capacity": capacity,
            "last_verified": self.date(record.get("assured_date"), "情報の最終確認日"),
            "languages": self.languages(),
            "phone": self.phone(),
            "contact_point": self.contact_point(),
            **self.cost(),
            **self.location(),
            "schedule_text": schedule.text,
            "schedule": [
                dict(zip(("type", "value"), recurrence_to_block(rule), strict=True))
                for rule in schedule.rules
            ],
        }
        if isinstance(listing, EventPage):
            values["registration_deadline"] = deadline
        elif deadline:
            self.note(
                f"申込締切（{deadline}）はイベント以外では保存できないため取り込みませんでした。"
            )
        return values

    def date(self, value: Any, label: str) -> Any:
        try:
            return parse_date(value)
        except ValueError:
            self.note(f"{label}の日付を読み取れません: {value!r}")
            return None

    def application_process(self, value: Any) -> tuple[str, Any, int | None]:
        """how_to_join, registration deadline and capacity (the export writes them as lines)."""
        lines, deadline, capacity = [], None, None
        for line in clean_text(value).splitlines():
            if line.startswith(DEADLINE_LINE):
                deadline = self.date(line.removeprefix(DEADLINE_LINE), "申込締切")
            elif (
                line.startswith(CAPACITY_LINE)
                and line.removeprefix(CAPACITY_LINE).rstrip("名").isdigit()
            ):
                capacity = int(line.removeprefix(CAPACITY_LINE).rstrip("名"))
            else:
                lines.append(line)
        return "\n".join(lines).strip(), deadline, capacity

    def languages(self) -> list[str]:
        found: list[str] = []
        for language in dict_list(self.record.get("languages")):
            code = LANGUAGE_FROM_HSDS.get(clean_text(language.get("code")).lower())
            if code is None:
                self.note(f"対応していない言語コードです: {language.get('code')!r}")
            elif code not in found:
                found.append(code)
        return found

    def phone(self) -> str:
        phones = dict_list(self.record.get("phones"))
        return clean_text(phones[0].get("number"), 30) if phones else ""

    def contact_point(self) -> str:
        """The 窓口 (department) only: a contact's personal name is never stored."""
        contacts = dict_list(self.record.get("contacts"))
        if not contacts:
            return ""
        if contacts[0].get("name") and not contacts[0].get("department"):
            self.note("担当者の個人名は取り込みません（団体の窓口名のみ掲載します）。")
        return clean_text(contacts[0].get("department"), 120)

    def cost(self) -> dict[str, Any]:
        options = dict_list(self.record.get("cost_options"))
        fees = clean_text(self.record.get("fees_description"), 200)
        cost_type = ""
        if options:
            option = options[0]
            cost_type = COST_LABELS.get(clean_text(option.get("option")), "")
            amount = option.get("amount")
            if not cost_type and isinstance(amount, int | float):
                cost_type = CostType.FREE if amount == 0 else CostType.PAID
            fees = fees or clean_text(option.get("amount_description"), 200)
        if fees == (CostType(cost_type).label if cost_type else ""):
            fees = ""
        return {"cost_type": cost_type, "cost_text": fees}

    def location(self) -> dict[str, Any]:
        """Location mode, address, point and area from service_at_locations[].location."""
        locations = [
            sal["location"]
            for sal in dict_list(self.record.get("service_at_locations"))
            if isinstance(sal.get("location"), dict)
        ]
        physical = next((loc for loc in locations if loc.get("location_type") != "virtual"), None)
        virtual = next((loc for loc in locations if loc.get("location_type") == "virtual"), None)
        values: dict[str, Any] = {
            "online_available": virtual is not None,
            "online_url": self.valid(
                (virtual or {}).get("url"), URLValidator(), "オンライン参加の URL"
            ),
            "area": None,
            "postal_code": "",
            "address": "",
            "address_building": "",
            "lat": None,
            "lng": None,
            "accessibility": "\n".join(
                clean_text(a.get("description"))
                for loc in locations
                for a in dict_list(loc.get("accessibility"))
                if a.get("description")
            ),
        }
        if physical is None:
            area = self.areas[0] if self.areas else None
            if virtual is None and area is not None:
                self.note("場所の情報がないため、対象地域のみを表示します。")
                return {**values, "location_mode": LocationMode.CONFIDENTIAL, "area": area}
            if virtual is None:
                self.note("場所の情報がありません。オンラインのみとして登録しました。")
            return {**values, "location_mode": LocationMode.ONLINE, "online_available": True}
        values["area"] = self.area_of(physical)
        addresses = dict_list(physical.get("addresses"))
        point = self.point(physical)
        if not addresses and point is None and values["area"] is not None:
            return {**values, "location_mode": LocationMode.CONFIDENTIAL}
        address = addresses[0] if addresses else {}
        values.update(
            postal_code=clean_text(address.get("postal_code"), 8),
            address=clean_text(address.get("address_1"), 200),
            address_building=clean_text(address.get("address_2"), 120),
        )
        if point is not None:
            values["lat"], values["lng"] = point
        if not values["address"]:
            values["address"] = clean_text(physical.get("name"), 200) or "住所未登録"
            self.note("住所がないため、場所の名前を住所欄に入れました。住所を確認してください。")
        return {**values, "location_mode": LocationMode.ADDRESS}

    def point(self, location: dict[str, Any]) -> tuple[Decimal, Decimal] | None:
        lat, lng = location.get("latitude"), location.get("longitude")
        if lat is None and lng is None:
            return None
        try:
            point = (
                Decimal(str(lat)).quantize(Decimal("0.000001")),
                Decimal(str(lng)).quantize(Decimal("0.000001")),
            )
            validate_latitude(point[0])
            validate_longitude(point[1])
        except (InvalidOperation, ValidationError, TypeError):
            self.note(
                f"緯度・経度（{lat}, {lng}）が日本国内の値ではないため地図の位置を登録していません。"
            )
            return None
        return point

    def area_of(self, location: dict[str, Any]) -> Area | None:
        if location.get("external_identifier_type") != AREA_IDENTIFIER_TYPE:
            return None
        # Only an area-only (confidential) location is named after its area.
        name = "" if dict_list(location.get("addresses")) else clean_text(location.get("name"))
        return self.area(clean_text(location.get("external_identifier")), name)

    def area(self, code: str, name: str) -> Area | None:
        area, message = area_with_note(code, name)
        if message:
            self.note(message)
        return area

    def service_areas(self) -> tuple[list[Area], bool]:
        areas: list[Area] = []
        outside = False
        for item in dict_list(self.record.get("service_areas")):
            uri = clean_text(item.get("uri"))
            if uri == OUTSIDE_AREA_URI:
                outside = True
                continue
            name = clean_text(item.get("name"))
            area = (
                self.area(uri.removeprefix(AREA_URI), name)
                if uri.startswith(AREA_URI)
                else Area.objects.filter(name=name).first()
            )
            if area is None:
                self.note(
                    f"対象地域「{item.get('name') or uri}」は未登録のため取り込みませんでした。"
                )
            elif area not in areas:
                areas.append(area)
        return areas, outside
