"""The admin API's image and document endpoints, narrowed to what the user may choose.

Wagtail's /admin/api/main/images/ and /documents/ listed every member's media (titles and
download URLs) to any admin user; they now list what access.media_visible_to allows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

from directory.membership import access


class OwnImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    def get_queryset(self) -> QuerySet[Any]:
        return access.media_visible_to(self.request.user, super().get_queryset())


class OwnDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    def get_queryset(self) -> QuerySet[Any]:
        return access.media_visible_to(self.request.user, super().get_queryset())


def narrow_media_endpoints(router: WagtailAPIRouter) -> None:
    """construct_admin_api (ordered after Wagtail's own): replace both endpoints."""
    router.register_endpoint("images", OwnImagesAdminAPIViewSet)
    router.register_endpoint("documents", OwnDocumentsAdminAPIViewSet)
