"""HSDS import: embedded service objects → members and listings, keeping the incoming ids.

Each record runs in its own transaction, so one bad record is reported and skipped while the
rest of the file is imported; a dry run rolls every record back. The importer only keeps
organisational data: a contact's personal name is never stored.
"""

from __future__ import annotations

import json
import unicodedata
import uuid
from collections.abc import Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import DatabaseError, transaction

from directory.listings.schedules import Recurrence, recurrence_to_block
from directory.listings.validators import (
    validate_corporate_number,
    validate_latitude,
    validate_longitude,
)
from directory.membership.lifecycle import approve_member
from directory.models import (
    Area,
    CostType,
    EventPage,
    ListingPage,
    ListingStatus,
    LocationMode,
    Member,
    MemberPage,
    MemberStatus,
    MemberType,
    Scheme,
    ServicePage,
    VocabularyTerm,
    listing_models_by_kind,
    listing_page_models,
)
from directory.models.listings import LANGUAGE_CHOICES
from exchange.hsds.export import (
    AREA_IDENTIFIER_TYPE,
    AREA_URI,
    CAPACITY_LINE,
    CORPORATE_NUMBER_SCHEME,
    DEADLINE_LINE,
    LANGUAGE_TO_HSDS,
    LISTING_VOCABULARY,
    OUTSIDE_AREA_URI,
    STATUS_TO_HSDS,
    TAXONOMY_PREFIX,
)
from exchange.hsds.schedules import convert_schedules, parse_date

STATUS_FROM_HSDS = {value: key for key, value in STATUS_TO_HSDS.items()} | {
    "inactive": ListingStatus.ENDED
}
LANGUAGE_FROM_HSDS = {value: key for key, value in LANGUAGE_TO_HSDS.items()} | {
    code: code for code, _ in LANGUAGE_CHOICES
}
COST_LABELS = {label: value for value, label in CostType.choices}
SUMMARY_LENGTH = 200


class HsdsFileError(ValueError):
    """The file as a whole cannot be read (not JSON, or not a list of services)."""


class RecordSkipped(ValueError):
    """A record that cannot be imported; the message is the Japanese reason."""


@dataclass
class RecordResult:
    index: int
    status: str  # created | updated | skipped
    service_id: str = ""
    name: str = ""
    reasons: list[str] = field(default_factory=list)
    unchanged: bool = False  # skipped because the listing already matches the record


@dataclass
class ImportReport:
    results: list[RecordResult] = field(default_factory=list)
    dry_run: bool = False
    messages: list[str] = field(default_factory=list)  # file-level (areas created)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def imported(self) -> int:
        return self.count("created") + self.count("updated")

    @property
    def failed(self) -> bool:
        """Nothing could be imported: no record was created, updated or already up to date."""
        return self.imported == 0 and not any(r.unchanged for r in self.results)


class _DryRun(Exception):
    """Raised inside the dry run's transaction to roll everything back."""


def load_services(path: Path) -> list[Any]:
    """The service objects of a file: a JSON array, or an object with a "services" array."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise HsdsFileError(f"JSON として読み込めません / not valid JSON: {error}") from error
    if isinstance(data, dict) and isinstance(data.get("services"), list):
        return data["services"]
    if isinstance(data, list):
        return data
    raise HsdsFileError(
        'HSDS の service の配列、または {"services": [...]} の形式にしてください'
        ' / expected an array of services or {"services": [...]}'
    )


def import_services(services: Iterable[Any], *, dry_run: bool = False) -> ImportReport:
    """Import every record in its own savepoint; a bad record never stops the others.

    A dry run wraps the whole file in one transaction that is rolled back at the end, so later
    records see the members and areas that earlier ones would create.
    """
    services = list(services)
    report = ImportReport(dry_run=dry_run)
    try:
        with transaction.atomic() if dry_run else nullcontext():
            report.messages = prepare_areas(services)
            report.results = [
                _import_record(index, record) for index, record in enumerate(services, 1)
            ]
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _import_record(index: int, record: Any) -> RecordResult:
    result = RecordResult(index=index, status="skipped")
    if isinstance(record, dict):
        result.service_id = str(record.get("id") or "")
        result.name = str(record.get("name") or "")
    try:
        with transaction.atomic():
            ServiceImporter(record, result).run()
    except RecordSkipped as error:
        result.status, result.reasons = "skipped", [str(error), *result.reasons]
    except ValidationError as error:
        result.status = "skipped"
        result.reasons = [f"保存できませんでした: {_messages(error)}", *result.reasons]
    except (DatabaseError, ValueError, TypeError, KeyError, AttributeError) as error:
        result.status = "skipped"
        result.reasons = [
            f"読み込めませんでした（{type(error).__name__}: {error}）",
            *result.reasons,
        ]
    return result


def prepare_areas(services: list[Any]) -> list[str]:
    """Create the missing areas every record names, municipalities first, before any record.

    A 学区 can only be created below its municipality, and the record that names the
    municipality may come later in the file than the one that uses the 学区.
    """
    names: dict[str, str] = {}

    def remember(code: str, name: str) -> None:
        if code and (name or code not in names) and not names.get(code):
            names[code] = name

    for record in services:
        if not isinstance(record, dict):
            continue
        for item in _list(record.get("service_areas")):
            uri = _text(item.get("uri"))
            if uri.startswith(AREA_URI):
                remember(uri.removeprefix(AREA_URI), _text(item.get("name")))
        for sal in _list(record.get("service_at_locations")):
            location = sal.get("location")
            if (
                isinstance(location, dict)
                and location.get("external_identifier_type") == AREA_IDENTIFIER_TYPE
            ):
                # Only an area-only (confidential) location is named after its area.
                named = not _list(location.get("addresses"))
                remember(
                    _text(location.get("external_identifier")),
                    _text(location.get("name")) if named else "",
                )
    messages = []
    for code in sorted(names, key=lambda c: ("-" in c, c)):
        with transaction.atomic():
            area, message = resolve_area(code, names[code])
        if area is not None and message:
            messages.append(message)
    return messages


def resolve_area(code: str, name: str) -> tuple[Area | None, str]:
    """The area with this code, creating a missing municipality or 学区 when its parent is known.

    Returns the area (or None) and a message for the report ('' when it already existed).
    """
    area = Area.objects.filter(code=code).first()
    if area is not None or not code:
        return area, ""
    parent_code, sub, _ = code.partition("-")
    level = Area.Level.SCHOOL_DISTRICT if sub else Area.Level.MUNICIPALITY
    parent = (
        Area.objects.filter(code=parent_code, level=Area.Level.MUNICIPALITY).first()
        if sub
        else Area.objects.filter(level=Area.Level.PREFECTURE, code__startswith=code[:2]).first()
    )
    if parent is None or not name:
        return None, f"地域コード {code} は未登録のため地域を設定していません。"
    area = Area(code=code, name=name[:80], level=level, parent=parent)
    try:
        area.full_clean()
    except ValidationError:
        return None, f"地域コード {code} は正しい地域コードではないため登録していません。"
    area.save()
    return (
        area,
        f"地域「{area.name}」（{code}）を新しく登録しました。区分と中心の位置を確認してください。",
    )


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(f"{key}: {' '.join(msgs)}" for key, msgs in error.message_dict.items())
    return " ".join(error.messages)


def _uuid(value: Any, what: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError) as error:
        raise RecordSkipped(f"{what}の id が UUID ではありません: {value!r}") from error


def _text(value: Any, limit: int | None = None) -> str:
    text = unicodedata.normalize("NFC", str(value or "")).strip()
    return text[:limit] if limit else text


def _list(value: Any) -> list[dict[str, Any]]:
    return (
        [item for item in value or [] if isinstance(item, dict)] if isinstance(value, list) else []
    )


class ServiceImporter:
    """Turns one HSDS service object into a member (if new) and a published listing."""

    def __init__(self, record: Any, result: RecordResult) -> None:
        if not isinstance(record, dict):
            raise RecordSkipped("service オブジェクト（JSON の {...}）ではありません。")
        self.record = record
        self.result = result
        self.notes: list[str] = []  # shown to the member in review_notes and in the report
        self.areas: list[Area] = []
        self.rules: list[Recurrence] = []
        self.outside_ok = False

    def note(self, message: str) -> None:
        self.notes.append(message)

    # -- member -------------------------------------------------------------------------
    def member(self) -> Member:
        organization = self.record.get("organization")
        org_id = (organization or {}).get("id") if isinstance(organization, dict) else None
        org_uuid = _uuid(org_id or self.record.get("organization_id"), "団体（organization）")
        member = Member.objects.filter(uuid=org_uuid).first()
        if not isinstance(organization, dict):
            if member is None:
                raise RecordSkipped(
                    "団体（organization）の情報がなく、既存の会員団体でもありません。"
                )
            return member
        values = self.member_values(organization)
        if member is None:
            member = Member(uuid=org_uuid, slug=_member_slug(org_uuid), **values)
            member.full_clean(exclude=["slug"])
            member.save()
            approve_member(member)
            return member
        changed = [key for key, value in values.items() if getattr(member, key) != value]
        for key in changed:
            setattr(member, key, values[key])
        if changed:
            member.full_clean()
            member.save()
        return member

    def member_values(self, organization: dict[str, Any]) -> dict[str, Any]:
        name = _text(organization.get("name"), 120)
        if not name:
            raise RecordSkipped("団体名（organization.name）がありません。")
        member_type = _text(organization.get("legal_status"))
        type_by_label = {label: value for value, label in MemberType.choices}
        phones = _list(organization.get("phones"))
        identifiers = [
            i
            for i in _list(organization.get("organization_identifiers"))
            if i.get("identifier_scheme") == CORPORATE_NUMBER_SCHEME
        ]
        corporate_number = _text(identifiers[0].get("identifier")) if identifiers else ""
        return {
            "name": name,
            "kana": _text(organization.get("alternate_name"), 200),
            "description": _text(organization.get("description")),
            "member_type": member_type
            if member_type in MemberType.values
            else type_by_label.get(member_type, MemberType.OTHER),
            "email": self.valid(organization.get("email"), validate_email, "団体のメール"),
            "website": self.valid(
                organization.get("website"), URLValidator(), "団体のウェブサイト"
            ),
            "phone": _text(phones[0].get("number"), 30) if phones else "",
            "corporate_number": self.valid(corporate_number, validate_corporate_number, "法人番号"),
        }

    def valid(self, value: Any, validator: Any, label: str) -> str:
        """The value if it passes the validator; otherwise blank, with a note."""
        text = _text(value)
        if not text:
            return ""
        try:
            validator(text)
        except ValidationError:
            self.note(f"{label}の形式が正しくないため取り込みませんでした。")
            return ""
        return text

    # -- listing ------------------------------------------------------------------------
    def run(self) -> None:
        service_uuid = _uuid(self.record.get("id"), "サービス（service）")
        name = _text(self.record.get("name"), 255)
        if not name:
            raise RecordSkipped("名称（name）がありません。")
        member = self.member()
        parent = MemberPage.objects.filter(member=member).first()
        if parent is None or member.status != MemberStatus.APPROVED:
            raise RecordSkipped(f"団体「{member.name}」は承認済みでないため掲載できません。")
        vocabulary = self.vocabulary()
        self.areas, self.outside_ok = self.service_areas()
        kind = (vocabulary.pop(Scheme.KIND.value, None) or ["service"])[0]
        model = listing_models_by_kind().get(kind, ServicePage)
        listing = self.existing(service_uuid)
        if listing is not None:
            if listing.get_parent().pk != parent.pk:
                raise RecordSkipped(
                    "この id の掲載は別の団体のものです。団体をまたいで移すことはできません。"
                )
            if not isinstance(listing, model):
                self.note(
                    f"種類（{kind}）は既存の掲載の種類から変更できないため、そのままにしました。"
                )
        else:
            listing = model(uuid=service_uuid)
        values = {"title": name, **self.listing_values(listing)}
        fields_changed = [key for key, value in values.items() if self.differs(listing, key, value)]
        for key in fields_changed:
            setattr(listing, key, values[key])
        relations_changed = self.set_relations(listing, vocabulary)
        notes = "\n".join(self.notes)
        if listing.review_notes != notes:
            listing.review_notes = notes
            fields_changed.append("review_notes")
        self.result.reasons = list(self.notes)
        if listing.pk is None:
            parent.add_child(instance=listing)
            listing.save_revision(log_action=False).publish()
            self.result.status = "created"
        elif fields_changed or relations_changed or not listing.live:
            listing.save_revision(log_action=False).publish()
            self.result.status = "updated"
        else:
            self.result.unchanged = True
            self.result.reasons.insert(0, "変更なし")

    def differs(self, listing: ListingPage, key: str, value: Any) -> bool:
        if key == "schedule":
            return listing.pk is None or listing.recurrences != self.rules
        return getattr(listing, key) != value

    @staticmethod
    def existing(service_uuid: uuid.UUID) -> ListingPage | None:
        for model in listing_page_models():
            found = model.objects.filter(uuid=service_uuid).first()
            if found is not None:
                return found
        return None

    def vocabulary(self) -> dict[str, list[str]]:
        """Slugs per scheme from the tsunagari-* attributes; unknown ones are reported."""
        wanted: dict[str, list[str]] = {}
        other: set[str] = set()
        for attribute in _list(self.record.get("attributes")):
            term = attribute.get("taxonomy_term")
            if not isinstance(term, dict):
                continue
            taxonomy = _text(
                term.get("taxonomy") or (term.get("taxonomy_detail") or {}).get("name")
            )
            if not taxonomy.startswith(TAXONOMY_PREFIX):
                other.add(taxonomy or "?")
                continue
            slug = _text(term.get("code"))
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
        summary, description = _split_description(_text(record.get("description")))
        if not summary:
            summary = _text(record.get("name"), SUMMARY_LENGTH)
        how_to_join, deadline, capacity = self.application_process(
            record.get("application_process")
        )
        status = STATUS_FROM_HSDS.get(_text(record.get("status")))
        if status is None:
            self.note(
                f"活動状況（status）が不明なため「活動中」にしました: {record.get('status')!r}"
            )
            status = ListingStatus.ACTIVE
        schedule = convert_schedules(_list(record.get("schedules")))
        self.rules = schedule.rules
        for message in schedule.notes:
            self.note(message)
        values: dict[str, Any] = {
            "kana": _text(record.get("alternate_name"), 200),
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
        for line in _text(value).splitlines():
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
        for language in _list(self.record.get("languages")):
            code = LANGUAGE_FROM_HSDS.get(_text(language.get("code")).lower())
            if code is None:
                self.note(f"対応していない言語コードです: {language.get('code')!r}")
            elif code not in found:
                found.append(code)
        return found

    def phone(self) -> str:
        phones = _list(self.record.get("phones"))
        return _text(phones[0].get("number"), 30) if phones else ""

    def contact_point(self) -> str:
        """The 窓口 (department) only: a contact's personal name is never stored."""
        contacts = _list(self.record.get("contacts"))
        if not contacts:
            return ""
        if contacts[0].get("name") and not contacts[0].get("department"):
            self.note("担当者の個人名は取り込みません（団体の窓口名のみ掲載します）。")
        return _text(contacts[0].get("department"), 120)

    def cost(self) -> dict[str, Any]:
        options = _list(self.record.get("cost_options"))
        fees = _text(self.record.get("fees_description"), 200)
        cost_type = ""
        if options:
            option = options[0]
            cost_type = COST_LABELS.get(_text(option.get("option")), "")
            amount = option.get("amount")
            if not cost_type and isinstance(amount, int | float):
                cost_type = CostType.FREE if amount == 0 else CostType.PAID
            fees = fees or _text(option.get("amount_description"), 200)
        if fees == (CostType(cost_type).label if cost_type else ""):
            fees = ""
        return {"cost_type": cost_type, "cost_text": fees}

    def location(self) -> dict[str, Any]:
        """Location mode, address, point and area from service_at_locations[].location."""
        locations = [
            sal["location"]
            for sal in _list(self.record.get("service_at_locations"))
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
                _text(a.get("description"))
                for loc in locations
                for a in _list(loc.get("accessibility"))
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
        addresses = _list(physical.get("addresses"))
        point = self.point(physical)
        if not addresses and point is None and values["area"] is not None:
            return {**values, "location_mode": LocationMode.CONFIDENTIAL}
        address = addresses[0] if addresses else {}
        values.update(
            postal_code=_text(address.get("postal_code"), 8),
            address=_text(address.get("address_1"), 200),
            address_building=_text(address.get("address_2"), 120),
        )
        if point is not None:
            values["lat"], values["lng"] = point
        if not values["address"]:
            values["address"] = _text(physical.get("name"), 200) or "住所未登録"
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
        name = "" if _list(location.get("addresses")) else _text(location.get("name"))
        return self.area(_text(location.get("external_identifier")), name)

    def area(self, code: str, name: str) -> Area | None:
        area, message = resolve_area(code, name)
        if message:
            self.note(message)
        return area

    def service_areas(self) -> tuple[list[Area], bool]:
        areas: list[Area] = []
        outside = False
        for item in _list(self.record.get("service_areas")):
            uri = _text(item.get("uri"))
            if uri == OUTSIDE_AREA_URI:
                outside = True
                continue
            name = _text(item.get("name"))
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

    def set_relations(self, listing: ListingPage, vocabulary: dict[str, list[str]]) -> bool:
        """Vocabulary and service areas; True when any of them changed."""
        changed = False
        for scheme, attribute in LISTING_VOCABULARY.items():
            terms = list(
                VocabularyTerm.objects.filter(scheme=scheme, slug__in=vocabulary.get(scheme, []))
            )
            changed |= _set_m2m(listing, attribute, terms)
        changed |= _set_m2m(listing, "service_areas", self.areas)
        if listing.accepts_outside_area != self.outside_ok:
            listing.accepts_outside_area = self.outside_ok
            changed = True
        return changed


def _set_m2m(listing: ListingPage, attribute: str, objects: list[Any]) -> bool:
    manager = getattr(listing, attribute)
    before = {obj.pk for obj in manager.all()} if listing.pk else set()
    if before == {obj.pk for obj in objects}:
        return False
    manager.set(objects)
    return True


def _split_description(text: str) -> tuple[str, str]:
    """The export writes "summary\\n\\ndescription"; other files get their first paragraph."""
    first, _, rest = text.partition("\n\n")
    if len(first) <= SUMMARY_LENGTH:
        return first.strip(), rest.strip()
    return first[: SUMMARY_LENGTH - 1] + "…", text


def _member_slug(org_uuid: uuid.UUID) -> str:
    """An ASCII slug for /members/<slug>/ derived from the organisation id (stable, unique)."""
    for length in (8, 12, 32):
        slug = f"org-{org_uuid.hex[:length]}"
        if not Member.objects.filter(slug=slug).exists():
            return slug
    raise RecordSkipped("団体の URL 名を決められませんでした。")
