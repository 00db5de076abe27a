"""URLs of the directory app; each area of work keeps its own URL module."""

from django.urls import include, path

urlpatterns = [
    path("", include("directory.membership.urls")),
    path("", include("directory.reports.urls")),
    path("api/v1/", include("directory.api_urls")),
]
