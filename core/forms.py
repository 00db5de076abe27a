"""Form helpers shared by the public forms."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django import forms


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """The named field as a ChoiceField, for forms whose choices come from the database.

    `form.fields[...]` is typed as a plain Field; the choices are only set on choice fields.
    """
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is not a choice field")
    return field


def set_choices(form: forms.BaseForm, name: str, choices: Sequence[tuple[Any, Any]]) -> None:
    """Give a choice field its choices at form creation (vocabulary and areas live in the DB)."""
    choice_field(form, name).choices = list(choices)


def choice_label(form: forms.BaseForm, name: str, value: Any) -> str:
    """The label shown for `value` in a choice field set by `set_choices` ("" if not a choice)."""
    choices = cast(list[tuple[Any, Any]], choice_field(form, name).choices)
    return next((str(label) for key, label in choices if key == value), "")
