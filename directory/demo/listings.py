"""The demo's listings (listings/*.yaml): the desired page, compared and written only when different."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError

from directory.demo.base import (
    DemoDataError,
    DemoResult,
    Lookup,
    listing_uuid,
    read_yaml,
    to_coordinate,
)
from directory.demo.schedules import format_dates, parse_rule
from directory.listings.schedules import closes_at_year_end, recurrence_to_block
from directory.models import (
    EventPage,
    ListingPage,
    LocationMode,
    Member,
    MemberPage,
    PlacePage,
    listing_models_by_kind,
)

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
    "age_min",
    "age_max",
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
    schedule_text = (row.get("schedule_text") or "").format(dates=format_dates(rules))
    # The stored rules read 年末年始 closure from the text (ListingPage.recurrences); so must these.
    year_end = closes_at_year_end(schedule_text)
    rules = [replace(rule, closed_year_end=year_end) for rule in rules]
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
        "lat": to_coordinate(lat),
        "lng": to_coordinate(lng),
        "accepts_outside_area": bool(row.get("outside_area", "open-area" in conditions)),
        "online_available": mode == LocationMode.ONLINE or "online" in conditions,
        "online_url": row.get("online_url", ""),
        "schedule_text": schedule_text,
        "cost_type": cost.get("type", ""),
        "cost_text": cost.get("text", ""),
        "capacity": row.get("capacity"),
        "age_min": row.get("age_min"),
        "age_max": row.get("age_max"),
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
        for member_slug, listings in (read_yaml(path) or {}).items():
            rows.extend({**row, "member": member_slug, "_file": path.name} for row in listings)
    order = {"place": 0, "service": 1, "event": 2}
    return sorted(rows, key=lambda row: order.get(str(row.get("type")), 3))


def load_listings(directory: Path, lookup: Lookup, today: date, result: DemoResult) -> None:
    seen: set[str] = set()
    for row in listing_rows(directory):
        label = f"listings/{row['_file']}: {row.get('slug', '?')}"
        slug = str(row.get("slug", ""))
        if slug in seen:
            raise DemoDataError(f"{label}: スラッグが重複しています。")
        seen.add(slug)
        try:
            sync_listing(row, lookup, today, result)
        except (DemoDataError, ValidationError, KeyError, ValueError) as error:
            raise DemoDataError(f"{label}: {error}") from error
