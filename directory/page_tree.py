"""A new page below its parent, without the look-ups Wagtail makes for any page it saves.

The importers add thousands of pages (listings, member pages) in one run; each add_child read
the parent again for the locale and asked twice whether the page is a site's root.
"""

from __future__ import annotations

from typing import TypeVar

from wagtail.models import Page

P = TypeVar("P", bound=Page)


def add_new_page(parent: Page, page: P) -> P:
    """`parent.add_child(instance=page)`, told what Wagtail would read: a new page's locale is
    its parent's (Page.get_default_locale), and it is no site's root (its translation key is new,
    so no Site.root_page shares it; Page.is_site_root honours `_is_site_root`)."""
    if page.locale_id is None:
        page.locale_id = parent.locale_id
    page._is_site_root = False  # type: ignore[attr-defined]
    return parent.add_child(instance=page)  # type: ignore[no-any-return]
