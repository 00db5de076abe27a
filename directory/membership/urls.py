"""Public membership application: /join/ (`membership-apply`) and its thanks page."""

from django.urls import path

from directory.membership import views as membership_views

urlpatterns = [
    path("join/", membership_views.apply, name="membership-apply"),
    path("join/thanks/", membership_views.thanks, name="membership-apply-thanks"),
]
