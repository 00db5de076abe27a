"""The partner finder's filters, shared by /partners/ and GET /api/v1/members."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from coordination.partners import PartnerQuery
from core.forms import set_choices
from directory.models import MemberType
from directory.vocabulary import display_choices, local_area_choices


class PartnerSearchForm(forms.Form):
    q = forms.CharField(label=_("キーワード"), required=False, max_length=100)
    type = forms.MultipleChoiceField(
        label=_("団体の種類"),
        required=False,
        choices=MemberType.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    field = forms.MultipleChoiceField(
        label=_("活動分野"), required=False, widget=forms.CheckboxSelectMultiple
    )
    target = forms.MultipleChoiceField(
        label=_("主な対象"), required=False, widget=forms.CheckboxSelectMultiple
    )
    area = forms.MultipleChoiceField(
        label=_("活動地域"), required=False, widget=forms.CheckboxSelectMultiple
    )
    offer = forms.MultipleChoiceField(
        label=_("提供できること"), required=False, widget=forms.CheckboxSelectMultiple
    )
    looks_for = forms.MultipleChoiceField(
        label=_("求めていること"), required=False, widget=forms.CheckboxSelectMultiple
    )
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    page_size = forms.IntegerField(
        required=False, min_value=1, max_value=100, widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "field", display_choices("category"))
        set_choices(self, "target", display_choices("target"))
        set_choices(self, "area", local_area_choices())
        offers = display_choices("offer")
        set_choices(self, "offer", offers)
        set_choices(self, "looks_for", offers)

    def to_query(self) -> PartnerQuery:
        data = self.cleaned_data
        return PartnerQuery(
            text=data["q"],
            types=tuple(data["type"]),
            fields=tuple(data["field"]),
            targets=tuple(data["target"]),
            areas=tuple(data["area"]),
            offers=tuple(data["offer"]),
            looks_for=tuple(data["looks_for"]),
        )

    @property
    def filters_used(self) -> bool:
        return any(
            self.cleaned_data.get(name)
            for name in ("q", "type", "field", "target", "area", "offer", "looks_for")
        )


class CoverageForm(forms.Form):
    dimension = forms.ChoiceField(
        label=_("集計の軸"),
        choices=[("target", _("対象")), ("category", _("分野"))],
        required=False,
    )
    term = forms.ChoiceField(label=_("地図に表示する項目"), required=False)
    municipality = forms.ChoiceField(label=_("市区町村"), required=False)

    def __init__(self, *args: Any, municipalities: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "municipality", [("", _("すべて")), *municipalities])
        asked = self.data.get("dimension")
        dimension = asked if asked in ("category", "target") else "target"
        terms = [("", _("掲載数の合計")), *display_choices(str(dimension))]
        set_choices(self, "term", terms)
        if self.is_bound and self.data.get("term") not in {slug for slug, _ in terms}:
            # A map item of the other axis (left over after switching 集計の軸) is stale,
            # not wrong: show the totals instead of refusing the page.
            data = QueryDict(mutable=True)
            data.update(self.data)
            data["term"] = ""
            self.data = data

    def clean_dimension(self) -> str:
        return self.cleaned_data["dimension"] or "target"
