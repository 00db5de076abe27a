"""URLs of this app: the /search/ page and its map and the /api/v1/resources endpoints."""

from django.urls import path

from search import api, views

urlpatterns = [
    path("search/", views.search, name="search"),
    path("search/map/", views.search_map, name="search-map"),
    path("api/v1/resources", api.resources, name="api-resources"),
    path("api/v1/resources/<str:id>", api.resource_detail, name="api-resource"),
]
