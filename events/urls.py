"""URL of the resident events page."""

from django.urls import path

from events import views

urlpatterns = [path("events/", views.events, name="events")]
