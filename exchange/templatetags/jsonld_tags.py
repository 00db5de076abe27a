"""{% jsonld page %}: the page's schema.org JSON-LD as a safely escaped script element."""

from typing import Any

from django import template
from django.utils.safestring import SafeString

from exchange.jsonld import document_for, script_tag

register = template.Library()


@register.simple_tag(takes_context=True)
def jsonld(context: template.Context, page: Any) -> SafeString | str:
    """Nothing for page types that have no schema.org mapping."""
    request = context.get("request")
    base = request.build_absolute_uri("/") if request else ""
    data = document_for(page, base)
    return script_tag(data) if data else ""
