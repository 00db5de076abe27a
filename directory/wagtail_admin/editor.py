"""Page editor furniture: the map-pin panel's script and settings.

The map opens on the PF's own municipality (not django-leaflet's default, Tokyo Station) and,
while a listing has no pin yet, moves to the 地域 an editor chooses.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.templatetags.static import static
from django.utils.html import format_html, json_script

from directory.models import Area


def area_centres() -> dict[str, list[float]]:
    """Centre of each of the PF's areas that has one, by the id the 地域 select posts."""
    areas = Area.objects.for_platform().exclude(centroid_lat=None).exclude(centroid_lng=None)
    return {
        str(pk): [float(lat), float(lng)]
        for pk, lat, lng in areas.values_list("pk", "centroid_lat", "centroid_lng")
    }


def platform_centre(centres: dict[str, list[float]], default: list[float]) -> list[float]:
    """Where a new listing's map opens: the PF's municipality centre, else the default."""
    municipality = (
        Area.objects.for_platform()
        .filter(level=Area.Level.MUNICIPALITY)
        .exclude(centroid_lat=None)
        .order_by("code")
        .values_list("pk", flat=True)
        .first()
    )
    return centres.get(str(municipality), default)


def map_pin_js() -> str:
    """Leaflet (django-leaflet's copy), the tile settings and the map-pin panel script.

    Wagtail 8 no longer has the insert_editor_css hook, so Leaflet's stylesheet is linked here
    too: editor pages only, rather than every admin page via insert_global_admin_css.
    """
    leaflet: dict[str, Any] = settings.LEAFLET_CONFIG
    centres = area_centres()
    default = list(leaflet.get("DEFAULT_CENTER", (35.68, 139.76)))
    config = {
        "tileUrl": settings.MAP_TILE_URL,
        "attribution": settings.MAP_TILE_ATTRIBUTION,
        "center": platform_centre(centres, default),
        "areaCentres": centres,
        "areaZoom": 15,
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
