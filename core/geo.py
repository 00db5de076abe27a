"""Small geographic helpers on plain floats.

Why not GeoDjango: distances within one prefecture need no spatial index at a PF's size, and
GDAL would be a system dependency on every host (docs/deployment.md: none is needed).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

EARTH_RADIUS_KM = 6371.0088

Ring = Sequence[Sequence[float]]


def haversine_km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance; within 0.5% of geodesic distance, which is plenty for '約1.2km'."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def bounding_box(lat: float, lng: float, radius_km: float) -> tuple[float, float, float, float]:
    """(min_lat, max_lat, min_lng, max_lng) enclosing a circle: a cheap prefilter."""
    dlat = math.degrees(radius_km / EARTH_RADIUS_KM)
    dlng = math.degrees(radius_km / (EARTH_RADIUS_KM * max(math.cos(math.radians(lat)), 1e-6)))
    return lat - dlat, lat + dlat, lng - dlng, lng + dlng


def _in_ring(lat: float, lng: float, ring: Ring) -> bool:
    """Ray casting; GeoJSON rings are [lng, lat] pairs."""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > lat) != (yj > lat) and lng < (xj - xi) * (lat - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def point_in_geometry(lat: float, lng: float, geometry: dict[str, Any] | None) -> bool:
    """Whether a point lies in a GeoJSON Polygon/MultiPolygon (holes respected)."""
    if not geometry:
        return False
    polygons = (
        [geometry["coordinates"]]
        if geometry.get("type") == "Polygon"
        else geometry.get("coordinates", [])
        if geometry.get("type") == "MultiPolygon"
        else []
    )
    for rings in polygons:
        if (
            rings
            and _in_ring(lat, lng, rings[0])
            and not any(_in_ring(lat, lng, hole) for hole in rings[1:])
        ):
            return True
    return False
