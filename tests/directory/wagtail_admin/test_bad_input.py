"""Bad input in the editor: Japanese messages, nothing saved (issue 2 "Bad input")."""

import json
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.fields import StreamField
from wagtail.models import Page, Revision, get_page_models

from directory.listings.schedules import Recurrence
from directory.models import EventPage, Member, PlacePage, ServicePage
from directory.wagtail_admin.streamfield import stream_data_complete
from tests.factories.directory import (
    EditorFactory,
    EventPageFactory,
    MemberFactory,
    PlacePageFactory,
    ServicePageFactory,
)
from tests.factories.membership import (
    SecretariatUserFactory,
    page_edit_form_data,
    schedule_form_data,
)
from website.models import HomePage, StandardPage
from website.pf_pages import NewsIndexPage, NewsPage, PlatformEventPage, WorkingGroupPage

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


def test_editor_ticks_closed_on_holidays_and_the_rule_keeps_it(editing):
    client, listing = editing
    data = page_edit_form_data(client, listing)
    data.update(schedule_form_data([weekly(weekdays=["0"], closed_on_holidays="on")]))
    response = client.post(reverse("wagtailadmin_pages:edit", args=[listing.pk]), data)
    assert response.status_code == 302
    [rule] = PlacePage.objects.get(pk=listing.pk).get_latest_revision_as_object().recurrences
    assert rule.closed_on_holidays and rule.describe().endswith("（祝日は休み）")


def test_dates_that_are_all_holidays_closed_on_holidays_never_occur(editing):
    client, listing = editing
    data = page_edit_form_data(client, listing)
    rule = {"dates": ["2027-01-11"], "closed_on_holidays": "on", "exceptions": []}
    data.update(schedule_form_data([("dates", rule)]))
    before = pages_state()
    response = client.post(reverse("wagtailadmin_pages:edit", args=[listing.pk]), data)
    assert response.status_code == 200
    assert shown(response, "このルールでは開催日が一度もありません")
    assert pages_state() == before


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


# -- StreamField data without its management fields ----------------------------------------
# Wagtail reads `<name>-count`, `<name>-<i>-deleted/-type/-order` with data[...] and int(), so a
# hand-made POST without them used to be a KeyError or ValueError: a 500.

INCOMPLETE_FORM = (
    "フォームの内容が不完全です。ページを読み込み直してから、もう一度保存してください。"
)


@dataclass
class StreamCase:
    """A page with a StreamField, who edits it, and where a new one of its type is added."""

    model: type[Page]
    field: str
    client: Client
    page: Page
    parent: Page | None  # None: the type cannot be added again (the home page)


def listing_case(model: type[Page], factory: type) -> StreamCase:
    member = MemberFactory()
    client = Client()
    client.force_login(EditorFactory(member=member))
    page = factory(member=member, schedule=[Recurrence("weekly", weekdays=(2,))])
    return StreamCase(model, "schedule", client, page, page.get_parent())


def secretariat_case(model: type[Page], page: Page, parent: Page | None) -> StreamCase:
    client = Client()
    client.force_login(SecretariatUserFactory())
    return StreamCase(model, "body", client, page, parent)


def home_case() -> StreamCase:
    return secretariat_case(HomePage, HomePage.objects.get(), None)


def standard_case() -> StreamCase:
    home = HomePage.objects.get()
    page = home.add_child(instance=StandardPage(title="お知らせ", slug="oshirase"))
    page.save_revision()
    return secretariat_case(StandardPage, page, home)


def pf_case(model: type[Page], parent: Page | None = None, **fields) -> StreamCase:
    """A 事務局 page of model (お知らせ, 分科会, PF event) under parent (default: home)."""
    parent = parent or HomePage.objects.get()
    slug = f"pf-{model._meta.model_name}"  # one per type: a test may build every case
    page = parent.add_child(instance=model(title="PF のページ", slug=slug, **fields))
    page.save_revision()
    return secretariat_case(model, page, parent)


def news_case() -> StreamCase:
    index = HomePage.objects.get().add_child(instance=NewsIndexPage(title="お知らせ", slug="news"))
    return pf_case(NewsPage, index)


STREAM_CASES = {
    "place": lambda: listing_case(PlacePage, PlacePageFactory),
    "service": lambda: listing_case(ServicePage, ServicePageFactory),
    "event": lambda: listing_case(EventPage, EventPageFactory),
    "home": home_case,
    "standard": standard_case,
    "news": news_case,
    "working_group": lambda: pf_case(WorkingGroupPage),
    "pf_event": lambda: pf_case(PlatformEventPage, starts_at=timezone.now() + timedelta(days=7)),
}


def test_stream_cases_cover_every_streamfield_on_a_page_model():
    """A new page type or StreamField must be added to STREAM_CASES to be tested below."""
    found = {
        (model, field.name)
        for model in get_page_models()
        for field in model._meta.get_fields()
        if isinstance(field, StreamField)
    }
    body_models = (HomePage, StandardPage, NewsPage, WorkingGroupPage, PlatformEventPage)
    covered = {(model, "body") for model in body_models} | {
        (model, "schedule") for model in (PlacePage, ServicePage, EventPage)
    }
    assert found == covered


def stream_form_data(case: StreamCase, **changes) -> QueryDict:
    """The editor's POST for the case's page; a body StreamField is posted empty."""
    data = page_edit_form_data(case.client, case.page, **changes)
    if case.field != "schedule":
        data.update(schedule_form_data([], prefix=case.field))
    return data


def drop_stream(data, name: str) -> None:
    for key in [k for k in data if k == f"{name}-count" or k.startswith(f"{name}-")]:
        del data[key]


def count_not_a_number(data, name: str) -> None:
    data[f"{name}-count"] = "たくさん"


def count_beyond_items(data, name: str) -> None:
    data[f"{name}-count"] = str(int(data.get(f"{name}-count") or 0) + 1)


def order_not_a_number(data, name: str) -> None:
    data[f"{name}-count"] = "1"
    data.update({f"{name}-0-deleted": "", f"{name}-0-order": "x"})
    data.setdefault(f"{name}-0-type", "paragraph")
    data.setdefault(f"{name}-0-value", "<p>本文</p>")


def nested_list_without_count(data, name: str) -> None:
    """Only the schedule has nested lists (a rule's 休みの日); elsewhere drop the stream."""
    key = f"{name}-0-value-exceptions-count"
    if key in data:
        del data[key]
    else:
        drop_stream(data, name)


DAMAGES = [
    drop_stream,
    count_not_a_number,
    count_beyond_items,
    order_not_a_number,
    nested_list_without_count,
]


def stream_state(case: StreamCase) -> tuple:
    field = case.model._meta.get_field(case.field)
    values = case.model.objects.order_by("pk").values_list("pk", case.field)
    return (
        pages_state(),
        sorted(Revision.objects.values_list("pk", "content")),
        [(pk, json.dumps(field.get_prep_value(value))) for pk, value in values],
    )


def assert_refused_as_incomplete(response, case: StreamCase) -> None:
    assert response.status_code == 200
    assert shown(response, INCOMPLETE_FORM)
    form = response.context["form"]
    if form.instance.pk:  # editing: the form shows the content as saved, not an empty field
        saved = case.page.specific_deferred.get_latest_revision_as_object()
        field = case.model._meta.get_field(case.field)
        shown_value = field.get_prep_value(form[case.field].value())
        assert shown_value == field.get_prep_value(getattr(saved, case.field))


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("kind", STREAM_CASES)
def test_edit_with_incomplete_stream_data_is_refused_in_japanese(kind, damage):
    case = STREAM_CASES[kind]()
    data = stream_form_data(case)
    damage(data, case.field)
    data["action-publish"] = "action-publish"
    before = stream_state(case)
    response = case.client.post(reverse("wagtailadmin_pages:edit", args=[case.page.pk]), data)
    assert_refused_as_incomplete(response, case)
    assert stream_state(case) == before


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda d: d.__name__)
@pytest.mark.parametrize("kind", [k for k in STREAM_CASES if k != "home"])
def test_create_with_incomplete_stream_data_is_refused_in_japanese(kind, damage):
    case = STREAM_CASES[kind]()
    data = stream_form_data(case, title="新しいページ", slug="atarashii")
    damage(data, case.field)
    before = stream_state(case)
    url = reverse(
        "wagtailadmin_pages:add",
        args=[case.model._meta.app_label, case.model._meta.model_name, case.parent.pk],
    )
    response = case.client.post(url, data)
    assert_refused_as_incomplete(response, case)
    assert stream_state(case) == before


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda d: d.__name__)
def test_preview_with_incomplete_stream_data_is_invalid_not_an_error(damage):
    case = STREAM_CASES["place"]()
    data = stream_form_data(case)
    damage(data, case.field)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[case.page.pk])
    response = case.client.post(url, data)
    assert response.status_code == 200
    assert response.json()["is_valid"] is False


def test_complete_stream_data_is_still_saved():
    """The same pages and data with management fields intact are accepted."""
    for kind in STREAM_CASES:
        case = STREAM_CASES[kind]()
        data = stream_form_data(case)
        response = case.client.post(reverse("wagtailadmin_pages:edit", args=[case.page.pk]), data)
        assert response.status_code == 302, kind


@pytest.mark.parametrize(
    ("data", "complete"),
    [
        ({"schedule-count": "0"}, True),
        ({"schedule-count": "1", "schedule-0-deleted": "1"}, True),  # deleted: nothing else read
        ({"schedule-count": "1", "schedule-0-deleted": "", "schedule-0-type": "gone"}, True),
        ({"schedule-count": "1", "schedule-0-deleted": "", "schedule-0-type": "weekly"}, False),
        ({}, False),
    ],
)
def test_stream_data_check_reads_what_wagtail_reads(data, complete):
    """Deleted items and unknown block types are skipped by Wagtail, so they are not refused."""
    block = PlacePage._meta.get_field("schedule").stream_block
    assert stream_data_complete(block, QueryDict(urlencode(data)), "schedule") is complete
