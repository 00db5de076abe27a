"""/match/, /match/print/ and POST /api/v1/match over the database."""

import json
import re
from datetime import datetime, time
from decimal import Decimal
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.listings.schedules import JST, Recurrence
from directory.models import LocationMode
from matching.profile import MAX_LIMIT, POINT_DECIMALS
from matching.views import more_than
from tests.factories.directory import AreaFactory, EventPageFactory, PlacePageFactory

WEDNESDAY_EVENING = [Recurrence("weekly", weekdays=(2,), start_time=time(15), end_time=time(18))]


@pytest.fixture
def listings(db):
    area = AreaFactory(code="999990-700", name="みどり小学校区")
    youth = PlacePageFactory(
        title="みどりの居場所",
        categories=["youth-space"],
        targets=["youth", "futoko"],
        conditions=["anonymous-ok", "no-reservation"],
        schedule=WEDNESDAY_EVENING,
        how_to_join="直接お越しください。",
        contact_point="みどり窓口",
        area=area,
    )
    salon = EventPageFactory(title="ふれあいサロン", categories=["salon"], targets=["older-people"])
    return {"youth": youth, "salon": salon, "area": area}


def api(client, data, raw=None):
    body = raw if raw is not None else json.dumps(data)
    return client.post(reverse("api-match"), body, content_type="application/json")


def test_get_renders_the_empty_form(client, listings):
    response = client.get(reverse("match"), {"age_band": "13-18"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "合いそうな候補" not in page
    assert "checked" not in page.replace('value="" id="id_age_band_0" checked', "")
    assert '<form method="post" action="/match/"' in page


def test_form_post_shows_results_with_reasons(client, listings):
    response = client.post(
        reverse("match"),
        {"age_band": "13-18", "targets": ["futoko"], "weekdays": ["2"], "periods": ["evening"]},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "みどりの居場所" in page and "ふれあいサロン" not in page
    assert "匿名で参加できます" in page and "予約不要" in page
    assert "水曜の夕方 15:00〜18:00に開催" in page
    assert 'action="/match/print/"' in page


def test_form_errors_are_per_field_and_rejected_keywords_are_not_shown(client, listings):
    response = client.post(
        reverse("match"), {"keywords": "山田太郎 03-1234-5678", "weekdays": ["9"]}
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "山田" not in page and "5678" not in page
    assert 'id="id_weekdays_error"' in page


def test_form_combination_errors_are_shown(client, listings):
    response = client.post(reverse("match"), {"required": ["free", "low-cost"]})
    assert response.status_code == 422
    assert "両方を必須にできません" in response.content.decode()


@pytest.mark.parametrize(
    ("age_band", "target", "found"),
    [
        ("75-plus", "children", "ふれあいサロン"),
        ("30-39", "children", "みどりの居場所"),  # 若者 (30代)
        ("40-64", "futoko", "みどりの居場所"),  # the child's place
    ],
)
def test_two_person_profiles_are_matched_and_explained_on_the_page(
    client, listings, age_band, target, found
):
    """Once refused with 「…は同時に選べません」 (422): now results and how they were chosen."""
    response = client.post(reverse("match"), {"age_band": age_band, "targets": [target]})
    page = response.content.decode()
    assert response.status_code == 200
    assert "同時に選べません" not in page
    assert "は別の方のことと考えて" in page
    assert found in page


def test_api_returns_ranked_results(client, listings):
    response = api(
        client,
        {"age_band": "13-18", "times": [{"weekday": 2, "from": "16:00", "to": "17:00"}]},
    )
    body = response.json()
    assert response.status_code == 200
    assert body["count"] == 1
    [result] = body["results"]
    assert body["note"] == ""
    assert set(result) == {
        "id",
        "kind",
        "name",
        "url",
        "score",
        "reasons",
        "distance_km",
        "next_occurrence",
    }
    assert result["id"] == str(listings["youth"].uuid)
    assert result["url"] == listings["youth"].url
    assert result["next_occurrence"].endswith("T15:00:00+09:00")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"targets": ["nobody"]}, "targets"),
        ({"times": [{"weekday": 2, "from": "18:00", "to": "09:00"}]}, "times"),
        ({"keywords": "taro@example.jp"}, "keywords"),
        ({"max_km": 5}, "max_km"),
        ({"limit": "all"}, "limit"),
    ],
)
def test_api_422_per_field(client, listings, body, field):
    response = api(client, body)
    assert response.status_code == 422
    assert field in response.json()["errors"]


def test_api_422_for_unreadable_json(client, db):
    response = api(client, None, raw="{not json")
    assert response.status_code == 422
    assert response.json() == {"errors": {"__all__": ["JSON として読めませんでした。"]}}


def test_api_is_post_only(client, db):
    response = client.get(reverse("api-match"), {"age_band": "13-18"})
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_confidential_listing_shows_its_area_not_a_distance(client, listings):
    PlacePageFactory(
        title="ひみつの居場所",
        location_mode=LocationMode.CONFIDENTIAL,
        address="",
        lat=None,
        lng=None,
        area=listings["area"],
        targets=["anyone"],
    )
    response = api(client, {"area": "999990-700", "max_km": 1})
    [hidden] = [r for r in response.json()["results"] if r["name"] == "ひみつの居場所"]
    assert hidden["distance_km"] is None
    assert any("みどり小学校区で開催" in reason for reason in hidden["reasons"])


def test_print_handout_has_listing_facts_and_qr_but_no_profile(client, listings):
    youth = listings["youth"]
    response = client.post(
        reverse("match-print"),
        {"id": [str(youth.uuid), "not-a-uuid"], "age_band": "13-18", "keywords": "将棋"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "みどりの居場所" in page
    assert "直接お越しください。" in page and "みどり窓口" in page
    assert "<svg" in page and "QRコード" in page
    assert "http://testserver/members/" in page
    assert "将棋" not in page and "中高生" not in page and "13-18" not in page


def page_of(response) -> str:
    return response.content.decode()


def handout_of(page: str) -> str:
    """What is printed: the hand-out, without the site header and footer (hidden in print)."""
    return page.split('<div class="handout">')[1].split("<footer")[0]


def reasons_of(page: str) -> str:
    return " ".join(re.findall(r'<ul class="match-reasons"[^>]*>(.*?)</ul>', page, re.S))


def test_get_print_explains_where_hand_outs_come_from_instead_of_405(client, listings):
    """GET /match/print/ answered a bare 405 (issue 14): it explains and links back."""
    response = client.get(reverse("match-print"))
    handout = handout_of(page_of(response))
    assert response.status_code == 200
    assert (
        "一緒にさがす</a>」の結果から作ります" in handout
        and "「案内にのせる」にチェック" in handout
    )
    assert 'href="/match/"' in handout
    assert "「チェックした場所で印刷用の案内（A4）を作る」" in handout  # the button's own words


def test_other_methods_on_print_are_explained_not_bare(client, listings):
    response = client.put(reverse("match-print"))
    assert response.status_code == 405
    assert "GET, POST だけが使えます" in page_of(response)


def test_print_without_a_usable_id_says_what_to_do(client, listings):
    response = client.post(reverse("match-print"), {"id": ["x", "ffffffff-0000-0000-0000-0"]})
    assert response.status_code == 422
    assert "案内にのせる場所が選ばれていないか" in page_of(response)


def test_handout_carries_the_pf_name_print_date_and_consultation_lines(client, listings):
    from wagtail.models import Site

    from website.models import ConsultationLine, PlatformSettings

    platform = PlatformSettings.for_site(Site.objects.get(is_default_site=True))
    platform.platform_name = "みなみ町つながりネット"
    platform.save()
    ConsultationLine.objects.create(
        name="こころの相談ダイヤル", phone="0120-000-000", hours="9時〜21時"
    )
    ConsultationLine.objects.create(name="非表示の窓口", is_shown=False)
    response = client.post(reverse("match-print"), {"id": [str(listings["youth"].uuid)]})
    page = page_of(response)
    handout = handout_of(page)
    today = datetime.now(JST).date()
    assert "みなみ町つながりネット" in handout
    assert f"{today.year}年{today.month}月{today.day}日 印刷" in handout
    # The full lines as /soudan/ shows them (hours included), in the printed part.
    assert "こころの相談ダイヤル" in handout and "0120-000-000" in handout
    assert "受付時間: 9時〜21時" in handout
    assert "非表示の窓口" not in page


def test_the_coordinator_chooses_what_goes_on_the_handout(client, listings):
    page = page_of(client.post(reverse("match"), {"targets": ["futoko", "older-people"]}))
    print_form = page.split('action="/match/print/"')[1].split("</form>")[0]
    checkboxes = re.findall(
        r'<input type="checkbox" name="id" value="([0-9a-f-]+)"[^>]*>', print_form
    )
    assert set(checkboxes) == {str(listings["youth"].uuid), str(listings["salon"].uuid)}
    assert "checked" not in print_form and 'type="hidden"' not in print_form
    only_one = page_of(client.post(reverse("match-print"), {"id": [str(listings["salon"].uuid)]}))
    assert "ふれあいサロン" in handout_of(only_one)
    assert "みどりの居場所" not in only_one


def test_the_handout_reads_the_ready_pool_not_the_listings_per_request(client, listings):
    """match_print rebuilt the candidates from the database on every request (issue 14)."""
    client.post(reverse("match"), {})  # the pool is ready
    chosen = {"id": [str(listings["youth"].uuid)]}
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("match-print"), chosen)
    assert "みどりの居場所" in handout_of(page_of(response))
    listing_tables = [q["sql"] for q in queries if "directory_" in q["sql"]]
    assert listing_tables == []
    listings["youth"].unpublish()  # a change makes the pool out of date: never printed again
    assert "みどりの居場所" not in page_of(client.post(reverse("match-print"), chosen))


def test_more_results_without_js_by_post(client, db):
    for number in range(14):
        PlacePageFactory(title=f"居場所{number:02d}")
    first = page_of(client.post(reverse("match"), {"online_ok": "on"}))
    assert first.count('name="id"') == 10
    assert "上位 10 件を表示しています" in first
    [button] = re.findall(r'<button[^>]*name="limit"[^>]*>', first)
    assert 'type="submit"' in button and 'form="match-form"' in button and 'value="20"' in button
    # The button sends the match form, whose choices are still set: the profile is re-posted.
    match_form = first.split('id="match-form"')[1].split("</form>")[0]
    assert re.search(r'name="online_ok"[^>]*checked', match_form)
    assert 'name="limit"' not in match_form  # never a hidden input: only the button's value
    more = page_of(client.post(reverse("match"), {"online_ok": "on", "limit": "20"}))
    assert more.count('name="id"') == 14
    assert "14 件の候補があります" in more
    assert 'name="limit"' not in more  # nothing more to show


def test_more_asks_for_ten_more_up_to_the_limit():
    assert (more_than(10), more_than(45), more_than(49)) == (20, 50, 50)
    assert more_than(MAX_LIMIT) == 0  # at 50 there is no もっと見る


@pytest.mark.parametrize("limit", ["abc", "0", "51", "1e309", "nan", "10.5"])
def test_a_bad_limit_is_a_message_not_a_500(client, listings, limit):
    response = client.post(reverse("match"), {"limit": limit})
    assert response.status_code == 422
    assert f"件数は 1〜{MAX_LIMIT} の整数で指定してください。" in page_of(response)


def test_no_distance_is_told_without_a_starting_point(client, listings):
    """「約1.1km」 was shown with no starting point entered (issue 14)."""
    page = page_of(client.post(reverse("match"), {"targets": ["youth"]}))
    assert "みどりの居場所" in page
    assert "km" not in reasons_of(page) and "距離は「" not in page


def test_distance_from_a_school_district_centre(client, listings):
    data = {"area": "999990-700", "max_km": "1", "targets": ["youth"]}
    page = page_of(client.post(reverse("match"), data))  # centre and place: 35.70, 139.70
    assert "みどり小学校区の中心から約0.0km" in reasons_of(page)
    assert "距離は「みどり小学校区の中心」からです" in page


def test_a_typed_place_is_resolved_on_the_pf_and_never_queried(client, listings):
    PlacePageFactory(title="ひだまり公民館", lat=Decimal("35.71"), lng=Decimal("139.70"))
    client.post(reverse("match"), {})  # the pool is ready
    data = {"place": "ひだまり公民館", "max_km": "3", "targets": ["youth"]}
    with (
        mock.patch("urllib.request.urlopen", side_effect=AssertionError("no outside service")),
        mock.patch("socket.create_connection", side_effect=AssertionError("no network")),
        CaptureQueriesContext(connection) as queries,
    ):
        page = page_of(client.post(reverse("match"), data))
    assert "ひだまり公民館から約1.1km" in reasons_of(page)  # the listings sit at 35.70, 139.70
    assert "距離は「ひだまり公民館」からです" in page
    assert not [q for q in queries if "ひだまり公民館" in q["sql"]]


def test_a_typed_place_is_resolved_from_the_pfs_areas(client, listings):
    data = {"place": "みどり小学校区", "max_km": "3", "targets": ["youth"]}
    assert "みどり小学校区の中心から約" in reasons_of(page_of(client.post(reverse("match"), data)))


@pytest.mark.parametrize(
    ("place", "message", "hidden"),
    [
        ("どこにもない町", "見つかりませんでした", "どこにもない町"),
        ("090-1234-5678", "電話番号", "1234"),
        ("山田太郎さんの家", "名前", "山田"),
        ("み", "2文字以上で入力してください", 'value="み"'),
    ],
)
def test_an_unusable_place_is_a_message_and_not_shown_again(
    client, listings, place, message, hidden
):
    response = client.post(reverse("match"), {"place": place, "max_km": "3"})
    page = page_of(response)
    assert response.status_code == 422
    assert message in page
    assert hidden not in page


def test_near_here_is_rounded_on_arrival_and_shown_again_rounded(client, listings):
    data = {"near_lat": "35.71234", "near_lng": "139.70049", "max_km": "3", "targets": ["youth"]}
    page = page_of(client.post(reverse("match"), data))
    assert "現在地から約1.1km" in reasons_of(page)  # from 35.71, 139.70
    assert 'name="near_lat" value="35.71"' in page and 'name="near_lng" value="139.7"' in page
    assert "35.712" not in page and "139.7004" not in page


@pytest.mark.parametrize(("lat", "lng"), [("abc", "139.7"), ("nan", "139.7"), ("35.7", "")])
def test_an_unreadable_near_point_is_a_message_not_a_500(client, listings, lat, lng):
    response = client.post(reverse("match"), {"near_lat": lat, "near_lng": lng, "max_km": "3"})
    page = page_of(response)
    assert response.status_code == 422
    assert "現在地を読み取れませんでした" in page
    assert f'value="{lat}"' not in page


def test_the_most_precise_starting_point_is_used(client, listings):
    both = {"area": "999990-700", "place": "ふれあいサロン", "targets": ["youth"]}
    assert "ふれあいサロンから約" in reasons_of(page_of(client.post(reverse("match"), both)))
    here = {**both, "near_lat": "35.71", "near_lng": "139.70"}
    assert "現在地から約" in reasons_of(page_of(client.post(reverse("match"), here)))


def test_near_here_needs_js_and_a_static_script(client, listings):
    page = page_of(client.get(reverse("match")))
    assert re.search(r"<div[^>]*data-match-near[^>]*hidden", page)  # shown by the script only
    assert f'data-decimals="{POINT_DECIMALS}"' in page  # the browser rounds as the server does
    assert '<script src="/static/js/match-origin.js"></script>' in page
    assert "<script>" not in page  # no inline code (the CSP forbids it)


def test_the_distance_error_names_what_the_form_offers(client, listings):
    page = page_of(client.post(reverse("match"), {"max_km": "3"}))
    assert "出発点（小学校区、地名・施設名、または「近くをさがす」）" in page
    assert "地図の位置" not in page


def test_api_says_how_a_two_person_profile_was_chosen(client, listings):
    body = api(client, {"age_band": "30-39", "targets": ["children"]}).json()
    assert body["note"] == (
        "年代「30代」と対象「子ども」は別の方のことと考えて、保護者と子どもが一緒に参加できる場所と、"
        "子ども向けの場所を選びました（一緒に参加できる場所を上に表示します）。"
    )
    assert api(client, {"age_band": "13-18", "targets": ["futoko"]}).json()["note"] == ""


def test_a_listings_age_range_limits_who_it_is_offered_to(client, listings):
    PlacePageFactory(title="中高生の部屋", targets=["anyone"], age_min=12, age_max=18)
    for_twenties = api(client, {"age_band": "19-29"}).json()["results"]
    [teens] = [
        r
        for r in api(client, {"age_band": "13-18"}).json()["results"]
        if r["name"] == "中高生の部屋"
    ]
    assert "中高生の部屋" not in [r["name"] for r in for_twenties]
    assert "対象年齢 12〜18歳" in teens["reasons"]
