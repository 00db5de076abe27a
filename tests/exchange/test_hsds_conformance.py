"""Strict HSDS conformance, offline, checked the way the specification's own CI checks it.

Open Referral's CI compiles each schema with `compiletojsonschema
--set-additional-properties-false-everywhere` (the `compiletojsonschema` package, used here as
a library on the files in ../shared/reference/hsds/) and validates with JSON Schema Draft
2020-12, formats included (jsonschema's format checkers: uuid, date-time, uri, email …). Every
answer of /api/hsds/ and every object `export_hsds` writes must pass.

Three compiled variants are not in the reference folder (upstream generates them, megabytes
each): the full organization (organization.json plus `services`, each without its
`organization`), the full service_at_location (service_at_location.json plus `service`, without
its `service_at_locations`) and the Page envelope with its `contents`. They are built here from
the object schemas the same way, as upstream's examples (examples/*_full.json) show them.
"""

from __future__ import annotations

import json
from functools import cache
from io import StringIO
from typing import Any

import jsonschema
import pytest
from compiletojsonschema.compiletojsonschema import CompileToJsonSchema
from django.core.management import call_command
from django.test import Client

from exchange.hsds.export import child_id, taxonomy_id, taxonomy_term_id
from tests.factories.hsds import Corpus, exchange_corpus
from tests.reference import reference_path

pytestmark = [pytest.mark.django_db, pytest.mark.conformance]

PAGE_FIELDS = (
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
)


@cache
def strict(*parts: str) -> dict[str, Any]:
    """`compiletojsonschema -s` of one schema file: every $ref inlined, no extra property."""
    path = reference_path("hsds", "schema", *parts)
    compiled = CompileToJsonSchema(
        input_filename=str(path), set_additional_properties_false_everywhere=True
    ).get()
    return json.loads(json.dumps(compiled))  # plain dicts, not jsonref proxies


def _with(schema: dict[str, Any], name: str, nested: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "properties": {**schema["properties"], name: nested}}


def _without(schema: dict[str, Any], name: str) -> dict[str, Any]:
    properties = {k: v for k, v in schema["properties"].items() if k != name}
    return {**schema, "properties": properties}


@cache
def schema_of(kind: str) -> dict[str, Any]:
    """The strict schema of each object the API answers with."""
    match kind:
        case "service":
            return strict("service.json")
        case "service_list":
            return strict("compiled", "service_list.json")
        case "organization_list":
            return strict("compiled", "organization_list.json")
        case "organization":
            services = _without(strict("service.json"), "organization")
            return _with(strict("organization.json"), "services", _array(services))
        case "service_at_location_list":
            return strict("compiled", "service_at_location_list.json")
        case "service_at_location":
            service = _without(strict("service.json"), "service_at_locations")
            return _with(strict("service_at_location.json"), "service", service)
        case "taxonomy" | "taxonomy_term":
            return strict(f"{kind}.json")
    raise ValueError(kind)


def _array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


def page_of(items: dict[str, Any]) -> dict[str, Any]:
    """Upstream's Page (openapi.json components) with `contents`, strict and all required."""
    spec = json.loads(reference_path("hsds", "schema", "openapi.json").read_text("utf-8"))
    page = spec["components"]["schemas"]["Page"]
    return {
        **page,
        "required": [*PAGE_FIELDS, "contents"],
        "additionalProperties": False,
        "properties": {**page["properties"], "contents": _array(items)},
    }


def errors(schema: dict[str, Any], data: Any) -> list[str]:
    cls = jsonschema.Draft202012Validator
    validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(data)
    ]


@pytest.fixture
def corpus() -> Corpus:
    return exchange_corpus()


def _get(client: Client, path: str, **params: str) -> Any:
    response = client.get(f"/api/hsds{path}", params)
    assert response.status_code == 200, (path, response.content[:300])
    return response.json()


LISTS = [
    ("/services", {}, "service_list"),
    ("/services", {"full": "true"}, "service"),
    ("/organizations", {}, "organization_list"),
    ("/organizations", {"full": "true"}, "organization"),
    ("/organizations", {"full_service": "true"}, "organization"),
    ("/service_at_locations", {}, "service_at_location_list"),
    ("/service_at_locations", {"full": "true"}, "service_at_location"),
    ("/taxonomies", {}, "taxonomy"),
    ("/taxonomy_terms", {}, "taxonomy_term"),
]


@pytest.mark.parametrize(("path", "params", "kind"), LISTS)
def test_every_list_page_is_strictly_valid(client, corpus, path, params, kind):
    page = _get(client, path, **params)
    assert page["contents"], path
    assert errors(page_of(schema_of(kind)), page) == []


def test_minimal_services_are_a_strictly_valid_page(client, corpus):
    minimal = {
        "type": "object",
        "required": ["id"],
        "additionalProperties": False,
        "properties": {
            key: strict("service.json")["properties"][key] for key in ("id", "last_modified")
        },
    }
    assert errors(page_of(minimal), _get(client, "/services", minimal="true")) == []


KEPT_CONTACT_ID = "1e7efce3-639b-4880-940c-b95cd30cdb50"


def test_every_detail_answer_is_strictly_valid(client, corpus):
    for listing in corpus.exported:
        data = _get(client, f"/services/{listing.uuid}")
        assert errors(schema_of("service"), data) == [], listing.title
        for location in ("physical", "virtual"):
            sal_id = child_id(listing.uuid, "service_at_location", location)
            response = client.get(f"/api/hsds/service_at_locations/{sal_id}")
            if response.status_code == 200:
                assert errors(schema_of("service_at_location"), response.json()) == [], sal_id
    # An organization with its own contact (the member's 窓口) and an id kept from an import
    # (organization_object, shared by export_hsds; issue 16), beside one without.
    corpus.member.contact_point = "地域福祉係"
    corpus.member.hsds_source = {"ids": {"contacts/0/1": KEPT_CONTACT_ID}}
    corpus.member.save()
    for member in (corpus.member, corpus.other_member):
        for params in ({}, {"full_service": "true"}):
            data = _get(client, f"/organizations/{member.uuid}", **params)
            assert errors(schema_of("organization"), data) == [], (member.name, params)
    contact = _get(client, f"/organizations/{corpus.member.uuid}")["contacts"][0]
    assert (contact["id"], contact["department"]) == (KEPT_CONTACT_ID, "地域福祉係")
    taxonomy = _get(client, f"/taxonomies/{taxonomy_id('category')}")
    assert errors(schema_of("taxonomy"), taxonomy) == []
    term = _get(client, f"/taxonomy_terms/{taxonomy_term_id('category', 'kodomo-shokudo')}")
    assert errors(schema_of("taxonomy_term"), term) == []


def test_export_hsds_output_is_strictly_valid(corpus):
    out = StringIO()
    call_command("export_hsds", stdout=out)
    services = json.loads(out.getvalue())
    assert len(services) == len(corpus.exported)
    for service in services:
        assert errors(schema_of("service"), service) == [], service["name"]


def test_the_strict_check_does_refuse_what_the_schema_lacks():
    """The compiled schema really is strict and checks formats (else the tests above prove nothing)."""
    service = {"id": "0c0d8a6e-9a77-4b07-8f0c-6d6b0e0d8a6e", "name": "x", "status": "active"}
    assert errors(schema_of("service"), service) == []
    assert errors(schema_of("service"), {**service, "keywords": "x"})
    assert errors(schema_of("service"), {**service, "url": "not a uri"})
    assert errors(schema_of("service"), {**service, "last_modified": "yesterday"})
    location = {"id": service["id"], "location_type": "physical", "addresses": []}
    sal = {"id": service["id"], "location": location}
    assert errors(schema_of("service_at_location_list"), sal)
