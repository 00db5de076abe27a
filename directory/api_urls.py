"""/api/v1/ endpoints of the directory (resources live in search/urls.py)."""

from django.urls import path

from directory import api

urlpatterns = [
    path("vocabulary", api.vocabulary, name="api-vocabulary"),
]
