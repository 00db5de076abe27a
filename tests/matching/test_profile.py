"""The needs profile: what POST /api/v1/match and the /match/ form accept, and the messages."""

import pytest

from matching.candidates import vocabulary_from_fixture
from matching.profile import (
    DEFAULT_LIMIT,
    NeedsProfile,
    Point,
    ProfileErrors,
    TimeWindow,
    parse_profile,
)

AREAS = {"112345-01": ("ひだまり小学校区", (35.9, 139.4))}


@pytest.fixture(scope="module")
def vocabulary():
    return vocabulary_from_fixture(AREAS)


def errors_of(data, vocabulary) -> dict[str, list[str]]:
    with pytest.raises(ProfileErrors) as caught:
        parse_profile(data, vocabulary)
    return caught.value.errors


def test_empty_profile_is_valid(vocabulary):
    assert parse_profile({}, vocabulary) == NeedsProfile(limit=DEFAULT_LIMIT)


def test_full_profile(vocabulary):
    profile = parse_profile(
        {
            "age_band": "13-18",
            "targets": ["futoko"],
            "wants": ["ibasho", "learning"],
            "interests": ["study-support"],
            "required": ["free"],
            "preferred": ["small-group", "anonymous-ok"],
            "area": "112345-01",
            "near": {"lat": 35.912345, "lng": 139.456789},
            "max_km": 3,
            "online_ok": True,
            "times": [{"weekday": 2, "from": "15:00", "to": "18:00"}],
            "languages": ["ja"],
            "keywords": "将棋",
            "limit": 5,
        },
        vocabulary,
    )
    assert profile.near == Point(35.91, 139.46)
    assert profile.times == (TimeWindow(2, 900, 1080),)
    assert profile.max_km == 3.0
    assert profile.groups == {"futoko", "children", "youth"}
    assert profile.limit == 5


def test_age_band_implies_groups(vocabulary):
    assert parse_profile({"age_band": "75-plus"}, vocabulary).groups == {"older-people"}
    assert parse_profile({"age_band": "40-64"}, vocabulary).groups == frozenset()


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ({"age_band": "42"}, "age_band", "年代の選択肢にない値"),
        ({"targets": ["aliens"]}, "targets", "対象に選択肢にない値"),
        ({"wants": "money"}, "wants", "求めていることに選択肢にない値"),
        ({"interests": [1, 2]}, "interests", "配列"),
        ({"required": ["free", "nope"]}, "required", "選択肢にない値"),
        ({"area": "000000"}, "area", "地域の選択肢にない値"),
        ({"near": {"lat": 95, "lng": 139}}, "near", "緯度・経度"),
        ({"near": "35.9,139.4"}, "near", "lat"),
        ({"max_km": -1, "area": "112345-01"}, "max_km", "0 より大きく"),
        ({"max_km": "far", "area": "112345-01"}, "max_km", "0 より大きく"),
        ({"online_ok": "maybe"}, "online_ok", "true / false"),
        ({"times": [{"weekday": 7, "from": "10:00", "to": "11:00"}]}, "times", "0（月曜）〜6"),
        ({"times": [{"weekday": 1, "from": "10時", "to": "11:00"}]}, "times", "HH:MM"),
        ({"times": [{"weekday": 2, "from": "18:00", "to": "15:00"}]}, "times", "水曜"),
        ({"times": [{"weekday": 2, "from": "15:00", "to": "15:00"}]}, "times", "後にしてください"),
        ({"times": "weekday evenings"}, "times", "配列"),
        ({"languages": ["klingon"]}, "languages", "言語"),
        ({"keywords": "あ" * 51}, "keywords", "50文字以内"),
        ({"keywords": 12}, "keywords", "文字で"),
        ({"limit": 0}, "limit", "1〜50"),
        ({"limit": 2.5}, "limit", "1〜50"),
        ({"unknown": 1}, "__all__", "unknown"),
    ],
)
def test_field_errors(vocabulary, data, field, fragment):
    errors = errors_of(data, vocabulary)
    assert field in errors
    assert any(fragment in message for message in errors[field])


@pytest.mark.parametrize(
    ("data", "field", "fragment"),
    [
        ({"required": ["free", "low-cost"]}, "required", "両方を必須"),
        ({"required": ["reservation-required", "no-reservation"]}, "required", "両方を必須"),
        ({"required": ["online"]}, "online_ok", "オンライン"),
        ({"required": ["free"], "preferred": ["free"]}, "preferred", "両方"),
        ({"max_km": 2}, "max_km", "出発点（小学校区、地名・施設名、または「近くをさがす」）"),
    ],
)
def test_impossible_combinations(vocabulary, data, field, fragment):
    errors = errors_of(data, vocabulary)
    assert any(fragment in message for message in errors[field])


def test_personal_information_in_keywords_is_rejected_without_echo(vocabulary):
    errors = errors_of({"keywords": "田中さん 090-1234-5678"}, vocabulary)
    joined = " ".join(errors["keywords"])
    assert "電話番号のような情報が含まれています" in joined
    assert "PFルール" in joined
    assert "田中" not in joined and "1234" not in joined


def test_all_errors_are_reported_at_once(vocabulary):
    errors = errors_of({"age_band": "x", "limit": 99, "times": [{"weekday": 1}]}, vocabulary)
    assert set(errors) == {"age_band", "limit", "times"}


def test_not_an_object(vocabulary):
    assert "__all__" in errors_of(["age_band"], vocabulary)


def test_the_distance_message_asks_only_for_what_the_form_offers(vocabulary):
    [message] = errors_of({"max_km": 2}, vocabulary)["max_km"]
    assert "地図" not in message


@pytest.mark.parametrize(
    ("age_band", "targets", "others"),
    [
        ("30-39", ["children"], {"children"}),  # a parent with a child
        ("75-plus", ["children"], {"children"}),  # a grandparent with a grandchild
        ("40-64", ["futoko"], {"futoko"}),  # the parent of a school-refusing child
        ("65-74", ["youth"], {"youth"}),
        ("40-64", ["young-carers", "hikikomori"], {"young-carers"}),
        ("under-12", ["parents"], {"parents"}),  # a child with a parent
        ("13-18", ["older-people"], {"older-people"}),
        ("40-64", ["hikikomori"], set()),  # one person: ひきこもり has no age
        ("13-18", ["futoko", "children"], set()),
    ],
)
def test_combinations_once_refused_are_two_person_profiles(vocabulary, age_band, targets, others):
    profile = parse_profile({"age_band": age_band, "targets": targets}, vocabulary)
    assert profile.others == others


def test_a_two_person_profile_covers_the_ages_of_both(vocabulary):
    profile = parse_profile({"age_band": "30-39", "targets": ["children"]}, vocabulary)
    assert profile.age_years == ((0, 12), (13, 18), (30, 39))
    assert parse_profile({"age_band": "19-29"}, vocabulary).age_years == ((19, 29),)
    assert parse_profile({"targets": ["children"]}, vocabulary).age_years == ()
