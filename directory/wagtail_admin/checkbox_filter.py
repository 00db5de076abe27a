"""A 「絞り込み」 box above long checkbox lists in the editor (共催団体, 分類, 対象, …).

The widget is Django's checkbox list, wrapped with a text box that starts `hidden`:
static/js/checkbox-filter.js shows it (only for long lists) and hides the options that do not
match what is typed. Without JavaScript the list is a plain checkbox list; filtering only
hides options, so a ticked option stays ticked and is still posted.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

LABEL = "絞り込み"


class FilterableCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """CheckboxSelectMultiple with a hidden filter box the editor script turns on."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        checkboxes = super().render(name, value, attrs, renderer)
        box_id = f"{(attrs or {}).get('id') or f'id_{name}'}-filter"
        return format_html(
            '<div class="tsunagari-checkbox-filter" data-tsunagari-checkbox-filter>'
            '<p class="tsunagari-checkbox-filter__box" hidden>'
            '<label for="{}">{}</label> <input type="search" id="{}" autocomplete="off" '
            "data-tsunagari-checkbox-filter-input></p>{}</div>",
            box_id,
            LABEL,
            box_id,
            checkboxes,
        )


def checkbox_filter_js() -> str:
    """insert_editor_js: the filter script, a file of its own (the admin's CSP has no inline)."""
    return format_html('<script src="{}"></script>', static("js/checkbox-filter.js"))
