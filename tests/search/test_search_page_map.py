"""/search/map/: the same results as the list on a map; confidential places never placed."""

import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.models import LocationMode
from tests.factories.directory import AreaFactory, PlacePageFactory, ServicePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(reindex):
    PlacePageFactory(title="公開の食堂", lat=Decimal("35.71"), lng=Decimal("139.71"))
    PlacePageFactory(
        title="非公開の食堂",
        location_mode=LocationMode.CONFIDENTIAL,
        area=AreaFactory(),
        lat=Decimal("35.7333"),  # entered, then emptied by the model: never on the map
        lng=Decimal("139.7333"),
    )
    ServicePageFactory(
        title="オンラインの食堂相談",
        location_mode=LocationMode.ONLINE,
        address="",
        lat=None,
        lng=None,
        online_available=True,
    )
    reindex()


def map_config(html: str) -> dict:
    found = re.search(
        r'<script id="search-map-config" type="application/json">(.*?)</script>', html
    )
    assert found, "the map's data are in a JSON script tag"
    return json.loads(found.group(1))


def test_only_public_points_are_markers(client, corpus, settings):
    html = client.get("/search/map/", {"q": "食堂"}).content.decode()
    config = map_config(html)
    assert [m["name"] for m in config["markers"]] == ["公開の食堂"]
    assert config["tileUrl"] == settings.MAP_TILE_URL
    assert settings.MAP_TILE_ATTRIBUTION in html  # visible attribution, not only in the map


def test_online_only_and_unplaced_listings_are_listed_beside_the_map(client, corpus):
    html = client.get("/search/map/", {"q": "食堂"}).content.decode()
    online = html.index("オンラインで参加・相談できる掲載（1件）")
    assert html.index("オンラインの食堂相談") > online
    assert "場所を地図にのせていない掲載（1件）" in html and "非公開の食堂" in html
    assert "35.7333" not in html and "139.7333" not in html


def test_map_links_back_to_the_list_with_the_same_parameters(client, corpus):
    html = client.get("/search/map/", {"q": "食堂", "kind": "place"}).content.decode()
    assert 'href="/search/?q=%E9%A3%9F%E5%A0%82&amp;kind=place">リストで見る' in html
    assert "2件見つかりました" in html


def test_map_scripts_are_static_files_without_inline_code(client, corpus):
    html = client.get("/search/map/", {"q": "食堂"}).content.decode()
    assert "vendor/markercluster/leaflet.markercluster.js" in html
    assert "leaflet/leaflet.js" in html and "js/search-map.js" in html
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    assert inline == []


def test_the_map_uses_the_same_filters_and_errors(client, corpus):
    response = client.get("/search/map/", {"kind": "nope"})
    assert response.status_code == 400
    assert "「nope」は種別の選択肢にありません" in response.content.decode()


def test_no_query_count_growth_with_more_listings(client, reindex):
    PlacePageFactory(title="食堂0")
    reindex()
    with CaptureQueriesContext(connection) as few:
        client.get("/search/map/", {"q": "食堂"})
    for i in range(1, 11):
        PlacePageFactory(title=f"食堂{i}", lat=Decimal("35.7") + Decimal(i) / 100)
    reindex()
    with CaptureQueriesContext(connection) as many:
        html = client.get("/search/map/", {"q": "食堂"}).content.decode()
    assert len(map_config(html)["markers"]) == 11
    assert len(many) <= len(few)
