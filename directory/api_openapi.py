"""GET /api/v1/openapi.json: an OpenAPI 3.1 description of /api/v1/, built from the forms.

The query parameters and their limits are read from the forms the views validate with
(search.forms.SearchForm, coordination.forms.PartnerSearchForm), so the description cannot
drift from what the API accepts; choices come from the vocabulary and are not enumerated.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from coordination.forms import PartnerSearchForm
from core.http import Cors, json_response
from search.forms import SearchForm

ERRORS = {"$ref": "#/components/schemas/Errors"}
OBJECT = {"type": "object"}
STRING = {"type": "string"}
STRINGS = {"type": "array", "items": STRING}
INTEGER_OR_NULL = {"type": ["integer", "null"], "minimum": 0}
NUMBER_OR_NULL = {"type": ["number", "null"]}
DATETIME_OR_NULL = {"type": ["string", "null"], "format": "date-time"}
KIND = {"type": "string", "enum": ["place", "service", "event"]}


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def record(properties: dict[str, Any], nullable: bool = False) -> dict[str, Any]:
    """An object with exactly these keys, each always present (the views never omit one)."""
    return {
        "type": ["object", "null"] if nullable else "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }


CONTACT = record({"contact_point": STRING, "phone": STRING, "email": STRING, "website": STRING})
# One search result (search.api.resource); the detail adds the listing's own fields.
RESOURCE = {
    "id": {"type": "string", "format": "uuid"},
    "kind": KIND,
    "name": STRING,
    "kana": STRING,
    "url": {"type": "string", "format": "uri"},
    "summary": STRING,
    "member": record({"id": {"type": "string", "format": "uuid"}, "name": STRING}),
    "categories": STRINGS,
    "targets": STRINGS,
    "conditions": STRINGS,
    "age_min": INTEGER_OR_NULL,
    "age_max": INTEGER_OR_NULL,
    "area": record({"code": STRING, "name": STRING}, nullable=True),
    "location": record(
        {"lat": {"type": "number"}, "lng": {"type": "number"}, "address": STRING}, nullable=True
    ),
    "next_occurrence": DATETIME_OR_NULL,
}
RESOURCE_DETAIL = {
    **RESOURCE,
    "description": STRING,
    "keywords": STRINGS,
    "online": {"type": "boolean"},
    "schedule_text": STRING,
    "occurrences": {
        "type": "array",
        "items": record(
            {"start": {"type": "string", "format": "date-time"}, "end": DATETIME_OR_NULL}
        ),
    },
    "cost": record({"type": {"type": ["string", "null"]}, "text": STRING}),
    "capacity": INTEGER_OR_NULL,
    "how_to_join": STRING,
    "accessibility": STRING,
    "languages": STRINGS,
    "contact": CONTACT,
    "last_verified": {"type": ["string", "null"], "format": "date"},
}
# One member organisation (coordination.views.partner_json).
MEMBER = {
    "id": {"type": "string", "format": "uuid"},
    "name": STRING,
    "kana": STRING,
    "type": STRING,
    "type_label": STRING,
    "role": STRING,
    "url": STRING,
    "description": STRING,
    "fields": STRINGS,
    "targets": STRINGS,
    "areas": STRINGS,
    "offers": STRINGS,
    "looks_for": STRINGS,
    "contact": CONTACT,
    "listings": {
        "type": "array",
        "items": record({"id": STRING, "kind": KIND, "name": STRING, "url": STRING}),
    },
    "matching_listings": STRINGS,
    "co_organisers": {
        "type": "array",
        "items": record({"id": {"type": "string", "format": "uuid"}, "name": STRING}),
    },
}
# One suggestion of POST /match (matching.views.result_json).
MATCH = {
    "id": STRING,
    "kind": KIND,
    "name": STRING,
    "url": STRING,
    "score": {"type": "number"},
    "reasons": STRINGS,
    "distance_km": NUMBER_OR_NULL,
    "next_occurrence": DATETIME_OR_NULL,
}
SCHEMAS = {
    "Resource": record({**RESOURCE, "distance_km": NUMBER_OR_NULL}),
    "ResourceDetail": record(RESOURCE_DETAIL),
    "Member": record(MEMBER),
    "Match": record(MATCH),
}


def field_schema(field: forms.Field) -> dict[str, Any]:
    """The JSON schema of one query parameter, with the limits the form field checks."""
    if isinstance(field, forms.MultipleChoiceField):
        return {"type": "array", "items": {"type": "string"}}
    if isinstance(field, forms.IntegerField | forms.FloatField):
        schema: dict[str, Any] = {
            "type": "integer" if isinstance(field, forms.IntegerField) else "number"
        }
        for validator in field.validators:
            if isinstance(validator, MinValueValidator):
                schema["minimum"] = validator.limit_value
            elif isinstance(validator, MaxValueValidator):
                schema["maximum"] = validator.limit_value
        return schema
    if isinstance(field, forms.DateField):
        return {"type": "string", "format": "date"}
    if isinstance(field, forms.CharField) and field.max_length:
        return {"type": "string", "maxLength": field.max_length}
    return {"type": "string"}


def form_parameters(form_class: type[forms.Form]) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "in": "query",
            "description": str(field.label or name),
            "schema": field_schema(field),
            **(
                {"style": "form", "explode": True} if field_schema(field)["type"] == "array" else {}
            ),
        }
        for name, field in form_class.base_fields.items()
    ]


def responses(ok: str, **errors: str) -> dict[str, Any]:
    """A 200 JSON object and each error status with the one `{"errors": …}` shape."""
    answer = {"200": {"description": ok, "content": {"application/json": {"schema": OBJECT}}}}
    for status, text in errors.items():
        answer[status.removeprefix("s")] = {
            "description": text,
            "content": {"application/json": {"schema": ERRORS}},
        }
    return answer


def list_schema(item: str, **more: dict[str, Any]) -> dict[str, Any]:
    """A page of `item` objects: count, page, results and what else the view sends."""
    return record(
        {
            "count": {"type": "integer", "minimum": 0},
            "page": {"type": "integer", "minimum": 1},
            "results": {"type": "array", "items": ref(item)},
            **more,
        }
    )


def ok_schema(answer: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    answer["200"]["content"]["application/json"]["schema"] = schema
    return answer


def describe() -> dict[str, Any]:
    """The whole document (small; built per request so the form limits are always current)."""
    resources = responses(
        "掲載の検索結果 / search results", s400="パラメーターの誤り", s503="検索が一時的に使えない"
    )
    ok_schema(
        resources,
        list_schema(
            "Resource",
            facets={
                "type": "object",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": {"type": "integer", "minimum": 0},
                },
            },
            understood={
                "type": "array",
                "items": record({"word": STRING, "as": STRING, "label": STRING}),
            },
            all_words_count=INTEGER_OR_NULL,
        ),
    )
    members = ok_schema(
        responses("会員団体 / member organisations", s400="パラメーターの誤り"),
        list_schema("Member"),
    )
    vocabulary = ok_schema(
        responses("語彙 / vocabulary"),
        record(
            {
                "schemes": {
                    "type": "object",
                    "additionalProperties": record(
                        {
                            "label": STRING,
                            "terms": {
                                "type": "array",
                                "items": record(
                                    {"slug": STRING, "label": STRING, "label_en": STRING}
                                ),
                            },
                        }
                    ),
                }
            }
        ),
    )
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Tsunagari API v1（つながり）",
            "version": "1.0.0",
            "description": (
                "掲載の検索・1 件・会員団体・語彙・マッチングの API です。誤りは "
                '`{"errors": {パラメーター: [日本語のメッセージ]}}` で返します。'
                "マッチングは POST のみで、送った内容はどこにも保存しません。"
            ),
        },
        "paths": {
            "/resources": {
                "get": {
                    "operationId": "resources",
                    "summary": "掲載をさがす / search listings",
                    "parameters": form_parameters(SearchForm),
                    "responses": resources,
                }
            },
            "/resources/{id}": {
                "get": {
                    "operationId": "resource",
                    "summary": "掲載 1 件 / one listing",
                    "parameters": [
                        {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
                    ],
                    "responses": ok_schema(
                        responses("掲載 1 件 / one listing", s404="見つからない id"),
                        ref("ResourceDetail"),
                    ),
                }
            },
            "/members": {
                "get": {
                    "operationId": "members",
                    "summary": "会員団体をさがす / find member organisations",
                    "parameters": form_parameters(PartnerSearchForm),
                    "responses": members,
                }
            },
            "/vocabulary": {
                "get": {
                    "operationId": "vocabulary",
                    "summary": "語彙 / every scheme and its terms",
                    "responses": vocabulary,
                }
            },
            "/match": {
                "post": {
                    "operationId": "match",
                    "summary": "条件に合う掲載 / listings that fit a profile",
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": OBJECT}},
                    },
                    "responses": ok_schema(
                        responses(
                            "合う掲載と理由 / ranked listings with reasons",
                            s400="JSON として読めない本文",
                            s413="本文が大きすぎる",
                            s415="JSON ではない本文",
                            s422="条件の誤り",
                        ),
                        record(
                            {
                                "count": {"type": "integer", "minimum": 0},
                                "note": STRING,
                                "results": {"type": "array", "items": ref("Match")},
                            }
                        ),
                    ),
                }
            },
        },
        "components": {
            "schemas": {
                **SCHEMAS,
                "Errors": {
                    "type": "object",
                    "required": ["errors"],
                    "properties": {
                        "errors": {
                            "type": "object",
                            "minProperties": 1,
                            "additionalProperties": {
                                "type": "array",
                                "minItems": 1,
                                "items": {"type": "string"},
                            },
                        }
                    },
                },
            }
        },
    }


@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    return json_response(describe(), cors=Cors.ANY_ORIGIN)
