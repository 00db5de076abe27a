"""/coverage/ as a page: changing 集計の軸 drops a map item of the other axis."""

import re

import pytest

from tests.factories.directory import AreaFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    MunicipalityFactory()
    return AreaFactory(name="北小学校区", sort_order=1)


def test_switching_axis_drops_a_stale_term(client, district):
    response = client.get("/coverage/", {"dimension": "category", "term": "older-people"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "older-people" not in html
    assert '<option value="" selected>掲載数の合計</option>' in html


def test_a_term_of_the_chosen_axis_is_kept(client, district):
    response = client.get("/coverage/", {"dimension": "target", "term": "older-people"})
    assert response.status_code == 200
    assert 'value="older-people" selected' in response.content.decode()


OUTLINE = {
    "type": "Polygon",
    "coordinates": [[[139.0, 35.1], [139.2, 35.1], [139.2, 35.2], [139.0, 35.2], [139.0, 35.1]]],
}


def test_map_is_progressive_and_has_no_interactive_image(client):
    MunicipalityFactory()
    AreaFactory(name="北小学校区", outline=OUTLINE, sort_order=1)
    html = client.get("/coverage/").content.decode()
    holder = re.search(r'<div id="coverage-map"[^>]*>', html).group(0)
    assert 'role="img"' not in holder  # Leaflet's controls inside an image: nested-interactive
    assert " hidden" in holder  # an empty box without JS: the script shows it
    assert 'id="coverage-map-legend"' in html
    assert '<table class="coverage-table">' in html  # the same numbers without JS
