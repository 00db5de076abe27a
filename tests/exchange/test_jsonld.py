"""schema.org JSON-LD: the right types and fields, safe escaping, nothing confidential."""

import json
from datetime import date, time, timedelta

import pytest
from django.utils import timezone

from directory.listings.schedules import HORIZON_DAYS, Recurrence, holidays_hit
from directory.models import CostType, ListingStatus, LocationMode
from exchange.jsonld import document_for, script_tag
from exchange.rrule import HOLIDAY_LOOKBACK
from tests.factories.directory import (
    AreaFactory,
    EventPageFactory,
    MemberFactory,
    PlacePageFactory,
    ServicePageFactory,
)
from tests.website.helpers import JSONLD, jsonld_blocks

pytestmark = pytest.mark.django_db
BASE = "https://pf.example.jp/"


def test_script_tag_cannot_be_closed_by_content():
    tag = script_tag({"name": "</script><script>alert(1)</script> & <!--"})
    body = JSONLD.search(tag).group(1)
    assert "</" not in body and "<" not in body and "&" not in body
    assert json.loads(body)["name"] == "</script><script>alert(1)</script> & <!--"


def test_listing_title_with_markup_is_escaped_in_the_page(client):
    listing = PlacePageFactory(title="</script><b>サロン</b>")
    html = client.get(listing.url).content.decode()
    [data] = jsonld_blocks(html)
    assert data["name"] == "</script><b>サロン</b>"


def test_place_is_a_schema_org_place_with_address_geo_and_hours():
    place = PlacePageFactory(
        title="みんなの居場所",
        postal_code="999-0001",
        address_building="2階",
        keywords=["お茶"],
        cost_type=CostType.FREE,
        schedule=[Recurrence("weekly", weekdays=(0, 3), start_time=time(10), end_time=time(12))],
    )
    data = document_for(place, BASE)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Place"
    assert data["url"].startswith("https://pf.example.jp/members/")
    assert data["identifier"] == str(place.uuid)
    assert data["address"] == {
        "@type": "PostalAddress",
        "postalCode": "999-0001",
        "streetAddress": "架空市中央1丁目 2階",
        "addressCountry": "JP",
    }
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 35.7, "longitude": 139.7}
    assert data["isAccessibleForFree"] is True
    assert data["keywords"] == "お茶"
    [hours] = data["openingHoursSpecification"]
    assert hours["dayOfWeek"] == ["https://schema.org/Monday", "https://schema.org/Thursday"]
    assert (hours["opens"], hours["closes"]) == ("10:00", "12:00")


def test_recurring_event_has_an_event_schedule_and_next_start_date():
    event = EventPageFactory(
        schedule=[
            Recurrence(
                "monthly",
                weekdays=(2,),
                nths=(2, 4),
                start_time=time(15),
                end_time=time(17),
                exceptions=frozenset({date(2030, 1, 8)}),
            )
        ],
        capacity=12,
        languages=["ja", "en"],
        targets=["older-people"],
    )
    data = document_for(event, BASE)
    assert data["@type"] == "Event"
    [schedule] = data["eventSchedule"]
    assert schedule == {
        "@type": "Schedule",
        "repeatFrequency": "P1M",
        "byDay": ["https://schema.org/Wednesday"],
        "byMonthWeek": [2, 4],
        "startTime": "15:00",
        "endTime": "17:00",
        "exceptDate": ["2030-01-08"],
        "scheduleTimezone": "Asia/Tokyo",
    }
    first = event.next_occurrences(count=1)[0]
    assert data["startDate"] == first.start.isoformat()
    assert data["startDate"].endswith("T15:00:00+09:00")
    assert data["endDate"].endswith("T17:00:00+09:00")
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert data["organizer"]["@type"] == "Organization"
    assert data["maximumAttendeeCapacity"] == 12
    assert data["inLanguage"] == ["ja", "en"]
    assert data["audience"]["audienceType"] == "高齢の方"


def test_closed_on_holidays_lists_the_holidays_and_closes_public_holidays():
    rule = Recurrence("weekly", weekdays=(0,), start_time=time(10), closed_on_holidays=True)
    event = EventPageFactory(schedule=[rule])
    [schedule] = document_for(event, BASE)["eventSchedule"]
    today = timezone.localdate()
    holidays = holidays_hit(rule, today - HOLIDAY_LOOKBACK, today + timedelta(HORIZON_DAYS))
    assert holidays and schedule["exceptDate"] == [d.isoformat() for d in holidays]
    place = PlacePageFactory(schedule=[rule])
    monday, holiday = document_for(place, BASE)["openingHoursSpecification"]
    assert monday["dayOfWeek"] == ["https://schema.org/Monday"]
    assert holiday == {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": "https://schema.org/PublicHolidays",
        "opens": "00:00",
        "closes": "00:00",
    }


def test_dated_event_gives_its_date_as_start_date_without_a_schedule():
    day = timezone.localdate() + timedelta(days=9)
    event = EventPageFactory(schedule=[Recurrence("dates", dates=(day,))])
    data = document_for(event, BASE)
    assert data["startDate"] == day.isoformat()
    assert "eventSchedule" not in data


def test_weekly_every_other_week_and_paused_event():
    event = EventPageFactory(
        status=ListingStatus.PAUSED,
        location_mode=LocationMode.ONLINE,
        address="",
        lat=None,
        lng=None,
        online_url="https://example.org/meet",
        schedule=[Recurrence("weekly", weekdays=(5,), interval=2, valid_from=date(2026, 1, 3))],
    )
    data = document_for(event, BASE)
    assert data["eventSchedule"][0]["repeatFrequency"] == "P2W"
    assert data["eventSchedule"][0]["startDate"] == "2026-01-03"
    assert data["eventStatus"] == "https://schema.org/EventPostponed"
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "url": "https://example.org/meet"}


def test_service_has_a_provider_and_channel():
    member = MemberFactory(name="相談ネット")
    service = ServicePageFactory(
        member=member,
        categories=["consultation"],
        targets=["youth"],
        phone="099-111-2222",
        service_areas=[AreaFactory(name="ひがし小学校区")],
    )
    data = document_for(service, BASE)
    assert data["@type"] == "Service"
    assert data["provider"]["name"] == "相談ネット"
    assert data["provider"]["url"] == f"https://pf.example.jp{member.page.url}"
    assert data["serviceType"] == ["相談窓口"]
    assert data["areaServed"] == ["ひがし小学校区"]
    assert data["availableChannel"]["servicePhone"]["telephone"] == "099-111-2222"
    assert data["availableChannel"]["serviceLocation"]["address"]["streetAddress"]


def test_member_is_an_organization_with_organisational_data_only():
    member = MemberFactory(
        name="あおぞらの会",
        corporate_number="",
        email="info@example.org",
        address="架空市西1-1 代表者自宅",
        application_note="代表の山田です",
    )
    data = document_for(member.page, BASE)
    assert data["@type"] == "Organization"
    assert data["name"] == "あおぞらの会"
    assert data["email"] == "info@example.org"
    text = json.dumps(data, ensure_ascii=False)
    assert "代表者自宅" not in text and "山田" not in text and "address" not in text


def test_confidential_listing_has_area_but_no_address_or_geo():
    area = AreaFactory(name="にし小学校区")
    listing = PlacePageFactory(
        title="安心の居場所",
        location_mode=LocationMode.CONFIDENTIAL,
        address="",
        lat=None,
        lng=None,
        area=area,
    )
    data = document_for(listing, BASE)
    assert data["name"] == "安心の居場所"
    assert "address" not in data and "geo" not in data
    assert data["containedInPlace"] == {"@type": "AdministrativeArea", "name": "にし小学校区"}


def test_virtual_location_only_with_the_online_url():
    """A VirtualLocation without url tells a consumer nothing: give the URL or leave it out."""
    mixed = EventPageFactory(online_available=True, online_url="")
    assert document_for(mixed, BASE)["location"]["@type"] == "Place"
    online = EventPageFactory(
        location_mode=LocationMode.ONLINE, address="", lat=None, lng=None, online_url=""
    )
    assert "location" not in document_for(online, BASE)
    with_url = EventPageFactory(online_available=True, online_url="https://example.org/meet")
    place, virtual = document_for(with_url, BASE)["location"]
    assert place["@type"] == "Place"
    assert virtual == {"@type": "VirtualLocation", "url": "https://example.org/meet"}


def test_service_has_no_keywords_or_is_accessible_for_free():
    """schema.org Service has neither property; Event and Place have both."""
    service = ServicePageFactory(keywords=["相談"], cost_type=CostType.FREE)
    data = document_for(service, BASE)
    assert "keywords" not in data and "isAccessibleForFree" not in data
    event = EventPageFactory(keywords=["お茶"], cost_type=CostType.FREE)
    data = document_for(event, BASE)
    assert data["keywords"] == "お茶" and data["isAccessibleForFree"] is True


def test_languages_are_bcp_47_codes():
    """inLanguage / availableLanguage take BCP 47 tags, not the names the page shows."""
    event = EventPageFactory(languages=["ja", "easy-ja", "jsl", "vi"])
    assert document_for(event, BASE)["inLanguage"] == ["ja", "ja-x-easy", "jsl", "vi"]
    service = ServicePageFactory(languages=["en", "easy-ja"])
    channel = document_for(service, BASE)["availableChannel"]
    assert channel["availableLanguage"] == ["en", "ja-x-easy"]
