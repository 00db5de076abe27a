"""Every official HSDS example read in, then written out (issue 16).

Read from ../shared/reference/hsds/examples/ (never copied into the project). A service the
example carries keeps every value the model can hold — top-level values, its organization's,
nested ids — and the report names every filled field it does not bring back. An example that
holds no service is refused with the reason.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from exchange.hsds.export import export_services
from exchange.hsds.ids import id_slots, organization_id_slots
from exchange.hsds.importer import import_services, load_services
from exchange.hsds.shapes import HsdsFileError
from tests.factories.membership import approve_applicants
from tests.reference import REFERENCE_DIR

pytestmark = pytest.mark.django_db

EXAMPLES = REFERENCE_DIR / "hsds" / "examples"
SERVICE_EXAMPLES = (
    "service_full.json",
    "service_list.json",
    "organization_full.json",
    "service_at_location_full.json",
    "service_at_location_list.json",
    "tabular.json",
    "csv",
)
NO_SERVICE_EXAMPLES = (
    "base.json",
    "location.json",
    "organization_list.json",
    "taxonomy.json",
    "taxonomy_list.json",
    "taxonomy_term.json",
    "taxonomy_term_list.json",
)


def example(name: str) -> Any:
    path = EXAMPLES / name
    if not path.exists():
        pytest.skip(
            f"公式の例 {path} がありません（../shared/reference/ は開発と CI にだけあります）"
        )
    return path


def named(key: str, notes: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(key)}(?!\w)", notes) is not None


def same(value: Any, out: Any) -> bool:
    return (value.strip() if isinstance(value, str) else value) == out


def unaccounted(incoming: dict[str, Any], out: dict[str, Any], notes: str) -> list[str]:
    """Filled one-value fields neither written back as they came nor named in the notes."""
    return [
        key
        for key, value in incoming.items()
        if not isinstance(value, list | dict)
        and value not in (None, "")
        and not same(value, out.get(key))
        and not named(key, notes)
    ]


def kept_ids(slots: Any, incoming: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """Incoming nested ids per slot the export writes, beside what the export wrote there."""
    given = {slot: item.get("id") for slot, item in slots(incoming)}
    return {slot: (given[slot], item["id"]) for slot, item in slots(out) if given.get(slot)}


def test_every_official_example_is_tried():
    """A new example in the specification is not silently left out of the round trip."""
    folder = example(".")
    assert {path.name for path in folder.iterdir()} == {*SERVICE_EXAMPLES, *NO_SERVICE_EXAMPLES}


@pytest.mark.parametrize("name", SERVICE_EXAMPLES)
def test_an_official_example_keeps_what_the_model_holds_and_names_the_rest(name):
    services = copy.deepcopy(load_services(example(name)).services)
    assert services
    report = import_services(copy.deepcopy(services))
    approve_applicants()
    exported = {service["id"]: service for service in export_services()}
    for incoming, result in zip(services, report.results, strict=True):
        assert result.status == "created", result.reasons
        notes = "\n".join(result.reasons)
        out = exported[incoming["id"]]
        assert unaccounted(incoming, out, notes) == [], notes
        organization = incoming.get("organization") or {}
        assert unaccounted(organization, out["organization"], notes) == [], notes
        for slots, given, written in (
            (id_slots, incoming, out),
            (organization_id_slots, organization, out["organization"]),
        ):
            pairs = kept_ids(slots, given, written)
            assert all(a == b for a, b in pairs.values()), pairs
    again = import_services(list(exported.values()))
    assert all(r.unchanged for r in again.results), again.lines()


@pytest.mark.parametrize("name", NO_SERVICE_EXAMPLES)
def test_an_official_example_without_a_service_is_refused_with_the_reason(name):
    with pytest.raises(HsdsFileError, match="service"):
        load_services(example(name))
