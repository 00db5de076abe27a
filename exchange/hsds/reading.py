"""Reading one HSDS service record: its values as our listing and member fields, with notes.

What cannot be kept as it is (an unknown vocabulary, a malformed e-mail, a point outside
Japan, a contact's personal name) is dropped or adjusted and said in a note, which the member
sees in review_notes and the import report lists. Saving is exchange.hsds.records.
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email

from core.language import source_text
from directory.listings.ages import AGE_LIMIT
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
)
from directory.models.listings import ISO_639_CODE, LANGUAGE_CHOICES
from exchange.hsds.export import (
    CAPACITY_LINE,
    CORPORATE_NUMBER_SCHEME,
    DEADLINE_LINE,
    LANGUAGE_TO_HSDS,
    STATUS_TO_HSDS,
    SUMMARY_LENGTH,
    split_description,
)
from exchange.hsds.ids import TAXONOMY_PREFIX, kept_ids, organization_id_slots
from exchange.hsds.places import (
    AREA_IDENTIFIER_TYPE,
    AREA_URI,
    CONFIDENTIAL_DESCRIPTION,
    OUTSIDE_AREA_URI,
)
from exchange.hsds.schedules import convert_schedules, parse_date
from exchange.hsds.selection import LISTING_VOCABULARY
from exchange.importing import (
    RowResult,
    RowSkipped,
    VocabularyTerms,
    find_municipality,
    resolve_area,
)

STATUS_FROM_HSDS = {value: key for key, value in STATUS_TO_HSDS.items()} | {
    "inactive": ListingStatus.ENDED
}
LANGUAGE_FROM_HSDS = {value: key for key, value in LANGUAGE_TO_HSDS.items()} | {
    code: code for code, _ in LANGUAGE_CHOICES
}
COST_LABELS = {source_text(label): value for value, label in CostType.choices}
HOME_COUNTRY = "JP"
HOME_CURRENCY = "JPY"
DISTRICT_SUFFIXES = ("小学校区", "学区")
# Service fields the platform reads (reading.py, records.py); any other filled field is named
# in a note, so a round trip reports every value it cannot keep.
READ_SERVICE_FIELDS = frozenset(
    {
        "id", "organization_id", "name", "alternate_name", "description", "url", "email",
        "status", "application_process", "fees_description", "minimum_age", "maximum_age",
        "assured_date", "last_modified", "phones", "schedules", "service_areas",
        "service_at_locations", "languages", "organization", "cost_options", "contacts",
        "attributes",
    }
)  # fmt: skip
# A contact's department is our 窓口; its personal name is never stored (said in its own note).
READ_CONTACT_FIELDS = frozenset(
    {"id", "service_id", "organization_id", "service_at_location_id", "location_id",
     "department", "name"}
)  # fmt: skip
READ_PHONE_FIELDS = frozenset(
    {"id", "service_id", "organization_id", "contact_id", "service_at_location_id",
     "location_id", "number"}
)  # fmt: skip
# Organization fields the member keeps (services are the records themselves).
READ_ORGANIZATION_FIELDS = frozenset(
    {
        "id", "name", "alternate_name", "description", "email", "website", "legal_status",
        "phones", "contacts", "organization_identifiers", "services",
    }
)  # fmt: skip
# The name of a language is ours (from its code); accessibility is kept as its description.
READ_LANGUAGE_FIELDS = frozenset(
    {"id", "service_id", "location_id", "phone_id", "name", "code"}
)  # fmt: skip
READ_ACCESSIBILITY_FIELDS = frozenset({"id", "location_id", "description"})
READ_COST_FIELDS = frozenset(
    {"id", "service_id", "option", "amount", "currency", "amount_description"}
)  # fmt: skip
READ_SAL_FIELDS = frozenset({"id", "service_id", "location_id", "location"})
READ_LOCATION_FIELDS = frozenset(
    {
        "id", "location_type", "url", "name", "latitude", "longitude", "external_identifier",
        "external_identifier_type", "addresses", "accessibility",
    }
)  # fmt: skip


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


class RecordReader:
    """The values of one HSDS service object as our fields; problems become notes."""

    def __init__(
        self, record: Any, result: RowResult, *, terms: VocabularyTerms | None = None
    ) -> None:
        if not isinstance(record, dict):
            raise RowSkipped("service オブジェクト（JSON の {...}）ではありません。")
        self.record = record
        self.result = result
        self.notes: list[str] = []  # shown to the member in review_notes and in the report
        self.areas: list[Area] = []
        self.rules: list[Recurrence] = []
        self.outside_ok = False
        self.terms = terms or VocabularyTerms()  # one file's, shared by its records

    def note(self, message: str) -> None:
        if message not in self.notes:  # the service's and its organization's may repeat
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
        type_by_label = {source_text(label): value for value, label in MemberType.choices}
        self.unheld(organization, READ_ORGANIZATION_FIELDS, "organization")
        identifiers = dict_list(organization.get("organization_identifiers"))
        ours = [i for i in identifiers if i.get("identifier_scheme") == CORPORATE_NUMBER_SCHEME]
        other = [
            f"{clean_text(i.get('identifier_scheme'))} {clean_text(i.get('identifier'))}".strip()
            for i in identifiers
            if i not in ours[:1]
        ]
        if other:
            self.note(
                "法人番号（JP-JCN）のほかの団体の識別子は保存できる欄がないため取り込みません"
                f"でした: {', '.join(other)}"
            )
        corporate_number = clean_text(ours[0].get("identifier")) if ours else ""
        kind = member_type if member_type in MemberType.values else type_by_label.get(member_type)
        if member_type and kind is None:
            self.note(
                f"団体の種類（legal_status）「{member_type}」は選択肢にないため"
                "「その他」にしました。"
            )
        return {
            "name": name,
            "kana": clean_text(organization.get("alternate_name"), 200),
            "description": clean_text(organization.get("description")),
            "member_type": kind or MemberType.OTHER,
            "email": self.valid(organization.get("email"), validate_email, "団体のメール"),
            "website": self.valid(
                organization.get("website"), URLValidator(), "団体のウェブサイト"
            ),
            "phone": self.phone(organization, "organization"),
            "contact_point": self.contact_point(organization, "organization の contact"),
            "corporate_number": self.valid(corporate_number, validate_corporate_number, "法人番号"),
            "hsds_source": {"ids": kept_ids(organization, organization_id_slots)},
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
            existing = {term.slug for term in self.terms.terms(scheme, slugs)}
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
        self.unheld(record, READ_SERVICE_FIELDS, "service")
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
            **self.ages(),
            "languages": self.languages(),
            "phone": self.phone(record, "service"),
            "contact_point": self.contact_point(record, "contact"),
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

    def source(self) -> dict[str, Any]:
        """Nested ids (exchange.hsds.ids.kept_ids) and last_modified, to be written back out."""
        source: dict[str, Any] = {"ids": kept_ids(self.record)}
        modified = clean_text(self.record.get("last_modified"))
        if modified:
            try:
                datetime.fromisoformat(modified)
                source["last_modified"] = modified
            except ValueError:
                self.note(f"最終更新日時（last_modified）を読み取れません: {modified!r}")
        return source

    def unheld(self, obj: dict[str, Any], read: frozenset[str], what: str) -> None:
        """Name the filled fields of `obj` that the platform has no place for."""
        dropped = sorted(k for k, v in obj.items() if k not in read and v not in (None, "", []))
        if dropped:
            self.note(f"保存できる欄がないため取り込みませんでした（{what}）: {', '.join(dropped)}")

    def ages(self) -> dict[str, int | None]:
        """minimum_age / maximum_age in whole years (0–AGE_LIMIT), min ≤ max, else a note."""
        found: dict[str, int | None] = {}
        for key, field_name, label in (
            ("minimum_age", "age_min", "対象年齢の下限"),
            ("maximum_age", "age_max", "対象年齢の上限"),
        ):
            value = self.record.get(key)
            age = None
            if value not in (None, ""):
                try:
                    number = Decimal(str(value))
                except InvalidOperation:
                    number = Decimal(-1)
                if number == number.to_integral_value() and 0 <= number <= AGE_LIMIT:
                    age = int(number)
                else:
                    self.note(
                        f"{label}（{key}: {value!r}）は0〜{AGE_LIMIT}の整数ではないため"
                        "取り込みませんでした。"
                    )
            found[field_name] = age
        low, high = found["age_min"], found["age_max"]
        if low is not None and high is not None and low > high:
            self.note(
                f"対象年齢の下限（{low}）が上限（{high}）より大きいため取り込みませんでした。"
            )
            return {"age_min": None, "age_max": None}
        return found

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
        """Our codes, and every other ISO 639 code as written (stored, shown by its code)."""
        found: list[str] = []
        for language in dict_list(self.record.get("languages")):
            self.unheld(language, READ_LANGUAGE_FIELDS, "language")
            written = clean_text(language.get("code")).lower()
            code = LANGUAGE_FROM_HSDS.get(written) or (
                written if re.fullmatch(ISO_639_CODE, written) else None
            )
            if code is None:
                self.note(
                    f"ISO 639 の言語コードではないため取り込みませんでした: {language.get('code')!r}"
                )
            elif code not in found:
                found.append(code)
        return found

    def phone(self, owner: dict[str, Any], what: str) -> str:
        """The first voice number of a service or organization; the rest is named."""
        phones = dict_list(owner.get("phones"))
        if not phones:
            return ""
        first = phones[0]
        self.unheld(
            {k: v for k, v in first.items() if not (k == "type" and v == "voice")},
            READ_PHONE_FIELDS,
            f"{what} の phone",
        )
        if len(phones) > 1:
            self.note(f"電話番号は最初の 1 件だけ取り込みました（{what}、全 {len(phones)} 件）。")
        return clean_text(first.get("number"), 30)

    def contact_point(self, owner: dict[str, Any], what: str) -> str:
        """The 窓口 (department) only: a contact's personal name is never stored."""
        contacts = dict_list(owner.get("contacts"))
        if not contacts:
            return ""
        first = contacts[0]
        if first.get("name"):
            self.note("担当者の個人名は取り込みません（団体の窓口名のみ掲載します）。")
        same_email = clean_text(first.get("email")) == clean_text(owner.get("email"))
        self.unheld(
            {k: v for k, v in first.items() if not (k == "email" and same_email)},
            READ_CONTACT_FIELDS,
            what,
        )
        if len(contacts) > 1:
            self.note(
                f"問い合わせ先は最初の 1 件の窓口名だけ取り込みました（{what}、"
                f"全 {len(contacts)} 件）。"
            )
        return clean_text(first.get("department"), 120)

    def cost(self) -> dict[str, Any]:
        """Cost type and text; an amount in another currency is kept as written, in the text."""
        options = dict_list(self.record.get("cost_options"))
        fees = clean_text(self.record.get("fees_description"), 200)
        cost_type = ""
        if options:
            option = options[0]
            self.unheld(option, READ_COST_FIELDS, "cost_option")
            cost_type = COST_LABELS.get(clean_text(option.get("option")), "")
            amount = option.get("amount")
            currency = clean_text(option.get("currency")).upper() or HOME_CURRENCY
            if isinstance(amount, int | float) and currency != HOME_CURRENCY:
                written = f"{amount:g} {currency}"
                if written not in fees:
                    fees = clean_text(f"{written}: {fees}" if fees else written, 200)
                self.note(
                    f"費用の通貨が {currency} のため、金額を「{written}」として費用の説明"
                    "（fees_description）の先頭に書き足しました。"
                )
            if not cost_type and isinstance(amount, int | float):
                cost_type = CostType.FREE if amount == 0 else CostType.PAID
            fees = fees or clean_text(option.get("amount_description"), 200)
            if len(options) > 1:
                self.note(f"費用の選択肢は最初の 1 件だけ取り込みました（全 {len(options)} 件）。")
        if fees == (source_text(CostType(cost_type).label) if cost_type else ""):
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
        for sal in dict_list(self.record.get("service_at_locations")):
            self.unheld(sal, READ_SAL_FIELDS, "service_at_location")
        for item in dict_list(physical.get("accessibility")):
            self.unheld(item, READ_ACCESSIBILITY_FIELDS, "accessibility")
        described = str(physical.get("description") or "").startswith(CONFIDENTIAL_DESCRIPTION)
        self.unheld(
            {k: v for k, v in physical.items() if not (k == "description" and described)},
            READ_LOCATION_FIELDS,
            "location",
        )
        values["area"] = self.area_of(physical)
        addresses = [a for a in dict_list(physical.get("addresses")) if self.home_address(a)]
        point = self.point(physical)
        area = values["area"] or (self.areas[0] if self.areas else None)
        if not addresses and point is None and area is not None:
            # How a publisher withholds an address (a DV desk): show only the area.
            return {**values, "area": area, "location_mode": LocationMode.CONFIDENTIAL}
        address = addresses[0] if addresses else {}
        values.update(
            postal_code=clean_text(address.get("postal_code"), 8),
            address=clean_text(address.get("address_1"), 200),
            address_building=clean_text(address.get("address_2"), 120),
        )
        if point is not None:
            values["lat"], values["lng"] = point
        if values["address"]:
            self.location_name(physical)
        else:
            values["address"] = clean_text(physical.get("name"), 200) or "住所未登録"
            self.note(
                f"住所がないため、住所欄に「{values['address']}」と入れました。住所を確認してください。"
            )
        return {**values, "location_mode": LocationMode.ADDRESS}

    def home_address(self, address: dict[str, Any]) -> bool:
        """An address in Japan is kept; one elsewhere is dropped whole, with a note (not rewritten)."""
        country = clean_text(address.get("country")).upper()
        if country in ("", HOME_COUNTRY, "JPN"):
            return True
        parts = ", ".join(
            clean_text(address.get(k))
            for k in ("address_1", "city", "state_province", "postal_code", "country")
            if clean_text(address.get(k))
        )
        self.note(f"日本国外の住所（{parts}）は取り込みませんでした。")
        return False

    def location_name(self, location: dict[str, Any]) -> None:
        name = clean_text(location.get("name"))
        if name and name != clean_text(self.record.get("name")):
            self.note(f"場所の名前「{name}」は保存できる欄がないため取り込みませんでした。")

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
        """Our areas by urn; other areas by name, a 学区 under the listing's municipality.

        A 小学校区 the platform does not know yet is created below that municipality (with a
        note to check it), so an import into an empty platform keeps every district.
        """
        areas: list[Area] = []
        outside = False
        named: list[str] = []
        for item in dict_list(self.record.get("service_areas")):
            uri = clean_text(item.get("uri"))
            if uri == OUTSIDE_AREA_URI:
                outside = True
                continue
            name = clean_text(item.get("name"))
            if uri.startswith(AREA_URI):
                area = self.area(uri.removeprefix(AREA_URI), name)
            else:
                area = None
                named.append(name or uri)
            if area is not None and area not in areas:
                areas.append(area)
        for name in named:
            area = self.named_area(name, areas)
            if area is None:
                self.note(f"対象地域「{name}」は市区町村が分からないため取り込みませんでした。")
            elif area not in areas:
                areas.append(area)
        return areas, outside

    def municipality(self, areas: list[Area]) -> Area | None:
        """The listing's municipality: of its areas, else of its location's city."""
        for area in areas:
            if area.level == Area.Level.MUNICIPALITY:
                return area
            if area.level == Area.Level.SCHOOL_DISTRICT and area.parent is not None:
                return area.parent
        for sal in dict_list(self.record.get("service_at_locations")):
            location = sal.get("location")
            if not isinstance(location, dict):
                continue
            if location.get("external_identifier_type") == AREA_IDENTIFIER_TYPE:
                code = clean_text(location.get("external_identifier")).partition("-")[0]
                found = Area.objects.filter(code=code, level=Area.Level.MUNICIPALITY).first()
                if found is not None:
                    return found
            for address in dict_list(location.get("addresses")):
                city = clean_text(address.get("state_province")) + clean_text(address.get("city"))
                found = find_municipality(city) if city else None
                if found is not None:
                    return found
        return None

    def named_area(self, name: str, areas: list[Area]) -> Area | None:
        """An area named without our urn: a municipality by name, a 学区 under the listing's."""
        if not name.endswith(DISTRICT_SUFFIXES):
            return find_municipality(name) or Area.objects.filter(name=name).first()
        municipality = self.municipality(areas)
        if municipality is None:
            return None
        districts = Area.objects.filter(parent=municipality, level=Area.Level.SCHOOL_DISTRICT)
        found = districts.filter(name=name).first()
        if found is not None:
            return found
        taken = {code.partition("-")[2] for code in districts.values_list("code", flat=True)}
        number = next(n for n in range(1, len(taken) + 2) if f"{n:02d}" not in taken)
        area = Area(
            code=f"{municipality.code}-{number:02d}",
            name=name[: Area._meta.get_field("name").max_length],
            level=Area.Level.SCHOOL_DISTRICT,
            parent=municipality,
        )
        area.full_clean()
        area.save()
        self.note(
            f"対象地域「{name}」を{municipality.name}の小学校区として新しく登録しました"
            f"（{area.code}）。区域と中心の位置を確認してください。"
        )
        return area
