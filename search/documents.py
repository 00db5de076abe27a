"""The one place a listing page becomes a search document (see search/engines/base.py).

Only listings offered to residents become documents (`for_residents()`, the one visibility
rule in directory/models/listings.py: live, active, no password, approved member); everything an engine filters, sorts or shows is
computed here once, so the embedded engine and Meilisearch index exactly the same thing.
Confidential and online-only listings never carry a point: their lat/lng stay None.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Prefetch
from wagtail.models import Page

from directory.listings.location import public_location
from directory.listings.schedules import JST, occurrences
from directory.models import Area, ListingPage, MemberPage
from directory.models.listings import visible_querysets
from search.engines.base import SearchDocument

# How far ahead sessions are expanded for weekday and date filters.
OCCURRENCE_WINDOW_DAYS = 183
# Listings are read from the database in batches of this size by live_documents().
BATCH_SIZE = 500


@dataclass
class Lookups:
    """Rows shared by many documents, loaded once per run instead of once per listing."""

    areas: dict[int, Area] = field(default_factory=dict)
    member_pages: dict[str, MemberPage] = field(default_factory=dict)  # by page path
    today: date = field(default_factory=lambda: datetime.now(JST).date())

    @classmethod
    def load(cls) -> Lookups:
        return cls(areas={area.pk: area for area in Area.objects.all()})

    def load_member_pages(self, pages: Iterable[Page]) -> None:
        paths = {parent_path(page) for page in pages} - set(self.member_pages)
        if paths:
            for member_page in MemberPage.objects.filter(path__in=paths).select_related("member"):
                self.member_pages[member_page.path] = member_page

    def area_codes(self, area_id: int | None) -> list[str]:
        """The area and all its ancestors (学区 → 市 → 県), so filtering by a city finds 学区."""
        codes: list[str] = []
        area = self.areas.get(area_id) if area_id else None
        while area is not None and area.code not in codes:
            codes.append(area.code)
            area = self.areas.get(area.parent_id) if area.parent_id else None
        return codes

    def area_name(self, area_id: int | None) -> str:
        area = self.areas.get(area_id) if area_id else None
        if area is None:
            return ""
        parent = self.areas.get(area.parent_id) if area.parent_id else None
        if area.level in (Area.Level.SCHOOL_DISTRICT, Area.Level.LIVING_AREA) and parent:
            return f"{parent.name} {area.name}"
        return area.name


def parent_path(page: Page) -> str:
    return page.path[: -page.steplen]


def is_indexable(page: Page) -> bool:
    """Listings offered to residents only: drafts, paused, ended and password-protected stay out."""
    return isinstance(page, ListingPage) and page.is_visible_to_residents()


def build_document(page: Page, lookups: Lookups | None = None) -> SearchDocument | None:
    """The document for one page, or None when the page must not be in the index."""
    page = page.specific
    if not is_indexable(page):
        return None
    if lookups is None:
        lookups = Lookups.load()
    lookups.load_member_pages([page])
    return _document(page, lookups)


def live_documents() -> Iterator[SearchDocument]:
    """Every document of the index, reading listings in prefetched batches (for reindexing)."""
    lookups = Lookups.load()
    for visible in visible_querysets():
        model = visible.model
        queryset = visible.order_by("pk").prefetch_related(
            Prefetch("categories"),
            Prefetch("targets"),
            Prefetch("conditions"),
            "keywords",
        )
        queryset = queryset.select_related("area__parent")
        if hasattr(model, "venue"):
            queryset = queryset.select_related("venue__area__parent")
        last_pk = 0
        while True:
            batch = list(queryset.filter(pk__gt=last_pk)[:BATCH_SIZE])
            if not batch:
                break
            lookups.load_member_pages(batch)
            for page in batch:
                yield _document(page, lookups)
            last_pk = batch[-1].pk


def _slugs(terms: Iterable) -> list[str]:
    return sorted(term.slug for term in terms)


def _document(page: ListingPage, lookups: Lookups) -> SearchDocument:
    member_page = lookups.member_pages.get(parent_path(page))
    member = member_page.member if member_page is not None else None
    categories = list(page.categories.all())
    targets = list(page.targets.all())
    conditions = list(page.conditions.all())
    # Vocabulary labels are searchable words too: a resident types 「こども食堂」 and finds a
    # listing filed under that category even if its own text never says so.
    keywords = list(dict.fromkeys([tag.name for tag in page.keywords.all()]))
    labels = [term.label for term in (*categories, *targets) if term.label not in keywords]
    place = public_location(page)
    point = place.point
    area_id = place.area.pk if place.area else None
    dates = _occurrence_dates(page, lookups.today)
    upcoming = page.next_occurrences(count=1)
    return SearchDocument(
        id=str(page.uuid),
        page_id=page.pk,
        kind=page.kind,
        name=page.title,
        kana=page.kana,
        summary=page.summary,
        description=page.description,
        keywords=keywords + labels,
        url=page.get_url() or page.url_path,
        member_id=str(member.uuid) if member else "",
        member_name=member.name if member else "",
        categories=_slugs(categories),
        targets=_slugs(targets),
        conditions=_slugs(conditions),
        age_min=page.age_min,
        age_max=page.age_max,
        area_codes=lookups.area_codes(area_id),
        area_name=lookups.area_name(area_id),
        address=place.street if point else "",
        lat=point[0] if point else None,
        lng=point[1] if point else None,
        online=bool(page.online_available or page.location_mode == "online"),
        weekdays=sorted({date.fromisoformat(day).weekday() for day in dates}),
        next_occurrence=upcoming[0].start.isoformat() if upcoming else None,
        occurrence_dates=dates,
        cost_type=page.cost_type or "",
        languages=list(page.languages or []),
        last_verified=page.last_verified.isoformat() if page.last_verified else None,
        status=page.status,
    )


def _occurrence_dates(page: ListingPage, today: date) -> list[str]:
    rules = page.recurrences
    if not rules:
        return []
    sessions = occurrences(rules, today, today + timedelta(days=OCCURRENCE_WINDOW_DAYS))
    return sorted({session.day.isoformat() for session in sessions})
