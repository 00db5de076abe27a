"""Keep each member's images and documents to itself in the page editor.

The image and document choosers already list only the collections a user may choose from, but
the page form accepted any image id that was posted. A member editor could therefore attach
another member's image by editing the request, or show it in a preview (which saves nothing but
renders the image), so the page form checks the posted ids as well.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.widgets.chooser import BaseChooser
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.permissions import policy_registry

FOREIGN_MEDIA_MESSAGE = "他の団体の画像・文書は使えません。"


def media_fields(page_class: type[Page]) -> list[models.ForeignKey]:
    """The page's foreign keys to images and documents."""
    media_models = (get_image_model(), get_document_model())
    return [
        field
        for field in page_class._meta.get_fields()
        if isinstance(field, models.ForeignKey) and field.related_model in media_models
    ]


def choosable(user: AbstractBaseUser, media_model: type[models.Model], pk: Any) -> bool:
    """Whether the image or document chooser would offer this one to `user`."""
    policy = policy_registry.get_by_type(media_model)
    return policy.instances_user_has_permission_for(user, "choose").filter(pk=pk).exists()


class OwnMediaPageForm(WagtailAdminPageForm):
    """The page form of every page a member edits: only images and documents it may choose.

    Saving, adding and both previews (on edit and on add) validate this form, so a hand-posted
    id of another member's image is refused on every path. Keeping the value the page already
    has is always allowed (the 事務局 may have set it).
    """

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
        user = self.for_user
        for field in media_fields(type(self.instance)):
            chosen = cleaned_data.get(field.name)
            if chosen is None or chosen.pk == field.value_from_object(self.instance):
                continue
            if user is None or not choosable(user, field.related_model, chosen.pk):
                self.add_error(field.name, FOREIGN_MEDIA_MESSAGE)
        return cleaned_data
