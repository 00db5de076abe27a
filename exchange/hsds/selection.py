"""Which listings and members leave the PF as HSDS, with their owner and kind looked up once.

Only public data leaves: the listings of `for_open_data()` (directory/models/listings.py — live,
no password, approved member, any status). The HSDS builders (export.py), the read API and
iCal all start from here, so they publish the same set.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from wagtail.models import Page

from directory.models import EventPage, ListingPage, Member, MemberPage, Scheme, VocabularyTerm
from directory.models.listings import ListingQuerySet, find_visible_listing, open_data_listings

# Vocabulary scheme → the listing field holding its terms (the kind is the page type).
LISTING_VOCABULARY = {
    Scheme.CATEGORY: "categories",
    Scheme.TARGET: "targets",
    Scheme.CONDITION: "conditions",
}


@dataclass(frozen=True)
class PublicListing:
    """A live, public listing, the approved member that publishes it and its kind's term.

    `kind` is looked up once per list (public_listings), not once per listing and output.
    """

    listing: ListingPage
    member: Member
    kind: VocabularyTerm | None = None


def public_members() -> list[Member]:
    """Approved members with a live page: the organisations the public can see."""
    pages = MemberPage.objects.for_residents()
    return list(Member.objects.filter(page__in=pages).order_by("kana", "name"))


def public_listings() -> list[PublicListing]:
    """Every listing the PF publishes as data (`for_open_data()`), in a stable order."""

    def related(queryset: ListingQuerySet) -> ListingQuerySet:
        queryset = queryset.select_related("area__parent__parent").prefetch_related(
            "categories", "targets", "conditions", "service_areas"
        )
        if queryset.model is EventPage:
            queryset = queryset.select_related("venue__area__parent__parent")
        return queryset

    listings = list(open_data_listings(related))
    owners = _owners(listings)
    kinds = _kind_terms()
    found = [
        PublicListing(listing, owners[listing.path[: -Page.steplen]], kind_term(listing, kinds))
        for listing in listings
    ]
    return sorted(found, key=lambda item: (item.listing.title, str(item.listing.uuid)))


def find_public_listing(listing_uuid: uuid.UUID | str) -> PublicListing | None:
    """One published listing by its UUID (None when unknown or not `for_open_data()`)."""
    listing = find_visible_listing(listing_uuid, open_data=True)
    if listing is None:
        return None
    owner = _owners([listing])[listing.path[: -Page.steplen]]
    return PublicListing(listing, owner, kind_term(listing, _kind_terms()))


def _owners(listings: Iterable[ListingPage]) -> dict[str, Member]:
    """MemberPage path → its member, for the pages holding `listings` (their parents)."""
    paths = {listing.path[: -Page.steplen] for listing in listings}
    pages = MemberPage.objects.filter(path__in=paths).select_related("member")
    return {page.path: page.member for page in pages}


def kind_term(listing: ListingPage, kinds: Iterable[VocabularyTerm]) -> VocabularyTerm:
    """The vocabulary term of the listing's kind (an unsaved stand-in when it has none)."""
    return next(
        (t for t in kinds if t.slug == listing.kind),
        VocabularyTerm(scheme=Scheme.KIND, slug=listing.kind, label=listing.kind),
    )


def listing_terms(
    listing: ListingPage, kind: VocabularyTerm | None = None
) -> list[tuple[str, VocabularyTerm]]:
    """(scheme, term) of the listing's kind and vocabulary, kind first.

    Pass `kind` (PublicListing.kind) when it is known: otherwise it costs a query.
    """
    found = [(Scheme.KIND.value, kind or kind_term(listing, _kind_terms()))]
    for scheme, attribute in LISTING_VOCABULARY.items():
        terms = sorted(getattr(listing, attribute).all(), key=lambda t: (t.sort_order, t.slug))
        found.extend((scheme.value, term) for term in terms)
    return found


def _kind_terms() -> list[VocabularyTerm]:
    return list(VocabularyTerm.objects.filter(scheme=Scheme.KIND))
