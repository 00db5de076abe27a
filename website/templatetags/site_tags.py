"""Site-wide navigation: the footer pages the 事務局 controls, and the language switch."""

from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
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


@register.inclusion_tag("website/includes/language_switch.html", takes_context=True)
def language_switch(context: dict[str, Any]) -> dict[str, Any]:
    """Links to this same page in every other language, each named in its own language.

    The link names the page's path only: its query may hold what a resident typed or where
    they are (an unrounded position), or a choice the page has since dropped; a visitor who
    switches language starts that page afresh.
    """
    request = context.get("request")
    here = request.path if request is not None else "/"
    current = translation.get_language()
    return {
        "choices": [
            {
                "code": code,
                "name": translation.get_language_info(code)["name_local"],
                "url": f"{reverse('choose-language', args=[code])}?{urlencode({'next': here})}",
            }
            for code, _name in settings.LANGUAGES
            if code != current
        ]
    }
