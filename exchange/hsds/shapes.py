"""The shapes an HSDS JSON file comes in, reduced to its list of service objects.

Publishers send an array of services, one service, a `Page` of the API (its `contents`), an
organization with its services nested, a service_at_location with its service, or our older
`{"services": [...]}` wrapper. Read by
exchange.hsds.importer; a shape that is none of these is an HsdsFileError there.
"""

from __future__ import annotations

from typing import Any


class HsdsFileError(ValueError):
    """The file as a whole cannot be read (not JSON, or no services in a known shape)."""


def services_in(data: Any) -> list[Any]:
    """Services of an array, a `Page` (`contents`), one service, or an organization.

    An organization (an object with an id, a name and no status) carries its services
    nested without their organization: each gets it back. Only an object that is nothing
    else is read as the `{"services": [...]}` wrapper.
    """
    if isinstance(data, list):
        return data
    if isinstance(data, dict):
        if isinstance(data.get("contents"), list):
            found = [item for page_item in data["contents"] for item in services_in_item(page_item)]
            return _some(found, data["contents"])
        if _is_service(data):
            return [data]
        if _is_organization(data) or _is_service_at_location(data):
            return _some(services_in_item(data), [data])
        if isinstance(data.get("services"), list):
            return data["services"]
    raise HsdsFileError(
        "HSDS の service の配列、1 件の service、Page（contents）、organization、"
        'service_at_location、または {"services": [...]} の形式にしてください'
        " / expected services: an array, one service, a Page, an organization,"
        ' a service_at_location or {"services": [...]}'
    )


def _some(services: list[Any], read: list[Any]) -> list[Any]:
    """The services found, or the reason the objects read hold none (a location, a taxonomy,
    organizations without services: nothing a listing can be made of)."""
    if services or not read:
        return services
    raise HsdsFileError(
        "service がありません（organization・location・taxonomy だけでは掲載を作れません）"
        " / no service in the file (a listing is made from a service)"
    )


def services_in_item(item: Any) -> list[Any]:
    """A Page may hold services, organizations (GET /organizations?full_service=true) or
    service_at_locations (GET /service_at_locations)."""
    if isinstance(item, dict) and _is_service_at_location(item):
        return [_service_of(item)]
    if not (isinstance(item, dict) and _is_organization(item)):
        return [item]
    organization = {k: v for k, v in item.items() if k != "services"}
    return [
        {**service, "organization": service.get("organization") or organization}
        if isinstance(service, dict)
        else service
        for service in item.get("services") or []
    ]


def _service_of(sal: dict[str, Any]) -> dict[str, Any]:
    """The service of a service_at_location, at that location (unless it names its own)."""
    service = dict(sal["service"])
    if not service.get("service_at_locations"):
        at = {k: v for k, v in sal.items() if k != "service"}
        service["service_at_locations"] = [{"service_id": service.get("id"), **at}]
    return service


def _is_service_at_location(data: dict[str, Any]) -> bool:
    return isinstance(data.get("service"), dict) and "location" in data


def _is_service(data: dict[str, Any]) -> bool:
    return "id" in data and "name" in data and "status" in data


def _is_organization(data: dict[str, Any]) -> bool:
    return "id" in data and "name" in data and "status" not in data
