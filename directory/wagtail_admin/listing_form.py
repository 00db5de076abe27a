"""The page form of listings: the media rule of every member page, and a slug when none is typed.

An event whose sessions are all over is refused when a person enters it (not when imported).

The slug field sits on the 公開設定 tab, which a member does not open; a required slug left
empty (a Japanese title slugifies to nothing) showed its error on that hidden tab. An empty
slug is now filled from the listing's UUID (directory.listings.slugs).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models

from directory.listings.fields import ChoiceListField
from directory.listings.schedules import recurrence_from_block
from directory.listings.slugs import listing_slug
from directory.models import Area
from directory.wagtail_admin.media import OwnMediaPageForm


class ListingPageForm(OwnMediaPageForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        slug = self.fields.get("slug")
        if slug is not None:
            slug.required = False
            slug.help_text = (
                "ページの URL に使う名前です。空のままなら自動で付けます（例: listing-1a2b3c4d）。"
            )
        self._offer_stored_codes()
        self._offer_platform_areas()

    def _offer_stored_codes(self) -> None:
        """Stored values the checkboxes do not name (an imported ISO 639 code such as ur) are
        offered by their code, ticked, so saving in the editor never drops them."""
        for name, field in self.fields.items():
            model_field = self.instance._meta._forward_fields_map.get(name)
            if not isinstance(model_field, ChoiceListField) or not model_field.also_valid:
                continue
            known = {key for key, _ in model_field.choices_list}
            extra = [v for v in getattr(self.instance, name, None) or [] if v not in known]
            if extra and isinstance(field, forms.ChoiceField):
                field.choices = [*model_field.choices_list, *((v, v) for v in extra)]

    def _offer_platform_areas(self) -> None:
        """地域 and 対象地域 offer the PF's own areas (Area.objects.for_platform), never the
        whole municipality list; an area already saved stays offered so saving keeps it."""
        for name in ("area", "service_areas"):
            field = self.fields.get(name)
            if not isinstance(field, forms.ModelChoiceField):
                continue
            saved = getattr(self.instance, name, None) if self.instance.pk else None
            if saved is None:
                saved_ids = []
            elif isinstance(field, forms.ModelMultipleChoiceField):
                saved_ids = [area.pk for area in saved.all()]
            else:
                saved_ids = [saved.pk]
            ours = Area.objects.for_platform().values_list("pk", flat=True)
            field.queryset = Area.objects.filter(
                models.Q(pk__in=ours) | models.Q(pk__in=saved_ids)
            ).order_by("parent__code", "level", "sort_order", "code")

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data.get("slug") or ""
        return slug or listing_slug(getattr(self.instance, "uuid", None))

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        only_past = getattr(self.instance, "only_past_sessions", None)
        schedule = cleaned.get("schedule")
        if only_past is not None and schedule:
            rules = [recurrence_from_block(child.block_type, child.value) for child in schedule]
            if only_past(rules, cleaned.get("status") or ""):
                self.add_error("schedule", PAST_ONLY)
        return cleaned


PAST_ONLY = (
    "開催日がすべて過ぎています。これからの開催日を入力してください"
    "（終わった催しは「活動状況」を「終了」にしてください）。"
)
