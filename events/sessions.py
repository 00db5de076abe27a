"""Upcoming sessions of the listings residents may see, for /events/ and the home page.

Which listings: the search engine answers the filters (the same SearchForm as /search/), kept
to listings with a session in the window; their pages are then read once per listing type
through `for_residents()`, the one visibility rule, so the number of queries does not grow
with the number of listings. Which rules give sessions: every rule of an event; for places
and services, the rules that do not run every week (dates, 第2・第4土曜, 隔週) — a weekly
rule is opening hours, shown on the listing page, and would bury the events under it.
Where: the indexed document's area and public address, which are empty where a confidential
place must not say them (search.documents reads them from public_location()).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext_lazy

from directory.listings.schedules import JST, Occurrence, Recurrence, occurrences
from directory.models.listings import ListingPage, listing_page_models
from events.periods import Window, day_label, tab_window
from search.engines import get_engine
from search.engines.base import Hit, SearchDocument, SearchQuery, SearchUnavailable

logger = logging.getLogger("tsunagari.events")

# Listings asked of the engine at once; a second request only when more match.
ENGINE_PAGE = 1000


@dataclass(frozen=True)
class Session:
    """One session of one listing, with what a list of sessions shows about it."""

    occurrence: Occurrence
    title: str
    url: str
    kind_label: str
    area_name: str
    address: str
    online: bool

    @property
    def day(self) -> date:
        return self.occurrence.day

    @property
    def sort_key(self) -> tuple[datetime, str]:
        return self.occurrence.start, self.title


def gives_sessions(listing: ListingPage, rule: Recurrence) -> bool:
    """Events: every rule. Places and services: rules that do not run every week."""
    if listing.kind == "event":
        return True
    return rule.frequency != "weekly" or rule.interval > 1


def find_sessions(query: SearchQuery, window: Window, now: datetime) -> list[Session]:
    """Sessions in the window not yet over at `now`, by start time then name."""
    documents = {
        hit.document["page_id"]: hit.document
        for hit in _hits(
            replace(
                query,
                date_from=window.first,
                date_to=window.last,
                sort="upcoming",
                page=1,
                page_size=ENGINE_PAGE,
                facets=(),
            )
        )
    }
    found = [
        _session(listing, documents[listing.pk], occurrence)
        for listing in _visible_listings(list(documents))
        for occurrence in occurrences(
            [rule for rule in listing.recurrences if gives_sessions(listing, rule)],
            window.first,
            window.last,
        )
        if occurrence.finishes_at >= now
    ]
    return sorted(found, key=lambda session: session.sort_key)


def this_week(limit: int) -> list[dict[str, Any]]:
    """The home page's 今週: the first `limit` sessions from now to Sunday, by day.

    Nothing (and a log line) when the search engine cannot answer: the home page still opens.
    """
    now = datetime.now(JST)
    try:
        sessions = find_sessions(SearchQuery(), tab_window("week", now.date()), now)
    except SearchUnavailable as error:
        logger.error("search unavailable: %s", type(error).__name__)
        return []
    return day_groups(sessions[:limit])


# The listing types by model name, in the visitor's language (the models' Meta verbose_name
# says the same in Japanese; directory owns those, so the English is given here).
KIND_LABELS = {
    "placepage": gettext_lazy("居場所"),
    "servicepage": gettext_lazy("支援・相談"),
    "eventpage": gettext_lazy("イベント・講座"),
}


def day_groups(sessions: list[Session]) -> list[dict[str, Any]]:
    groups: list[dict[str, Any]] = []
    for session in sessions:
        if not groups or groups[-1]["day"] != session.day:
            groups.append({"day": session.day, "label": day_label(session.day), "sessions": []})
        groups[-1]["sessions"].append(session)
    return groups


def _hits(query: SearchQuery) -> list[Hit]:
    engine = get_engine()
    result = engine.search(query)
    if result.total <= len(result.hits):
        return result.hits
    return engine.search(replace(query, page_size=result.total)).hits


def _visible_listings(page_ids: list[int]) -> list[ListingPage]:
    """The pages behind the hits, one query per listing type, only those residents may see."""
    if not page_ids:
        return []
    return [
        listing
        for model in listing_page_models()
        for listing in model.objects.for_residents().filter(pk__in=page_ids)
    ]


def _session(listing: ListingPage, document: SearchDocument, occurrence: Occurrence) -> Session:
    return Session(
        occurrence=occurrence,
        title=listing.title,
        url=document["url"],
        kind_label=str(KIND_LABELS.get(listing._meta.model_name, listing._meta.verbose_name)),
        area_name=document["area_name"],
        address=document["address"],
        online=document["online"],
    )
