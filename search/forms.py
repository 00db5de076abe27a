"""Parsing search parameters: one form shared by the JSON API and the /search/ page.

Repeated parameters are OR within a filter (category=a&category=b); different filters are AND.
`day` is a weekday as 0–6 (0 = Monday, as in Python and the match API) or mon…sun.
Unknown vocabulary slugs and area codes are errors, never silently ignored.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from core.forms import set_choices
from directory.listings.ages import AGE_LIMIT
from directory.listings.schedules import JST
from directory.models import Area, Scheme, VocabularyTerm
from directory.vocabulary import local_area_choices
from search.engines.base import GeoPoint, SearchQuery
from search.understanding import TIMES_OF_DAY, _date_range, day_word, time_slot

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_RADIUS_KM = 200
DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


DAY_CHOICES = [(str(i), lazy(day_word, str)(i)) for i in range(7)]
# The times of day a resident picks from (search.understanding.TIMES_OF_DAY has finer ones).
TIME_CHOICES = [(slot, TIMES_OF_DAY[slot][0]) for slot in ("morning", "noon", "evening", "night")]
# Named date windows, read as the same words are read in a query (今週末 = the coming Sat–Sun).
WHEN_WORDS = {"today": "今日", "weekend": "今週末", "month": "今月"}
# The same windows as residents read them (WHEN_WORDS are the words the query reader knows).
WHEN_CHOICES = [
    ("", gettext_lazy("指定しない")),
    ("today", gettext_lazy("今日")),
    ("weekend", gettext_lazy("今週末")),
    ("month", gettext_lazy("今月")),
]
SORT_CHOICES = [
    ("relevance", gettext_lazy("関連度順")),
    ("distance", gettext_lazy("近い順")),
    ("upcoming", gettext_lazy("開催が近い順")),
    ("name", gettext_lazy("名前順")),
]
# API facet name → (form field, document field)
FILTERS = {
    "kind": "kind",
    "category": "categories",
    "target": "targets",
    "condition": "conditions",
    "area": "area_codes",
    "day": "weekdays",
}
FACETS = {"kind": "kind", "category": "categories", "target": "targets", "condition": "conditions"}


def display_choices(scheme: Scheme) -> list[tuple[str, str]]:
    """(slug, label) of one scheme in the 事務局's order, labels in the visitor's language."""
    terms = VocabularyTerm.objects.filter(scheme=scheme.value).order_by("sort_order", "slug")
    return [(term.slug, term.display_label) for term in terms]


def display_labels(scheme: Scheme) -> dict[str, str]:
    return dict(display_choices(scheme))


def named(message: str, field: forms.Field, **values: Any) -> str:
    """A message naming its field, keeping Django's own %(value)s-style placeholders."""
    kept = {name: f"%({name})s" for name in ("value", "limit_value")}
    return message % {**kept, "field": field.label, **values}


class VocabularyChoiceField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, scheme: Scheme, label: StrOrPromise, **kwargs: Any) -> None:
        super().__init__(label=label, required=False, **kwargs)
        self.scheme = scheme


class DayField(forms.MultipleChoiceField):
    """Weekdays as 0–6 (0=月曜) or mon…sun; cleaned to "0"…"6"."""

    def to_python(self, value: Any) -> list[str]:
        values = super().to_python(value)
        return [str(DAY_NAMES.index(v.lower())) if v.lower() in DAY_NAMES else v for v in values]


class WordsField(forms.Field):
    """Repeated short words (literal=土曜&literal=夜): the words not to read as a field."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value: Any) -> list[str]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        words = [str(v).strip() for v in values if str(v).strip()]
        if len(words) > 20 or any(len(word) > 50 for word in words):
            raise forms.ValidationError(_("言葉の指定が長すぎます。"))
        return words


class SearchForm(forms.Form):
    """Search parameters. `to_query()` turns the cleaned data into an engine SearchQuery."""

    q = forms.CharField(
        label=gettext_lazy("キーワード"), required=False, max_length=200, strip=True
    )
    literal = WordsField(label=gettext_lazy("そのままさがす言葉"), required=False)
    kind = VocabularyChoiceField(Scheme.KIND, gettext_lazy("種別"))
    category = VocabularyChoiceField(Scheme.CATEGORY, gettext_lazy("分野"))
    target = VocabularyChoiceField(Scheme.TARGET, gettext_lazy("対象"))
    condition = VocabularyChoiceField(Scheme.CONDITION, gettext_lazy("参加条件"))
    area = forms.MultipleChoiceField(
        label=gettext_lazy("地域"),
        required=False,
        error_messages={
            "invalid_choice": gettext_lazy("「%(value)s」は地域の選択肢にありません。")
        },
    )
    day = DayField(
        label=gettext_lazy("曜日"),
        required=False,
        choices=DAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": gettext_lazy(
                "「%(value)s」は曜日として使えません（0〜6 または mon〜sun）。"
            )
        },
    )
    time = forms.MultipleChoiceField(
        label=gettext_lazy("時間帯"),
        required=False,
        choices=TIME_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": gettext_lazy("「%(value)s」は時間帯として使えません。")},
    )
    when = forms.ChoiceField(
        label=gettext_lazy("いつ"),
        required=False,
        choices=WHEN_CHOICES,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": gettext_lazy("いつ（when）は today・weekend・month のいずれかです。")
        },
    )
    date_from = forms.DateField(
        label=gettext_lazy("この日から"),
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": gettext_lazy("日付は 2025-04-01 の形で入力してください。")},
    )
    date_to = forms.DateField(
        label=gettext_lazy("この日まで"),
        required=False,
        input_formats=["%Y-%m-%d"],
        error_messages={"invalid": gettext_lazy("日付は 2025-04-01 の形で入力してください。")},
    )
    age = forms.IntegerField(
        label=gettext_lazy("年齢"),
        required=False,
        min_value=0,
        max_value=AGE_LIMIT,
        help_text=gettext_lazy(
            "入力すると、その年齢の人が対象の掲載と、対象年齢の決まっていない掲載を表示します。"
        ),
    )
    lat = forms.FloatField(
        label=gettext_lazy("緯度"),
        required=False,
        min_value=-90,
        max_value=90,
        error_messages={"invalid": gettext_lazy("緯度は -90〜90 の数値で指定してください。")},
    )
    lng = forms.FloatField(
        label=gettext_lazy("経度"),
        required=False,
        min_value=-180,
        max_value=180,
        error_messages={"invalid": gettext_lazy("経度は -180〜180 の数値で指定してください。")},
    )
    radius_km = forms.FloatField(
        label=gettext_lazy("半径（km）"),
        required=False,
        min_value=0.1,
        max_value=MAX_RADIUS_KM,
    )
    sort = forms.ChoiceField(
        label=gettext_lazy("並び順"),
        required=False,
        choices=SORT_CHOICES,
        error_messages={
            "invalid_choice": gettext_lazy(
                "並び順は relevance・distance・upcoming・name のいずれかです。"
            )
        },
    )
    page = forms.IntegerField(
        label=gettext_lazy("ページ"),
        required=False,
        min_value=1,
        max_value=10000,
        error_messages={"invalid": gettext_lazy("ページは 1 以上の整数で指定してください。")},
    )
    page_size = forms.IntegerField(
        label=gettext_lazy("1ページの件数"),
        required=False,
        min_value=1,
        max_value=MAX_PAGE_SIZE,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, VocabularyChoiceField):
                field.choices = display_choices(field.scheme)
                field.error_messages["invalid_choice"] = named(
                    _("「%(value)s」は%(field)sの選択肢にありません。"), field
                )
                field.error_messages["invalid_list"] = named(
                    _("%(field)sの指定が正しくありません。"), field
                )
        age = _("年齢は 0〜%(limit)s の整数（歳）で指定してください。") % {"limit": AGE_LIMIT}
        self.fields["age"].error_messages.update(invalid=age, min_value=age, max_value=age)
        self.fields["radius_km"].error_messages["invalid"] = _(
            "半径は 0.1〜%(limit)s の数値（km）で指定してください。"
        ) % {"limit": MAX_RADIUS_KM}
        self.fields["page_size"].error_messages["invalid"] = _(
            "1ページの件数は 1〜%(limit)s の整数です。"
        ) % {"limit": MAX_PAGE_SIZE}
        set_choices(
            self,
            "area",
            local_area_choices()
            + list(Area.objects.filter(level=Area.Level.PREFECTURE).values_list("code", "name")),
        )
        for name in ("lat", "lng", "radius_km", "page", "page_size"):
            field = self.fields[name]
            field.error_messages["min_value"] = named(
                _("%(field)sの値が小さすぎます（%(limit_value)s 以上）。"), field
            )
            field.error_messages["max_value"] = named(
                _("%(field)sの値が大きすぎます（%(limit_value)s 以下）。"), field
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lat, lng = data.get("lat"), data.get("lng")
        if (lat is None) != (lng is None) and "lat" not in self.errors and "lng" not in self.errors:
            self.add_error("lat" if lat is None else "lng", _("緯度と経度は両方指定してください。"))
        has_point = lat is not None and lng is not None
        if data.get("radius_km") is not None and not has_point and not self.has_error("lat"):
            self.add_error(
                "radius_km", _("半径を指定するときは緯度・経度（lat, lng）も指定してください。")
            )
        if data.get("sort") == "distance" and not has_point and not self.has_error("lat"):
            self.add_error("sort", _("近い順（distance）には緯度・経度（lat, lng）が必要です。"))
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and first > last:
            self.add_error(
                "date_to", _("「この日まで」は、「この日から」と同じ日か、あとの日にしてください。")
            )
        return data

    def to_query(self) -> SearchQuery:
        """The engine query; call only when the form is valid."""
        data = self.cleaned_data
        filters = {FILTERS[name]: data[name] for name in FILTERS if data.get(name)}
        if data.get("time"):  # on the chosen weekdays when there are some (土曜の夜)
            days = data.get("day") or []
            filters["times_of_day"] = [
                time_slot(int(day), slot) for slot in data["time"] for day in days
            ] or list(data["time"])
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if data.get("when"):  # narrows a typed range, never widens it
            first, last = _date_range(WHEN_WORDS[data["when"]], datetime.now(JST).date())
            date_from = max(filter(None, (date_from, first)))
            date_to = min(filter(None, (date_to, last)))
        point = None
        if data.get("lat") is not None and data.get("lng") is not None:
            point = GeoPoint(data["lat"], data["lng"])
        return SearchQuery(
            text=data.get("q") or "",
            filters=filters,
            date_from=date_from,
            date_to=date_to,
            age=data.get("age"),
            point=point,
            radius_km=data.get("radius_km") if point else None,
            sort=data.get("sort") or ("relevance" if data.get("q") else "name"),
            page=data.get("page") or 1,
            page_size=data.get("page_size") or DEFAULT_PAGE_SIZE,
            facets=tuple(FACETS.values()),
        )

    def api_errors(self) -> dict[str, list[str]]:
        """{"param": [messages]} for the API (form-wide errors under "__all__")."""
        return {
            name: [str(message) for message in messages] for name, messages in self.errors.items()
        }
