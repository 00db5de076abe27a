"""Model fields shared by the directory: coordinates, and a list of fixed choices stored as JSON.

A list of choices is edited as checkboxes (works on SQLite and PostgreSQL).
"""

import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models

from directory.listings.validators import validate_latitude, validate_longitude


def _coordinate_field(label: str, validator: Callable[[Any], None]) -> models.DecimalField:
    return models.DecimalField(
        label, max_digits=9, decimal_places=6, null=True, blank=True, validators=[validator]
    )


def latitude_field(label: str) -> models.DecimalField:
    """A stored latitude (6 decimals ≈ 0.1 m, inside Japan), optional.

    One definition, so a listing's point and an area's centroid cannot drift apart in precision
    or in the range they accept.
    """
    return _coordinate_field(label, validate_latitude)


def longitude_field(label: str) -> models.DecimalField:
    """A stored longitude; see latitude_field."""
    return _coordinate_field(label, validate_longitude)


class ChoiceListField(models.JSONField):
    """A JSON list whose items must be keys of `choices_list`; blank means an empty list.

    `also_valid` (a regular expression) admits further values the choices do not name, e.g.
    every ISO 639 code an HSDS import brings, stored even though the UI offers fewer.
    """

    def __init__(
        self,
        *args: Any,
        choices_list: list[tuple[str, str]] | None = None,
        also_valid: str = "",
        **kwargs: Any,
    ):
        self.choices_list = list(choices_list or [])
        self.also_valid = also_valid
        kwargs.setdefault("default", list)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["choices_list"] = self.choices_list
        if self.also_valid:
            kwargs["also_valid"] = self.also_valid
        return name, path, args, kwargs

    def validate(self, value: Any, model_instance: Any) -> None:
        super().validate(value, model_instance)
        known = {key for key, _ in self.choices_list}
        unknown = [
            item
            for item in value or []
            if item not in known
            and not (self.also_valid and re.fullmatch(self.also_valid, str(item)))
        ]
        if unknown:
            raise ValidationError(
                "選択肢にない値があります: %(values)s",
                code="invalid_choice",
                params={"values": "、".join(map(str, unknown))},
            )

    def formfield(  # type: ignore[override]  # always checkboxes: no form_class choice
        self, **kwargs: Any
    ) -> forms.Field:
        return forms.MultipleChoiceField(
            choices=self.choices_list,
            required=not self.blank,
            label=kwargs.get("label", self.verbose_name),
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )
