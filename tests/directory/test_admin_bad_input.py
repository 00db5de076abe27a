"""Bad input in the editor: Japanese messages, nothing saved (issue 2 "Bad input")."""

import json
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page, Revision

from directory.models import Member, PlacePage
from tests.factories.directory import EditorFactory, MemberFactory, PlacePageFactory
from tests.factories.membership import (
    SecretariatUserFactory,
    page_edit_form_data,
    schedule_form_data,
)

pytestmark = pytest.mark.django_db


def shown(response, message: str) -> bool:
    """The message is on the page, as text or inside the JSON that renders StreamField errors."""
    content = response.content.decode()
    return message in content or json.dumps(message)[1:-1] in content


def pages_state() -> tuple:
    return (
        sorted(Page.objects.values_list("pk", "path", "title", "latest_revision_id")),
        Revision.objects.count(),
        sorted(PlacePage.objects.values_list("pk", "lat", "lng", "summary")),
    )


@pytest.fixture
def editing():
    member = MemberFactory()
    listing = PlacePageFactory(member=member)
    client = Client()
    client.force_login(EditorFactory(member=member))
    return client, listing


def next_weekday(weekday: int) -> date:
    day = date.today() + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


def weekly(**value) -> tuple[str, dict]:
    rule = {
        "weekdays": ["2"],
        "interval": "1",
        "start_time": "10:00",
        "end_time": "12:00",
        "valid_from": "",
        "valid_until": "",
        "exceptions": [],
    }
    return ("weekly", rule | value)


BAD_LISTING_INPUT = [
    pytest.param(
        {"lat": "139.700000", "lng": "35.700000"}, "緯度は日本国内", id="swapped-coordinates"
    ),
    pytest.param({"lat": "0", "lng": "0"}, "日本国内", id="null-island"),
    pytest.param({"lat": "35.7", "lng": ""}, "緯度と経度は両方入力", id="half-a-point"),
    pytest.param(
        schedule_form_data([weekly(start_time="15:00", end_time="13:00")]),
        "終了時刻は開始時刻より後にしてください",
        id="end-before-start",
    ),
    pytest.param(
        schedule_form_data(
            [
                weekly(
                    weekdays=["0"],  # Mondays, in a window holding only a Tuesday
                    valid_from=str(next_weekday(1)),
                    valid_until=str(next_weekday(1)),
                )
            ]
        ),
        "このルールでは開催日が一度もありません",
        id="never-occurs",
    ),
    pytest.param({"categories": ["999999"]}, "正しく選択してください", id="unknown-category"),
    pytest.param({"targets": ["not-a-pk"]}, "は無効な値です", id="malformed-target"),
    pytest.param({"languages": ["klingon"]}, "正しく選択してください", id="unknown-language"),
]


def as_changes(bad) -> dict:
    return {key: bad.getlist(key) for key in bad} if hasattr(bad, "getlist") else bad


@pytest.mark.parametrize(("bad", "message"), BAD_LISTING_INPUT)
def test_bad_listing_edit_is_refused_in_japanese(editing, bad, message):
    client, listing = editing
    data = page_edit_form_data(client, listing)
    for key, value in as_changes(bad).items():
        data.setlist(key, value if isinstance(value, list) else [value])
    before = pages_state()
    response = client.post(reverse("wagtailadmin_pages:edit", args=[listing.pk]), data)
    assert response.status_code == 200
    assert shown(response, message)
    assert pages_state() == before


@pytest.mark.parametrize(("bad", "message"), BAD_LISTING_INPUT)
def test_bad_listing_create_is_refused_in_japanese(editing, bad, message):
    client, listing = editing
    data = page_edit_form_data(client, listing, title="新しい居場所", slug="atarashii")
    for key, value in as_changes(bad).items():
        data.setlist(key, value if isinstance(value, list) else [value])
    data["action-publish"] = "action-publish"
    before = pages_state()
    url = reverse(
        "wagtailadmin_pages:add", args=["directory", "placepage", listing.get_parent().pk]
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert shown(response, message)
    assert pages_state() == before


def test_valid_listing_edit_is_saved(editing):
    """The same form data with nothing wrong is accepted, so the refusals above mean something."""
    client, listing = editing
    data = page_edit_form_data(client, listing, summary="新しい説明")
    data.update(schedule_form_data([weekly()]))
    response = client.post(reverse("wagtailadmin_pages:edit", args=[listing.pk]), data)
    assert response.status_code == 302
    revision = PlacePage.objects.get(pk=listing.pk).get_latest_revision()
    assert revision.content["summary"] == "新しい説明"


@pytest.mark.parametrize(
    ("number", "message"),
    [
        ("1234567890123", "法人番号の検査用数字が一致しません"),
        ("12345", "法人番号は半角数字13桁"),
        ("abcdefghijklm", "法人番号は半角数字13桁"),
    ],
)
def test_invalid_corporate_number_on_member_snippet(number, message):
    member = MemberFactory(corporate_number="")
    client = Client()
    client.force_login(SecretariatUserFactory())
    url = reverse("wagtailsnippets_directory_member:edit", args=[member.pk])
    data = {
        "name": member.name,
        "kana": member.kana,
        "slug": member.slug,
        "member_type": member.member_type,
        "corporate_number": number,
        "role": member.role,
        "phone": member.phone,
    }
    before = list(Member.objects.values())
    response = client.post(url, data)
    assert response.status_code == 200
    assert shown(response, message)
    assert list(Member.objects.values()) == before


def test_admin_renders_in_japanese_for_editors(editor_client):
    translation.deactivate_all()
    response = editor_client.get(reverse("wagtailadmin_home"))
    page = response.content.decode()
    assert '<html lang="ja"' in page
    assert "ダッシュボード" in page or "ページ" in page
    assert "Dashboard" not in page


@pytest.mark.parametrize(
    ("rules", "message"),
    [
        ([], "開催日（日付または繰り返しのルール）を入力してください"),
        (
            [("dates", {"dates": [str(date.today())], "start_time": "18:00", "end_time": "09:00"})],
            "終了時刻は開始時刻より後にしてください",
        ),
        (
            [
                (
                    "monthly",
                    {
                        "nths": ["5"],
                        "weekdays": ["0"],
                        "valid_from": "2031-02-01",
                        "valid_until": "2031-02-28",
                    },
                )
            ],
            "このルールでは開催日が一度もありません",
        ),
    ],
)
def test_bad_event_schedule_is_refused_in_japanese(editing, rules, message):
    client, listing = editing
    base = {"start_time": "", "end_time": "", "valid_from": "", "valid_until": "", "exceptions": []}
    data = page_edit_form_data(client, listing, title="新しい講座", slug="kouza")
    data.update(schedule_form_data([(kind, base | value) for kind, value in rules]))
    before = pages_state()
    url = reverse(
        "wagtailadmin_pages:add", args=["directory", "eventpage", listing.get_parent().pk]
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert shown(response, message)
    assert pages_state() == before
