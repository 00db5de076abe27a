"""The Wagtail editor's panels for listings: the tabs every listing type shares.

Kept apart from the models so that directory/models/listings.py says what a listing is, and
this module how an editor fills it in.
"""

from __future__ import annotations

from typing import Any

from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    ObjectList,
    Panel,
    TabbedInterface,
)
from wagtail.models import Page

from directory.wagtail_admin.checkbox_filter import FilterableCheckboxSelectMultiple


def checkboxes(name: str) -> FieldPanel:
    """A many-to-many field edited as checkboxes, with a 「絞り込み」 box when the list is long."""
    return FieldPanel(name, widget=FilterableCheckboxSelectMultiple)


def member_profile_panels() -> list[FieldPanel]:
    """A member's public profile: what the 事務局's form and the member's own 「団体の情報」 share."""
    return [
        FieldPanel("description"),
        MultiFieldPanel(
            [checkboxes("fields"), checkboxes("targets"), FieldPanel("areas")],
            heading="活動分野・対象・地域",
        ),
        MultiFieldPanel([checkboxes("offers"), checkboxes("looks_for")], heading="連携"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
                FieldPanel("contact_point"),
                FieldPanel("website"),
                FieldPanel("address"),
            ],
            heading="団体の連絡先（公開）",
        ),
    ]


BASIC_PANELS = [
    FieldPanel("title", heading="名称"),
    FieldPanel("kana"),
    FieldPanel("summary"),
    FieldPanel("description"),
    MultiFieldPanel(
        [
            checkboxes("categories"),
            checkboxes("targets"),
            checkboxes("conditions"),
            FieldPanel("keywords"),
        ],
        heading="分類",
    ),
    MultiFieldPanel(
        [FieldRowPanel([FieldPanel("age_min"), FieldPanel("age_max")])],
        heading="対象年齢",
        help_text=(
            "年齢で参加できる人が決まっている場合だけ入力します（例: 中高生の居場所は 12 から 18、"
            "65歳以上の集いは「何歳から」に 65 だけ）。どちらもその歳を含みます。"
        ),
    ),
    FieldRowPanel([FieldPanel("status"), FieldPanel("last_verified")]),
    FieldPanel("image"),
    FieldPanel("review_notes"),
]
PLACE_PANELS = [
    FieldPanel("location_mode"),
    FieldPanel("show_area_when_confidential"),
    FieldPanel("area"),
    FieldRowPanel([FieldPanel("postal_code"), FieldPanel("address")]),
    FieldPanel("address_building"),
    MultiFieldPanel(
        [FieldRowPanel([FieldPanel("lat"), FieldPanel("lng")])],
        heading="地図の位置",
        classname="tsunagari-map-pin",
    ),
    checkboxes("service_areas"),
    FieldPanel("accepts_outside_area"),
    FieldRowPanel([FieldPanel("online_available"), FieldPanel("online_url")]),
]


class FieldErrorsPanel(Panel):
    """A line per field with an error, drawn with the page so Wagtail's tab badge counts it.

    The badge counts `.error-message` elements when the editor loads; a StreamField draws its
    errors later in JavaScript, so the 日時 tab never showed that it held the error.
    """

    def __init__(self, fields: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fields = fields

    def clone_kwargs(self) -> dict[str, Any]:
        return {**super().clone_kwargs(), "fields": self.fields}

    class BoundPanel(Panel.BoundPanel):
        template_name = "directory/admin/panels/field_errors.html"

        def labels_with_errors(self) -> list[str]:
            form = self.form
            return [str(form[name].label) for name in self.panel.fields if form[name].errors]

        def is_shown(self) -> bool:
            return bool(self.form is not None and self.form.is_bound and self.labels_with_errors())

        def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
            context: dict[str, Any] = super().get_context_data(parent_context)
            context["labels"] = self.labels_with_errors()
            return context


TIME_PANELS = [
    FieldErrorsPanel(["schedule"]),
    FieldPanel("schedule_text"),
    FieldPanel("schedule"),
]
JOIN_PANELS = [
    FieldRowPanel([FieldPanel("cost_type"), FieldPanel("cost_text")]),
    FieldPanel("capacity"),
    FieldPanel("how_to_join"),
    FieldPanel("accessibility"),
    FieldPanel("languages"),
]
CONTACT_PANELS = [
    FieldPanel("contact_point"),
    FieldRowPanel([FieldPanel("phone"), FieldPanel("email")]),
    FieldPanel("website"),
]


def listing_edit_handler(*, extra_time: list | None = None) -> TabbedInterface:
    """The editor's tabs, shared by the three listing types."""
    return TabbedInterface(
        [
            ObjectList(BASIC_PANELS, heading="基本情報"),
            ObjectList(PLACE_PANELS, heading="場所"),
            ObjectList([*(extra_time or []), *TIME_PANELS], heading="日時"),
            ObjectList(JOIN_PANELS, heading="参加方法"),
            ObjectList(CONTACT_PANELS, heading="連絡先"),
            ObjectList(Page.promote_panels, heading="公開設定"),
        ]
    )
