"""Admin template tags for the 事務局's reasons (directory.wagtail_admin.notices)."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def unpublish_reason_form(context: dict[str, Any], page: Any) -> Any:
    """The reason form when the signed-in 事務局 unpublishes a member's page, else None."""
    from directory.wagtail_admin.notices import reason_form_for

    return reason_form_for(context["request"], page)
