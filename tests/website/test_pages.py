"""Every public page type renders in Japanese with its landmarks and every listing field."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail_factories import ImageFactory

from directory.listings.schedules import Recurrence
from directory.models import CostType, ListingStatus, LocationMode, MemberRole, MemberType
from tests.factories.directory import (
    AreaFactory,
    EventPageFactory,
    MemberFactory,
    PlacePageFactory,
    ServicePageFactory,
    terms,
)
from tests.website.helpers import assert_accessible_shell, jsonld_blocks
from website.models import StandardPage

pytestmark = pytest.mark.django_db

WEEKDAYS = "月火水木金土日"


def ja_day(day: date) -> str:
    text = f"{day.month}月{day.day}日（{WEEKDAYS[day.weekday()]}）"
    return text if day.year == timezone.localdate().year else f"{day.year}年{text}"


def get(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status
    return response.content.decode()


@pytest.fixture
def district():
    return AreaFactory(name="さくら小学校区")


@pytest.fixture
def full_place(district):
    member = MemberFactory(name="つながりネット", contact_point="事務局窓口")
    return PlacePageFactory(
        member=member,
        title="みんなのサロン",
        kana="みんなのさろん",
        summary="お茶を飲みながらおしゃべりできる場所です。",
        description="どなたでも歓迎します。\n見学だけでも大丈夫です。",
        categories=["salon"],
        targets=["older-people"],
        conditions=["no-reservation", "anonymous-ok"],
        keywords=["お茶会", "体操"],
        postal_code="999-0001",
        address="架空市中央1-2-3",
        address_building="市民センター2階 和室",
        area=district,
        service_areas=[district],
        accepts_outside_area=True,
        online_available=True,
        online_url="https://example.org/online",
        schedule_text="毎月第2・第4水曜 15:00〜17:00（祝日は休み）",
        schedule=[
            Recurrence(
                "monthly",
                weekdays=(2,),
                nths=(2, 4),
                start_time=time(15),
                end_time=time(17),
                valid_from=date(2026, 4, 1),
            )
        ],
        cost_type=CostType.PAID,
        cost_text="100円（お茶代）",
        capacity=20,
        how_to_join="直接会場へお越しください。",
        accessibility="エレベーターあり、車いす用トイレあり。",
        languages=["ja", "easy-ja"],
        contact_point="サロン担当",
        phone="099-000-1111",
        email="salon@example.org",
        website="https://example.org/salon",
        image=ImageFactory(title="サロンの様子"),
        last_verified=timezone.localdate() - timedelta(days=30),
    )


def test_home_page_has_search_box_quick_links_emergency_note_and_member_block(client):
    html = get(client, "/")
    assert_accessible_shell(html)
    assert '<form action="/search/" method="get" role="search"' in html
    assert '<label for="home-q">' in html and 'id="home-q"' in html
    assert 'href="/search/?category=kodomo-shokudo"' in html
    assert 'href="/search/?target=hikikomori&amp;target=futoko"' in html
    assert "119" in html  # the emergency note from PlatformSettings
    assert "団体の方へ" in html and 'href="/join/"' in html and 'href="/admin/"' in html
    assert 'href="/coverage/"' in html


def test_standard_page_renders_lead_body_and_breadcrumbs(client):
    from wagtail.models import Site

    home = Site.objects.get(is_default_site=True).root_page
    page = StandardPage(
        title="このサイトについて",
        slug="about",
        lead="地域の居場所をさがせるサイトです。",
        body=[("heading", "運営"), ("paragraph", "<p>事務局が運営しています。</p>")],
    )
    home.add_child(instance=page)
    html = get(client, page.url)
    assert_accessible_shell(html)
    assert "地域の居場所をさがせるサイトです。" in html
    assert "<h2>運営</h2>" in html and "事務局が運営しています。" in html
    assert 'aria-label="現在地"' in html


def test_member_index_lists_members_as_cards_with_type_and_fields(client):
    member = MemberFactory(name="あおぞら食堂の会", member_type=MemberType.VOLUNTARY)
    member.fields.set(terms("category", ["kodomo-shokudo"]))
    html = get(client, "/members/")
    assert_accessible_shell(html)
    assert 'class="card"' in html and "あおぞら食堂の会" in html
    assert "任意団体・住民グループ" in html and "こども食堂" in html
    assert f'href="{member.page.url}"' in html


def test_member_page_shows_profile_badges_contact_and_live_listings(client, district):
    member = MemberFactory(
        name="ひまわり社協",
        member_type=MemberType.SHAKYO,
        role=MemberRole.STEERING,
        description="地域福祉を進めています。",
        corporate_number="",
        contact_point="地域福祉課",
        email="info@example.org",
        website="https://example.org/",
    )
    member.fields.set(terms("category", ["salon"]))
    member.targets.set(terms("target", ["older-people"]))
    member.areas.set([district])
    member.offers.set(terms("offer", ["venue"]))
    PlacePageFactory(member=member, title="ひまわりサロン", categories=["salon"])
    PlacePageFactory(member=member, title="下書きのサロン", live=False)
    html = get(client, member.page.url)
    assert_accessible_shell(html)
    for text in (
        "社会福祉協議会",
        "幹事団体",
        "地域福祉を進めています。",
        "地域サロン",
        "高齢の方",
        "さくら小学校区",
        "地域福祉課",
        "info@example.org",
        "ひまわりサロン",
    ):
        assert text in html, text
    assert "下書きのサロン" not in html
    [data] = jsonld_blocks(html)
    assert data["@type"] == "Organization" and data["name"] == "ひまわり社協"


def test_member_page_queries_do_not_grow_with_its_listings(client):
    def count_queries(listings: int) -> int:
        member = MemberFactory()
        for _ in range(listings):
            PlacePageFactory(member=member, categories=["salon"], targets=["anyone"])
            EventPageFactory(member=member, categories=["training"])
            ServicePageFactory(member=member, targets=["youth"])
        client.get(member.page.url)  # warm Wagtail's site-root cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(member.page.url).status_code == 200
        return len(queries)

    assert count_queries(5) == count_queries(1)


def test_place_page_shows_every_field_in_japanese(client, full_place):
    html = get(client, full_place.url)
    assert_accessible_shell(html)
    expected = [
        "居場所",  # kind badge
        "みんなのサロン",
        "みんなのさろん",
        "お茶を飲みながらおしゃべりできる場所です。",
        "見学だけでも大丈夫です。",
        "地域サロン",
        "高齢の方",
        "予約不要",
        "匿名OK",
        "お茶会",
        "体操",
        "〒999-0001",
        "架空市中央1-2-3",
        "市民センター2階 和室",
        "さくら小学校区",
        "市外・学区外からも参加できます",
        "オンラインでも参加・相談できます",
        "毎月第2・第4水曜 15:00〜17:00（祝日は休み）",
        "有料（100円（お茶代））",
        "20人",
        "直接会場へお越しください。",
        "エレベーターあり",
        "日本語、やさしい日本語",
        "サロン担当",
        "099-000-1111",
        "salon@example.org",
        "https://example.org/salon",
        "つながりネット",
        "情報の誤りを報告",
        f"/listings/{full_place.uuid}/report/",
        '<img alt="サロンの様子"',
    ]
    for text in expected:
        assert text in html, text
    next_session = full_place.next_occurrences(count=1)[0].day
    assert f"{ja_day(next_session)} 15:00〜17:00" in html
    verified = full_place.last_verified
    assert f"{verified.year}年{verified.month}月{verified.day}日" in html
    assert "1年以上確認されていない" not in html
    assert 'id="listing-map"' in html and "地理院タイル" in html
    assert "leaflet/leaflet.js" in html
    assert "開催ルール" not in html, "the schedule is shown once (issue 12)"
    assert f"/listings/{full_place.uuid}.ics" in html, "a recurring place goes into a calendar too"


def test_old_verification_date_gets_a_note(client):
    listing = PlacePageFactory(last_verified=timezone.localdate() - timedelta(days=400))
    assert "1年以上確認されていない" in get(client, listing.url)


def test_paused_listing_shows_a_banner_and_no_next_sessions(client):
    listing = PlacePageFactory(
        status=ListingStatus.PAUSED, schedule=[Recurrence("weekly", weekdays=(0,))]
    )
    html = get(client, listing.url)
    assert "listing-status" in html and "現在休止中です" in html
    assert "休止中のため、予定はありません" in html


def test_ended_listing_says_it_has_ended(client):
    listing = ServicePageFactory(status=ListingStatus.ENDED)
    assert "この活動は終了しました。" in get(client, listing.url)


def test_event_page_shows_venue_dates_deadline_and_calendar_link(client, full_place):
    day = timezone.localdate() + timedelta(days=20)
    event = EventPageFactory(
        member=full_place.get_parent().specific.member,
        title="認知症サポーター養成講座",
        address="",
        lat=None,
        lng=None,
        venue=full_place,
        schedule=[Recurrence("dates", dates=(day,), start_time=time(13, 30), end_time=time(15))],
        registration_deadline=day - timedelta(days=7),
    )
    html = get(client, event.url)
    assert_accessible_shell(html)
    assert "イベント・講座" in html
    assert f"{ja_day(day)} 13:30〜15:00" in html
    deadline = event.registration_deadline
    assert f"{deadline.year}年{deadline.month}月{deadline.day}日" in html
    assert "会場" in html and f'href="{full_place.url}"' in html and "架空市中央1-2-3" in html
    assert f"/listings/{event.uuid}.ics" in html and "カレンダーに追加" in html
    [data] = jsonld_blocks(html)
    assert data["@type"] == "Event"
    assert data["location"]["address"]["streetAddress"] == "架空市中央1-2-3 市民センター2階 和室"


def test_online_only_service_says_online_and_has_no_map(client):
    listing = ServicePageFactory(location_mode=LocationMode.ONLINE, address="", lat=None, lng=None)
    html = get(client, listing.url)
    assert "支援・相談" in html and "オンライン" in html
    assert 'id="listing-map"' not in html


def test_confidential_listing_never_shows_its_address_or_point(client, district):
    venue = PlacePageFactory(
        address="架空市秘密町9-9", lat=Decimal("35.123456"), lng=Decimal("139.654321")
    )
    shelter = ServicePageFactory(
        title="女性のための相談",
        location_mode=LocationMode.CONFIDENTIAL,
        address="",
        lat=None,
        lng=None,
        area=district,
    )
    event = EventPageFactory(
        location_mode=LocationMode.CONFIDENTIAL,
        address="",
        lat=None,
        lng=None,
        area=district,
        venue=venue,
    )
    for listing in (shelter, event):
        html = get(client, listing.url)
        assert "所在地は公開していません（さくら小学校区）" in html
        for secret in (
            "架空市秘密町",
            "35.123456",
            "139.654321",
            "35.12",
            "listing-map",
            venue.url,
        ):
            assert secret not in html, secret
        for data in jsonld_blocks(html):
            text = str(data)
            assert "address" not in text and "geo" not in text and "架空市秘密町" not in text


def test_unknown_page_is_a_japanese_404_with_a_way_back(client):
    html = get(client, "/no-such-page/", status=404)
    assert_accessible_shell(html)
    assert "ページが見つかりません" in html
    assert 'role="search"' in html and 'href="/"' in html


def test_500_page_renders_without_context_or_database(rf, django_assert_num_queries):
    from website.views import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert_accessible_shell(html, nav=False)
    assert "一時的なエラーが発生しました" in html and 'role="search"' in html


def test_rule_identical_to_the_schedule_text_is_not_repeated(client):
    listing = PlacePageFactory(
        schedule_text="毎週月曜 10:00〜12:00",
        schedule=[Recurrence("weekly", weekdays=(0,), start_time=time(10), end_time=time(12))],
    )
    html = get(client, listing.url)
    assert html.count("毎週月曜 10:00〜12:00") == 1 and "開催ルール" not in html


def test_member_index_pages_through_many_members(client):
    for i in range(32):
        MemberFactory(name=f"団体{i:02d}", kana=f"だんたい{i:02d}")
    first = get(client, "/members/")
    assert first.count('class="card"') == 30
    assert "（32団体、よみがな順）" in first
    assert 'rel="next"' in first and "1 / 2 ページ" in first
    second = get(client, "/members/?page=2")
    assert second.count('class="card"') == 2 and "団体31" in second
    assert get(client, "/members/?page=abc").count('class="card"') == 30
    assert get(client, "/members/?page=99").count('class="card"') == 2
