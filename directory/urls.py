"""URLs of the directory app; each area of work keeps its own URL module."""

from django.urls import include, path

urlpatterns = [
    path("", include("directory.membership_urls")),
    path("", include("directory.reports_urls")),
    path("api/v1/", include("directory.api_urls")),
    path("api/hsds/", include("directory.exchange.hsds_urls")),
    path("", include("directory.exchange.feed_urls")),
]
