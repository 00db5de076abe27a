"""The demo PF (fixtures/demo/, `manage.py load_demo`): coverage rules, idempotency, logins.

Loading the whole demo takes a while, so it is loaded ONCE for this module inside an outer
transaction that is rolled back at the end; every test runs in a savepoint inside it (pytest-django's
`db`), so tests may change data without affecting each other or other modules.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from datetime import date, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings
from taggit.models import Tag, TaggedItem
from wagtail.models import Collection, GroupPagePermission, Page, Revision, Site

from core.geo import point_in_geometry
from directory.demo.loader import (
    SECRETARIAT_USERNAME,
    DemoDataError,
    demo_directory,
    listing_uuid,
    load_demo,
)
from directory.listings.schedules import JST, is_japanese_holiday
from directory.listings.validators import validate_local_government_code
from directory.membership.lifecycle import SECRETARIAT_GROUP
from directory.models import (
    Area,
    EventPage,
    ListingStatus,
    LocationMode,
    Member,
    MemberPage,
    MemberRole,
    MemberStatus,
    MemberType,
    PlacePage,
    ServicePage,
    VocabularyTerm,
    listing_page_models,
)
from website.models import PlatformSettings


def logins_off() -> override_settings:
    return override_settings(DEMO_LOGINS_ENABLED=False)


def logins_on() -> override_settings:
    return override_settings(DEMO_LOGINS_ENABLED=True, DEMO_PASSWORD="tsunagari-demo")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once (logins disabled) and rolled back after the module."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with logins_off():
                result = load_demo()
            yield result
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def listings(demo, db):
    return [page for model in listing_page_models() for page in model.objects.all()]


def row_counts() -> dict[str, int]:
    models = [
        Area,
        Member,
        Page,
        Revision,
        PlacePage,
        ServicePage,
        EventPage,
        Group,
        GroupPagePermission,
        Collection,
        Tag,
        TaggedItem,
        get_user_model(),
    ]
    return {model.__name__: model.objects.count() for model in models}


# -- content and coverage --------------------------------------------------------------------
def test_fictional_municipality_has_districts_with_centroids_and_outlines(listings):
    municipality = Area.objects.get(name__contains="（架空）", level=Area.Level.MUNICIPALITY)
    validate_local_government_code(municipality.code)  # a valid check digit …
    assert municipality.parent.level == Area.Level.PREFECTURE  # … under a real prefecture
    districts = list(municipality.children.filter(level=Area.Level.SCHOOL_DISTRICT))
    assert len(districts) >= 8
    assert all(d.code.startswith(f"{municipality.code}-") and d.centroid for d in districts)
    with_outline = [d for d in districts if d.outline]
    assert len(with_outline) >= len(districts) - 2
    assert len(with_outline) < len(districts)
    for district in with_outline:
        assert district.outline["type"] == "Polygon"
        assert point_in_geometry(*district.centroid, district.outline)


def test_members_cover_every_type_and_are_approved_with_page_group_and_collection(listings):
    members = list(Member.objects.all())
    assert len(members) >= 30
    assert {m.member_type for m in members} == set(MemberType.values)
    assert any(m.role == MemberRole.STEERING for m in members)
    for member in members:
        assert member.status == MemberStatus.APPROVED
        assert member.group_id and member.collection_id
        assert MemberPage.objects.get(member=member).live
        assert member.kana and member.description
        assert member.offers.exists() or member.looks_for.exists()


def test_member_contact_is_organisational_and_fictional(listings):
    for member in Member.objects.all():
        assert re.fullmatch(r"0\d{2}-000-\d{4}", member.phone), member.phone
        assert member.email.endswith("@example.jp")
    for listing in listings:
        assert not listing.email or listing.email.endswith("@example.jp")


def test_at_least_150_live_listings_of_every_kind(listings):
    assert len(listings) >= 150
    assert all(page.live for page in listings)
    kinds = Counter(page.kind for page in listings)
    assert set(kinds) == {"place", "service", "event"}
    assert kinds["event"] >= 20


def test_every_vocabulary_slug_is_used_at_least_twice(listings):
    for field, scheme in (
        ("categories", "category"),
        ("targets", "target"),
        ("conditions", "condition"),
    ):
        used = Counter(term.slug for page in listings for term in getattr(page, field).all())
        for slug in VocabularyTerm.objects.filter(scheme=scheme).values_list("slug", flat=True):
            assert used[slug] >= 2, f"{scheme} {slug} is used {used[slug]} times"


def test_at_least_20_events_within_the_next_4_months(listings):
    now = datetime.now(JST)
    horizon = now.date() + timedelta(days=122)
    upcoming = [
        event
        for event in EventPage.objects.live()
        if (nxt := event.next_occurrences(count=1)) and nxt[0].day <= horizon
    ]
    assert len(upcoming) >= 20
    assert any(e.venue_id for e in upcoming)
    assert any(e.registration_deadline for e in upcoming)
    assert any(e.co_organisers.exists() for e in upcoming)


def test_special_cases_are_present(listings):
    modes = Counter(page.location_mode for page in listings)
    statuses = Counter(page.status for page in listings)
    assert modes[LocationMode.CONFIDENTIAL] >= 2
    assert modes[LocationMode.ONLINE] >= 2
    assert statuses[ListingStatus.PAUSED] >= 2
    assert statuses[ListingStatus.ENDED] == 1
    year_ago = date.today() - timedelta(days=365)
    assert sum(page.last_verified < year_ago for page in listings) >= 2
    assert {lang for page in listings for lang in page.languages} > {"ja", "en", "easy-ja"}
    assert {page.cost_type for page in listings} == {"free", "paid", "varies"}
    keywords = {tag for page in listings for tag in page.keywords.names()}
    assert {"オレンジカフェ", "認知症カフェ", "フリースペース"} <= keywords


def test_some_listings_state_an_age_range_and_most_none(listings):
    """Ranges only where the listing's own text states the ages (中高生, 小中学生, 15〜49歳)."""
    ranges = {page.title: page.age_label for page in listings if page.age_label}
    assert ranges["まなびや 無料学習会（本町教室）"] == "12〜18歳"
    assert ranges["フリースクール そらいろ"] == "6〜15歳"
    assert ranges["シルバー人材センター 入会説明会と仕事相談"] == "60歳以上"
    assert 5 <= len(ranges) < len(listings) // 4


def test_some_places_are_closed_on_holidays_and_skip_them(listings):
    closed = [p for p in listings if any(r.closed_on_holidays for r in p.recurrences)]
    assert len(closed) >= 3
    for page in closed:
        assert "祝日" in page.schedule_text
        assert not any(is_japanese_holiday(o.day) for o in page.next_occurrences(count=20))


def test_confidential_listings_show_area_only(listings):
    confidential = [p for p in listings if p.location_mode == LocationMode.CONFIDENTIAL]
    for page in confidential:
        assert page.area_id and not page.address
        assert page.lat is None and page.lng is None and page.coordinates is None


def test_points_lie_inside_their_district(listings):
    checked = 0
    for page in listings:
        if page.lat is None or page.area is None or not page.area.outline:
            continue
        assert point_in_geometry(float(page.lat), float(page.lng), page.area.outline), page.slug
        checked += 1
    assert checked >= 80


def test_every_listing_passes_full_clean(listings):
    for page in listings:
        page.full_clean()


def test_texts_are_complete_and_summaries_short(listings):
    for page in listings:
        assert page.kana and page.description and page.how_to_join and page.schedule_text
        assert len(page.summary) <= 120, page.slug


def test_listings_are_found_by_their_stable_uuid(listings):
    page = PlacePage.objects.get(uuid=listing_uuid("orange-cafe-hidamari"))
    assert page.title == "オレンジカフェ 陽だまり"
    assert page.get_parent().specific.member.slug == "hidamari-fukushikai"
    assert page.live_revision_id is not None


def test_platform_settings_are_filled(listings):
    platform = PlatformSettings.for_site(Site.objects.get(is_default_site=True))
    assert "架空" in platform.secretariat_name
    assert platform.secretariat_email.endswith("@example.jp")


# -- idempotency ---------------------------------------------------------------------------
def test_second_run_changes_nothing_and_makes_no_logins_when_disabled(listings):
    assert not get_user_model().objects.exists()
    before = row_counts()
    out = StringIO()
    with logins_off():
        call_command("load_demo", stdout=out)
    assert row_counts() == before
    text = out.getvalue()
    assert "新規: なし" in text and "更新: なし" in text
    assert f"listing {len(listings)}" in text
    assert "DEMO_LOGINS_ENABLED" in text


def copy_demo(tmp_path: Path) -> Path:
    target = tmp_path / "demo"
    shutil.copytree(demo_directory(), target)
    return target


def test_editing_the_yaml_updates_the_record(listings, tmp_path):
    directory = copy_demo(tmp_path)
    path = directory / "listings" / "elders.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    row = next(r for r in data["hidamari-fukushikai"] if r["slug"] == "orange-cafe-hidamari")
    row["summary"] = "認知症の方もご家族も、どなたでもお茶を飲みに来てください。"
    row["keywords"] = [*row["keywords"], "おためし"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = row_counts()

    with logins_off():
        result = load_demo(directory)

    page = PlacePage.objects.get(uuid=listing_uuid("orange-cafe-hidamari"))
    assert page.summary == row["summary"]
    assert "おためし" in page.keywords.names()
    assert page.live and not page.has_unpublished_changes
    assert result.updated["place"] == 1 and sum(result.updated.values()) == 1
    after = row_counts()
    assert after["Revision"] == before["Revision"] + 1
    assert after["Page"] == before["Page"]


def test_bad_yaml_names_the_record_and_saves_nothing(listings, tmp_path):
    directory = copy_demo(tmp_path)
    path = directory / "listings" / "community.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["kamado"].append({**data["kamado"][0], "slug": "new-one", "categories": ["no-such"]})
    data["kamado"][0]["summary"] = "この変更は保存されないはずです。"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = row_counts()

    with pytest.raises(DemoDataError, match=r"community\.yaml: new-one: .*no-such"):
        load_demo(directory)

    assert row_counts() == before
    assert "保存されない" not in PlacePage.objects.get(slug="kamado-soba").summary


def test_command_reports_a_bad_file_as_a_japanese_error(listings, tmp_path):
    with pytest.raises(CommandError, match="何も保存していません"):
        call_command("load_demo", directory=tmp_path / "missing", stdout=StringIO())


# -- logins ------------------------------------------------------------------------------------
def test_logins_when_enabled_are_created_once_and_printed(listings):
    out = StringIO()
    with logins_on():
        call_command("load_demo", stdout=out)
        users = get_user_model().objects.count()
        call_command("load_demo", stdout=StringIO())
    assert get_user_model().objects.count() == users == Member.objects.count() + 1

    secretariat = get_user_model().objects.get(username=SECRETARIAT_USERNAME)
    assert secretariat.groups.filter(name=SECRETARIAT_GROUP).exists()
    assert secretariat.check_password("tsunagari-demo")
    assert not secretariat.is_superuser
    for member in Member.objects.all():
        editor = get_user_model().objects.get(username=member.slug)
        assert list(editor.groups.all()) == [member.group]
        assert editor.check_password("tsunagari-demo")
    text = out.getvalue()
    assert SECRETARIAT_USERNAME in text and "tsunagari-demo" in text and "kodomo-hiroba" in text
