"""iCalendar files and feeds: parsed back with icalendar, RRULE/EXDATE/RDATE and Asia/Tokyo checked."""

from datetime import date, datetime, time, timedelta

import pytest
from dateutil.rrule import rrulestr
from django.urls import reverse
from icalendar import Calendar

from directory.listings.schedules import HORIZON_DAYS, JST, Recurrence, holidays_hit, occurrences
from exchange.rrule import HOLIDAY_LOOKBACK
from tests.factories.directory import PlacePageFactory
from tests.factories.hsds import exchange_corpus

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return exchange_corpus()


def fetch(client, url) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(cal: Calendar) -> dict[str, object]:
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def test_listing_ics_has_one_event_per_rule_in_asia_tokyo(client, corpus, settings):
    place = corpus.place
    cal = fetch(client, reverse("listing-ics", kwargs={"uuid": place.uuid}))
    [timezone] = cal.walk("VTIMEZONE")
    assert str(timezone["tzid"]) == "Asia/Tokyo"
    found = events(cal)
    assert set(found) == {
        f"{place.uuid}@{settings.TSUNAGARI_SITE_DOMAIN}",
        f"{place.uuid}-2@{settings.TSUNAGARI_SITE_DOMAIN}",
        f"{place.uuid}-3@{settings.TSUNAGARI_SITE_DOMAIN}",
    }
    weekly = found[f"{place.uuid}@{settings.TSUNAGARI_SITE_DOMAIN}"]
    start = weekly.decoded("dtstart")
    assert start.tzinfo.key == "Asia/Tokyo" and start.time() == time(17)
    assert weekly.decoded("dtend").time() == time(19)
    assert weekly["rrule"].to_ical() == b"FREQ=WEEKLY;BYDAY=MO,WE;WKST=MO"
    assert "TZID=Asia/Tokyo" in weekly.to_ical().decode()
    [exdate] = (
        weekly["exdate"].dts if not isinstance(weekly["exdate"], list) else weekly["exdate"][0].dts
    )
    assert exdate.dt == datetime(2026, 1, 5, 17, tzinfo=JST)
    monthly = found[f"{place.uuid}-2@{settings.TSUNAGARI_SITE_DOMAIN}"]
    assert monthly["rrule"]["BYDAY"] == ["2SA", "4SA"]
    assert monthly["rrule"]["UNTIL"][0] == datetime(
        2027, 3, 31, 1, 0, tzinfo=monthly["rrule"]["UNTIL"][0].tzinfo
    )
    assert str(weekly["location"]) == "架空市中央1-2-3 中央会館2階"
    assert (weekly["geo"].latitude, weekly["geo"].longitude) == (35.681236, 139.767125)
    assert "こども食堂" in weekly["categories"].to_ical().decode()


def test_rrules_expand_to_the_listing_sessions(client, corpus):
    # The next three months: DTSTART is the first upcoming session, so the past is not listed.
    first = datetime.now(JST).date()
    last = first + timedelta(days=90)
    cal = fetch(client, reverse("listing-ics", kwargs={"uuid": corpus.place.uuid}))
    expected = sorted(o.start for o in occurrences(corpus.place.recurrences, first, last))
    got = []
    for event in cal.walk("VEVENT"):
        start = event.decoded("dtstart")
        rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=start)
        exdates = {
            d.dt
            for ex in (
                [event["exdate"]]
                if "exdate" in event and not isinstance(event["exdate"], list)
                else event.get("exdate", [])
            )
            for d in ex.dts
        }
        got += [
            d
            for d in rule.between(
                datetime.combine(first, time(0), JST),
                datetime.combine(last + timedelta(days=1), time(0), JST),
                inc=True,
            )
            if d not in exdates
        ]
    assert sorted(got) == expected


def test_dates_become_dtstart_and_rdate(client, corpus):
    corpus.online_event.status = "active"
    corpus.online_event.save_revision().publish()
    cal = fetch(client, reverse("listing-ics", kwargs={"uuid": corpus.online_event.uuid}))
    [event] = cal.walk("VEVENT")
    assert event.decoded("dtstart") == datetime(2026, 5, 9, 13, 30, tzinfo=JST)
    assert [d.dt for d in event["rdate"].dts] == [
        datetime(2026, 5, 9, 13, 30, tzinfo=JST),
        datetime(2026, 6, 13, 13, 30, tzinfo=JST),
    ]
    assert "rrule" not in event and str(event["location"]) == "オンライン"


def test_first_date_is_in_the_rdate_set_too(client, corpus):
    """ical.js and Python `ical` build the set from RDATE alone and would drop DTSTART's session."""
    corpus.online_event.status = "active"
    corpus.online_event.save_revision().publish()
    cal = fetch(client, reverse("listing-ics", kwargs={"uuid": corpus.online_event.uuid}))
    [event] = cal.walk("VEVENT")
    assert event.decoded("dtstart") in {d.dt for d in event["rdate"].dts}


def test_all_day_dates_use_date_values(client, corpus):
    cal = fetch(client, reverse("listing-ics", kwargs={"uuid": corpus.venue_event.uuid}))
    [event] = cal.walk("VEVENT")
    assert event.decoded("dtstart") == date(2026, 8, 1) and event.decoded("dtend") == date(
        2026, 8, 2
    )
    assert str(event["location"]).startswith("架空市中央1-2-3")


def test_confidential_listing_shows_only_its_area(client, corpus):
    corpus.confidential.status = "active"
    corpus.confidential.save_revision().publish()
    body = client.get(
        reverse("listing-ics", kwargs={"uuid": corpus.confidential.uuid})
    ).content.decode()
    cal = Calendar.from_ical(body)
    [event] = cal.walk("VEVENT")
    assert str(event["location"]) == "架空第一小学校区（所在地は非公開）"
    assert "geo" not in event and "架空市中央" not in body
    assert event["rrule"]["BYDAY"] == ["-1FR"]


def test_paused_ended_and_text_only_listings_have_no_events(client, corpus):
    for listing in (corpus.confidential, corpus.online_event, corpus.text_only):
        cal = fetch(client, reverse("listing-ics", kwargs={"uuid": listing.uuid}))
        assert cal.walk("VEVENT") == []


def test_non_public_listings_are_404(client, corpus):
    for listing in (corpus.draft, corpus.hidden):
        assert client.get(reverse("listing-ics", kwargs={"uuid": listing.uuid})).status_code == 404


def test_member_category_and_area_feeds(client, corpus):
    member = fetch(client, f"/feeds/members/{corpus.member.slug}.ics")
    assert {str(e["summary"]) for e in member.walk("VEVENT")} == {"みんなの食堂", "食堂でお祭り"}
    assert len(member.walk("VTIMEZONE")) == 1
    category = fetch(client, "/feeds/categories/kodomo-shokudo.ics")
    assert {str(e["summary"]) for e in category.walk("VEVENT")} == {"みんなの食堂"}
    area = fetch(client, "/feeds/areas/139998.ics")
    # The festival has no area of its own: it is filed under its venue's (public_location).
    assert {str(e["summary"]) for e in area.walk("VEVENT")} == {"みんなの食堂", "食堂でお祭り"}
    assert str(area["x-wr-calname"]) == "つながり: 架空市"


@pytest.mark.parametrize(
    "url", ["/feeds/members/nope.ics", "/feeds/categories/nope.ics", "/feeds/areas/000000.ics"]
)
def test_unknown_feeds_are_404(client, corpus, url):
    assert client.get(url).status_code == 404


def test_feeds_carry_no_personal_or_contact_data(client, corpus):
    body = client.get(f"/feeds/members/{corpus.member.slug}.ics").content.decode()
    assert "099-000-0001" not in body and "shokudo@example.org" not in body


def test_rule_closed_on_holidays_has_an_exdate_for_each_holiday_it_would_hit(client):
    rule = Recurrence(
        "weekly", weekdays=(0,), start_time=time(10), end_time=time(12), closed_on_holidays=True
    )
    place = PlacePageFactory(schedule=[rule])
    [event] = fetch(client, reverse("listing-ics", kwargs={"uuid": place.uuid})).walk("VEVENT")
    exdates = event["exdate"] if isinstance(event["exdate"], list) else [event["exdate"]]
    excluded = sorted(d.dt for ex in exdates for d in ex.dts)
    today = datetime.now(JST).date()
    holidays = holidays_hit(rule, today - HOLIDAY_LOOKBACK, today + timedelta(HORIZON_DAYS))
    assert holidays  # 成人の日・海の日・敬老の日・スポーツの日 … fall on Mondays every year
    # 2024-01-01 (元日) is the rule's DTSTART, excluded as well.
    expected_days = [date(2024, 1, 1), *holidays]
    assert excluded == [datetime.combine(d, time(10), JST) for d in expected_days]
    start = event.decoded("dtstart")
    first, last = datetime.combine(today, time(), JST), datetime.combine(today, time(), JST)
    last += timedelta(days=365)
    got = [
        d
        for d in rrulestr(event["rrule"].to_ical().decode(), dtstart=start).between(first, last)
        if d not in excluded
    ]
    expected = [o.start for o in occurrences([rule], today, last.date())]
    assert got == expected


def test_uids_come_from_the_configured_site_domain_not_the_host_header(client, corpus, settings):
    """A calendar app keys events by UID: the same event must keep it behind any host name."""
    settings.TSUNAGARI_SITE_DOMAIN = "tsunagari.example.jp"
    url = reverse("listing-ics", kwargs={"uuid": corpus.place.uuid})
    seen = []
    for host in ("testserver", "localhost"):
        response = client.get(url, HTTP_HOST=host)
        assert response.status_code == 200
        seen.append(set(events(Calendar.from_ical(response.content))))
    assert seen[0] == seen[1]
    assert all(uid.endswith("@tsunagari.example.jp") for uid in seen[0])
