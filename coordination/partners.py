"""Partner finder: which member organisations could work with us? Public organisational data only.

Filters are AND across fields and OR within one field, like the resource API. An area filter
matches members active in that area, in an area containing it (a city-wide 社協 covers every
小学校区) or inside it.
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
    Member,
    MemberPage,
    MemberStatus,
    VocabularyTerm,
)
from directory.models.listings import open_data_listings


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

    @property
    def url(self) -> str:
        return self.member.page.url


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
    for relation, slugs in (
        ("fields", query.fields),
        ("targets", query.targets),
        ("offers", query.offers),
        ("looks_for", query.looks_for),
    ):
        members = _vocabulary_filter(members, relation, slugs)
    if query.areas:
        members = members.filter(
            pk__in=Member.objects.filter(areas__code__in=area_codes_related_to(query.areas)).values(
                "pk"
            )
        )
    found = list(members)
    if query.text.strip():
        needles = fold(query.text).split()
        found = [
            m
            for m in found
            if all(n in fold(f"{m.name} {m.kana} {m.description}") for n in needles)
        ]
    return attach_relations(found)


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
