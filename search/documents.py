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

from core.language import source_text
from directory.listings.location import public_location
from directory.listings.schedules import JST, occurrences
from directory.models import Area, ListingPage, MemberPage, Scheme
from directory.models.listings import LANGUAGE_CHOICES, CostType, visible_querysets
from directory.vocabulary import vocabulary_labels
from search.engines.base import SearchDocument
from search.text import reading
from search.understanding import session_times_of_day

LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)

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
    kind_labels: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls) -> Lookups:
        return cls(
            areas={area.pk: area for area in Area.objects.all()},
            kind_labels=vocabulary_labels(Scheme.KIND.value),
        )

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
    dates, times_of_day = _sessions(page, lookups.today)
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
        labels=searchable_labels(
            [
                lookups.kind_labels.get(page.kind, ""),
                *(term.label for term in (*categories, *targets, *conditions)),
                source_text(CostType.FREE.label) if page.cost_type == CostType.FREE else "",
                *language_labels(page.languages or []),
            ],
            keywords,
        ),
        name_reading=reading(page.title),
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
        times_of_day=times_of_day,
        next_occurrence=upcoming[0].start.isoformat() if upcoming else None,
        occurrence_dates=dates,
        cost_type=page.cost_type or "",
        languages=list(page.languages or []),
        last_verified=page.last_verified.isoformat() if page.last_verified else None,
        status=page.status,
    )


def language_labels(codes: Iterable[str]) -> list[str]:
    """The names of the languages a listing serves besides Japanese (英語, 手話 …).

    They are shown as badges, so residents search them like conditions (英語の相談); Japanese
    itself is every listing's language and would match everything.
    """
    return [LANGUAGE_NAMES[code] for code in codes if code != "ja" and code in LANGUAGE_NAMES]


def searchable_labels(labels: Iterable[str], words: Iterable[str] = ()) -> list[str]:
    """Vocabulary labels, their readings and the readings of short `words` (the keywords).

    A field's word finds the listing filed under it: query understanding relies on this
    (search/understanding.py), 無料 or 相談 as text then matches the listing's own words or its
    fields, in both engines alike. Keywords are short words like labels, so their readings are
    indexed too: たいそう finds a listing tagged 体操 whose name never says it.
    """
    labels = [label for label in dict.fromkeys(labels) if label]
    readings = [reading(label) for label in dict.fromkeys([*labels, *words])]
    return list(dict.fromkeys([*labels, *(r for r in readings if r)]))


def _sessions(page: ListingPage, today: date) -> tuple[list[str], list[str]]:
    """ISO dates and times of day (night, 5-night …) of the sessions in the window."""
    rules = page.recurrences
    if not rules:
        return [], []
    sessions = occurrences(rules, today, today + timedelta(days=OCCURRENCE_WINDOW_DAYS))
    times: set[str] = set()
    for session in sessions:
        if not session.all_day:
            times |= session_times_of_day(session.start, session.end)
    return sorted({session.day.isoformat() for session in sessions}), sorted(times)
