"""Coverage: how many live listings each 小学校区 has per category and per target group.

The evidence a PF needs for 社会資源の開発: a zero in a row shows a district where a target group
has nothing nearby. A listing counts for a district when it is located there (its area, or its
point inside the district outline) or names the district among its service areas. Listings that
serve the whole municipality or take part online reach every district; they are counted
separately so they do not hide local gaps.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from core.geo import haversine_km, point_in_geometry
from directory.listings.location import public_location, public_service_areas
from directory.models import (
    Area,
    ListingPage,
    VocabularyTerm,
)
from directory.models.listings import visible_querysets

Dimension = Literal["category", "target"]
DIMENSIONS: dict[str, StrOrPromise] = {"category": _("分野"), "target": _("対象")}


@dataclass
class CoverageRow:
    district: Area
    counts: Counter[str] = field(default_factory=Counter)
    listings: int = 0


@dataclass
class CoverageTable:
    dimension: Dimension
    terms: list[VocabularyTerm]
    rows: list[CoverageRow]
    municipality_wide: Counter[str]
    unplaced: int

    @property
    def slugs(self) -> list[str]:
        return [term.slug for term in self.terms]


def school_districts(municipality: Area | None = None) -> list[Area]:
    districts = Area.objects.filter(level=Area.Level.SCHOOL_DISTRICT).select_related("parent")
    if municipality is not None:
        districts = districts.filter(parent=municipality)
    return list(districts.order_by("sort_order", "code"))


def locate(lat: float, lng: float, districts: list[Area]) -> Area | None:
    """The district whose outline holds the point, else the nearest centroid within 3 km."""
    for district in districts:
        if point_in_geometry(lat, lng, district.outline):
            return district
    with_centroid = [(d, d.centroid) for d in districts if d.centroid and not d.outline]
    nearest = min(
        ((haversine_km(lat, lng, *c), d) for d, c in with_centroid if c),
        default=None,
        key=lambda pair: pair[0],
    )
    return nearest[1] if nearest and nearest[0] <= 3 else None


def reach(listing: ListingPage, districts: list[Area]) -> tuple[set[int], bool]:
    """(ids of districts the listing is in or serves, whether it serves the whole municipality)."""
    by_id = {d.pk: d for d in districts}
    served = {a.pk for a in public_service_areas(listing)}
    reached = {pk for pk in served if pk in by_id}
    place = public_location(listing)
    if place.area is not None and place.area.pk in by_id:
        reached.add(place.area.pk)
    elif place.point is not None:
        found = locate(*place.point, districts)
        if found is not None:
            reached.add(found.pk)
    municipalities = {d.parent_id for d in districts}
    wide = bool(served & municipalities) or listing.online_available
    return reached, wide


def coverage_table(dimension: Dimension, municipality: Area | None = None) -> CoverageTable:
    """Count live, active listings per district and per vocabulary term of `dimension`."""
    districts = school_districts(municipality)
    rows = {d.pk: CoverageRow(district=d) for d in districts}
    municipality_wide: Counter[str] = Counter()
    unplaced = 0
    relation = "categories" if dimension == "category" else "targets"
    for listings in visible_querysets():  # for_residents(): the one visibility rule
        for listing in listings.prefetch_related(relation, "service_areas"):
            slugs = {term.slug for term in getattr(listing, relation).all()}
            reached, wide = reach(listing, districts)
            if wide:
                municipality_wide.update(slugs)
            if not reached and not wide:
                unplaced += 1
            for pk in reached:
                rows[pk].counts.update(slugs)
                rows[pk].listings += 1
    terms = list(VocabularyTerm.objects.filter(scheme=dimension).order_by("sort_order", "slug"))
    return CoverageTable(dimension, terms, list(rows.values()), municipality_wide, unplaced)


def gaps_by_term(table: CoverageTable) -> list[tuple[VocabularyTerm, list[Area]]]:
    """For each term, the districts with no local listing for it, in table order.

    This is the list a 事務局 reads first ("高齢の方向けの掲載がない学区"); listings for the whole
    municipality or online are left out on purpose, as the table's footer shows them apart.
    """
    gaps = []
    for term in table.terms:
        empty = [row.district for row in table.rows if not row.counts[term.slug]]
        if empty:
            gaps.append((term, empty))
    return gaps


def coverage_csv(table: CoverageTable) -> str:
    """The table as CSV (UTF-8 with BOM added by the view) with Japanese headers."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["学区コード", "小学校区", "掲載数", *(t.label for t in table.terms)])
    for row in table.rows:
        writer.writerow(
            [
                row.district.code,
                row.district.name,
                row.listings,
                *(row.counts[s] for s in table.slugs),
            ]
        )
    writer.writerow(
        ["", "市全域・オンライン", "", *(table.municipality_wide[s] for s in table.slugs)]
    )
    return out.getvalue()


def coverage_geojson(table: CoverageTable, slug: str | None) -> dict:
    """Districts as GeoJSON features with the count for one term (or all listings)."""
    features = []
    for row in table.rows:
        district = row.district
        count = row.counts[slug] if slug else row.listings
        geometry = district.outline
        if geometry is None and district.centroid:
            lat, lng = district.centroid
            geometry = {"type": "Point", "coordinates": [lng, lat]}
        if geometry is None:
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": geometry,
                "properties": {"code": district.code, "name": district.name, "count": count},
            }
        )
    return {"type": "FeatureCollection", "features": features}
