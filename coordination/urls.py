"""URLs of the partner finder and the coverage view."""

from django.urls import path

from coordination import views as partner_views

urlpatterns = [
    path("partners/", partner_views.partner_finder, name="partners"),
    path("api/v1/members", partner_views.members_api, name="api-members"),
    path("coverage/", partner_views.coverage, name="coverage"),
    path("coverage/coverage.csv", partner_views.coverage_download, name="coverage-csv"),
]
