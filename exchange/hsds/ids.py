"""Ids of HSDS objects, and the one rule that drops empty optional fields.

Ids of listings and members are their own UUIDs; ids of nested objects (locations, schedules,
attributes …) are UUIDv5 derived from the owner's UUID, so an export is stable from one run to
the next and an import can find them again. Kept apart from the builders so every builder
module (export, places) derives ids the same way.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

# Fixed namespace for ids that belong to the platform rather than to one listing (taxonomies).
NAMESPACE = uuid.UUID("6f1c9a52-2b7e-4d4e-9a57-4b0c3f1d8e21")
TAXONOMY_PREFIX = "tsunagari-"


def child_id(owner: uuid.UUID | str, *parts: object) -> str:
    """A stable UUID for an object nested in `owner` (a listing or member UUID)."""
    return str(uuid.uuid5(uuid.UUID(str(owner)), "/".join(map(str, parts))))


def taxonomy_name(scheme: str) -> str:
    return f"{TAXONOMY_PREFIX}{scheme}"


def taxonomy_id(scheme: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"taxonomy/{scheme}"))


def taxonomy_term_id(scheme: str, slug: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"taxonomy_term/{scheme}/{slug}"))


def compact(obj: dict[str, Any], keep: Iterable[str] = ()) -> dict[str, Any]:
    """Drop empty optional fields: HSDS strings may not be null."""
    kept = set(keep)
    return {k: v for k, v in obj.items() if k in kept or v not in (None, "", [])}
