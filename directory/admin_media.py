"""Keep each member's images and documents to itself in the page editor.

The image and document choosers already list only the collections a user may choose from, but
the page form accepts any image id that is posted. A member editor could therefore attach
another member's image by editing the request, so posted ids are checked here as well.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import QueryDict
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.permissions import policy_registry


def media_fields(page_class: type[Page]) -> list[models.ForeignKey]:
    """The page's foreign keys to images and documents."""
    media_models = (get_image_model(), get_document_model())
    return [
        field
        for field in page_class._meta.get_fields()
        if isinstance(field, models.ForeignKey) and field.related_model in media_models
    ]


def choosable(user: AbstractBaseUser, media_model: type[models.Model], pk: str) -> bool:
    policy = policy_registry.get_by_type(media_model)
    return policy.instances_user_has_permission_for(user, "choose").filter(pk=pk).exists()


def refuse_foreign_media(
    user: AbstractBaseUser, data: QueryDict, page_class: type[Page], page: Page | None = None
) -> None:
    """Raise PermissionDenied if `data` sets an image or document the user may not choose.

    Keeping the value already saved on the page is always allowed (the 事務局 may have set it).
    """
    for field in media_fields(page_class):
        posted = data.get(field.name)
        if not posted or (page is not None and posted == str(field.value_from_object(page))):
            continue
        if not choosable(user, field.related_model, posted):
            raise PermissionDenied("他の団体の画像・文書は使えません。")
