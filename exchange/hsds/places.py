"""Where a listing happens, as HSDS locations and service areas.

Confidential places (所在地非公開) keep their address to themselves: they go out as an area-only
location, and every address part comes from `public_location`, the one rule for what may leave.
"""

from __future__ import annotations

from typing import Any

from directory.listings.location import PublicLocation, public_location, public_service_areas
from directory.models import Area, ListingPage, LocationMode
from exchange.hsds.ids import child_id, compact

AREA_URI = "urn:tsunagari:area:"
OUTSIDE_AREA_URI = "urn:tsunagari:outside-area-ok"
AREA_IDENTIFIER_TYPE = "tsunagari-area"
ONLINE_NAME = "オンライン"
CONFIDENTIAL_DESCRIPTION = "所在地は公開していません"


def _area_fields(area: Area | None) -> dict[str, Any]:
    if area is None:
        return {}
    return {"external_identifier": area.code, "external_identifier_type": AREA_IDENTIFIER_TYPE}


def location_objects(listing: ListingPage) -> list[dict[str, Any]]:
    """The physical (or area-only) location and, when it can be joined online, a virtual one."""
    place = public_location(listing)
    locations: list[dict[str, Any]] = []
    accessibility = (
        [
            {
                "id": child_id(listing.uuid, "accessibility"),
                "description": listing.accessibility,
            }
        ]
        if listing.accessibility
        else []
    )
    if place.mode == LocationMode.CONFIDENTIAL:
        area_name = place.area_name
        locations.append(
            compact(
                {
                    "id": child_id(listing.uuid, "location", "physical"),
                    "location_type": "physical",
                    "name": area_name,
                    "description": f"{CONFIDENTIAL_DESCRIPTION}（地域: {area_name}）。",
                    **_area_fields(place.area),
                    "accessibility": accessibility,
                }
            )
        )
    elif place.mode == LocationMode.ADDRESS:
        locations.append(_physical_location(listing, place, accessibility))
    if listing.location_mode == LocationMode.ONLINE or listing.online_available:
        locations.append(
            compact(
                {
                    "id": child_id(listing.uuid, "location", "virtual"),
                    "location_type": "virtual",
                    "name": ONLINE_NAME,
                    "url": listing.online_url,
                    "accessibility": accessibility if not locations else [],
                }
            )
        )
    for location in locations:
        for item in location.get("accessibility", []):
            item["location_id"] = location["id"]
    return locations


def _physical_location(
    listing: ListingPage, place: PublicLocation, accessibility: list[dict[str, Any]]
) -> dict[str, Any]:
    location_id = child_id(listing.uuid, "location", "physical")
    municipality = place.area.municipality if place.area else None
    prefecture = municipality.parent if municipality else None
    address = {
        "id": child_id(listing.uuid, "address"),
        "location_id": location_id,
        "address_1": place.address,
        "address_2": place.building,
        "city": municipality.name if municipality else "",
        "state_province": prefecture.name if prefecture else "",
        "postal_code": place.postal_code,
        "country": "JP",
        "address_type": "physical",
    }
    point = place.point
    return compact(
        {
            "id": location_id,
            "location_type": "physical",
            "name": listing.title,
            "latitude": point[0] if point else None,
            "longitude": point[1] if point else None,
            **_area_fields(place.area),
            "addresses": [
                compact(address, keep=("address_1", "city", "state_province", "postal_code"))
            ],
            "accessibility": accessibility,
        }
    )


def service_area_objects(listing: ListingPage) -> list[dict[str, Any]]:
    areas = sorted(public_service_areas(listing), key=lambda a: a.code)
    found = [
        {
            "id": child_id(listing.uuid, "service_area", area.code),
            "service_id": str(listing.uuid),
            "name": area.name,
            "uri": f"{AREA_URI}{area.code}",
        }
        for area in areas
    ]
    if listing.accepts_outside_area:
        found.append(
            {
                "id": child_id(listing.uuid, "service_area", "outside"),
                "service_id": str(listing.uuid),
                "name": "対象地域外からも参加できます",
                "uri": OUTSIDE_AREA_URI,
            }
        )
    return found
