"""/api/v1/ endpoints of the directory (resources live in search/urls.py)."""

from django.urls import path

from directory import api, api_openapi

urlpatterns = [
    path("vocabulary", api.vocabulary, name="api-vocabulary"),
    path("openapi.json", api_openapi.openapi, name="api-v1-openapi"),
]
