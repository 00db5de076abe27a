"""GET /api/v1/vocabulary: every scheme with its terms' stable slugs and labels."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from core.http import Cors, json_response
from directory.models import Scheme, VocabularyTerm


@require_GET
def vocabulary(request: HttpRequest) -> JsonResponse:
    """{"schemes": {scheme: {"label", "terms": [{"slug", "label", "label_en"}]}}}."""
    schemes: dict[str, dict] = {
        scheme.value: {"label": scheme.label, "terms": []} for scheme in Scheme
    }
    for term in VocabularyTerm.objects.order_by("scheme", "sort_order", "slug"):
        schemes[term.scheme]["terms"].append(
            {"slug": term.slug, "label": term.label, "label_en": term.label_en}
        )
    return json_response({"schemes": schemes}, cors=Cors.ANY_ORIGIN)
