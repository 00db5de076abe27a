"""URLs of data exchange: the HSDS read API and the iCal feeds."""

from django.urls import include, path

urlpatterns = [
    path("api/hsds/", include("exchange.hsds.urls")),
    path("", include("exchange.feed_urls")),
]
