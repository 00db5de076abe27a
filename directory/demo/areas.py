"""The demo's fictional municipality and its 小学校区, under the real prefecture."""

from __future__ import annotations

from typing import Any

from directory.demo.base import (
    DemoResult,
    to_coordinate,
)
from directory.models import (
    Area,
)


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
        "centroid_lat": to_coordinate(lat),
        "centroid_lng": to_coordinate(lng),
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
