"""matching.origin: a starting point named on /match/, resolved in memory (no database, no network)."""

from unittest import mock

import pytest

from core.text import fold
from matching.origin import Origin, area_origin, resolve_place
from matching.pool import CandidatePool
from matching.profile import Vocabulary, rounded_point
from tests.factories.matching import candidate

VOCABULARY = Vocabulary(
    age_bands={},
    targets={},
    wants={},
    categories={},
    conditions={},
    languages={},
    areas={
        "112345-01": "ひだまり小学校区",
        "112345-02": "みなみ小学校区",
        "112345-03": "点のない小学校区",
    },
    area_points={"112345-01": (35.91, 139.41), "112345-02": (35.80, 139.50)},
)


@pytest.fixture
def pool():
    return CandidatePool(
        [
            candidate(name="ひだまり公民館", point=(35.95, 139.45)),
            candidate(name="ひだまり公民館 分館", point=(35.96, 139.46)),
            candidate(name="カフェ・ミナモ", point=(35.70, 139.70)),
            candidate(name="ないしょの家", point=None, confidential=True),
            candidate(name="オンライン相談", point=None, online=True, online_only=True),
        ]
    )


def test_an_area_is_its_centre_named_as_the_reasons_name_it(pool):
    assert resolve_place("みなみ小学校区", VOCABULARY, pool) == Origin(
        "みなみ小学校区の中心", 35.80, 139.50
    )
    assert area_origin("112345-01", VOCABULARY) == Origin("ひだまり小学校区の中心", 35.91, 139.41)
    assert area_origin("112345-03", VOCABULARY) is None  # no centre: no starting point
    assert resolve_place("点のない小学校区", VOCABULARY, pool) is None


def test_a_part_of_an_area_name_or_a_sentence_containing_it_finds_the_area(pool):
    assert resolve_place("みなみ", VOCABULARY, pool).name == "みなみ小学校区の中心"
    assert resolve_place("みなみ小学校区のあたり", VOCABULARY, pool).name == "みなみ小学校区の中心"


def test_areas_come_before_listings_with_a_similar_name(pool):
    assert resolve_place("ひだまり", VOCABULARY, pool).name == "ひだまり小学校区の中心"


def test_a_listing_name_is_its_public_point(pool):
    assert resolve_place("ひだまり公民館", VOCABULARY, pool) == Origin(
        "ひだまり公民館", 35.95, 139.45
    )
    # Width and kana folded as in search: ｶﾌｪ and かふぇ name カフェ・ミナモ.
    assert resolve_place("ｶﾌｪ・ﾐﾅﾓ", VOCABULARY, pool).name == "カフェ・ミナモ"
    assert resolve_place("かふぇ", VOCABULARY, pool).name == "カフェ・ミナモ"


def test_the_shortest_containing_name_wins(pool):
    assert resolve_place("公民館", VOCABULARY, pool).name == "ひだまり公民館"


def test_confidential_and_online_listings_are_never_a_starting_point(pool):
    assert resolve_place("ないしょの家", VOCABULARY, pool) is None
    assert resolve_place("オンライン相談", VOCABULARY, pool) is None


@pytest.mark.parametrize("text", ["", " ", "の", "どこにもない町"])
def test_too_short_or_unknown_text_names_nothing(pool, text):
    assert resolve_place(text, VOCABULARY, pool) is None


def test_names_are_folded_once_per_pool(pool):
    with mock.patch("matching.origin.fold", wraps=fold) as folding:
        resolve_place("ひだまり公民館", VOCABULARY, pool)
        first = folding.call_count
        resolve_place("カフェ", VOCABULARY, pool)
    # The second lookup folds the text and the areas, not the pool's names again.
    assert first >= len(pool.candidates)
    assert folding.call_count - first == 1 + len(VOCABULARY.area_points)


@pytest.mark.parametrize(
    ("lat", "lng", "expected"),
    [
        ("35.7123", "139.7049", (35.71, 139.70)),
        (35.716, 139.699, (35.72, 139.70)),
        ("nan", "139.7", None),
        ("91", "139.7", None),
        ("35.7", "1e309", None),
        ("", "139.7", None),
        ("北緯35度", "139.7", None),
    ],
)
def test_a_point_is_rounded_to_about_a_kilometre_or_refused(lat, lng, expected):
    point = rounded_point(lat, lng)
    if expected is None:
        assert point is None
    else:
        assert (point.lat, point.lng) == expected
