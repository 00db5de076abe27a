"""Editor crashes and traps of issue 15 (Build 7): each refused in Japanese, input kept."""

import json
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from wagtail.coreutils import cautious_slugify

from directory.models import Area, EventPage, PlacePage
from tests.factories.directory import (
    EditorFactory,
    EventPageFactory,
    MemberFactory,
    MunicipalityFactory,
    PlacePageFactory,
)
from tests.factories.membership import logged_in, page_edit_form_data, schedule_form_data

pytestmark = pytest.mark.django_db


def shown(response, message: str) -> bool:
    content = response.content.decode()
    return message in content or json.dumps(message)[1:-1] in content


@pytest.fixture
def member():
    return MemberFactory()


@pytest.fixture
def client(member) -> Client:
    return logged_in(EditorFactory(member=member))


def dates_rule_with_empty_row(day: date) -> list:
    value = {"start_time": "10:00", "end_time": "", "valid_from": "", "valid_until": ""}
    return [("dates", {**value, "exceptions": [], "dates": [day.isoformat(), ""]})]


@pytest.mark.parametrize("action", ["save", "publish"])
def test_dates_rule_with_an_empty_date_row_is_a_form_error(client, member, action):
    event = EventPageFactory(member=member)
    data = page_edit_form_data(client, event)
    day = date.today() + timedelta(days=30)
    for key in [k for k in data if k.startswith("schedule-")]:
        del data[key]
    data.update(schedule_form_data(dates_rule_with_empty_row(day)))
    if action == "publish":
        data["action-publish"] = "action-publish"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[event.pk]), data)
    assert response.status_code == 200
    assert shown(response, "日付を入力してください")
    assert day.isoformat() in response.content.decode()  # the input is kept


def test_autosave_of_an_empty_date_row_is_not_a_500(client, member):
    """Autosave and preview post the same form: they must answer, not crash."""
    event = EventPageFactory(member=member)
    data = page_edit_form_data(client, event)
    for key in [k for k in data if k.startswith("schedule-")]:
        del data[key]
    data.update(schedule_form_data(dates_rule_with_empty_row(date.today() + timedelta(days=3))))
    response = client.post(reverse("wagtailadmin_pages:preview_on_edit", args=[event.pk]), data)
    assert response.status_code == 200
    assert json.loads(response.content)["is_valid"] is False


def test_japanese_title_without_a_slug_gets_one(client, member):
    parent = PlacePageFactory(member=member).get_parent()
    listing = PlacePage.objects.get(depth=parent.depth + 1, path__startswith=parent.path)
    data = page_edit_form_data(client, listing, title="みんなの食堂", slug="")
    data["action-publish"] = "action-publish"
    url = reverse("wagtailadmin_pages:add", args=["directory", "placepage", parent.pk])
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = PlacePage.objects.get(title="みんなの食堂")
    assert created.slug.startswith("listing-")
    assert created.slug.isascii()


def test_generated_slug_is_the_listings_own_and_stable():
    import uuid

    from directory.listings.slugs import listing_slug

    one, two = uuid.uuid4(), uuid.uuid4()
    assert listing_slug(one) == listing_slug(one)
    assert listing_slug(one) != listing_slug(two)


def past_dates_form(client, event, day: date):
    data = page_edit_form_data(client, event)
    for key in [k for k in data if k.startswith("schedule-")]:
        del data[key]
    value = {"start_time": "", "end_time": "", "valid_from": "", "valid_until": ""}
    rules = schedule_form_data([("dates", {**value, "exceptions": [], "dates": [day]})])
    for key in rules:
        data.setlist(key, rules.getlist(key))
    return data


def test_event_entirely_in_the_past_is_refused_in_the_editor(client, member):
    event = EventPageFactory(member=member)
    data = past_dates_form(client, event, date.today() - timedelta(days=10))
    data["action-publish"] = "action-publish"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[event.pk]), data)
    assert response.status_code == 200
    assert shown(response, "開催日がすべて過ぎています")


def test_an_ended_event_may_keep_its_past_dates(client, member):
    event = EventPageFactory(member=member)
    data = past_dates_form(client, event, date.today() - timedelta(days=10))
    data["status"] = "ended"
    data["action-publish"] = "action-publish"
    response = client.post(reverse("wagtailadmin_pages:edit", args=[event.pk]), data)
    assert response.status_code == 302


def test_past_event_already_saved_can_still_be_edited(client, member):
    """An event that took place is kept as a record: only a schedule entered now is checked."""
    past = date.today() - timedelta(days=10)
    event = EventPageFactory(member=member)
    stored = {"type": "dates", "value": {"dates": [past.isoformat()]}}
    EventPage.objects.filter(pk=event.pk).update(schedule=[stored])
    event = EventPage.objects.get(pk=event.pk)
    assert not event.only_past_sessions(event.recurrences, "active")


def test_deadline_after_the_event_is_refused(member):
    day = date.today() + timedelta(days=20)
    event = EventPage(title="講座", summary="講座", address="架空市")
    event.schedule = [{"type": "dates", "value": {"dates": [day.isoformat()]}}]
    event.registration_deadline = day + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        event.clean()
    assert "申込締切" in str(refused.value)


def test_deadline_after_the_last_session_of_a_series_is_refused(member):
    first = date.today() + timedelta(days=5)
    last = first + timedelta(days=14)
    event = EventPage(title="連続講座", summary="講座", address="架空市")
    event.schedule = [{"type": "dates", "value": {"dates": [first.isoformat(), last.isoformat()]}}]
    event.registration_deadline = last + timedelta(days=3)
    with pytest.raises(ValidationError) as refused:
        event.clean()
    assert "申込締切" in str(refused.value)


@pytest.mark.parametrize(
    "outline",
    [
        {"type": "Polygon"},
        {"type": "Polygon", "coordinates": "abc"},
        {"type": "Polygon", "coordinates": [[[139.7, 35.7], [139.8, 35.7]]]},
        {"type": "Polygon", "coordinates": [[[139.7, 35.7], [139.8, 35.7], [139.8, 35.8], [1, 1]]]},
        {
            "type": "Polygon",
            "coordinates": [[[139.7, 35.7], [139.8, 35.7], [139.8], [139.7, 35.7]]],
        },
        {
            "type": "Polygon",
            "coordinates": [[[239.7, 35.7], [139.8, 35.7], [139.8, 35.8], [239.7, 35.7]]],
        },
        {"type": "MultiPolygon", "coordinates": [[[139.7, 35.7]]]},
        {
            "type": "Polygon",
            "coordinates": [[["a", 35.7], [139.8, 35.7], [139.8, 35.8], ["a", 35.7]]],
        },
    ],
)
def test_invalid_geojson_outline_is_refused(outline):
    area = Area(code="x-1", name="学区", level=Area.Level.SCHOOL_DISTRICT)
    area.parent = MunicipalityFactory()
    area.outline = outline
    with pytest.raises(ValidationError) as refused:
        area.clean()
    assert "outline" in refused.value.message_dict


def test_valid_geojson_outline_is_accepted():
    ring = [[139.7, 35.7], [139.8, 35.7], [139.8, 35.8], [139.7, 35.7]]
    area = Area(code="x-2", name="学区", level=Area.Level.SCHOOL_DISTRICT)
    area.parent = MunicipalityFactory()
    for outline in (
        {"type": "Polygon", "coordinates": [ring]},
        {"type": "MultiPolygon", "coordinates": [[ring], [ring]]},
    ):
        area.outline = outline
        area.clean()


def test_a_rule_value_with_an_empty_date_row_is_read_without_a_type_error():
    """The TypeError of issue 15: sorting [date, None] in schedules.recurrence_from_block."""
    from directory.listings.schedules import recurrence_from_block

    day = date(2027, 5, 9)
    rule = recurrence_from_block("dates", {"dates": [day, None], "exceptions": [None]})
    assert rule.dates == (day,)
    assert rule.exceptions == frozenset()


def test_the_time_tab_counts_its_schedule_error(client, member):
    """The 日時 tab's error badge stayed empty: Wagtail counts `.error-message` on load, and the
    StreamField draws its own errors later in JavaScript."""
    event = EventPageFactory(member=member)
    data = past_dates_form(client, event, date.today() - timedelta(days=10))
    response = client.post(reverse("wagtailadmin_pages:edit", args=[event.pk]), data)
    html = response.content.decode()
    tab_start = html.index(f'id="tab-{cautious_slugify("日時")}"')  # how Wagtail names tabs
    time_tab = html[tab_start : html.index('class="w-tabs__panel"', tab_start + 100)]
    assert '<p class="error-message">「開催日時（ルール）」の入力に誤りがあります' in time_tab


def test_an_unbound_editor_shows_no_error_line(client, member):
    event = EventPageFactory(member=member)
    html = client.get(reverse("wagtailadmin_pages:edit", args=[event.pk])).content.decode()
    assert "の入力に誤りがあります" not in html
