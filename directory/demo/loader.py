"""The demo PF: a fictional municipality, its members and their listings, from fixtures/demo/.

The demo is readable YAML (not a database dump) so it can be reviewed and edited like content.
Loading is idempotent: members are keyed by slug, listings by a UUID derived from their slug
(`listing_uuid`), and a record is written — as a new, published revision — only when the YAML
says something different from what is stored. Dates of events and "last verified" are stored as
offsets in days and resolved against the day of loading, so the demo always looks current.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from directory.listings.schedules import WEEKDAY_LABELS, Recurrence, recurrence_to_block
from directory.membership.lifecycle import approve_member, ensure_secretariat_group
from directory.models import (
    Area,
    EventPage,
    ListingPage,
    LocationMode,
    Member,
    MemberPage,
    MemberStatus,
    PlacePage,
    VocabularyTerm,
    listing_models_by_kind,
)

# Fixed forever: tests, benchmarks and links refer to demo records through these UUIDs.
DEMO_NAMESPACE = uuid.UUID("5d0c8e4e-3f7a-4c55-9a51-7a6b1d0e2f10")
SECRETARIAT_USERNAME = "jimukyoku"
COORDINATE = Decimal("0.000001")

LISTING_FIELDS = (
    "title",
    "kana",
    "summary",
    "description",
    "location_mode",
    "area_id",
    "postal_code",
    "address",
    "address_building",
    "lat",
    "lng",
    "accepts_outside_area",
    "online_available",
    "online_url",
    "schedule_text",
    "cost_type",
    "cost_text",
    "capacity",
    "how_to_join",
    "accessibility",
    "languages",
    "contact_point",
    "phone",
    "email",
    "website",
    "last_verified",
    "status",
)
EVENT_FIELDS = ("venue_id", "registration_deadline")
LISTING_RELATIONS = ("categories", "targets", "conditions", "service_areas")
MEMBER_FIELDS = (
    "name",
    "kana",
    "member_type",
    "role",
    "description",
    "contact_point",
    "phone",
    "email",
    "website",
    "address",
)
MEMBER_RELATIONS = ("fields", "targets", "areas", "offers", "looks_for")


class DemoDataError(Exception):
    """A demo YAML record that cannot be loaded; the message names the file and record."""


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str


@dataclass
class DemoResult:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unchanged: Counter[str] = field(default_factory=Counter)
    logins: list[DemoLogin] = field(default_factory=list)


def demo_directory() -> Path:
    return Path(settings.FIXTURES_DIR) / "demo"


def listing_uuid(slug: str) -> uuid.UUID:
    """The stable UUID of the demo listing with this slug."""
    return uuid.uuid5(DEMO_NAMESPACE, f"listing:{slug}")


def member_uuid(slug: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, f"member:{slug}")


def _read(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


# -- schedules -------------------------------------------------------------------------------
def _weekdays(value: Any) -> tuple[int, ...]:
    labels = value if isinstance(value, list) else [value]
    try:
        return tuple(sorted(WEEKDAY_LABELS.index(str(label)) for label in labels))
    except ValueError as error:
        raise DemoDataError(f"曜日は 月〜日 の一文字で書いてください: {labels}") from error


def _times(value: str | None) -> tuple[time | None, time | None]:
    if not value:
        return None, None
    start, _, end = value.partition("-")
    return time.fromisoformat(start), time.fromisoformat(end) if end else None


def parse_rule(rule: dict[str, Any], today: date) -> Recurrence:
    """One YAML schedule rule (weekly / monthly / in_days / dates) as a Recurrence.

    Times, validity (from_in_days / until_in_days) and closed_on_holidays apply to every kind.
    """
    start, end = _times(rule.get("time"))
    common: dict[str, Any] = {
        "start_time": start,
        "end_time": end,
        "closed_on_holidays": bool(rule.get("closed_on_holidays")),
        "valid_from": today + timedelta(days=rule["from_in_days"])
        if "from_in_days" in rule
        else None,
        "valid_until": today + timedelta(days=rule["until_in_days"])
        if "until_in_days" in rule
        else None,
    }
    if "weekly" in rule:
        return Recurrence(
            "weekly",
            weekdays=_weekdays(rule["weekly"]),
            interval=int(rule.get("every", 1)),
            **common,
        )
    if "monthly" in rule:
        return Recurrence(
            "monthly",
            nths=tuple(sorted(int(n) for n in rule["monthly"])),
            weekdays=_weekdays(rule["weekday"]),
            **common,
        )
    if "in_days" in rule:
        days = tuple(sorted(today + timedelta(days=int(n)) for n in rule["in_days"]))
    elif "dates" in rule:
        days = tuple(sorted(rule["dates"]))
    else:
        raise DemoDataError(f"スケジュールの書き方が分かりません: {rule}")
    return Recurrence("dates", dates=days, **common)


def _format_dates(rules: list[Recurrence]) -> str:
    days = sorted(d for rule in rules for d in rule.dates)
    return "、".join(f"{d.month}月{d.day}日（{WEEKDAY_LABELS[d.weekday()]}）" for d in days)


# -- vocabulary and areas ----------------------------------------------------------------------
class Lookup:
    """Vocabulary terms, areas and members by their YAML keys, with clear errors."""

    def __init__(self, municipality: Area) -> None:
        self.municipality = municipality
        self.terms = {(t.scheme, t.slug): t for t in VocabularyTerm.objects.all()}
        self.areas = {a.code: a for a in Area.objects.filter(parent=municipality)}
        self.members: dict[str, Member] = {}

    def vocabulary(self, scheme: str, slugs: list[str] | None) -> list[VocabularyTerm]:
        unknown = [s for s in slugs or [] if (scheme, s) not in self.terms]
        if unknown:
            raise DemoDataError(f"語彙（{scheme}）にないスラッグ: {', '.join(unknown)}")
        return [self.terms[(scheme, s)] for s in slugs or []]

    def area(self, key: str | None) -> Area:
        """'01' → the district <municipality code>-01; 'city' (or nothing) → the municipality."""
        if key in (None, "city"):
            return self.municipality
        code = f"{self.municipality.code}-{key}"
        if code not in self.areas:
            raise DemoDataError(f"学区 {code} がありません。")
        return self.areas[code]

    def member(self, slug: str) -> Member:
        if slug not in self.members:
            raise DemoDataError(f"団体 {slug} が members.yaml にありません。")
        return self.members[slug]


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(COORDINATE)


def load_areas(data: dict[str, Any], result: DemoResult) -> Area:
    """The fictional municipality under its real prefecture, and its 小学校区."""
    spec = data["municipality"]
    prefecture = Area.objects.get(code=data["prefecture"], level=Area.Level.PREFECTURE)
    municipality = _sync_area(
        {**spec, "level": Area.Level.MUNICIPALITY, "parent": prefecture, "sort_order": 0},
        result,
    )
    for order, district in enumerate(data["districts"], start=1):
        _sync_area(
            {
                **district,
                "code": f"{municipality.code}-{district['number']}",
                "level": Area.Level.SCHOOL_DISTRICT,
                "parent": municipality,
                "sort_order": order,
            },
            result,
        )
    return municipality


def _sync_area(spec: dict[str, Any], result: DemoResult) -> Area:
    lat, lng = spec.get("centroid") or (None, None)
    values = {
        "name": spec["name"],
        "kana": spec.get("kana", ""),
        "level": spec["level"],
        "parent": spec["parent"],
        "centroid_lat": _decimal(lat),
        "centroid_lng": _decimal(lng),
        "outline": _outline(spec.get("outline")),
        "sort_order": spec["sort_order"],
    }
    area = Area.objects.filter(code=spec["code"]).first() or Area(code=spec["code"])
    return _save_if_changed(area, values, "area", result)


def _outline(box: dict[str, float] | None) -> dict[str, Any] | None:
    """YAML gives a district's bounds (south/west/north/east); the map wants a GeoJSON Polygon."""
    if not box:
        return None
    s, w, n, e = (box[k] for k in ("south", "west", "north", "east"))
    return {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}


def _save_if_changed(obj: Any, values: dict[str, Any], label: str, result: DemoResult) -> Any:
    changed = obj.pk is None or any(getattr(obj, k) != v for k, v in values.items())
    if not changed:
        result.unchanged[label] += 1
        return obj
    (result.created if obj.pk is None else result.updated)[label] += 1
    for key, value in values.items():
        setattr(obj, key, value)
    obj.full_clean()
    obj.save()
    return obj


# -- members ---------------------------------------------------------------------------------
def load_members(rows: list[dict[str, Any]], lookup: Lookup, result: DemoResult) -> None:
    for row in rows:
        try:
            lookup.members[row["slug"]] = _sync_member(row, lookup, result)
        except (DemoDataError, ValidationError, KeyError) as error:
            raise DemoDataError(f"members.yaml: {row.get('slug', '?')}: {error}") from error


def _sync_member(row: dict[str, Any], lookup: Lookup, result: DemoResult) -> Member:
    values = {
        "name": row["name"],
        "kana": row["kana"],
        "member_type": row["type"],
        "role": row.get("role", "general"),
        "description": row["description"].strip(),
        "contact_point": row.get("contact_point", ""),
        "phone": row["phone"],
        "email": row["email"],
        "website": row.get("website", ""),
        "address": row.get("address", ""),
    }
    relations = {
        "fields": lookup.vocabulary("category", row.get("fields")),
        "targets": lookup.vocabulary("target", row.get("targets")),
        "areas": [lookup.area(key) for key in row.get("areas") or ["city"]],
        "offers": lookup.vocabulary("offer", row.get("offers")),
        "looks_for": lookup.vocabulary("offer", row.get("looks_for")),
    }
    member = Member.objects.filter(slug=row["slug"]).first()
    if member is None:
        member = Member(slug=row["slug"], uuid=member_uuid(row["slug"]), **values)
        member.full_clean()
        member.save()
        result.created["member"] += 1
    elif any(getattr(member, k) != v for k, v in values.items()) or any(
        set(getattr(member, k).all()) != set(v) for k, v in relations.items()
    ):
        for key, value in values.items():
            setattr(member, key, value)
        member.full_clean()
        member.save()
        result.updated["member"] += 1
    else:
        result.unchanged["member"] += 1
    for key, value in relations.items():
        if set(getattr(member, key).all()) != set(value):
            getattr(member, key).set(value)
    if (
        member.status != MemberStatus.APPROVED
        or not MemberPage.objects.filter(member=member).exists()
    ):
        approve_member(member)
    return member


# -- listings --------------------------------------------------------------------------------
def _verified_days_ago(row: dict[str, Any]) -> int:
    """Explicit in the YAML, else a stable 10–120 days spread by slug (so not all the same)."""
    if "verified_days_ago" in row:
        return int(row["verified_days_ago"])
    return 10 + int(hashlib.sha1(row["slug"].encode()).hexdigest(), 16) % 111  # noqa: S324


def desired_listing(
    row: dict[str, Any], member: Member, lookup: Lookup, today: date
) -> dict[str, Any]:
    """Everything a listing should be, as field → value (relations as lists of objects)."""
    kind = row["type"]
    rules = [parse_rule(rule, today) for rule in row.get("schedule") or []]
    mode = row.get("location", LocationMode.ADDRESS)
    conditions = row.get("conditions") or []
    venue = None
    if row.get("venue"):
        venue = PlacePage.objects.filter(uuid=listing_uuid(row["venue"])).first()
        if venue is None:
            raise DemoDataError(f"会場 {row['venue']} の居場所ページがありません。")
    area = (
        venue.area
        if venue is not None and "district" not in row
        else lookup.area(row.get("district"))
    )
    lat, lng = row.get("point") or (None, None)
    cost = row.get("cost") or {}
    deadline = row.get("deadline_in_days")
    values: dict[str, Any] = {
        "title": row["name"],
        "kana": row["kana"],
        "summary": row["summary"].strip(),
        "description": (row.get("description") or "").strip(),
        "location_mode": mode,
        "area_id": area.pk,
        "postal_code": row.get("postal_code", ""),
        "address": row.get("address", ""),
        "address_building": row.get("building", ""),
        "lat": _decimal(lat),
        "lng": _decimal(lng),
        "accepts_outside_area": bool(row.get("outside_area", "open-area" in conditions)),
        "online_available": mode == LocationMode.ONLINE or "online" in conditions,
        "online_url": row.get("online_url", ""),
        "schedule_text": (row.get("schedule_text") or "").format(dates=_format_dates(rules)),
        "cost_type": cost.get("type", ""),
        "cost_text": cost.get("text", ""),
        "capacity": row.get("capacity"),
        "how_to_join": (row.get("how_to_join") or "").strip(),
        "accessibility": (row.get("accessibility") or "").strip(),
        "languages": row.get("languages") or ["ja"],
        "contact_point": row.get("contact_point", member.contact_point),
        "phone": row.get("phone", member.phone),
        "email": row.get("email", member.email),
        "website": row.get("website", member.website),
        "last_verified": today - timedelta(days=_verified_days_ago(row)),
        "status": row.get("status", "active"),
        "categories": lookup.vocabulary("category", row.get("categories")),
        "targets": lookup.vocabulary("target", row.get("targets")),
        "conditions": lookup.vocabulary("condition", conditions),
        "service_areas": [lookup.area(k) for k in row.get("service_areas") or []] or [area],
        "keywords": sorted(row.get("keywords") or []),
        "recurrences": rules,
    }
    if kind == "event":
        values["venue_id"] = venue.pk if venue else None
        values["registration_deadline"] = (
            today + timedelta(days=int(deadline)) if deadline is not None else None
        )
        values["co_organisers"] = [lookup.member(s) for s in row.get("co_organisers") or []]
    return values


def current_listing(page: ListingPage) -> dict[str, Any]:
    """The stored listing in the same shape as `desired_listing`, to tell what changed."""
    values = {name: getattr(page, name) for name in LISTING_FIELDS}
    for name in LISTING_RELATIONS:
        values[name] = list(getattr(page, name).all())
    values["keywords"] = sorted(tag.name for tag in page.keywords.all())
    values["recurrences"] = page.recurrences
    if isinstance(page, EventPage):
        values.update({name: getattr(page, name) for name in EVENT_FIELDS})
        values["co_organisers"] = list(page.co_organisers.all())
    return values


def _same(current: dict[str, Any], desired: dict[str, Any]) -> bool:
    for key, wanted in desired.items():
        have = current.get(key)
        if isinstance(wanted, list) and key not in ("languages", "keywords", "recurrences"):
            if {obj.pk for obj in wanted} != {obj.pk for obj in have or []}:
                return False
        elif have != wanted:
            return False
    return True


def _apply(page: ListingPage, desired: dict[str, Any]) -> None:
    for key, value in desired.items():
        if key in (*LISTING_RELATIONS, "co_organisers"):
            getattr(page, key).set(value)
        elif key == "keywords":
            page.keywords.set(value)
        elif key == "recurrences":
            page.schedule = [
                {"type": block_type, "value": raw}
                for block_type, raw in map(recurrence_to_block, value)
            ]
        else:
            setattr(page, key, value)


def sync_listing(
    row: dict[str, Any], lookup: Lookup, today: date, result: DemoResult
) -> ListingPage:
    """Create or update one listing under its member's page; publish only what changed."""
    member = lookup.member(row["member"])
    parent = MemberPage.objects.get(member=member)
    model = listing_models_by_kind()[row["type"]]
    desired = desired_listing(row, member, lookup, today)
    page = model.objects.filter(uuid=listing_uuid(row["slug"])).first()
    if (
        page is not None
        and page.live
        and page.get_parent().pk == parent.pk
        and _same(current_listing(page), desired)
    ):
        result.unchanged["listing"] += 1
        return page
    if page is None:
        page = model(uuid=listing_uuid(row["slug"]), slug=row["slug"])
        _apply(page, desired)
        parent.add_child(instance=page)
        result.created[row["type"]] += 1
    else:
        if page.get_parent().pk != parent.pk:
            page.move(parent, pos="last-child")
            page.refresh_from_db()
        _apply(page, desired)
        result.updated[row["type"]] += 1
    page.save_revision(log_action=False).publish(log_action=False)
    return page


def listing_rows(directory: Path) -> list[dict[str, Any]]:
    """Every listing of listings/*.yaml (member slug → list), places first so events find venues."""
    rows: list[dict[str, Any]] = []
    for path in sorted((directory / "listings").glob("*.yaml")):
        for member_slug, listings in (_read(path) or {}).items():
            rows.extend({**row, "member": member_slug, "_file": path.name} for row in listings)
    order = {"place": 0, "service": 1, "event": 2}
    return sorted(rows, key=lambda row: order.get(row.get("type"), 3))


def load_listings(directory: Path, lookup: Lookup, today: date, result: DemoResult) -> None:
    seen: set[str] = set()
    for row in listing_rows(directory):
        label = f"listings/{row['_file']}: {row.get('slug', '?')}"
        if row.get("slug") in seen:
            raise DemoDataError(f"{label}: スラッグが重複しています。")
        seen.add(row.get("slug"))
        try:
            sync_listing(row, lookup, today, result)
        except (DemoDataError, ValidationError, KeyError, ValueError) as error:
            raise DemoDataError(f"{label}: {error}") from error


# -- platform settings and logins --------------------------------------------------------------
def load_platform_settings(data: dict[str, Any]) -> None:
    from website.models import PlatformSettings

    site = Site.objects.get(is_default_site=True)
    platform = PlatformSettings.for_site(site)
    values = {key: str(value).strip() for key, value in data.items()}
    if any(getattr(platform, key) != value for key, value in values.items()):
        for key, value in values.items():
            setattr(platform, key, value)
        platform.full_clean()
        platform.save()


def ensure_demo_logins(members: list[Member]) -> list[DemoLogin]:
    """The 事務局 login and one editor per member — only where settings.DEMO_LOGINS_ENABLED.

    Every demo login shares one documented password (settings.DEMO_PASSWORD); it is hashed once
    so that 30+ logins do not cost 30+ slow hashes. Existing users keep their password.
    """
    if not getattr(settings, "DEMO_LOGINS_ENABLED", False):
        return []
    password = settings.DEMO_PASSWORD
    hashed = make_password(password)
    user_model = get_user_model()

    def ensure(username: str, display_name: str, group: Any) -> None:
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"first_name": display_name, "password": hashed}
        )
        if created or not user.groups.filter(pk=group.pk).exists():
            user.groups.add(group)

    logins = [DemoLogin(SECRETARIAT_USERNAME, password, "事務局")]
    ensure(SECRETARIAT_USERNAME, "事務局", ensure_secretariat_group())
    for member in members:
        ensure(member.slug, f"{member.name} 編集担当", member.group)
        logins.append(DemoLogin(member.slug, password, member.name))
    return logins


# -- entry point -----------------------------------------------------------------------------
@transaction.atomic
def load_demo(directory: Path | None = None, today: date | None = None) -> DemoResult:
    """Load (or bring up to date) the whole demo PF. All or nothing: one transaction."""
    directory = directory or demo_directory()
    today = today or timezone.localdate()  # the PF's day (Asia/Tokyo), not the server's
    result = DemoResult()
    municipality_data = _read(directory / "municipality.yaml")
    try:
        municipality = load_areas(municipality_data, result)
    except (ValidationError, KeyError) as error:
        raise DemoDataError(f"municipality.yaml: {error}") from error
    lookup = Lookup(municipality)
    load_members(_read(directory / "members.yaml"), lookup, result)
    load_listings(directory, lookup, today, result)
    load_platform_settings(municipality_data.get("platform_settings") or {})
    result.logins = ensure_demo_logins(list(lookup.members.values()))
    return result
