"""/match/ and its hand-out in English: labels, choices, errors and the reasons read aloud."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from directory.models import Area, LocationMode, VocabularyTerm
from tests.factories.directory import PlacePageFactory
from tests.matching.test_match_views import (  # noqa: F401 - the shared fixture
    WEDNESDAY_EVENING,
    listings,
)
from tests.website.english import english, japanese_left, main_of, site_content


def content() -> list[str]:
    """Listing content and the 事務局's words that have no English label stay as written.

    The hand-out's どこで names the venue or street as written, so it counts as content here;
    its いつ is worded in English from the rules (a member's own schedule text stays as written).
    """
    labels = VocabularyTerm.objects.filter(label_en="").values_list("label", flat=True)
    areas = Area.objects.values_list("name", flat=True)
    return [
        *site_content(),
        *labels,
        *areas,
        "みどりの居場所",
        "ふれあいサロン",
        "みどり窓口",
        "直接お越しください。",
        *ready_texts(),
    ]


def ready_texts() -> list[str]:
    from datetime import datetime

    from directory.listings.schedules import JST
    from matching.ready import ready_pool

    pool = ready_pool(datetime.now(JST))
    return [c.where_text for c in pool.candidates]


def test_the_empty_form_is_english(client, listings):  # noqa: F811
    response = english(client).get(reverse("match"))
    page = response.content.decode()
    assert response["Content-Language"] == "en" and '<html lang="en">' in page
    assert "Find help together" in page and "Days you can go" in page and "Wednesday" in page
    assert japanese_left(main_of(page), content()) == []


def test_results_and_reasons_are_english(client, listings):  # noqa: F811
    response = english(client).post(
        reverse("match"),
        {"age_band": "13-18", "targets": ["futoko"], "weekdays": ["2"], "periods": ["evening"]},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "You can take part without giving your name" in page and "No booking needed" in page
    assert "Wednesday Early evening, 15:00–18:00 (next: " in page
    assert japanese_left(main_of(page), content()) == []


def test_bad_input_gives_english_errors(client, listings):  # noqa: F811
    response = english(client).post(reverse("match"), {"place": "み"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "Please check your answers." in page
    assert "Please enter at least 2 characters for the place or facility name." in page


@pytest.mark.parametrize("ids", [[], "listing"])
def test_the_hand_out_is_english(client, listings, ids):  # noqa: F811
    chosen = [str(listings["youth"].uuid)] if ids else []
    response = english(client).post(reverse("match-print"), {"id": chosen})
    page = response.content.decode()
    assert "Places that may suit you" in page
    assert japanese_left(main_of(page), content()) == []


def test_the_japanese_form_is_unchanged(client, listings):  # noqa: F811
    page = client.get(reverse("match")).content.decode()
    assert '<html lang="ja">' in page and "行ける曜日" in page and "水曜" in page


def test_the_hand_out_says_where_in_english_for_a_confidential_place(client, listings):  # noqa: F811
    hidden = PlacePageFactory(
        title="ひみつの居場所",
        location_mode=LocationMode.CONFIDENTIAL,
        address="",
        lat=None,
        lng=None,
        area=listings["area"],
    )
    page = english(client).post(reverse("match-print"), {"id": [str(hidden.uuid)]})
    assert "みどり小学校区 (you get the exact place when you sign up)" in page.content.decode()
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    japanese = client.post(reverse("match-print"), {"id": [str(hidden.uuid)]})
    assert "みどり小学校区（くわしい場所は申し込み後に案内されます）" in japanese.content.decode()


def hand_out(client, *pages) -> str:
    response = client.post(reverse("match-print"), {"id": [str(page.uuid) for page in pages]})
    assert response.status_code == 200
    return main_of(response.content.decode())


def test_the_hand_out_says_when_in_english_from_the_rules(client, listings):  # noqa: F811
    youth = listings["youth"]
    assert "毎週水曜 15:00〜18:00" in hand_out(client, youth)
    page = hand_out(english(client), youth)
    assert "Every Wednesday 15:00–18:00" in page and "毎週水曜" not in page
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME)
    assert "毎週水曜 15:00〜18:00" in hand_out(client, youth), "the pool serves both languages"


def test_the_hand_out_shows_a_members_own_schedule_text_as_written(client, listings):  # noqa: F811
    written = PlacePageFactory(
        title="手書きの予定の会", schedule=WEDNESDAY_EVENING, schedule_text="第3水曜（雨天中止）"
    )
    page = hand_out(english(client), written)
    assert "第3水曜（雨天中止）" in page and "Every Wednesday" not in page


def test_a_pool_built_in_an_english_request_keeps_both_languages(listings):  # noqa: F811
    from datetime import datetime

    from directory.listings.schedules import JST
    from matching.ready import ready_pool

    with translation.override("en"):
        pool = ready_pool(datetime.now(JST))
    (youth,) = [c for c in pool.candidates if c.id == str(listings["youth"].uuid)]
    assert (youth.when_text, youth.when_text_en) == (
        "毎週水曜 15:00〜18:00",
        "Every Wednesday 15:00–18:00",
    )
    with translation.override("ja"):
        assert youth.shown_when == "毎週水曜 15:00〜18:00"
    with translation.override("en"):
        assert youth.shown_when == "Every Wednesday 15:00–18:00"


def api(client, data):
    return client.post(reverse("api-match"), data, content_type="application/json")


BAD_PROFILE = {
    "age_band": "nope",
    "keywords": "あ" * 60,
    "times": [{"weekday": 2, "from": "18:00", "to": "15:00"}],
    "limit": 0,
    "required": ["free", "low-cost"],
}


def test_the_apis_422_answers_follow_the_language(client, listings):  # noqa: F811
    japanese = api(client, BAD_PROFILE).json()["errors"]
    assert japanese["keywords"] == ["キーワードは50文字以内にしてください。"]
    assert japanese["times"] == ["1件目（水曜）: 終わりの時刻は始まりより後にしてください。"]
    errors = api(english(client), BAD_PROFILE).json()["errors"]
    assert errors["keywords"] == ["Keywords can be at most 50 characters long."]
    assert errors["times"] == ["Item 1 (Wednesday): the end time must be after the start time."]
    assert errors["age_band"] == [
        "Age group: this is not one of the choices. Please choose from the list."
    ]
    assert errors["limit"] == ["The number of results must be a whole number from 1 to 50."]
    assert errors["required"] == [
        "“Free” and “Low cost (500 yen or less)” cannot both be required."
    ]


def test_the_forms_profile_errors_are_english(client, listings):  # noqa: F811
    response = english(client).post(reverse("match"), {"required": ["free", "online"]})
    page = main_of(response.content.decode())
    assert response.status_code == 422
    assert "To require “Online”, please also tick “Online is fine too”." in page
    assert japanese_left(page, content()) == []


def test_a_distance_from_an_area_names_its_centre_in_english(client, listings):  # noqa: F811
    chosen = {"area": listings["area"].code, "max_km": "5"}
    page = main_of(english(client).post(reverse("match"), chosen).content.decode())
    assert "Distances are from “the centre of みどり小学校区”." in page
    assert japanese_left(page, content()) == []
