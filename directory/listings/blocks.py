"""Schedule blocks for the listing editor: weekly, nth weekday of the month, specific dates.

Each block validates itself with Japanese messages (end before start, a rule that never occurs)
so nothing impossible is ever saved.
"""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from wagtail import blocks

from directory.listings.schedules import (
    NTH_LABELS,
    WEEKDAY_LABELS,
    never_occurs,
    recurrence_from_block,
)

WEEKDAY_CHOICES = [(str(i), f"{label}曜") for i, label in enumerate(WEEKDAY_LABELS)]
NTH_CHOICES = [(str(n), label) for n, label in NTH_LABELS.items()]


class RuleDateBlock(blocks.DateBlock):
    """One date row of a list, required even when a draft is saved (or autosaved).

    Wagtail defers `required` on draft saves, so an empty row was stored as None and every
    later read of the rule failed (a 500 TypeError that lost the member's input). A row
    without a date means nothing even in a draft: it is refused in Japanese, input kept.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.field_options["error_messages"] = {
            "required": "日付を入力してください（使わない行は「削除」してください）。",
            "invalid": "日付を 2026-04-01 のように入力してください。",
        }

    class Meta:
        required_on_save = True


class BaseRuleBlock(blocks.StructBlock):
    """Times, validity window, exception dates and 「祝日は休み」, shared by every rule."""

    start_time = blocks.TimeBlock(required=False, label="開始時刻")
    end_time = blocks.TimeBlock(required=False, label="終了時刻")
    valid_from = blocks.DateBlock(required=False, label="適用開始日")
    valid_until = blocks.DateBlock(required=False, label="適用終了日")
    exceptions = blocks.ListBlock(
        RuleDateBlock(label="日付"),
        required=False,
        label="休みの日（休館日など）",
        default=[],
    )
    closed_on_holidays = blocks.BooleanBlock(required=False, label="祝日は休み", default=False)

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        errors: dict[str, ValidationError] = {}
        start, end = value.get("start_time"), value.get("end_time")
        if end and not start:
            errors["start_time"] = ValidationError(
                "終了時刻を入れる場合は開始時刻も入力してください。"
            )
        elif start and end and end <= start:
            errors["end_time"] = ValidationError("終了時刻は開始時刻より後にしてください。")
        valid_from, valid_until = value.get("valid_from"), value.get("valid_until")
        if valid_from and valid_until and valid_until < valid_from:
            errors["valid_until"] = ValidationError("適用終了日は適用開始日より後にしてください。")
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        if never_occurs(recurrence_from_block(self.frequency, value)):
            raise blocks.StructBlockValidationError(
                non_block_errors=[
                    ValidationError(
                        "このルールでは開催日が一度もありません。曜日・週・期間をご確認ください。"
                    )
                ]
            )
        return value


def checkbox_choices(choices: Any, label: str) -> blocks.MultipleChoiceBlock:
    """Several of a few choices, as checkboxes: a multiple <select> needs Ctrl-click, which
    neither a phone nor most editors know."""
    return blocks.MultipleChoiceBlock(
        choices=choices, label=label, widget=forms.CheckboxSelectMultiple
    )


class WeeklyRuleBlock(BaseRuleBlock):
    frequency = "weekly"
    weekdays = checkbox_choices(WEEKDAY_CHOICES, "曜日")
    interval = blocks.IntegerBlock(
        default=1, min_value=1, max_value=4, label="何週ごと（隔週なら2）"
    )

    class Meta:
        label = "毎週（曜日）"
        icon = "date"


class MonthlyRuleBlock(BaseRuleBlock):
    frequency = "monthly"
    nths = checkbox_choices(NTH_CHOICES, "第何週")
    weekdays = checkbox_choices(WEEKDAY_CHOICES, "曜日")

    class Meta:
        label = "毎月（第○○曜日）"
        icon = "date"


class DatesRuleBlock(BaseRuleBlock):
    frequency = "dates"
    dates = blocks.ListBlock(RuleDateBlock(label="日付"), min_num=1, label="開催日")

    class Meta:
        label = "日付を指定"
        icon = "date"


class ScheduleBlock(blocks.StreamBlock):
    weekly = WeeklyRuleBlock()
    monthly = MonthlyRuleBlock()
    dates = DatesRuleBlock()

    class Meta:
        label = "開催日時（ルール）"
        required = False
