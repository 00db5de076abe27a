"""Match candidates: a read-only snapshot of the listings residents see.

Why a snapshot rather than the search index: matching needs session times (the search
document keeps only weekdays), how to join and whether a listing is confidential. Building from
the models with prefetching costs a handful of queries; it is public listing data only, so it is
built ahead, once per public content version and day, not per request (matching/ready.py), and
the pool's bit masks then make the hard constraints cheap enough for 100k listings
(matching/pool.py, bench/match.py).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import yaml
from django.conf import settings
from django.utils import translation
from django.utils.encoding import iri_to_uri
from django.utils.translation import gettext
from wagtail.models import Site

from core.text import fold
from directory.listings.location import PublicLocation, public_location
from directory.listings.schedules import JST, Recurrence, occurrences, rule_text, rule_text_en
from directory.models import (
    Area,
    CostType,
    ListingPage,
    LocationMode,
    Member,
    MemberPage,
    Scheme,
    VocabularyTerm,
)
from directory.models.listings import LANGUAGE_CHOICES, visible_querysets
from matching.profile import ANYONE, Vocabulary

# Sessions further ahead than this do not count as "a future occurrence" for matching.
HORIZON_DAYS = 92
MINUTES_PER_DAY = 24 * 60
# A session with a start but no end is assumed to last this long.
DEFAULT_SESSION_MINUTES = 120


@dataclass(frozen=True, slots=True)
class Slot:
    """A weekly slot of upcoming sessions (weekday 0=Mon, minutes) and its next date."""

    weekday: int
    start: int
    end: int
    next_day: date
    all_day: bool = False


@dataclass(frozen=True, slots=True)
class Candidate:
    """What matching needs to know about one listing; public data only."""

    id: str
    kind: str
    name: str
    url: str
    member_id: str
    member_name: str
    categories: frozenset[str]
    targets: frozenset[str]  # {"anyone"} when the listing names none
    conditions: frozenset[str]  # incl. free (from the cost) and online (from the location)
    languages: frozenset[str]
    area_codes: tuple[str, ...]  # the listing's area and its ancestors
    area_name: str
    area_point: tuple[float, float] | None
    point: tuple[float, float] | None  # public point only: None when confidential or online
    confidential: bool
    online: bool
    online_only: bool
    scheduled: bool  # has structured schedule rules
    slots: tuple[Slot, ...]
    last_verified: date | None
    text: str  # name, kana, summary and keywords as core.text.fold gives them, for keywords
    when_text: str = ""
    when_text_en: str = ""  # the rules in English words; a member's schedule_text as written
    where_text: str = ""
    how_to_join: str = ""
    contact: str = ""
    age_min: int | None = None  # 対象年齢 from/to in years, inclusive; None = not stated
    age_max: int | None = None

    @property
    def shown_when(self) -> str:
        """「いつ」 in the visitor's language: the pool is shared, so it keeps both texts."""
        return self.when_text_en if translation.get_language() == "en" else self.when_text


def slots_from_rules(rules: list[Recurrence], today: date) -> tuple[Slot, ...]:
    """The distinct weekly slots of a listing's sessions in the horizon, each with its next date."""
    found: dict[tuple[int, int, int, bool], date] = {}
    for session in occurrences(rules, today, today + timedelta(days=HORIZON_DAYS)):
        day = session.day
        if session.all_day:
            key = (day.weekday(), 0, MINUTES_PER_DAY, True)
        else:
            start = session.start.hour * 60 + session.start.minute
            end = (
                session.end.hour * 60 + session.end.minute
                if session.end and session.end.date() == day
                else min(start + DEFAULT_SESSION_MINUTES, MINUTES_PER_DAY)
            )
            key = (day.weekday(), start, max(end, start + 1), False)
        found.setdefault(key, day)
    return tuple(
        Slot(weekday, start, end, next_day, all_day)
        for (weekday, start, end, all_day), next_day in sorted(found.items(), key=lambda i: i[1])
    )


def load_vocabulary() -> Vocabulary:
    """Every slug a profile may use, from the 事務局's vocabulary and areas."""
    by_scheme: dict[str, dict[str, str]] = {}
    terms = VocabularyTerm.objects.order_by("sort_order", "slug").only(
        "scheme", "slug", "label", "label_en"
    )
    for term in terms:  # labels as the visitor reads them (reasons, /match/ choices)
        by_scheme.setdefault(term.scheme, {})[term.slug] = term.display_label
    local_areas = Area.objects.for_platform().order_by("code")
    return Vocabulary(
        age_bands=by_scheme.get(Scheme.AGE_BAND, {}),
        targets=by_scheme.get(Scheme.TARGET, {}),
        wants=by_scheme.get(Scheme.WANT, {}),
        categories=by_scheme.get(Scheme.CATEGORY, {}),
        conditions=by_scheme.get(Scheme.CONDITION, {}),
        languages={code: gettext(name) for code, name in LANGUAGE_CHOICES},
        areas={area.code: area.name for area in local_areas},
        area_points={area.code: area.centroid for area in local_areas if area.centroid},
    )


def vocabulary_from_fixture(
    areas: dict[str, tuple[str, tuple[float, float]]] | None = None,
) -> Vocabulary:
    """The vocabulary straight from fixtures/vocabulary.yaml, for tests and benchmarks that
    match in memory; `areas` maps code → (name, centroid)."""
    with open(settings.FIXTURES_DIR / "vocabulary.yaml", encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    areas = areas or {}
    return Vocabulary(
        age_bands=data["age_bands"],
        targets=data["targets"],
        wants=data["wants"],
        categories=data["categories"],
        conditions=data["conditions"],
        languages=dict(LANGUAGE_CHOICES),
        areas={code: name for code, (name, _) in areas.items()},
        area_points={code: point for code, (_, point) in areas.items()},
    )


@dataclass
class _Lookups:
    """Rows shared by all candidates of one snapshot, each loaded with one query."""

    today: date
    areas: dict[int, Area]
    roots: list[str]
    members: dict[str, Member] = field(default_factory=dict)  # by member page path
    # (relation, page id) → slugs, and page id → tag names
    vocabulary: dict[tuple[str, int], set[str]] = field(default_factory=dict)
    keywords: dict[int, list[str]] = field(default_factory=dict)

    def load_relations(self, model: type[ListingPage], page_ids: list[int]) -> None:
        """Vocabulary slugs and tags of these pages, read from the link tables directly:
        Django's prefetching builds a term object per link, which costs more than the pages."""
        slugs = dict(VocabularyTerm.objects.values_list("pk", "slug"))
        for relation in ("categories", "targets", "conditions"):
            link = model._meta.get_field(relation)
            source, target = link.m2m_field_name(), link.m2m_reverse_field_name()
            rows = link.remote_field.through.objects.filter(**{f"{source}__in": page_ids})
            for page_id, term_id in rows.values_list(source, target):
                self.vocabulary.setdefault((relation, page_id), set()).add(slugs[term_id])
        tagged = model.keywords.through.objects.filter(content_object_id__in=page_ids)
        for page_id, name in tagged.values_list("content_object_id", "tag__name"):
            self.keywords.setdefault(page_id, []).append(name)

    def slugs(self, relation: str, page: ListingPage) -> frozenset[str]:
        return frozenset(self.vocabulary.get((relation, page.pk), ()))


def live_candidates(
    now: datetime | None = None, ids: Iterable[str] | None = None
) -> list[Candidate]:
    """Every listing offered to residents (or those of `ids`) as a candidate.

    About twenty queries; nothing is written, and no cache is read or filled (Wagtail's own
    page URLs would fill the site-root cache, hence `_relative_url`).
    """
    lookups = _Lookups(
        today=(now or datetime.now(JST)).astimezone(JST).date(),
        areas={area.pk: area for area in Area.objects.all()},
        roots=site_root_paths(),
    )
    pages: list[ListingPage] = []
    for queryset in visible_querysets():  # for_residents(): the one visibility rule
        model = queryset.model
        if ids is not None:
            queryset = queryset.filter(uuid__in=list(ids))
        queryset = queryset.select_related("area__parent")
        if hasattr(model, "venue"):
            queryset = queryset.select_related("venue__area__parent")
        found = list(queryset)
        lookups.load_relations(model, [page.pk for page in found])
        pages.extend(found)
    parent_paths = {page.path[: -page.steplen] for page in pages}
    lookups.members = {
        member_page.path: member_page.member
        for member_page in MemberPage.objects.filter(path__in=parent_paths).select_related("member")
    }
    return [_candidate(page, lookups) for page in pages]


def site_root_paths() -> list[str]:
    """The url_path of each site's root page, longest first (default site first on ties)."""
    sites = Site.objects.select_related("root_page").order_by("-is_default_site")
    return sorted((site.root_page.url_path for site in sites), key=len, reverse=True)


def _relative_url(page: ListingPage, roots: list[str]) -> str:
    """The page's path as Wagtail would serve it (percent-encoded), without Wagtail's cache."""
    for root in roots:
        if page.url_path.startswith(root):
            return str(iri_to_uri("/" + page.url_path[len(root) :]))
    return str(iri_to_uri(page.url_path))


def _area_chain(area_id: int | None, areas: dict[int, Area]) -> list[Area]:
    chain: list[Area] = []
    area = areas.get(area_id) if area_id else None
    while area is not None and area not in chain:
        chain.append(area)
        area = areas.get(area.parent_id) if area.parent_id else None
    return chain


def _candidate(page: ListingPage, lookups: _Lookups) -> Candidate:
    member = lookups.members.get(page.path[: -page.steplen])
    areas, today = lookups.areas, lookups.today
    place = public_location(page)
    chain = _area_chain(place.area.pk if place.area else None, areas)
    area = chain[0] if chain else None
    area_name = (
        f"{chain[1].name} {area.name}"
        if area and len(chain) > 1 and area.level != Area.Level.MUNICIPALITY
        else area.name
        if area
        else ""
    )
    online_only = place.mode == LocationMode.ONLINE
    online = bool(page.online_available or online_only)
    confidential = place.confidential
    conditions = set(lookups.slugs("conditions", page))
    if page.cost_type == CostType.FREE:
        conditions.add("free")
    if online:
        conditions.add("online")
    targets = lookups.slugs("targets", page) or frozenset({ANYONE})
    keywords = lookups.keywords.get(page.pk, [])
    rules = page.recurrences
    return Candidate(
        id=str(page.uuid),
        kind=page.kind,
        name=page.title,
        url=_relative_url(page, lookups.roots),
        member_id=str(member.uuid) if member else "",
        member_name=member.name if member else "",
        categories=lookups.slugs("categories", page),
        targets=targets,
        conditions=frozenset(conditions),
        languages=frozenset(page.languages or ()),
        area_codes=tuple(a.code for a in chain),
        area_name=area_name,
        area_point=next((a.centroid for a in chain if a.centroid), None),
        point=place.point,
        confidential=confidential,
        online=online,
        online_only=online_only,
        scheduled=bool(page.schedule),
        slots=slots_from_rules(rules, today),
        last_verified=page.last_verified,
        text=fold(" ".join([page.title, page.kana, page.summary, *keywords])),
        when_text=page.schedule_text or "、".join(rule_text(rule) for rule in rules),
        when_text_en=page.schedule_text or "; ".join(rule_text_en(rule) for rule in rules),
        where_text=_where(place, area_name),
        how_to_join=page.how_to_join,
        contact=" ".join(part for part in (page.contact_point, page.phone) if part),
        age_min=page.age_min,
        age_max=page.age_max,
    )


def _where(place: PublicLocation, area_name: str) -> str:
    """「どこで」 of results and the hand-out: only what public_location allows."""
    if place.mode == LocationMode.ONLINE:
        return "オンライン"
    if place.confidential:
        return f"{area_name}（くわしい場所は申し込み後に案内されます）"
    venue = place.venue.title if place.venue else ""
    return " ".join(part for part in (venue, place.street) if part) or area_name
