"""The /match/ form: the needs profile as calm, step-by-step choices (no free personal data).

The form only collects choices; matching.profile.parse_profile validates them exactly as it
validates the JSON API, so both paths share one set of rules and messages.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from core.forms import forget_refused_text, replace_data
from core.pii import validate_no_personal_information
from matching.origin import HERE, PLACE_MIN_LENGTH, Origin, resolve_place
from matching.pool import CandidatePool
from matching.profile import (
    KEYWORDS_MAX_LENGTH,
    POINT_DECIMALS,
    Vocabulary,
    rounded_point,
)
from matching.reasons import WEEKDAY_LABELS

# 時間帯 offered on the form, as minutes windows; none chosen = any time of the chosen days.
PERIODS: dict[str, tuple[StrOrPromise, str, str]] = {
    "morning": (_("午前（9〜12時）"), "09:00", "12:00"),
    "afternoon": (_("午後（12〜15時）"), "12:00", "15:00"),
    "evening": (_("夕方（15〜18時）"), "15:00", "18:00"),
    "night": (_("夜（18〜21時）"), "18:00", "21:00"),
}
DISTANCES = [
    ("", _("こだわらない")),
    ("1", _("1km以内（歩いて15分ほど）")),
    ("2", _("2km以内")),
    ("3", _("3km以内")),
    ("5", _("5km以内")),
    ("10", _("10km以内")),
    ("20", _("20km以内")),
]
# Which profile error belongs to which form field.
FIELD_OF_ERROR = {"times": "weekdays", "near": "place", "limit": None, "__all__": None}
PLACE_MAX_LENGTH = 40
# Free text a person types: checked by the personal-information guard, never shown back if refused.
FREE_TEXT_FIELDS = ("keywords", "place")


def _checkboxes(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, required=False, help_text=help_text, widget=forms.CheckboxSelectMultiple
    )


class MatchForm(forms.Form):
    point_decimals = POINT_DECIMALS  # 近くをさがす rounds in the browser as the server does
    age_band = forms.ChoiceField(label=_("年代"), required=False, widget=forms.RadioSelect)
    targets = _checkboxes(_("あてはまること"), _("いくつでも選べます。選ばなくてもさがせます。"))
    wants = _checkboxes(_("求めていること"))
    interests = _checkboxes(_("関心のあること"))
    required = _checkboxes(_("必ず必要な条件"), _("選んだ条件をすべて満たす場所だけを表示します。"))
    preferred = _checkboxes(_("あるとうれしい条件"), _("満たす場所ほど上に表示します。"))
    area = forms.ChoiceField(
        label=_("小学校区"),
        required=False,
        help_text=_(
            "選んだ小学校区の中心からの距離でさがします。"
            "場所を公開していない会は、その会の小学校区でくらべます。"
        ),
    )
    place = forms.CharField(
        label=_("地名・施設名から（任意）"),
        required=False,
        max_length=PLACE_MAX_LENGTH,
        help_text=_(
            "このサイトに載っている地域や施設の名前から、場所をさがします（例: 公民館の名前）。"
            "ご自宅の住所など、個人が分かることは書かないでください。"
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # Set by static/js/match-origin.js (近くをさがす), already rounded in the browser.
    near_lat = forms.CharField(required=False, widget=forms.HiddenInput)
    near_lng = forms.CharField(required=False, widget=forms.HiddenInput)
    max_km = forms.ChoiceField(label=_("距離"), required=False, choices=DISTANCES)
    online_ok = forms.BooleanField(label=_("オンラインでもよい"), required=False)
    weekdays = _checkboxes(_("行ける曜日"), _("選ばなければ、どの曜日でもさがします。"))
    periods = _checkboxes(_("行ける時間帯"), _("選ばなければ一日中を対象にします。"))
    languages = _checkboxes(_("話せる・読める言葉"))
    keywords = forms.CharField(
        label=_("キーワード（任意）"),
        required=False,
        max_length=KEYWORDS_MAX_LENGTH,
        help_text=format_lazy(
            _(
                "{max}文字まで。例: 将棋、手芸、森の散策。"
                "名前・電話番号・住所など個人が分かることは書かないでください。"
            ),
            max=KEYWORDS_MAX_LENGTH,
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # Sent only by the もっと見る button (its name and value), never as a hidden input;
    # parse_profile checks it as it checks the API's limit.
    limit = forms.CharField(required=False)

    def __init__(self, *args: Any, vocabulary: Vocabulary, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.vocabulary = vocabulary
        choices = {
            "age_band": [("", _("選ばない")), *vocabulary.age_bands.items()],
            "targets": list(vocabulary.targets.items()),
            "wants": list(vocabulary.wants.items()),
            "interests": list(vocabulary.categories.items()),
            "required": list(vocabulary.conditions.items()),
            "preferred": list(vocabulary.conditions.items()),
            "area": [("", _("選ばない")), *vocabulary.areas.items()],
            "weekdays": [(str(i), label) for i, label in enumerate(WEEKDAY_LABELS)],
            "periods": [(key, period[0]) for key, period in PERIODS.items()],
            "languages": list(vocabulary.languages.items()),
        }
        for name, field_choices in choices.items():
            self.fields[name].choices = field_choices  # type: ignore[attr-defined]

    def clean_place(self) -> str:
        text: str = self.cleaned_data["place"].strip()
        if text:
            validate_no_personal_information(text)
            if len(text) < PLACE_MIN_LENGTH:
                raise forms.ValidationError(
                    gettext("地名・施設名は%(min)s文字以上で入力してください。")
                    % {"min": PLACE_MIN_LENGTH}
                )
        return text

    def origin(self, pool: CandidatePool) -> Origin | None:
        """The starting point chosen, most precise first: 近くをさがす, then a typed place.

        A typed place is resolved from the PF's own areas and listings (matching.origin);
        without either, the chosen 小学校区's centre is the origin (the profile's area).
        """
        data = self.cleaned_data
        if data.get("near_lat") or data.get("near_lng"):
            point = rounded_point(data["near_lat"], data["near_lng"])
            # The page shown again carries the rounded point only (or none if unreadable).
            replace_data(
                self,
                near_lat=str(point.lat) if point else "",
                near_lng=str(point.lng) if point else "",
            )
            if point is None:
                self.add_error(
                    "place",
                    gettext(
                        "現在地を読み取れませんでした。もう一度「近くをさがす」を押すか、"
                        "小学校区・地名を選んでください。"
                    ),
                )
                return None
            return Origin(HERE, point.lat, point.lng)
        if data.get("place"):
            found = resolve_place(data["place"], self.vocabulary, pool)
            if found is None:
                self.add_error(
                    "place",
                    gettext(
                        "この名前の地域・施設は、このサイトの掲載から見つかりませんでした。"
                        "小学校区を選ぶか、別の名前で入力してください。"
                    ),
                )
            return found
        return None

    def profile_data(self, origin: Origin | None = None) -> dict[str, Any]:
        """The cleaned choices in the shape of the JSON API (for parse_profile)."""
        data = self.cleaned_data
        periods = [PERIODS[key][1:] for key in data["periods"]] or [("00:00", "24:00")]
        weekdays = [int(day) for day in data["weekdays"]] or (
            list(range(7)) if data["periods"] else []
        )
        return {
            "age_band": data["age_band"],
            "targets": data["targets"],
            "wants": data["wants"],
            "interests": data["interests"],
            "required": data["required"],
            "preferred": data["preferred"],
            "area": data["area"],
            "near": {"lat": origin.lat, "lng": origin.lng} if origin else None,
            "max_km": data["max_km"],
            "online_ok": data["online_ok"],
            "times": [
                {"weekday": day, "from": start, "to": end}
                for day in weekdays
                for start, end in periods
            ],
            "languages": data["languages"],
            "keywords": data["keywords"],
            "limit": data["limit"],
        }

    def add_profile_errors(self, errors: dict[str, list[str]]) -> None:
        for name, messages in errors.items():
            field = FIELD_OF_ERROR.get(name, name)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)

    def forget_unsafe_text(self) -> None:
        """Before showing the form again, drop free text that was not accepted."""
        forget_refused_text(self, FREE_TEXT_FIELDS)
