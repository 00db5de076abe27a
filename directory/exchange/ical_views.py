"""Views serving iCalendar files (filled in with directory.exchange.ical)."""

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse


def listing_calendar(request: HttpRequest, uuid: UUID) -> HttpResponse:
    raise Http404


def member_feed(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404


def category_feed(request: HttpRequest, slug: str) -> HttpResponse:
    raise Http404


def area_feed(request: HttpRequest, code: str) -> HttpResponse:
    raise Http404
