"""Page editor furniture: the map-pin panel's script and settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html, json_script


def map_pin_js() -> str:
    """Leaflet (django-leaflet's copy), the tile settings and the map-pin panel script.

    Wagtail 8 no longer has the insert_editor_css hook, so Leaflet's stylesheet is linked here
    too: editor pages only, rather than every admin page via insert_global_admin_css.
    """
    leaflet: dict[str, Any] = settings.LEAFLET_CONFIG
    config = {
        "tileUrl": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "center": list(leaflet.get("DEFAULT_CENTER", (35.68, 139.76))),
        "zoom": leaflet.get("DEFAULT_ZOOM", 13),
        "pinnedZoom": 16,
        "minZoom": leaflet.get("MIN_ZOOM", 5),
        "maxZoom": leaflet.get("MAX_ZOOM", 18),
    }
    return format_html(
        '<link rel="stylesheet" href="{}">{}<script src="{}"></script><script src="{}"></script>',
        static("leaflet/leaflet.css"),
        json_script(config, "tsunagari-map-config"),
        static("leaflet/leaflet.js"),
        static("js/map-pin.js"),
    )
