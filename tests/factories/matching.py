"""In-memory match candidates for scoring tests (no database)."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from matching.candidates import Candidate, Slot

_ids = itertools.count(1)
ORIGIN = (35.90, 139.40)


def slot(weekday: int, start: str, end: str, next_day: date) -> Slot:
    """A weekly slot from "HH:MM" strings."""
    hours, minutes = map(int, start.split(":"))
    end_hours, end_minutes = map(int, end.split(":"))
    return Slot(weekday, hours * 60 + minutes, end_hours * 60 + end_minutes, next_day)


def candidate(**overrides: Any) -> Candidate:
    """A public, unscheduled 居場所 for どなたでも at the origin unless told otherwise."""
    number = next(_ids)
    values: dict[str, Any] = {
        "id": f"00000000-0000-0000-0000-{number:012d}",
        "kind": "place",
        "name": f"候補{number:04d}",
        "url": f"/members/m/{number}/",
        "member_id": f"member-{number}",
        "member_name": f"団体{number}",
        "categories": frozenset(),
        "targets": frozenset({"anyone"}),
        "conditions": frozenset(),
        "languages": frozenset({"ja"}),
        "area_codes": ("112345-01", "112345"),
        "area_name": "ひだまり市 ひだまり小学校区",
        "area_point": ORIGIN,
        "point": ORIGIN,
        "confidential": False,
        "online": False,
        "online_only": False,
        "scheduled": False,
        "slots": (),
        "last_verified": None,
        "text": "",
    }
    for key in ("categories", "targets", "conditions", "languages"):
        if key in overrides:
            overrides[key] = frozenset(overrides[key])
    if "slots" in overrides:
        overrides.setdefault("scheduled", True)
        overrides["slots"] = tuple(overrides["slots"])
    values.update(overrides)
    return Candidate(**values)
