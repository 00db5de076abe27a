"""The map-pin panel is loaded in the listing editor (the browser test is in tests/browser/)."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories.directory import PlacePageFactory


@pytest.mark.django_db
def test_editor_page_loads_bundled_leaflet_and_tile_settings(editor_client, member):
    listing = PlacePageFactory(member=member)
    page = editor_client.get(reverse("wagtailadmin_pages:edit", args=[listing.pk])).content.decode()
    assert "/static/leaflet/leaflet.js" in page
    assert "/static/leaflet/leaflet.css" in page
    assert "/static/js/map-pin.js" in page
    assert 'id="tsunagari-map-config"' in page
    assert settings.MAP_TILE_URL in page
    assert "tsunagari-map-pin" in page
    assert "unpkg.com" not in page and "cdnjs" not in page
