"""/search/ phone first: results before the one filter panel, counts, chips, sort (issue 12)."""

import re
from datetime import date, time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from directory.listings.schedules import Recurrence
from directory.models import Area
from tests.factories.directory import AreaFactory, EventPageFactory, PlacePageFactory

pytestmark = pytest.mark.django_db

WEEKEND_NIGHTS = Recurrence(
    "weekly", weekdays=(5, 6), start_time=time(18), end_time=time(20)
)  # Saturday and Sunday, so 今週末 finds it on any day of the week
MONDAY_MORNING = Recurrence("weekly", weekdays=(0,), start_time=time(9), end_time=time(10))


@pytest.fixture
def corpus(reindex):
    district = AreaFactory(name="ひまわり小学校区")
    PlacePageFactory(
        title="夜の食堂",
        area=district,
        categories=["kodomo-shokudo"],
        conditions=["free", "wheelchair"],
        schedule=[WEEKEND_NIGHTS],
    )
    PlacePageFactory(title="朝のサロン", categories=["salon"], schedule=[MONDAY_MORNING])
    reindex()
    return district


def test_count_and_first_result_come_before_the_filter_panel(client, corpus):
    html = client.get("/search/", {"q": "食堂"}).content.decode()
    status = html.index('role="status"')
    first_card = html.index('class="card"')
    panel = html.index('<details id="filters"')
    assert status < first_card < panel
    assert '<details id="filters" class="search-filters">' in html  # closed, opens without JS
    assert 'href="#results">結果へ移動</a>' in html and 'id="results"' in html
    assert "{#" not in html and "{%" not in html  # no template comment shows on the page


def test_weekday_and_time_of_day_filter_with_counts(client, corpus):
    html = client.get("/search/").content.decode()
    assert re.search(r'name="day" value="5"> 土曜 <span[^>]*>（1）', html)
    assert re.search(r'name="time" value="night"> 夜 <span[^>]*>（1）', html)
    assert re.search(r'name="time" value="morning"> 朝 <span[^>]*>（1）', html)
    saturday_night = client.get("/search/", {"day": "sat", "time": "night"}).content.decode()
    assert "夜の食堂" in saturday_night and "朝のサロン" not in saturday_night
    monday_night = client.get("/search/", {"day": "0", "time": "night"}).content.decode()
    assert "見つかりませんでした" in monday_night  # Monday's session is in the morning


def test_conditions_with_counts(client, corpus):
    html = client.get("/search/").content.decode()
    assert re.search(r'name="condition" value="free"> 無料 <span[^>]*>（1）', html)
    assert re.search(r'name="condition" value="wheelchair"> 車いす可 <span[^>]*>（1）', html)
    free = client.get("/search/", {"condition": "free"}).content.decode()
    assert "夜の食堂" in free and "朝のサロン" not in free


def test_areas_are_the_platforms_own_with_counts_never_prefectures(client, corpus):
    html = client.get("/search/").content.decode()
    assert re.search(
        rf'name="area" value="{corpus.code}"> 架空市 ひまわり小学校区 <span[^>]*>（1）', html
    )
    assert "北海道" not in html
    assert "<select" not in html  # checkboxes, never a Ctrl-click multiple select
    for prefecture in Area.objects.filter(level=Area.Level.PREFECTURE):
        assert f'name="area" value="{prefecture.code}"' not in html


def test_a_chosen_area_is_a_chip_that_removes_it(client, corpus):
    html = client.get("/search/", {"q": "食堂", "area": corpus.code}).content.decode()
    chip = re.search(r'<a class="chip" href="([^"]*)"[^>]*>地域: 架空市 ひまわり小学校区', html)
    assert chip, "the chosen area is shown as an active filter"
    assert chip.group(1).replace("&amp;", "&") == "?q=%E9%A3%9F%E5%A0%82"


def test_weekday_chip_removes_the_weekday_as_written_in_any_form(client, corpus):
    html = client.get("/search/", {"day": "sat", "condition": "free"}).content.decode()
    chip = re.search(r'<a class="chip" href="([^"]*)"[^>]*>曜日: 土曜', html)
    assert chip and chip.group(1) == "?condition=free"


def test_when_today_weekend_month_are_offered_and_become_a_chip(client, corpus):
    html = client.get("/search/").content.decode()
    for value, label in (("today", "今日"), ("weekend", "今週末"), ("month", "今月")):
        assert f'name="when" value="{value}"> {label}</label>' in html
    assert 'type="date" name="date_from"' in html and 'type="date" name="date_to"' in html
    chosen = client.get("/search/", {"when": "weekend"}).content.decode()
    assert re.search(r'class="chip" href="\?"[^>]*>いつ: 今週末', chosen)
    assert "夜の食堂" in chosen and "朝のサロン" not in chosen  # Monday is not the weekend


def test_when_is_an_error_when_unknown(client, corpus):
    response = client.get("/search/", {"when": "someday"})
    assert response.status_code == 400
    assert "today・weekend・month" in response.content.decode()


def test_sort_links_offer_distance_only_with_a_point(client, corpus):
    html = client.get("/search/", {"q": "食堂"}).content.decode()
    assert ">関連度順</a>" in html and ">開催が近い順</a>" in html
    assert ">近い順</a>" not in html
    near = client.get("/search/", {"q": "食堂", "lat": "35.7", "lng": "139.7"}).content.decode()
    assert ">近い順</a>" in near
    assert "現在地の近く" in near  # the point is a removable chip too


def test_upcoming_sort_puts_the_next_session_first(client, reindex):
    in_three_days = (date.today().weekday() + 3) % 7
    EventPageFactory(title="後の会", schedule=[Recurrence("weekly", weekdays=(in_three_days,))])
    EventPageFactory(title="先の会", schedule=[Recurrence("weekly", weekdays=tuple(range(7)))])
    reindex()
    html = client.get("/search/", {"sort": "upcoming"}).content.decode()
    assert html.index("先の会") < html.index("後の会")
    assert re.search(r'aria-current="true">開催が近い順', html)


def test_new_words_keep_the_chosen_filters(client, corpus):
    html = client.get("/search/", {"q": "食堂", "condition": "free"}).content.decode()
    box = html[html.index('class="search-box"') : html.index("</form>")]
    assert '<input type="hidden" name="condition" value="free">' in box
    assert '<input type="hidden" name="q"' not in box


def test_list_links_to_the_map_with_the_same_parameters(client, corpus):
    html = client.get("/search/", {"q": "食堂", "condition": "free"}).content.decode()
    assert 'href="/search/map/?q=%E9%A3%9F%E5%A0%82&amp;condition=free">地図で見る' in html


def test_no_query_count_growth_with_more_listings(client, reindex):
    PlacePageFactory(title="食堂1")
    reindex()
    with CaptureQueriesContext(connection) as few:
        client.get("/search/", {"q": "食堂"})
    for i in range(2, 12):
        PlacePageFactory(title=f"食堂{i}", area=AreaFactory(), conditions=["free"])
    reindex()
    with CaptureQueriesContext(connection) as many:
        client.get("/search/", {"q": "食堂"})
    assert len(many) <= len(few)


def test_near_a_typed_district_sorts_by_distance_from_its_centre(client, reindex):
    AreaFactory(name="かえで小学校区", centroid_lat="35.600000", centroid_lng="139.600000")
    PlacePageFactory(title="遠い食堂", lat="35.900000", lng="139.900000")
    PlacePageFactory(title="近い食堂", lat="35.610000", lng="139.610000")
    reindex()
    html = client.get("/search/", {"place": "かえで", "sort": "distance"}).content.decode()
    assert html.index("近い食堂") < html.index("遠い食堂")
    chip = re.search(r'<a class="chip" href="([^"]*)"[^>]*>かえで小学校区の中心の近く', html)
    assert chip and chip.group(1) == "?", "the chip removes the place and 近い順 together"
    assert "約1.4km" in html


def test_an_unknown_place_says_so_and_still_searches(client, corpus):
    response = client.get("/search/", {"place": "どこにもない町", "sort": "distance"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "「どこにもない町」という地域・施設は、このサイトの掲載から見つかりませんでした" in html
    assert "2件見つかりました" in html


def test_a_browser_position_is_rounded_to_about_100_m(client, corpus):
    html = client.get(
        "/search/", {"lat": "35.712345", "lng": "139.798765", "sort": "distance"}
    ).content.decode()
    assert "35.712345" not in html and "139.798765" not in html
    assert 'data-decimals="3"' in html  # the browser rounds the same way before sending
    assert "lat=35.712&amp;lng=139.799" in html  # links carry the rounded point only
    assert "現在地の近く" in html


def test_the_api_reads_time_and_when_with_the_same_form(client, corpus):
    found = client.get("/api/v1/resources", {"day": "sat", "time": "night"}).json()
    assert [r["name"] for r in found["results"]] == ["夜の食堂"]
    weekend = client.get("/api/v1/resources", {"when": "weekend"}).json()
    assert [r["name"] for r in weekend["results"]] == ["夜の食堂"]
    refused = client.get("/api/v1/resources", {"time": "midnight"})
    assert refused.status_code == 400 and "time" in refused.json()["errors"]


def test_a_date_range_is_two_chips_each_removing_its_end(client, corpus):
    html = client.get(
        "/search/", {"date_from": "2026-12-05", "date_to": "2026-12-06"}
    ).content.decode()
    start = re.search(r'<a class="chip" href="([^"]*)"[^>]*>12月5日（土）から', html)
    end = re.search(r'<a class="chip" href="([^"]*)"[^>]*>12月6日（日）まで', html)
    assert start and start.group(1) == "?date_to=2026-12-06"
    assert end and end.group(1) == "?date_from=2026-12-05"
    assert 'type="date" name="date_from" id="id_date_from" value="2026-12-05"' in html
