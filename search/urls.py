"""URLs of this app (pages and /api/v1/ endpoints)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
