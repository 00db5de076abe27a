"""Resident reports on listings: /listings/<uuid>/report/ (`listing-report`)."""

from django.urls import path

from directory.reports import views as reports

urlpatterns = [
    path("listings/<uuid:uuid>/report/", reports.report, name="listing-report"),
    path("listings/<uuid:uuid>/report/thanks/", reports.thanks, name="listing-report-thanks"),
]
