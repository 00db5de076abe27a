"""Site-wide navigation the 事務局 controls from the page tree."""

from typing import Any

from django import template
from wagtail.models import Page, Site

register = template.Library()


@register.simple_tag(takes_context=True)
def footer_pages(context: dict[str, Any]) -> Any:
    """The home page's children marked 「メニューに表示」: このサイトについて, プライバシー …

    The 事務局 adds, orders and removes footer links by editing pages, not templates.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    root: Page | None = site.root_page if site else None
    if root is None:
        return Page.objects.none()
    return root.get_children().live().public().in_menu().specific()
