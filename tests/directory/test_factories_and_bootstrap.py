"""migrate leaves a usable platform, and an approved member gets its page and group."""

from datetime import time

import pytest
from wagtail.models import GroupPagePermission, Site

from directory.listings.schedules import Recurrence
from directory.models import MemberPage, PlacePage, VocabularyTerm
from tests.factories.directory import MemberFactory, PlacePageFactory

pytestmark = pytest.mark.django_db


def test_migrate_loads_every_vocabulary_slug_of_shared_vocabulary():
    assert VocabularyTerm.objects.filter(scheme="category", slug="kodomo-shokudo").exists()
    assert VocabularyTerm.objects.filter(scheme="age_band", slug="75-plus").exists()
    assert VocabularyTerm.objects.filter(scheme="offer", slug="venue").exists()


def test_site_root_is_the_home_page_with_members_under_it():
    site = Site.objects.get(is_default_site=True)
    assert site.root_page.specific_class.__name__ == "HomePage"
    assert site.root_page.get_children().filter(slug="members").exists()


def test_approved_member_gets_page_group_and_permissions_on_its_subtree_only():
    member = MemberFactory()
    page = MemberPage.objects.get(member=member)
    perms = GroupPagePermission.objects.filter(group=member.group)
    assert {p.page_id for p in perms} == {page.pk}
    assert {p.permission.codename for p in perms} >= {"add_page", "change_page", "publish_page"}
    assert member.collection is not None


def test_listing_factory_places_listing_under_member_with_vocabulary():
    member = MemberFactory()
    listing = PlacePageFactory(
        member=member,
        categories=["salon"],
        targets=["older-people"],
        schedule=[Recurrence("weekly", weekdays=(1,), start_time=time(10))],
    )
    listing = PlacePage.objects.get(pk=listing.pk)
    assert listing.get_parent().specific.member == member
    assert [t.slug for t in listing.categories.all()] == ["salon"]
    assert listing.live
    assert listing.next_occurrences(count=1)[0].start.weekday() == 1
