"""/match/, /match/print/ and POST /api/v1/match over the database."""

import json
import re
from datetime import datetime, time
from decimal import Decimal
from unittest import mock

import pytest
from django.urls import reverse

from directory.listings.schedules import JST, Recurrence
from directory.models import LocationMode
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


def test_print_handout_get_explains_what_to_do_and_post_needs_ids(client, listings):
    """GET /match/print/ answered 405 (issue 14): it explains where hand-outs come from."""
    response = client.get(reverse("match-print"))
    assert response.status_code == 200
    assert "案内に載せる" in response.content.decode()
    assert 'href="/match/"' in response.content.decode()
    assert client.post(reverse("match-print"), {"id": ["x"]}).status_code == 422


def test_handout_carries_the_pf_name_print_date_and_consultation_lines(client, listings):
    from website.models import ConsultationLine

    ConsultationLine.objects.create(
        name="こころの相談ダイヤル", phone="0120-000-000", hours="9時〜21時"
    )
    ConsultationLine.objects.create(name="非表示の窓口", is_shown=False)
    response = client.post(reverse("match-print"), {"id": [str(listings["youth"].uuid)]})
    page = response.content.decode()
    today = datetime.now(JST).date()
    assert "つながり" in page.split('class="handout"')[1]
    assert f"{today.year}年{today.month}月{today.day}日 印刷" in page
    handout = page.split('class="handout"')[1]
    assert (
        "こころの相談ダイヤル" in handout and "0120-000-000" in handout and "9時〜21時" in handout
    )
    assert "非表示の窓口" not in page


def test_the_coordinator_chooses_what_goes_on_the_handout(client, listings):
    page = client.post(reverse("match"), {"targets": ["futoko", "older-people"]}).content.decode()
    print_form = page.split('action="/match/print/"')[1].split("</form>")[0]
    checkboxes = re.findall(
        r'<input type="checkbox" name="id" value="([0-9a-f-]+)"[^>]*>', print_form
    )
    assert set(checkboxes) == {str(listings["youth"].uuid), str(listings["salon"].uuid)}
    assert "checked" not in print_form and 'type="hidden" name="id"' not in print_form
    only_one = client.post(reverse("match-print"), {"id": [str(listings["salon"].uuid)]})
    assert "ふれあいサロン" in only_one.content.decode()
    assert "みどりの居場所" not in only_one.content.decode()


def test_more_results_without_js_by_post(client, db):
    for number in range(14):
        PlacePageFactory(title=f"居場所{number:02d}")
    first = client.post(reverse("match"), {}).content.decode()
    assert first.count('name="id"') == 10
    [button] = re.findall(r'<button[^>]*name="limit"[^>]*>', first)
    assert 'form="match-form"' in button and 'value="20"' in button
    assert (
        'id="match-form"' in first and 'method="post" action="/match/" class="match-form"' in first
    )
    more = client.post(reverse("match"), {"limit": "20"}).content.decode()
    assert more.count('name="id"') == 14
    assert 'name="limit"' not in more  # nothing more to show


def test_distance_from_a_school_district_centre(client, listings):
    data = {"area": "999990-700", "max_km": "1", "targets": ["youth"]}
    page = client.post(reverse("match"), data).content.decode()  # centre and place: 35.70, 139.70
    assert "みどり小学校区の中心から約0.0km" in page


def test_a_typed_place_is_resolved_from_the_pfs_own_listings(client, listings):
    PlacePageFactory(title="ひだまり公民館", lat=Decimal("35.71"), lng=Decimal("139.70"))
    data = {"place": "ひだまり公民館", "max_km": "3", "targets": ["youth"]}
    with mock.patch("urllib.request.urlopen", side_effect=AssertionError("no outside service")):
        page = client.post(reverse("match"), data).content.decode()
    assert "ひだまり公民館から約1.1km" in page  # the listings sit at 35.70, 139.70
    assert "距離は「ひだまり公民館」からです" in page


def test_a_typed_place_is_resolved_from_the_pfs_areas(client, listings):
    data = {"place": "みどり小学校区", "max_km": "3", "targets": ["youth"]}
    page = client.post(reverse("match"), data).content.decode()
    assert "みどり小学校区の中心から約" in page


def test_an_unknown_or_personal_place_is_an_error_and_not_shown_again(client, listings):
    unknown = client.post(reverse("match"), {"place": "どこにもない町", "max_km": "3"})
    assert unknown.status_code == 422
    assert "見つかりませんでした" in unknown.content.decode()
    personal = client.post(reverse("match"), {"place": "090-1234-5678", "max_km": "3"})
    assert personal.status_code == 422
    assert "1234" not in personal.content.decode()


def test_near_here_uses_the_rounded_point_and_a_static_script(client, listings):
    page = client.post(
        reverse("match"),
        {"near_lat": "35.712", "near_lng": "139.700", "max_km": "3", "targets": ["youth"]},
    ).content.decode()
    assert "現在地から約1.1km" in page  # rounded again on arrival to 35.71
    assert '<script src="/static/js/match-origin.js"></script>' in page
    assert "<script>" not in page
    blank = client.get(reverse("match")).content.decode()
    assert re.search(r"<div[^>]*data-match-near[^>]*hidden", blank)  # shown by JS only


def test_the_distance_error_names_what_the_form_offers(client, listings):
    page = client.post(reverse("match"), {"max_km": "3"}).content.decode()
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
