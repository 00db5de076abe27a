"""Directory models: vocabulary, areas, members and their pages, listings."""

from directory.models.areas import Area
from directory.models.listings import (
    CostType,
    EventPage,
    ListingPage,
    ListingStatus,
    LocationMode,
    PlacePage,
    ServicePage,
    listing_models_by_kind,
    listing_page_models,
)
from directory.models.members import Member, MemberRole, MemberStatus, MemberType
from directory.models.notices import MemberNotice
from directory.models.pages import MemberIndexPage, MemberPage
from directory.models.reports import ListingReport
from directory.models.vocabulary import Scheme, VocabularyTerm

__all__ = [
    "Area",
    "CostType",
    "EventPage",
    "ListingPage",
    "ListingReport",
    "ListingStatus",
    "LocationMode",
    "Member",
    "MemberIndexPage",
    "MemberNotice",
    "MemberPage",
    "MemberRole",
    "MemberStatus",
    "MemberType",
    "PlacePage",
    "Scheme",
    "ServicePage",
    "VocabularyTerm",
    "listing_models_by_kind",
    "listing_page_models",
]
