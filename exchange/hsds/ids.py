"""Ids of HSDS objects, and the one rule that drops empty optional fields.

Ids of listings and members are their own UUIDs; ids of nested objects (locations, schedules,
attributes …) are UUIDv5 derived from the owner's UUID, so an export is stable from one run to
the next and an import can find them again. Kept apart from the builders so every builder
module (export, places) derives ids the same way.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
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


# -- ids kept from an import ----------------------------------------------------------------
def id_slots(service: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each nested object of a service under a name that is the same coming in and going out.

    Objects matched by what they are (a location by its type, a language by its code, a
    service area by its uri); the others by position and count, so a schedule's id is only
    reused when the import produced as many schedules as it read.
    """
    for key in ("phones", "contacts", "schedules", "cost_options"):
        items = _objects(service.get(key))
        for index, item in enumerate(items):
            yield f"{key}/{index}/{len(items)}", item
    for item in _objects(service.get("service_areas")):
        yield f"service_areas/{item.get('uri') or item.get('name')}", item
    for item in _objects(service.get("languages")):
        yield f"languages/{str(item.get('code', '')).lower()}", item
    for item in _objects(service.get("attributes")):
        term = _object(item.get("taxonomy_term"))
        yield f"attributes/{term.get('taxonomy')}/{term.get('code')}", item
    for sal in _objects(service.get("service_at_locations")):
        location = _object(sal.get("location"))
        slot = f"service_at_locations/{location.get('location_type') or 'physical'}"
        yield slot, sal
        if location:
            yield f"{slot}/location", location
            for key in ("addresses", "accessibility"):
                items = _objects(location.get(key))
                for index, item in enumerate(items):
                    yield f"{slot}/{key}/{index}/{len(items)}", item


def organization_id_slots(organization: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The organization's own nested objects, named like id_slots (kept on the member)."""
    for key in ("phones", "contacts"):
        items = _objects(organization.get(key))
        for index, item in enumerate(items):
            yield f"{key}/{index}/{len(items)}", item
    for item in _objects(organization.get("organization_identifiers")):
        yield f"organization_identifiers/{item.get('identifier_scheme')}", item


Slots = Callable[[dict[str, Any]], Iterator[tuple[str, dict[str, Any]]]]


def kept_ids(obj: dict[str, Any], slots: Slots = id_slots) -> dict[str, str]:
    """The incoming nested ids worth keeping (UUIDs, as HSDS requires), by slot."""
    kept = {}
    for slot, item in slots(obj):
        try:
            kept[slot] = str(uuid.UUID(str(item.get("id"))))
        except ValueError:
            continue
    return kept


def with_kept_ids(
    obj: dict[str, Any], kept: dict[str, str], slots: Slots = id_slots
) -> dict[str, Any]:
    """The object with our derived nested ids replaced by the imported ones, links too."""
    if not kept:
        return obj
    renamed = {
        str(item["id"]): kept[slot] for slot, item in slots(obj) if slot in kept and item.get("id")
    }
    return _renamed(obj, renamed)


def _renamed(value: Any, renamed: dict[str, str]) -> Any:
    if isinstance(value, list):
        return [_renamed(item, renamed) for item in value]
    if not isinstance(value, dict):
        return value
    return {
        key: renamed.get(item, item)
        if (key == "id" or key.endswith("_id")) and isinstance(item, str)
        else _renamed(item, renamed)
        for key, item in value.items()
    }


def _objects(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}
