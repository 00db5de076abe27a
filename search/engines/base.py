"""The one small interface every search engine implements (embedded SQLite FTS5, Meilisearch).

Documents are plain dicts of the shape `SearchDocument` (built only in search/documents.py).
Filters: AND across fields, OR within one field's values — the API's semantics. Facet counts:
among the results, except that a counted field with chosen values is counted without its own
filter (disjunctive: what each of its values gives in place of the choices).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, TypedDict

SortOrder = Literal["relevance", "distance", "upcoming", "name"]

# Document fields that can be filtered with `SearchQuery.filters` and counted as facets.
FILTERABLE_FIELDS = (
    "kind",
    "categories",
    "targets",
    "conditions",
    "area_codes",
    "weekdays",
    "member_id",
    "cost_type",
    "languages",
    "times_of_day",
)
DEFAULT_FACETS = ("kind", "categories", "targets", "conditions")


class SearchDocument(TypedDict):
    """One live, active listing as every engine stores it."""

    id: str  # the listing's stable UUID
    page_id: int
    kind: str  # place | service | event
    name: str
    kana: str
    summary: str
    description: str
    keywords: list[str]
    labels: list[str]  # vocabulary labels (kind, fields, 無料) and their readings, searchable
    name_reading: str  # Sudachi reading of the name, in hiragana (kana queries find kanji names)
    url: str
    member_id: str  # the member's UUID
    member_name: str
    categories: list[str]  # vocabulary slugs
    targets: list[str]
    conditions: list[str]
    age_min: int | None  # 対象年齢, inclusive years; None: open on that side
    age_max: int | None
    area_codes: list[str]  # the listing's area and every ancestor (学区 → 市 → 県)
    area_name: str
    address: str  # public address; "" when confidential or online-only
    lat: float | None  # None when confidential or online-only: never pinned
    lng: float | None
    online: bool
    weekdays: list[int]  # 0=Mon … 6=Sun, of upcoming sessions
    times_of_day: list[str]  # night, 5-night … of upcoming sessions (search/understanding.py)
    next_occurrence: str | None  # ISO 8601 datetime (Asia/Tokyo)
    occurrence_dates: list[str]  # ISO dates of sessions in the next 6 months (date filters)
    cost_type: str  # free | paid | varies | ""
    languages: list[str]
    last_verified: str | None  # ISO date
    status: str


@dataclass(frozen=True)
class GeoPoint:
    lat: float
    lng: float


@dataclass
class SearchQuery:
    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    date_from: date | None = None
    date_to: date | None = None
    # A person's age: listings whose 対象年齢 includes it, or that state none.
    age: int | None = None
    point: GeoPoint | None = None
    radius_km: float | None = None
    sort: SortOrder = "relevance"
    page: int = 1
    page_size: int = 20
    facets: tuple[str, ...] = DEFAULT_FACETS
    # Words searched as typed only: not in the vocabulary-label column (undo of understanding).
    literal: tuple[str, ...] = ()
    # When every word together matches fewer than PARTIAL_BELOW listings, also rank listings
    # matching most of the words (by coverage, then relevance), like Meilisearch's
    # matchingStrategy "frequency".
    partial: bool = True


def disjunctive_facets(query: SearchQuery) -> list[str]:
    """The counted fields with chosen values, in query.facets order.

    Every engine counts each of them with every condition but its own filter (docs/search.md
    "件数"); the other fields are counted among the results.
    """
    return [name for name in dict.fromkeys(query.facets) if query.filters.get(name)]


# "Few results": below this many listings with every word, partial matches are added.
PARTIAL_BELOW = 5


@dataclass
class Hit:
    document: SearchDocument
    score: float = 0.0
    distance_km: float | None = None
    highlights: dict[str, str] = field(default_factory=dict)  # field -> HTML-escaped with <mark>


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    facets: dict[str, dict[str, int]]
    engine: str
    # Set when partial matches were added: how many listings contain every word.
    all_words_total: int | None = None


class SearchUnavailable(Exception):
    """The engine cannot answer now (server down, timeout); callers may fall back."""


class SearchEngine(ABC):
    name: str

    @abstractmethod
    def index(self, documents: Iterable[SearchDocument]) -> None:
        """Add or replace documents (by id)."""

    @abstractmethod
    def delete(self, ids: Iterable[str]) -> None:
        """Remove documents; unknown ids are ignored."""

    @abstractmethod
    def clear(self) -> None:
        """Remove every document (and set the index up afresh)."""

    @abstractmethod
    def search(self, query: SearchQuery) -> SearchResult:
        """Run a query; raises SearchUnavailable when the engine cannot answer."""

    @abstractmethod
    def health(self) -> dict[str, Any]:
        """{"ok": bool, "engine": name, "documents": n, ...} — never raises."""
