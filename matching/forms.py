"""The /match/ form: the needs profile as calm, step-by-step choices (no free personal data).

The form only collects choices; matching.profile.parse_profile validates them exactly as it
validates the JSON API, so both paths share one set of rules and messages.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.http import QueryDict

from core.pii import find_personal_information
from matching.profile import KEYWORDS_MAX_LENGTH, WEEKDAY_NAMES, Vocabulary

# 時間帯 offered on the form, as minutes windows; none chosen = any time of the chosen days.
PERIODS: dict[str, tuple[str, str, str]] = {
    "morning": ("午前（9〜12時）", "09:00", "12:00"),
    "afternoon": ("午後（12〜15時）", "12:00", "15:00"),
    "evening": ("夕方（15〜18時）", "15:00", "18:00"),
    "night": ("夜（18〜21時）", "18:00", "21:00"),
}
DISTANCES = [
    ("", "こだわらない"),
    ("1", "1km以内（歩いて15分ほど）"),
    ("2", "2km以内"),
    ("3", "3km以内"),
    ("5", "5km以内"),
    ("10", "10km以内"),
    ("20", "20km以内"),
]
# Which profile error belongs to which form field.
FIELD_OF_ERROR = {"times": "weekdays", "near": "area", "__all__": None}


def _checkboxes(label: str, help_text: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, required=False, help_text=help_text, widget=forms.CheckboxSelectMultiple
    )


class MatchForm(forms.Form):
    age_band = forms.ChoiceField(label="年代", required=False, widget=forms.RadioSelect)
    targets = _checkboxes("あてはまること", "いくつでも選べます。選ばなくても探せます。")
    wants = _checkboxes("求めていること")
    interests = _checkboxes("関心のあること")
    required = _checkboxes("必ず必要な条件", "選んだ条件をすべて満たす場所だけを表示します。")
    preferred = _checkboxes("あるとうれしい条件", "満たす場所ほど上に表示します。")
    area = forms.ChoiceField(label="地域（小学校区など）", required=False)
    max_km = forms.ChoiceField(label="距離", required=False, choices=DISTANCES)
    online_ok = forms.BooleanField(label="オンラインでもよい", required=False)
    weekdays = _checkboxes("行ける曜日", "選ばなければ曜日を問いません。")
    periods = _checkboxes("行ける時間帯", "選ばなければ一日中を対象にします。")
    languages = _checkboxes("話せる・読める言葉")
    keywords = forms.CharField(
        label="キーワード（任意）",
        required=False,
        max_length=KEYWORDS_MAX_LENGTH,
        help_text=(
            f"{KEYWORDS_MAX_LENGTH}文字まで。例: 将棋、手芸、森の散策。"
            "名前・電話番号・住所など個人が分かることは書かないでください。"
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, vocabulary: Vocabulary, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = {
            "age_band": [("", "選ばない"), *vocabulary.age_bands.items()],
            "targets": list(vocabulary.targets.items()),
            "wants": list(vocabulary.wants.items()),
            "interests": list(vocabulary.categories.items()),
            "required": list(vocabulary.conditions.items()),
            "preferred": list(vocabulary.conditions.items()),
            "area": [("", "選ばない"), *vocabulary.areas.items()],
            "weekdays": [(str(i), f"{name}曜") for i, name in enumerate(WEEKDAY_NAMES)],
            "periods": [(key, label) for key, (label, _, _) in PERIODS.items()],
            "languages": list(vocabulary.languages.items()),
        }
        for name, field_choices in choices.items():
            self.fields[name].choices = field_choices  # type: ignore[attr-defined]

    def profile_data(self) -> dict[str, Any]:
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
            "max_km": data["max_km"],
            "online_ok": data["online_ok"],
            "times": [
                {"weekday": day, "from": start, "to": end}
                for day in weekdays
                for start, end in periods
            ],
            "languages": data["languages"],
            "keywords": data["keywords"],
        }

    def add_profile_errors(self, errors: dict[str, list[str]]) -> None:
        for name, messages in errors.items():
            field = FIELD_OF_ERROR.get(name, name)
            for message in messages:
                self.add_error(field if field in self.fields else None, message)

    def forget_unsafe_keywords(self) -> None:
        """Before showing the form again, drop a keyword that was not accepted.

        Rejected text may be personal information: it is never shown again (nor kept).
        """
        text = self.data.get("keywords", "")
        if (
            "keywords" in self.errors
            or len(text) > KEYWORDS_MAX_LENGTH
            or (find_personal_information(text))
        ):
            data = cast(QueryDict, self.data).copy()
            data["keywords"] = ""
            self.data = data
