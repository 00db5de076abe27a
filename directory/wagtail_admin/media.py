"""The page form checks every chosen object against directory.membership.access.

The choosers already offer only what a user may use, but the page form accepted any id that
was posted. A member editor could therefore attach another member's image, pick another
member's never-published or password-protected 居場所 as its event's venue, or name an
applicant as co-organiser by editing the request, and show it in a preview (which saves
nothing but renders it). Saving, adding and both previews validate this form, so the rules
hold on every path.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.http import QueryDict
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

import directory.models as records
from directory.membership import access

FOREIGN_MEDIA_MESSAGE = "他の団体の画像・文書は使えません。"
FOREIGN_PAGE_MESSAGE = "このページは選べません。自分の団体のページか、公開中（パスワードなし）のページを選んでください。"
CO_ORGANISER_MESSAGE = "共催団体には、承認済みの会員団体だけを選べます。"


def media_fields(page_class: type[Page]) -> list[models.ForeignKey]:
    """The page's foreign keys to images and documents."""
    media_models = (get_image_model(), get_document_model())
    return [
        field
        for field in page_class._meta.get_fields()
        if isinstance(field, models.ForeignKey) and field.related_model in media_models
    ]


def page_fields(page_class: type[Page]) -> list[models.ForeignKey]:
    """The page's foreign keys to other pages (an event's venue)."""
    return [
        field
        for field in page_class._meta.get_fields()
        if isinstance(field, models.ForeignKey)
        and isinstance(field.related_model, type)
        and issubclass(field.related_model, Page)
        and field.name not in ("live_revision", "latest_revision")
    ]


class OwnMediaPageForm(WagtailAdminPageForm):
    """The page form of every page a member edits: only images and documents it may choose.

    Saving, adding and both previews (on edit and on add) validate this form, so a hand-posted
    id of another member's image is refused on every path. Keeping the value the page already
    has is always allowed (the 事務局 may have set it).
    """

    data: QueryDict  # a bound admin form's POST (WagtailAdminPageForm has no stubs)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            queryset = getattr(field, "queryset", None)
            if (
                isinstance(field, forms.ModelMultipleChoiceField)
                and queryset is not None
                and queryset.model is records.Member
            ):
                self._offer_co_organisers(name, field)

    def _offer_co_organisers(self, name: str, field: forms.ModelMultipleChoiceField) -> None:
        """Approved members only (an applicant's name is not public), and those already set."""
        members = records.Member.objects.all() if field.queryset is None else field.queryset
        current = [getattr(member, "pk", member) for member in self.initial.get(name) or []]
        approved = [m.pk for m in members if access.can_be_co_organiser(m)]
        field.queryset = members.filter(pk__in=[*approved, *current])
        field.error_messages["invalid_choice"] = CO_ORGANISER_MESSAGE

    def full_clean(self) -> None:
        super().full_clean()
        self._show_saved_choice_where_refused()

    def _show_saved_choice_where_refused(self) -> None:
        """Redisplay a refused chooser field with the saved choice, not the posted value.

        Wagtail's chooser widgets look the posted id up to draw its title and thumbnail: the
        form shown again would show another member's image, and a value that is not an id at
        all raised a 500.
        """
        refused = [
            name
            for name, field in self.fields.items()
            if name in self.errors and isinstance(field.widget, BaseChooser)
        ]
        if not refused:
            return
        data = self.data.copy()
        for name in refused:
            saved = self.initial.get(name)
            data[self.add_prefix(name)] = "" if saved is None else str(getattr(saved, "pk", saved))
        self.data = data

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        checks = [
            *(
                (field, access.can_use_media, FOREIGN_MEDIA_MESSAGE)
                for field in media_fields(type(self.instance))
            ),
            *(
                (field, access.can_use_as_venue, FOREIGN_PAGE_MESSAGE)
                for field in page_fields(type(self.instance))
            ),
        ]
        for field, allowed, message in checks:
            if field.name not in self.fields:
                continue
            chosen = cleaned_data.get(field.name)
            if chosen is None or chosen.pk == field.value_from_object(self.instance):
                continue
            if not allowed(self.for_user, chosen):
                self.add_error(field.name, message)
        return cleaned_data
