"""The coverage map's labels and legend (axe-core on /soudan/ and /coverage/: test_axe_sweep.py)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.factories.directory import AreaFactory, MunicipalityFactory, PlacePageFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTLINE = {
    "type": "Polygon",
    "coordinates": [[[139.0, 35.1], [139.2, 35.1], [139.2, 35.2], [139.0, 35.2], [139.0, 35.1]]],
}


@pytest.fixture
def districts():
    MunicipalityFactory()
    AreaFactory(name="北小学校区", outline=OUTLINE, sort_order=1)
    PlacePageFactory(lat="35.150000", lng="139.100000", targets=["older-people"])


def test_coverage_map_has_labels_a_legend_and_tap_popups(phone, live_server, districts):
    phone.goto(live_server.url + "/coverage/")
    expect(phone.locator("#coverage-map")).to_be_visible()
    expect(phone.locator(".coverage-map__label").first).to_contain_text("北小学校区：1件")
    legend = phone.locator("#coverage-map-legend")
    expect(legend).to_be_visible()
    expect(legend).to_contain_text("0件（なし）")
    expect(legend).to_contain_text("1件")
    phone.locator("#coverage-map path.leaflet-interactive").first.click()
    expect(phone.locator(".leaflet-popup-content")).to_contain_text("北小学校区：1件")
    screenshot(phone, "coverage-375")
