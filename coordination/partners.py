"""Partner finder: which member organisations could work with us? Public organisational data only.

Filters are AND across fields and OR within one field, like the resource API. An area filter
matches members active in that area, in an area containing it (a city-wide 社協 covers every
小学校区) or inside it.

Members are found by what they run as well as by what they declare: 活動分野, 主な対象 and the
keyword also look at the member's listings that residents see (`for_residents()`, the one
visibility rule: live, active, public, approved member) — their categories, targets and words.
A 社協 that never ticked こども食堂 but runs three is found by it; a draft, a paused listing or
one behind a password finds nobody. The keyword meets its synonyms (search/synonyms.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet
from wagtail.models import Page

from core.text import fold
from directory.models import (
    Area,
    EventPage,
    ListingPage,
    Member,
    MemberPage,
    MemberStatus,
    VocabularyTerm,
)
from directory.models.listings import ListingQuerySet, open_data_listings, resident_listings
from search.synonyms import folded_synonyms


@dataclass(frozen=True)
class PartnerQuery:
    text: str = ""
    fields: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    offers: tuple[str, ...] = ()
    looks_for: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListingLink:
    id: str
    kind: str
    name: str
    url: str


@dataclass
class Partner:
    member: Member
    listings: list[ListingLink] = field(default_factory=list)
    co_organisers: list[Member] = field(default_factory=list)
    # The member's listings that met the query's 分野・対象・keyword (why it was found).
    matching_listings: list[ListingLink] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.member.page.url


@dataclass(frozen=True)
class RunListing:
    """A listing residents see, as the partner finder compares it: slugs and folded words."""

    link: ListingLink
    categories: frozenset[str]
    targets: frozenset[str]
    text: str


def area_codes_related_to(codes: Iterable[str]) -> set[str]:
    """The areas themselves, their ancestors and their descendants."""
    related: set[str] = set()
    frontier = list(Area.objects.filter(code__in=list(codes)).select_related("parent"))
    for area in frontier:
        related.add(area.code)
        parent = area.parent
        while parent is not None:
            related.add(parent.code)
            parent = parent.parent
    children = [a.pk for a in frontier]
    while children:
        rows = list(Area.objects.filter(parent_id__in=children).values_list("pk", "code"))
        related.update(code for _, code in rows)
        children = [pk for pk, _ in rows]
    return related


def _vocabulary_filter(
    queryset: QuerySet[Member], relation: str, slugs: tuple[str, ...]
) -> QuerySet[Member]:
    if not slugs:
        return queryset
    return queryset.filter(
        pk__in=Member.objects.filter(**{f"{relation}__slug__in": slugs}).values("pk")
    )


def active_members() -> QuerySet[Member]:
    """Approved members whose profile page is live, with everything a summary shows."""
    vocab = VocabularyTerm.objects.order_by("sort_order")
    return (
        Member.objects.filter(status=MemberStatus.APPROVED, page__live=True)
        .select_related("page")
        .prefetch_related(
            Prefetch("fields", queryset=vocab),
            Prefetch("targets", queryset=vocab),
            Prefetch("offers", queryset=vocab),
            Prefetch("looks_for", queryset=vocab),
            "areas",
        )
        .order_by("kana", "name")
    )


def find_partners(query: PartnerQuery) -> list[Partner]:
    """Members matching every given filter, each with its live listings and co-organisers."""
    members = active_members()
    if query.types:
        members = members.filter(member_type__in=query.types)
    for relation, slugs in (("offers", query.offers), ("looks_for", query.looks_for)):
        members = _vocabulary_filter(members, relation, slugs)
    if query.areas:
        members = members.filter(
            pk__in=Member.objects.filter(areas__code__in=area_codes_related_to(query.areas)).values(
                "pk"
            )
        )
    found = list(members)
    needles = keyword_needles(query.text)
    matching: dict[int, list[ListingLink]] = {}
    if query.fields or query.targets or needles:
        runs = listings_run_by([m.pk for m in found])
        kept = []
        for member in found:
            run = runs.get(member.pk, [])
            if _member_matches(member, run, query, needles):
                kept.append(member)
                matching[member.pk] = [r.link for r in run if _listing_matches(r, query, needles)]
        found = kept
    partners = attach_relations(found)
    for partner in partners:
        partner.matching_listings = sorted(
            matching.get(partner.member.pk, []), key=lambda link: link.name
        )
    return partners


def keyword_needles(text: str) -> list[tuple[str, ...]]:
    """Each word of the keyword as its folded forms: itself and its synonyms (any may match)."""
    synonyms = folded_synonyms()
    needles = []
    for word in fold(text).split():
        variants = [word, *(fold(other) for other in synonyms.get(word, ()))]
        needles.append(tuple(dict.fromkeys(variants)))
    return needles


def _contains(text: str, needle: tuple[str, ...]) -> bool:
    return any(variant in text for variant in needle)


def _member_matches(
    member: Member, run: list[RunListing], query: PartnerQuery, needles: list[tuple[str, ...]]
) -> bool:
    """Each filter met by the declared profile or by a listing the member runs."""
    if query.fields:
        declared = {t.slug for t in member.fields.all()}
        if not declared & set(query.fields) and not any(
            r.categories & set(query.fields) for r in run
        ):
            return False
    if query.targets:
        declared = {t.slug for t in member.targets.all()}
        if not declared & set(query.targets) and not any(
            r.targets & set(query.targets) for r in run
        ):
            return False
    if needles:
        texts = [fold(f"{member.name} {member.kana} {member.description}"), *(r.text for r in run)]
        return all(any(_contains(text, needle) for text in texts) for needle in needles)
    return True


def _listing_matches(run: RunListing, query: PartnerQuery, needles: list[tuple[str, ...]]) -> bool:
    """A listing that shows why its member was found: it meets 分野・対象 and has a keyword word."""
    if query.fields and not run.categories & set(query.fields):
        return False
    if query.targets and not run.targets & set(query.targets):
        return False
    if needles:
        return any(_contains(run.text, needle) for needle in needles)
    return True


def listings_run_by(member_ids: Iterable[int]) -> dict[int, list[RunListing]]:
    """member id → the listings it runs that residents see (`for_residents()`), for matching."""
    owners = member_ids_by_page_path(member_ids)
    found: dict[int, list[RunListing]] = defaultdict(list)

    def refine(queryset: ListingQuerySet) -> ListingQuerySet:
        return queryset.prefetch_related("categories", "targets", "keywords")

    for listing in resident_listings(refine):
        owner = owners.get(parent_path(listing))
        if owner is not None:
            found[owner].append(_run_listing(listing))
    return found


def _run_listing(listing: ListingPage) -> RunListing:
    categories = list(listing.categories.all())
    targets = list(listing.targets.all())
    words = [
        listing.title,
        listing.kana,
        listing.summary,
        listing.description,
        *(tag.name for tag in listing.keywords.all()),
        *(term.label for term in (*categories, *targets)),
    ]
    link = ListingLink(str(listing.uuid), listing.kind, listing.title, listing.url or "")
    return RunListing(
        link,
        frozenset(t.slug for t in categories),
        frozenset(t.slug for t in targets),
        fold("\n".join(words)),
    )


def member_ids_by_page_path(member_ids: Iterable[int] | None = None) -> dict[str, int]:
    """MemberPage tree path → member id: a listing's parent path tells its owner."""
    pages = MemberPage.objects.all()
    if member_ids is not None:
        pages = pages.filter(member_id__in=list(member_ids))
    return dict(pages.values_list("path", "member_id"))


def parent_path(page: Page) -> str:
    return page.path[: -Page.steplen]


def attach_relations(members: list[Member]) -> list[Partner]:
    """Listings under each member's page and the members they co-organise events with."""
    partners = {m.pk: Partner(member=m) for m in members}
    owners = member_ids_by_page_path(partners)
    # What each member publishes (for_open_data: any status, never behind a password).
    columns = ("id", "title", "uuid", "path", "url_path")
    for listing in open_data_listings(lambda queryset: queryset.only(*columns)):
        owner = owners.get(parent_path(listing))
        if owner is not None:
            partners[owner].listings.append(
                ListingLink(str(listing.uuid), listing.kind, listing.title, listing.url or "")
            )
    co_organisers = co_organisation_pairs()
    related = Member.objects.filter(
        pk__in={pk for pk in partners for pk in co_organisers.get(pk, ())},
        status=MemberStatus.APPROVED,
    ).in_bulk()
    for partner in partners.values():
        partner.listings.sort(key=lambda link: link.name)
        partner.co_organisers = sorted(
            (related[pk] for pk in co_organisers.get(partner.member.pk, ()) if pk in related),
            key=lambda m: (m.kana, m.name),
        )
    return list(partners.values())


def co_organisation_pairs() -> dict[int, set[int]]:
    """member id → ids of members it co-organises published events with (both directions)."""
    pairs: dict[int, set[int]] = defaultdict(set)
    owners = member_ids_by_page_path()
    events = EventPage.objects.for_open_data().only("id", "path")
    for event in events.prefetch_related("co_organisers"):
        owner = owners.get(parent_path(event))
        if owner is None:
            continue
        for co in event.co_organisers.all():
            if co.pk != owner:
                pairs[owner].add(co.pk)
                pairs[co.pk].add(owner)
    return pairs
