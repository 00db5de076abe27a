"""Scenarios a coordinator meets, over the demo PF (ひだまり市, `manage.py load_demo`).

The demo is loaded once for this module inside a transaction that is rolled back at the end,
so other test modules never see it.
"""

from datetime import datetime

import pytest
from django.core.management import call_command
from django.db import transaction

from directory.listings.schedules import JST
from matching.candidates import live_candidates, load_vocabulary
from matching.pool import CandidatePool
from matching.profile import TARGET_AGE_BANDS, parse_profile
from matching.scoring import PER_MEMBER_IN_TOP, match

WEEKDAYS = range(5)
IZUMI = "119903-05"  # いずみ小学校区（架空）
CHUO = "119903-02"  # ひだまり中央小学校区（架空）
YAMABIKO = "119903-09"  # やまびこ小学校区（架空）


@pytest.fixture(scope="module")
def demo_pool(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo", verbosity=0)
        now = datetime.now(JST)
        vocabulary = load_vocabulary()
        yield CandidatePool(live_candidates(now)), vocabulary, now.date()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_pool, db):
    return demo_pool


def suggest(demo, **data):
    pool, vocabulary, today = demo
    data.setdefault("limit", 50)
    return match(parse_profile(data, vocabulary), pool, vocabulary, today)


def names(results) -> list[str]:
    return [result.candidate.name for result in results]


def windows(days, start: str, end: str) -> list[dict]:
    return [{"weekday": day, "from": start, "to": end} for day in days]


def only_for_older_people(result) -> bool:
    targets = result.candidate.targets
    return "anyone" not in targets and targets <= {"older-people", "family-carers"}


def test_demo_is_loaded(demo):
    assert len(demo[0]) > 100


def test_futoko_junior_high_weekday_evening_small_free(demo):
    """不登校の中学生・平日夕方・大人数が苦手・無料."""
    results = suggest(
        demo,
        age_band="13-18",
        targets=["futoko"],
        wants=["ibasho", "learning"],
        required=["free"],
        preferred=["small-group"],
        times=windows(WEEKDAYS, "15:00", "18:00"),
    )
    found = names(results)
    assert "そらいろ 夕方のオープンデー" in found[:3]
    assert "子どもの居場所 いずみのおうち" in found
    for result in results[:3]:
        assert {"youth-space", "study-support", "free-school"} & result.candidate.categories
    for result in results:
        listing = result.candidate
        assert "free" in listing.conditions
        assert not only_for_older_people(result)
        assert not {"salon", "kayoinoba"} & listing.categories or "anyone" in listing.targets
        assert result.slot is None or (result.slot.start < 18 * 60 and result.slot.weekday < 5)
    assert "ふらっと" not in " ".join(found) and "夕やけサロン" not in " ".join(found)


def test_over_75_companions_within_walking_distance(demo):
    """75歳以上・話し相手・徒歩圏 → サロン・通いの場."""
    results = suggest(demo, age_band="75-plus", wants=["companions"], area=IZUMI, max_km=1.5)
    assert results
    assert {"salon", "kayoinoba", "community-cafe"} & results[0].candidate.categories
    for result in results:
        assert result.distance_km is None or result.distance_km <= 1.5
        assert not {"children", "youth"} >= result.candidate.targets - {"parents"}


def test_foreign_roots_learning_japanese(demo):
    """外国にルーツ・日本語を学びたい・ベトナム語."""
    results = suggest(demo, targets=["foreign-roots"], wants=["learning"], languages=["vi"])
    top = results[0].candidate
    assert "にほんご" in top.name
    assert "ベトナム語で対応できます" in results[0].reasons


def test_foreign_roots_child_finds_the_children_class(demo):
    results = suggest(demo, age_band="under-12", targets=["foreign-roots"], wants=["learning"])
    assert names(results)[0] == "こどもにほんご・学習教室"


def test_anonymous_required_for_a_young_hikikomori(demo):
    results = suggest(demo, age_band="19-29", targets=["hikikomori"], required=["anonymous-ok"])
    assert results
    for result in results:
        assert "匿名で参加できます" in result.reasons
    assert "ひきこもり当事者会「ゆるり」" in names(results)


def test_online_only_services_need_online_ok(demo):
    base = {"age_band": "13-18", "targets": ["young-carers"], "wants": ["consultation"]}
    offline = names(suggest(demo, **base))
    online = names(suggest(demo, online_ok=True, **base))
    assert "ヤングケアラー相談 LINE" not in offline
    assert "ヤングケアラー相談 LINE" in online[:3]


def test_family_of_a_hikikomori_person(demo):
    results = suggest(
        demo, age_band="40-64", targets=["family-carers", "hikikomori"], wants=["consultation"]
    )
    assert {"ひきこもりの家族相談", "ひきこもり家族会 つむぎ 月例会"} & set(names(results)[:5])


def test_single_parent_looking_for_food(demo):
    results = suggest(demo, age_band="30-39", targets=["single-parents"], wants=["food"])
    assert {"food-support", "kodomo-shokudo"} & results[0].candidate.categories


def test_family_carer_looking_for_companions(demo):
    results = suggest(demo, age_band="65-74", targets=["family-carers"], wants=["companions"])
    assert {
        "オレンジカフェ 陽だまり",
        "みなとオレンジカフェ",
        "介護家族のつどい「ひとやすみ」",
    } & set(names(results)[:5])


def test_lgbtq_youth_anonymous_online(demo):
    results = suggest(
        demo, age_band="13-18", targets=["lgbtq"], required=["anonymous-ok"], online_ok=True
    )
    found = names(results)
    assert "にじいろ相談（LINE・電話）" in found
    assert all("anonymous-ok" in r.candidate.conditions for r in results)


def test_young_person_wanting_work_never_gets_the_silver_centre(demo):
    results = suggest(demo, age_band="19-29", targets=["hikikomori"], wants=["work"])
    found = names(results)
    assert "work-experience" in results[0].candidate.categories
    assert not any("シルバー" in name or "60歳から" in name for name in found)


def test_older_person_wanting_work_gets_the_silver_centre(demo):
    results = suggest(demo, age_band="65-74", wants=["work", "role"])
    assert any("シルバー" in name or "60歳から" in name for name in names(results)[:5])


def test_wheelchair_required(demo):
    results = suggest(demo, age_band="75-plus", required=["wheelchair"])
    assert results and all("wheelchair" in r.candidate.conditions for r in results)
    assert all("車いすで利用できます" in r.reasons for r in results)


def test_online_required(demo):
    results = suggest(demo, required=["online"], online_ok=True, targets=["youth"])
    assert results and all(r.candidate.online for r in results)


def test_weekday_nights_for_a_teenager(demo):
    results = suggest(
        demo, age_band="13-18", wants=["ibasho"], times=windows(WEEKDAYS, "17:00", "21:00")
    )
    found = names(results)
    assert "中高生のたまり場 ティーンズベース" in found
    assert all(r.slot is None or r.slot.end > 17 * 60 for r in results)


def test_small_children_and_parents_outdoors(demo):
    results = suggest(demo, age_band="under-12", targets=["parents"], interests=["play-park"])
    assert "play-park" in results[0].candidate.categories


def test_distance_limit_holds(demo):
    results = suggest(demo, area=YAMABIKO, max_km=1)
    assert results
    for result in results:
        listing = result.candidate
        assert (result.distance_km is not None and result.distance_km <= 1) or (
            listing.confidential and YAMABIKO in listing.area_codes
        )


def test_confidential_place_by_area_only(demo):
    results = suggest(demo, age_band="19-29", targets=["hikikomori"], area=IZUMI, max_km=1)
    [yururi] = [r for r in results if r.candidate.name == "ひきこもり当事者会「ゆるり」"]
    assert yururi.distance_km is None
    assert (
        "ひだまり市（架空） いずみ小学校区（架空）で開催（場所は申し込み後に案内）"
        in yururi.reasons
    )
    far = suggest(demo, age_band="19-29", targets=["hikikomori"], area=YAMABIKO, max_km=1)
    assert "ひきこもり当事者会「ゆるり」" not in names(far)


def test_sunday_afternoon_only(demo):
    results = suggest(demo, age_band="40-64", times=windows([6], "13:00", "17:00"))
    assert results
    for result in results:
        assert result.slot is None or result.slot.weekday == 6


def test_no_age_specific_listing_outside_the_band(demo):
    for band in ("under-12", "40-64", "75-plus"):
        for result in suggest(demo, age_band=band):
            specific = [t for t in result.candidate.targets if t in TARGET_AGE_BANDS]
            assert (
                "anyone" in result.candidate.targets
                or not specific
                or any(band in TARGET_AGE_BANDS[t] for t in specific)
            )


def test_at_most_two_per_member_in_the_top_ten(demo):
    for data in ({"age_band": "75-plus"}, {"targets": ["hikikomori"]}, {"age_band": "30-39"}):
        top = [r.candidate.member_id for r in suggest(demo, **data)[:10]]
        assert max(top.count(member) for member in set(top)) <= PER_MEMBER_IN_TOP


def test_same_profile_same_order(demo):
    data = {"age_band": "65-74", "wants": ["outing"], "area": CHUO}
    assert names(suggest(demo, **data)) == names(suggest(demo, **data))


def test_keyword_lifts_matching_listings(demo):
    results = suggest(demo, age_band="75-plus", keywords="囲碁")
    assert "囲碁" in results[0].candidate.name


def test_every_result_has_reasons_to_read_aloud(demo):
    for result in suggest(demo, age_band="75-plus", area=CHUO):
        assert result.reasons
        assert all(isinstance(reason, str) and reason for reason in result.reasons)
