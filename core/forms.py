"""Form helpers shared by the public forms."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from django import forms
from django.http import QueryDict

from core.pii import find_personal_information


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


def forget_refused_text(form: forms.BaseForm, names: Iterable[str]) -> None:
    """Before a bound form is shown again, blank the free text it did not accept.

    Refused text may be personal information about someone (a name, a phone number, a case):
    it is never written back into the page, nor kept. Text that was accepted stays, so a
    mistake elsewhere in the form costs the person nothing they typed.
    """
    blanked = {}
    for name in names:
        text = str(form.data.get(name, ""))
        longest = cast(forms.CharField, form.fields[name]).max_length or 0
        too_long = bool(longest) and len(text) > longest
        if name in form.errors or too_long or find_personal_information(text):
            blanked[name] = ""
    replace_data(form, **blanked)


def replace_data(form: forms.BaseForm, **values: str) -> None:
    """Change what a bound form shows again (the submitted QueryDict is immutable)."""
    data = cast(QueryDict, form.data).copy()
    for name, value in values.items():
        data[name] = value
    form.data = data
