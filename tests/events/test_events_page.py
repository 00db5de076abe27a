"""/events/ (issue 12, Build 3): sessions by day, tabs, month calendar, filters, feeds."""

import re
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.listings.schedules import JST, Recurrence
from directory.models import EventPage, ListingStatus, LocationMode
from events.periods import add_months, last_day_of_month, month_range
from search.documents import OCCURRENCE_WINDOW_DAYS
from tests.factories.directory import AreaFactory, EventPageFactory, PlacePageFactory

pytestmark = pytest.mark.django_db
URL = "/events/"


def today() -> date:
    return datetime.now(JST).date()


def on(day: date, hour: int = 10, **kwargs) -> Recurrence:
    return Recurrence(
        "dates", dates=(day,), start_time=time(hour), end_time=time(hour, 59), **kwargs
    )


def titles(html: str) -> list[str]:
    return re.findall(r'class="event-session__title"><a href="[^"]*">([^<]*)</a>', html)


def get(client, url=URL, status=200, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == status, response.content[:300]
    return response.content.decode()


def test_sessions_are_listed_by_date_then_time(client, reindex):
    day = today() + timedelta(days=1)
    if (day + timedelta(days=1)).month != day.month:
        day += timedelta(days=1)  # both days in one month
    EventPageFactory(title="午後の会", schedule=[on(day, 14)])
    EventPageFactory(title="朝の会", schedule=[on(day, 9)])
    EventPageFactory(title="翌日の会", schedule=[on(day + timedelta(days=1), 8)])
    reindex()
    html = get(client, month=f"{day:%Y-%m}")
    assert titles(html) == ["朝の会", "午後の会", "翌日の会"]


def test_today_week_and_month_tabs_list_their_days(client, reindex):
    now = datetime.now(JST)
    first = now.date()
    sunday = first + timedelta(days=6 - first.weekday())
    month_end = last_day_of_month(first)
    EventPageFactory(title="今日の会", schedule=[on(first, 23)])
    EventPageFactory(title="週末の会", schedule=[on(sunday, 10)])
    EventPageFactory(title="月末の会", schedule=[on(month_end, 10)])
    EventPageFactory(title="来月の会", schedule=[on(add_months(first.replace(day=1), 1), 10)])
    reindex()
    assert "今日の会" in titles(get(client, when="today"))
    week = titles(get(client, when="week"))
    assert "週末の会" in week and "来月の会" not in week
    assert set(titles(get(client))) == set(week)  # 今週 is the default
    month = titles(get(client, when="month"))
    assert "月末の会" in month and "来月の会" not in month
    html = get(client, when="today")
    assert re.search(r'<a href="/events/\?when=today"[^>]*aria-current="page">今日</a>', html)


def test_weekly_opening_hours_of_a_place_are_not_sessions_but_its_monthly_ones_are(client, reindex):
    PlacePageFactory(
        title="毎日あいている居場所",
        schedule=[Recurrence("weekly", weekdays=tuple(range(7)), start_time=time(10))],
    )
    PlacePageFactory(
        title="月2回のこども食堂",
        schedule=[Recurrence("monthly", weekdays=tuple(range(7)), nths=(1, 2, 3, 4, 5, -1))],
    )
    EventPageFactory(
        title="毎週の体操",
        schedule=[Recurrence("weekly", weekdays=tuple(range(7)), start_time=time(23))],
    )
    reindex()
    shown = set(titles(get(client, when="week")))
    assert {"月2回のこども食堂", "毎週の体操"} <= shown
    assert "毎日あいている居場所" not in shown


def test_only_listings_residents_may_see(client, reindex):
    day = today() + timedelta(days=1)
    shown = EventPageFactory(title="公開の会", schedule=[on(day)])
    paused = EventPageFactory(title="休止中の会", schedule=[on(day)])
    reindex()
    # Paused after indexing: the page itself asks for_residents(), not only the index.
    EventPage.objects.filter(pk=paused.pk).update(status=ListingStatus.PAUSED)
    found = titles(get(client, date=day.isoformat()))
    assert shown.title in found and paused.title not in found


def test_a_confidential_place_shows_its_area_never_its_address(client, reindex):
    area = AreaFactory(name="架空東小学校区")
    day = today() + timedelta(days=1)
    EventPageFactory(
        title="非公開の場所の会",
        location_mode=LocationMode.CONFIDENTIAL,
        area=area,
        address="架空市秘密町9-9-9",
        postal_code="999-9999",
        schedule=[on(day)],
    )
    reindex()
    html = get(client, date=day.isoformat())
    assert "非公開の場所の会" in html and "架空東小学校区" in html
    assert "秘密町" not in html and "999-9999" not in html


def test_the_month_calendar_links_days_with_sessions(client, reindex):
    day = today() + timedelta(days=2)
    EventPageFactory(title="カレンダーの会", schedule=[on(day)])
    reindex()
    html = get(client, month=f"{day:%Y-%m}")
    assert re.search(r"<caption>\d{4}年\d{1,2}月", html)
    assert html.count('<th scope="col">') == 7
    day_link = f'href="/events/?date={day.isoformat()}&amp;month={day:%Y-%m}"'
    assert day_link in html
    assert html.count("month__day--open") == 1
    listed = get(client, date=day.isoformat(), month=f"{day:%Y-%m}")
    assert titles(listed) == ["カレンダーの会"]
    assert 'aria-current="true"' in listed


def test_filters_are_the_search_forms(client, reindex):
    day = today() + timedelta(days=1)
    EventPageFactory(title="食堂の会", categories=["kodomo-shokudo"], schedule=[on(day)])
    EventPageFactory(title="サロンの会", categories=["salon"], schedule=[on(day)])
    reindex()
    html = get(client, date=day.isoformat(), category="kodomo-shokudo")
    assert titles(html) == ["食堂の会"]
    # Links keep the filter, and the category's own feed is offered.
    assert "category=kodomo-shokudo" in html.split('class="event-tabs"')[1].split("</nav>")[0]
    assert reverse("category-ics", kwargs={"slug": "kodomo-shokudo"}) in html
    assert "カレンダーアプリに登録" in html and ".ics</a>" not in html


def test_an_area_filter_offers_the_areas_feed_by_name(client, reindex):
    area = AreaFactory(name="架空西小学校区")
    day = today() + timedelta(days=1)
    EventPageFactory(title="西の会", area=area, schedule=[on(day)])
    reindex()
    html = get(client, date=day.isoformat(), area=area.code)
    assert titles(html) == ["西の会"]
    feed = reverse("area-ics", kwargs={"code": area.code})
    assert (
        f'<a href="{feed}">地域「' in html
        and "架空西小学校区」の開催日をカレンダーアプリに登録" in html
    )


@pytest.mark.parametrize(
    "params, message",
    [
        ({"category": "no-such-term"}, "分野の選択肢にありません"),
        ({"date": "2026/12/05"}, "2026-12-05 の形"),
        ({"month": "1999-01"}, "表示できる月は"),
        ({"when": "year"}, "期間は today・week・month"),
        ({"page": "0"}, "ページは 1 以上"),
    ],
)
def test_bad_parameters_get_a_japanese_message(client, params, message):
    html = get(client, status=400, **params)
    assert message in html


def test_months_can_be_browsed_as_far_as_sessions_are_indexed(client):
    first, last = month_range(today())
    assert last == (today() + timedelta(days=OCCURRENCE_WINDOW_DAYS)).replace(day=1)
    html = get(client, month=f"{last:%Y-%m}")
    assert "次の月" not in html and "前の月" in html
    assert "前の月" not in get(client, month=f"{first:%Y-%m}")


def test_paged_and_a_page_past_the_end_shows_the_last(client, reindex):
    day = today() + timedelta(days=1)
    EventPageFactory(
        title="毎時の会",
        schedule=[
            Recurrence("dates", dates=(day,), start_time=time(h), end_time=time(h, 30))
            for h in range(0, 24)
        ],
    )
    reindex()
    # Only the sessions of one listing: sessions not over yet, 24 of them on a future day.
    html = get(client, date=day.isoformat(), page="99")
    assert "2 / 2 ページ" in html and len(titles(html)) == 4


def test_query_count_does_not_grow_with_listings(client, reindex):
    day = today() + timedelta(days=1)

    def count() -> int:
        reindex()
        get(client, when="month")  # caches warmed (site, vocabulary): count the steady state
        with CaptureQueriesContext(connection) as queries:
            html = get(client, when="month")
        assert f"会{EventPage.objects.count() - 1}" in titles(html)  # every listing was read
        return len(queries)

    for n in range(2):
        EventPageFactory(title=f"会{n}", schedule=[on(day)])
        PlacePageFactory(
            title=f"場{n}", schedule=[Recurrence("monthly", weekdays=(2,), nths=(1, 3))]
        )
    few = count()
    for n in range(2, 10):
        EventPageFactory(title=f"会{n}", schedule=[on(day)])
        PlacePageFactory(
            title=f"場{n}", schedule=[Recurrence("monthly", weekdays=(2,), nths=(1, 3))]
        )
    assert count() == few


def test_year_end_closure_leaves_those_days_empty(client, reindex):
    now = today()
    year_end = date(now.year if now <= date(now.year, 12, 28) else now.year + 1, 12, 26)
    if (year_end + timedelta(days=12) - now).days > OCCURRENCE_WINDOW_DAYS:
        pytest.skip("年末年始が検索の索引の範囲（約6か月）の外にある時期です")
    PlacePageFactory(
        title="年末年始休みの食堂",
        schedule=[Recurrence("monthly", weekdays=tuple(range(7)), nths=(1, 2, 3, 4, 5))],
        schedule_text="毎日（年末年始は休み）",
    )
    reindex()
    html = get(client, month=f"{year_end:%Y-%m}")
    linked = re.findall(r'href="/events/\?date=(\d{4}-\d{2}-\d{2})', html)
    december = {d for d in linked if d.startswith(f"{year_end.year}-12-")}
    assert f"{year_end.year}-12-28" in december or now > date(year_end.year, 12, 28)
    assert not december & {f"{year_end.year}-12-{d}" for d in (29, 30, 31)}


def test_a_session_to_midnight_is_written_24_00_as_on_its_listing(client, reindex):
    """/events/ wrote 「20:00〜23:59」 where the listing page writes 「20:00〜24:00」."""
    day = today() + timedelta(days=1)
    EventPageFactory(
        title="夜の会",
        schedule=[Recurrence("dates", dates=(day,), start_time=time(20), end_time=time(23, 59))],
    )
    reindex()
    html = get(client, month=f"{day:%Y-%m}")
    assert ">20:00</time>〜<time" in html and ">24:00</time>" in html
    assert ">23:59<" not in html  # (the machine-readable datetime= keeps the stored 23:59)
