"""Coverage per 小学校区: located or serving listings count; city-wide ones are separate."""

import pytest

from coordination.coverage import coverage_csv, coverage_geojson, coverage_table, gaps_by_term
from directory.models import ListingStatus, LocationMode
from tests.factories.directory import (
    AreaFactory,
    MunicipalityFactory,
    PlacePageFactory,
    ServicePageFactory,
)

pytestmark = pytest.mark.django_db

NORTH_OUTLINE = {
    "type": "Polygon",
    "coordinates": [[[139.0, 35.1], [139.2, 35.1], [139.2, 35.2], [139.0, 35.2], [139.0, 35.1]]],
}
SOUTH_OUTLINE = {
    "type": "Polygon",
    "coordinates": [[[139.0, 35.0], [139.2, 35.0], [139.2, 35.1], [139.0, 35.1], [139.0, 35.0]]],
}


@pytest.fixture
def districts():
    city = MunicipalityFactory()
    north = AreaFactory(name="北小学校区", outline=NORTH_OUTLINE, sort_order=1)
    south = AreaFactory(name="南小学校区", outline=SOUTH_OUTLINE, sort_order=2)
    return city, north, south


def row(table, name):
    return next(r for r in table.rows if r.district.name == name)


def test_point_inside_outline_counts_for_that_district(districts, member):
    PlacePageFactory(member=member, lat="35.150000", lng="139.100000", targets=["older-people"])
    table = coverage_table("target")
    assert row(table, "北小学校区").counts["older-people"] == 1
    assert row(table, "南小学校区").counts["older-people"] == 0
    older = {term.slug: districts for term, districts in gaps_by_term(table)}["older-people"]
    assert [district.name for district in older] == ["南小学校区"]


def test_confidential_listing_counts_by_its_area_and_service_areas(districts, member):
    _, north, south = districts
    ServicePageFactory(
        member=member,
        location_mode=LocationMode.CONFIDENTIAL,
        address="",
        lat=None,
        lng=None,
        area=north,
        service_areas=[south],
        targets=["lgbtq"],
    )
    table = coverage_table("target")
    assert row(table, "北小学校区").counts["lgbtq"] == 1
    assert row(table, "南小学校区").counts["lgbtq"] == 1


def test_city_wide_and_online_listings_are_counted_apart(districts, member):
    city, _, _ = districts
    ServicePageFactory(member=member, service_areas=[city], lat=None, lng=None, targets=["youth"])
    ServicePageFactory(
        member=member,
        location_mode=LocationMode.ONLINE,
        address="",
        lat=None,
        lng=None,
        online_available=True,
        targets=["youth"],
    )
    table = coverage_table("target")
    assert table.municipality_wide["youth"] == 2
    assert all(r.counts["youth"] == 0 for r in table.rows)


def test_paused_and_unplaceable_listings(districts, member):
    PlacePageFactory(
        member=member,
        lat="35.150000",
        lng="139.100000",
        status=ListingStatus.PAUSED,
        categories=["salon"],
    )
    PlacePageFactory(member=member, lat="36.500000", lng="139.100000", categories=["salon"])
    table = coverage_table("category")
    assert sum(r.counts["salon"] for r in table.rows) == 0
    assert table.unplaced == 1


def test_csv_and_geojson(districts, member):
    PlacePageFactory(
        member=member, lat="35.050000", lng="139.100000", categories=["kodomo-shokudo"]
    )
    table = coverage_table("category")
    lines = coverage_csv(table).splitlines()
    assert lines[0].startswith("学区コード,小学校区,掲載数,こども食堂")
    south_line = next(line for line in lines if "南小学校区" in line)
    assert south_line.split(",")[2:4] == ["1", "1"]
    features = coverage_geojson(table, "kodomo-shokudo")["features"]
    assert {f["properties"]["name"]: f["properties"]["count"] for f in features} == {
        "北小学校区": 0,
        "南小学校区": 1,
    }


def test_coverage_page_and_csv_download(client, districts, member):
    PlacePageFactory(member=member, lat="35.050000", lng="139.100000", targets=["children"])
    page = client.get("/coverage/", {"dimension": "target", "term": "children"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "北小学校区" in html and "（なし）" in html and 'id="coverage-geojson"' in html
    gaps = html[
        html.index('id="coverage-gaps-heading"') : html.index('id="coverage-table-heading"')
    ]
    assert "<dt>子ども</dt><dd>北小学校区</dd>" in gaps
    download = client.get("/coverage/coverage.csv", {"dimension": "target"})
    assert download["Content-Type"].startswith("text/csv")
    assert download.content.startswith("\ufeff".encode())
    assert client.get("/coverage/", {"dimension": "nonsense"}).status_code == 400
