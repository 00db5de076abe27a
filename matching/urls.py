"""URLs of matching: the /match/ page, its print hand-out and POST /api/v1/match."""

from django.urls import path

from matching import views

urlpatterns = [
    path("match/", views.match_page, name="match"),
    path("match/print/", views.match_print, name="match-print"),
    path("api/v1/match", views.match_api, name="api-match"),
]
