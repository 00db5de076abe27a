import pytest

from core.geo import bounding_box, haversine_km, point_in_geometry

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[139.0, 35.0], [139.1, 35.0], [139.1, 35.1], [139.0, 35.1], [139.0, 35.0]]],
}


def test_haversine_tokyo_to_osaka_is_about_400_km():
    assert haversine_km(35.6812, 139.7671, 34.7025, 135.4959) == pytest.approx(403, abs=3)


def test_bounding_box_contains_the_circle():
    min_lat, max_lat, min_lng, max_lng = bounding_box(35.0, 139.0, 5)
    assert haversine_km(35.0, 139.0, max_lat, 139.0) == pytest.approx(5, rel=1e-3)
    assert haversine_km(35.0, 139.0, 35.0, max_lng) == pytest.approx(5, rel=1e-3)
    assert min_lat < 35.0 < max_lat and min_lng < 139.0 < max_lng


def test_point_in_polygon_and_hole():
    assert point_in_geometry(35.05, 139.05, SQUARE)
    assert not point_in_geometry(35.2, 139.05, SQUARE)
    holed = {
        "type": "Polygon",
        "coordinates": [
            *SQUARE["coordinates"],
            [[139.04, 35.04], [139.06, 35.04], [139.06, 35.06], [139.04, 35.06], [139.04, 35.04]],
        ],
    }
    assert not point_in_geometry(35.05, 139.05, holed)
    multi = {"type": "MultiPolygon", "coordinates": [SQUARE["coordinates"]]}
    assert point_in_geometry(35.05, 139.05, multi)
    assert not point_in_geometry(35.05, 139.05, None)
