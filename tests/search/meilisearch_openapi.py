"""Meilisearch's own OpenAPI description, as a checker for what the contract tests send and serve.

The file is read from `../shared/reference/meilisearch/open-api.json` (beside the repository, never
copied into it); `load_contract()` returns None where it is absent and callers skip with
`MISSING_REASON`. OpenAPI 3.1's schema dialect is JSON Schema 2020-12 plus annotation-only
keywords (`example`, `discriminator`, `xml`, `externalDocs`), so a Draft 2020-12 validator over
the whole document, registered with `referencing`, checks it exactly; `$ref`s resolve into
`#/components/schemas/…`.

One generated schema is wrong (see the README there): `SearchQuery` names its properties in
snake_case and marks defaulted ones `required`, while the server takes camelCase and requires
none. Only for a search body `search_body_schema` therefore maps camelCase names to snake_case,
drops `required`, and refuses any name the schema does not list.

A second generated schema is wrong and corrected here (`WIRE_CORRECTIONS`): `AttributePatterns`
is published as an object `{"patterns": [...]}`, but the server's type is serde-transparent, so
on the wire it is the plain list of strings that Meilisearch's settings documentation (and its
later OpenAPI descriptions) show: `"attributePatterns": ["name", "kana"]`. Everything else —
settings, documents, task summaries, tasks, search results, stats, health, errors — is validated
as published, except for /multi-search (disjunctive facet counts), which has the same two kinds of
flaw: `SearchQueryWithIndex` (each query, camelCase this time) marks defaulted properties
`required` (`retrieveVectors`, `cropLength`, `highlightPreTag` …), which the server does not
require (Meilisearch's own multi-search examples send only indexUid, q and limit), so only
`indexUid` stays required and unknown names are refused; and its 200 reply is published as
`FederatedSearchResult` only, while a request without `federation` (or with `federation: null`,
which the official Python client always sends) is answered with the documented `SearchResults`
(`{"results": [SearchResultWithIndex, …]}`, one per query, in order) — the reply is checked
against that (`REPLY_CORRECTIONS`).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from jsonschema import Draft202012Validator
from referencing import Registry
from referencing.jsonschema import DRAFT202012

SPEC_URI = "urn:meilisearch:open-api"
HTTP_METHODS = ("get", "put", "post", "patch", "delete")
# Schemas of the 1.15.2 file that do not describe the server's wire format (see above).
WIRE_CORRECTIONS: dict[str, dict[str, Any]] = {
    "AttributePatterns": {"type": "array", "items": {"type": "string"}},
}
# Replies documented with another schema than the server sends for the requests we make.
REPLY_CORRECTIONS: dict[tuple[str, str, str], str] = {
    ("post", "/multi-search", "200"): "SearchResults",  # we never send a `federation`
}
MISSING_REASON = (
    "Meilisearch's OpenAPI description is not at ../shared/reference/meilisearch/open-api.json"
)


def spec_path() -> Path:
    return Path(settings.BASE_DIR).parent / "shared" / "reference" / "meilisearch" / "open-api.json"


def snake_case(name: str) -> str:
    """hitsPerPage → hits_per_page, the naming of the flawed SearchQuery schema."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


@dataclass(frozen=True)
class Operation:
    template: str  # "/indexes/{indexUid}/search"
    method: str  # lower case
    definition: dict[str, Any]


class MeilisearchContract:
    """Validates request bodies and replies against the operation their method and path name."""

    def __init__(self, spec: dict[str, Any]) -> None:
        schemas = {**spec["components"]["schemas"], **WIRE_CORRECTIONS}
        schemas["SearchQueryWithIndex"] = {
            **schemas["SearchQueryWithIndex"],
            "required": ["indexUid"],
            "additionalProperties": False,
        }
        self.spec = spec = {**spec, "components": {**spec["components"], "schemas": schemas}}
        self.registry: Registry = Registry().with_resource(
            SPEC_URI, DRAFT202012.create_resource(spec)
        )
        self._routes = [
            (self._pattern(template), template.count("{"), template) for template in spec["paths"]
        ]
        self.search_body_schema = _search_body_schema(spec)

    @staticmethod
    def _pattern(template: str) -> re.Pattern[str]:
        parts = re.split(r"\{[^}]+\}", template)
        return re.compile("^" + "[^/]+".join(re.escape(part) for part in parts) + "$")

    def operation(self, method: str, path: str) -> Operation:
        """The documented operation; literal segments win over templated ones (…/documents/delete)."""
        candidates = sorted(
            (params, template)
            for pattern, params, template in self._routes
            if pattern.match(path) and method.lower() in self.spec["paths"][template]
        )
        if not candidates:
            raise AssertionError(f"{method} {path} is not in Meilisearch's OpenAPI description")
        template = candidates[0][1]
        return Operation(template, method.lower(), self.spec["paths"][template][method.lower()])

    def _errors(self, schema: dict[str, Any], instance: Any) -> list[str]:
        validator = Draft202012Validator(
            schema, registry=self.registry, format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        return [
            f"{'/'.join(map(str, error.absolute_path)) or '(body)'}: {error.message}"
            for error in validator.iter_errors(instance)
        ]

    def request_errors(self, method: str, path: str, body: Any) -> list[str]:
        operation = self.operation(method, path)
        content = operation.definition.get("requestBody", {}).get("content", {})
        if "application/json" not in content:
            return [] if body is None else [f"{method} {path} takes no JSON body"]
        if body is None:
            return [f"{method} {path} needs a JSON body"]
        schema = content["application/json"].get("schema", {})
        if schema == {"$ref": "#/components/schemas/SearchQuery"}:
            return self._errors(self.search_body_schema, _snake_keys(body))
        return self._errors(_absolute(schema), body)

    def response_errors(self, method: str, path: str, status: int, body: Any) -> list[str]:
        """The reply against the schema documented for its status.

        The description lists 200 for some routes that answer 202 (document writes): a 2xx reply
        is checked against the documented 2xx schema; any error status against ResponseError.
        """
        operation = self.operation(method, path)
        corrected = REPLY_CORRECTIONS.get((operation.method, operation.template, str(status)))
        if corrected:
            return self._errors(_ref(corrected), body)
        responses = operation.definition.get("responses", {})
        documented = responses.get(str(status))
        if documented is None and 200 <= status < 300:
            documented = next((r for code, r in responses.items() if code.startswith("2")), None)
        if documented is None and status >= 400:
            documented = {"content": {"application/json": {"schema": _ref("ResponseError")}}}
        if documented is None:
            return [f"{method} {path}: status {status} is not documented"]
        schema = documented.get("content", {}).get("application/json", {}).get("schema")
        if schema is None:
            return []
        return self._errors(_absolute(schema), body)


def _search_body_schema(spec: dict[str, Any]) -> dict[str, Any]:
    """SearchQuery without its wrong `required`, closed to names it does not list."""
    search_query = dict(spec["components"]["schemas"]["SearchQuery"])
    search_query.pop("required", None)
    search_query["additionalProperties"] = False
    return _absolute(search_query)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"{SPEC_URI}#/components/schemas/{name}"}


def _absolute(schema: Any) -> Any:
    """`#/components/…` references made absolute, so a schema taken out of the document resolves."""
    if isinstance(schema, dict):
        return {
            key: SPEC_URI + value
            if key == "$ref" and isinstance(value, str) and value.startswith("#")
            else _absolute(value)
            for key, value in schema.items()
        }
    if isinstance(schema, list):
        return [_absolute(item) for item in schema]
    return schema


def _snake_keys(body: Any) -> Any:
    if not isinstance(body, dict):
        return body
    return {snake_case(key): value for key, value in body.items()}


@cache
def load_contract() -> MeilisearchContract | None:
    """The contract, or None where the reference folder is absent (tests then skip)."""
    path = spec_path()
    if not path.is_file():
        return None
    return MeilisearchContract(json.loads(path.read_text(encoding="utf-8")))
