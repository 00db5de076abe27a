"""iCalendar URLs: one .ics per listing and feeds of all listings and per member, category and area."""

from django.urls import path

from exchange import ical_views

urlpatterns = [
    path("listings/<uuid:uuid>.ics", ical_views.listing_calendar, name="listing-ics"),
    path("feeds/all.ics", ical_views.all_feed, name="all-ics"),
    path("feeds/members/<slug:slug>.ics", ical_views.member_feed, name="member-ics"),
    path("feeds/categories/<slug:slug>.ics", ical_views.category_feed, name="category-ics"),
    path("feeds/areas/<str:code>.ics", ical_views.area_feed, name="area-ics"),
]
