"""RSS 2.0 of the PF's お知らせ, for residents' and members' feed readers."""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils import timezone

from website.models import NewsIndexPage, PlatformSettings
from website.pf_pages import NEWS_PER_PAGE, NewsPage, latest_news

# A news item has a date, not a time; readers sort by pubDate, so it is the morning of that day.
PUBLISHED_AT = time(9)


class NewsFeed(Feed):
    """The newest お知らせ, the same ones the news index shows first.

    The feed object is shared by every request, so the request travels as the feed's "object"
    (get_object) rather than as an attribute.
    """

    description = "プラットフォーム事務局からのお知らせ"

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpRequest:
        return request

    def title(self, request: HttpRequest) -> str:
        return f"{PlatformSettings.for_request(request).platform_name} のお知らせ"

    def link(self, request: HttpRequest) -> str:
        index = NewsIndexPage.objects.live().public().first()
        return (index.get_url(request) if index else None) or "/"

    def items(self, request: HttpRequest) -> list[NewsPage]:
        return list(latest_news()[:NEWS_PER_PAGE])

    def item_title(self, item: NewsPage) -> str:
        return item.title

    def item_description(self, item: NewsPage) -> str:
        return item.lead

    def item_link(self, item: NewsPage) -> str:
        return item.get_url() or "/"

    def item_pubdate(self, item: NewsPage) -> datetime:
        return timezone.make_aware(datetime.combine(item.date, PUBLISHED_AT))
