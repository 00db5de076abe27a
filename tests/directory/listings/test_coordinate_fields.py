"""One definition of a stored coordinate: a listing's point and an area's centroid cannot drift."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from directory.listings.fields import latitude_field, longitude_field
from directory.models import Area, PlacePage


def _shape(model: type, name: str) -> tuple[object, ...]:
    _, path, args, kwargs = model._meta.get_field(name).deconstruct()
    kwargs.pop("verbose_name", None)
    return path, args, kwargs


def test_listing_points_and_area_centroids_share_one_definition() -> None:
    assert _shape(PlacePage, "lat") == _shape(Area, "centroid_lat")
    assert _shape(PlacePage, "lng") == _shape(Area, "centroid_lng")


@pytest.mark.parametrize(("make", "bad"), [(latitude_field, "91"), (longitude_field, "-181")])
def test_a_coordinate_out_of_range_is_refused_in_japanese(make, bad) -> None:  # type: ignore[no-untyped-def]
    field = make("位置")
    with pytest.raises(ValidationError) as caught:
        field.clean(Decimal(bad), None)
    assert any("度" in message for message in caught.value.messages)
