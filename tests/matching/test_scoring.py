"""Hard constraints, the weighted score, diversity, ties and the reasons read aloud."""

from datetime import date, time, timedelta

import pytest

from directory.listings.schedules import Recurrence
from matching.candidates import Slot, slots_from_rules, vocabulary_from_fixture
from matching.pool import CandidatePool
from matching.profile import parse_profile
from matching.scoring import WEIGHTS, Context, exclusion, match
from tests.factories.matching import ORIGIN, candidate, slot

TODAY = date(2026, 12, 1)  # a Tuesday
WEDNESDAY = date(2026, 12, 2)
AREAS = {
    "112345-01": ("ひだまり小学校区", ORIGIN),
    "112345-02": ("いずみ小学校区", (35.95, 139.45)),
}


@pytest.fixture(scope="module")
def vocabulary():
    return vocabulary_from_fixture(AREAS)


def run(vocabulary, candidates, vectorised=True, **data):
    profile = parse_profile(data, vocabulary)
    return match(profile, CandidatePool(candidates), vocabulary, TODAY, vectorised=vectorised)


def why_not(vocabulary, item, **data):
    context = Context.build(parse_profile(data, vocabulary), vocabulary, TODAY)
    return exclusion(item, context)


def test_weights_add_up_to_100():
    assert sum(WEIGHTS.values()) == 100


# --- hard constraints ------------------------------------------------------------------


def test_targets_must_include_a_group_or_anyone(vocabulary):
    for_older = candidate(targets={"older-people"})
    assert why_not(vocabulary, for_older, targets=["futoko"]) == "targets"
    assert why_not(vocabulary, for_older, age_band="75-plus") is None
    assert why_not(vocabulary, candidate(targets={"anyone"}), targets=["futoko"]) is None


def test_targets_are_alternatives_not_an_age_limit(vocabulary):
    """A 40〜64歳 ひきこもり person reaches a 当事者会 for 「ひきこもり・若者」 (issue 14)."""
    young_hikikomori = candidate(targets={"youth", "hikikomori"})
    assert why_not(vocabulary, young_hikikomori, age_band="19-29", targets=["hikikomori"]) is None
    assert why_not(vocabulary, young_hikikomori, age_band="40-64", targets=["hikikomori"]) is None
    assert why_not(vocabulary, young_hikikomori, age_band="40-64") == "targets"


def test_two_person_profiles_reach_listings_for_either_person(vocabulary):
    for_children = candidate(targets={"children"})
    for_futoko = candidate(targets={"futoko"})
    assert why_not(vocabulary, for_children, age_band="30-39", targets=["children"]) is None
    assert why_not(vocabulary, for_futoko, age_band="40-64", targets=["futoko"]) is None
    assert why_not(vocabulary, candidate(targets={"older-people"}), age_band="30-39") == "targets"


def test_a_place_both_can_join_ranks_first_for_a_parent_with_a_child(vocabulary):
    children_only = candidate(name="A", targets={"children"})
    together = candidate(name="B", targets={"children", "parents"})
    family_ok = candidate(name="C", targets={"children"}, conditions={"family-ok"})
    data = {"age_band": "30-39", "targets": ["children"]}
    results = run(vocabulary, [children_only, together, family_ok], **data)
    assert [r.candidate.name for r in results] == ["B", "C", "A"]
    assert [r.components["groups"] for r in results] == [1.0, 1.0, 0.5]
    assert "親子で参加できます" in results[1].reasons


def test_a_stated_age_range_is_a_hard_constraint(vocabulary):
    """A place for 12〜18歳 was offered to a 20代 profile, a 6〜12 free school to 中高生 (issue 14)."""
    teens = candidate(targets={"youth"}, age_min=12, age_max=18)
    free_school = candidate(targets={"futoko"}, age_min=6, age_max=12)
    assert why_not(vocabulary, teens, age_band="19-29") == "age"
    assert why_not(vocabulary, teens, age_band="13-18") is None
    assert why_not(vocabulary, free_school, age_band="13-18", targets=["futoko"]) == "age"
    assert why_not(vocabulary, free_school, age_band="under-12", targets=["futoko"]) is None
    assert why_not(vocabulary, teens, targets=["youth"]) is None  # no age band: no age limit
    assert why_not(vocabulary, candidate(age_min=65), age_band="75-plus") is None
    assert why_not(vocabulary, candidate(age_max=18), age_band="30-39") == "age"


def test_a_two_person_profile_fits_the_age_range_of_either(vocabulary):
    toddlers = candidate(targets={"children", "parents"}, age_min=0, age_max=3)
    assert why_not(vocabulary, toddlers, age_band="30-39", targets=["children"]) is None
    assert why_not(vocabulary, toddlers, age_band="30-39", targets=["parents"]) == "age"


def test_the_age_range_is_told(vocabulary):
    [result] = run(vocabulary, [candidate(age_min=12, age_max=18)], age_band="13-18")
    assert "対象年齢 12〜18歳" in result.reasons


def test_required_conditions_are_all_needed(vocabulary):
    item = candidate(conditions={"free", "anonymous-ok"})
    assert why_not(vocabulary, item, required=["free", "anonymous-ok"]) is None
    assert why_not(vocabulary, item, required=["free", "no-reservation"]) == "required"


def test_time_windows_must_overlap_an_upcoming_session(vocabulary):
    item = candidate(slots=[slot(2, "15:00", "17:00", WEDNESDAY)])
    fits = [{"weekday": 2, "from": "16:30", "to": "18:00"}]
    too_late = [{"weekday": 2, "from": "17:00", "to": "20:00"}]
    other_day = [{"weekday": 3, "from": "15:00", "to": "17:00"}]
    assert why_not(vocabulary, item, times=fits) is None
    assert why_not(vocabulary, item, times=too_late) == "time"
    assert why_not(vocabulary, item, times=other_day) == "time"


def test_a_listing_whose_sessions_are_over_is_never_suggested(vocabulary):
    assert why_not(vocabulary, candidate(scheduled=True, slots=())) == "no-upcoming-session"


def test_unscheduled_listings_are_not_ruled_out_by_time(vocabulary):
    times = [{"weekday": 0, "from": "10:00", "to": "12:00"}]
    assert why_not(vocabulary, candidate(), times=times) is None


def test_distance_limit(vocabulary):
    near = candidate(point=(35.905, 139.40))  # ~0.6 km
    far = candidate(point=(35.99, 139.40))  # ~10 km
    assert why_not(vocabulary, near, area="112345-01", max_km=2) is None
    assert why_not(vocabulary, far, area="112345-01", max_km=2) == "distance"
    assert why_not(vocabulary, far, near={"lat": 35.99, "lng": 139.40}, max_km=2) is None


def test_online_listings_pass_the_distance_only_when_online_is_ok(vocabulary):
    far_but_online = candidate(point=(36.5, 139.4), online=True)
    assert why_not(vocabulary, far_but_online, area="112345-01", max_km=2, online_ok=True) is None
    assert why_not(vocabulary, far_but_online, area="112345-01", max_km=2) == "distance"
    online_only = candidate(point=None, online=True, online_only=True)
    assert why_not(vocabulary, online_only) == "online"
    assert why_not(vocabulary, online_only, online_ok=True) is None


def test_confidential_listings_match_by_area_only(vocabulary):
    hidden = candidate(
        point=None,
        confidential=True,
        area_codes=("112345-02", "112345"),
        area_name="ひだまり市 いずみ小学校区",
        area_point=AREAS["112345-02"][1],
    )
    assert why_not(vocabulary, hidden, area="112345-02", max_km=1) is None
    assert why_not(vocabulary, hidden, area="112345-01", max_km=1) == "distance"
    results = run(vocabulary, [hidden], area="112345-02", max_km=1)
    assert results[0].reasons[1] == "ひだまり市 いずみ小学校区で開催（場所は申し込み後に案内）"
    assert not any("km" in reason for reason in results[0].reasons)


# --- score, ties, diversity ------------------------------------------------------------


def test_score_is_the_weighted_sum_of_components(vocabulary):
    item = candidate(
        categories={"study-support"},
        conditions={"small-group"},
        targets={"futoko"},
        last_verified=TODAY - timedelta(days=30),
    )
    [result] = run(
        vocabulary,
        [item],
        age_band="13-18",
        targets=["futoko"],
        interests=["study-support"],
        wants=["learning"],
        preferred=["small-group", "anonymous-ok"],
        near={"lat": ORIGIN[0], "lng": ORIGIN[1]},
    )
    assert result.components["preferred"] == 0.5
    assert result.components["distance"] == 1.0
    assert result.components["groups"] == 1.0
    assert result.score == 15 + 20 + 15 + 5 + 15 + 5


def test_a_listing_for_a_chosen_group_beats_one_for_the_age_group_only(vocabulary):
    for_futoko = candidate(name="B", targets={"futoko"})
    for_youth = candidate(name="A", targets={"youth"})
    results = run(vocabulary, [for_youth, for_futoko], age_band="13-18", targets=["futoko"])
    assert [r.candidate.name for r in results] == ["B", "A"]
    assert [r.components["groups"] for r in results] == [1.0, 0.5]


def test_better_fit_ranks_first_and_ties_are_deterministic(vocabulary):
    plain_b = candidate(name="B")
    plain_a = candidate(name="A")
    fitting = candidate(name="Z", categories={"salon"})
    results = run(vocabulary, [plain_b, fitting, plain_a], interests=["salon"])
    assert [r.candidate.name for r in results] == ["Z", "A", "B"]


def test_nearer_ranks_first(vocabulary):
    near = candidate(name="近い", point=(35.905, 139.40))
    far = candidate(name="遠い", point=(35.95, 139.40))
    results = run(vocabulary, [far, near], area="112345-01")
    assert [r.candidate.name for r in results] == ["近い", "遠い"]
    assert results[0].reasons[0] == "日時は団体にお問い合わせください"
    assert results[0].reasons[1] == "ひだまり小学校区の中心から約0.6km"


def test_at_most_two_listings_of_one_member_in_the_top_ten(vocabulary):
    busy = [candidate(member_id="busy", categories={"salon"}) for _ in range(5)]
    others = [candidate() for _ in range(10)]
    results = run(vocabulary, busy + others, interests=["salon"], limit=15)
    top_members = [r.candidate.member_id for r in results[:10]]
    assert top_members.count("busy") == 2
    assert top_members[:2] == ["busy", "busy"]
    assert [r.candidate.member_id for r in results[10:13]] == ["busy"] * 3


def test_diversity_holds_beyond_the_first_candidates_considered(vocabulary):
    busy = [candidate(member_id="busy", categories={"salon"}) for _ in range(60)]
    others = [candidate() for _ in range(12)]
    results = run(vocabulary, busy + others, interests=["salon"], limit=10)
    assert [r.candidate.member_id for r in results].count("busy") == 2


def varied_candidates(count):
    return [
        candidate(
            targets={("anyone", "youth", "older-people", "futoko", "children")[i % 5]},
            conditions={("free", "no-reservation", "anonymous-ok")[i % 3], "small-group"}
            if i % 2
            else {"free"},
            point=None if i % 11 == 0 else (35.90 + (i % 10) * 0.01, 139.40 + (i % 7) * 0.005),
            confidential=i % 11 == 0,
            online=i % 6 == 0,
            online_only=i % 22 == 0,
            slots=[
                slot(
                    i % 7,
                    f"{9 + i % 10}:00",
                    f"{11 + i % 10}:30",
                    TODAY + timedelta(days=1 + i % 20),
                )
            ]
            if i % 9
            else [],
            scheduled=i % 13 != 0,
            categories={("salon", "youth-space", "study-support")[i % 3]},
            member_id=f"m{i % 7}",
            last_verified=TODAY - timedelta(days=i * 3),
            text="将棋 カフェ" if i % 4 == 0 else "",
            age_min=(None, 12, 0, 65, None)[i % 5],
            age_max=(None, 18, 12, None, 29)[i % 5],
        )
        for i in range(300)
    ]


PROFILES = [
    {},
    {
        "age_band": "13-18",
        "targets": ["futoko"],
        "required": ["free"],
        "interests": ["youth-space"],
    },
    {"times": [{"weekday": 2, "from": "10:00", "to": "12:00"}], "area": "112345-01", "max_km": 3},
    {"age_band": "75-plus", "wants": ["companions"], "preferred": ["small-group", "free"]},
    {"online_ok": True, "area": "112345-02", "max_km": 1, "keywords": "将棋 カフェ"},
    {"near": {"lat": 35.93, "lng": 139.41}, "languages": ["vi"], "limit": 50},
    {"required": ["wheelchair"]},
    {"age_band": "19-29"},
    {"age_band": "40-64", "targets": ["futoko", "children"]},
    {"age_band": "75-plus", "targets": ["youth"], "preferred": ["family-ok"]},
]


@pytest.mark.parametrize("data", PROFILES)
def test_columns_and_one_by_one_agree(vocabulary, data):
    items = varied_candidates(300)
    fast = run(vocabulary, items, **data)
    slow = run(vocabulary, items, vectorised=False, **data)
    assert [(r.candidate.id, r.score) for r in fast] == [(r.candidate.id, r.score) for r in slow]
    if data != {"required": ["wheelchair"]}:
        assert fast


# --- reasons ---------------------------------------------------------------------------


def test_reasons_read_aloud(vocabulary):
    item = candidate(
        point=(35.9108, 139.40),  # ~1.2 km north
        conditions={"anonymous-ok", "no-reservation", "free"},
        targets={"futoko"},
        categories={"youth-space"},
        slots=[slot(2, "15:30", "17:30", date(2026, 12, 9)), slot(5, "10:00", "12:00", TODAY)],
        last_verified=date(2026, 10, 5),
        languages={"ja", "vi"},
    )
    [result] = run(
        vocabulary,
        [item],
        targets=["futoko"],
        wants=["ibasho"],
        times=[{"weekday": 2, "from": "15:00", "to": "18:00"}],
        near={"lat": ORIGIN[0], "lng": ORIGIN[1]},
        languages=["vi"],
    )
    assert result.reasons == (
        "水曜の夕方 15:30〜17:30に開催（次回 12月9日）",
        "指定した地点から約1.2km",
        "「ほっとできる居場所」に合います",
        "対象: 不登校",
        "匿名で参加できます",
        "予約不要",
        "無料",
        "ベトナム語で対応できます",
        "2026年10月に情報を確認済み",
    )
    assert result.next_occurrence.isoformat() == "2026-12-09T15:30:00+09:00"
    assert result.distance_km == 1.2


def test_online_only_reason(vocabulary):
    item = candidate(point=None, online=True, online_only=True, conditions={"online"})
    [result] = run(vocabulary, [item], online_ok=True, required=["online"])
    assert "オンラインで参加できます" in result.reasons
    assert result.reasons.count("オンラインで参加できます") == 1


def test_the_fitting_session_told_is_the_earliest(vocabulary):
    later_first = candidate(
        slots=[
            slot(5, "15:00", "17:00", date(2026, 12, 12)),
            slot(0, "15:00", "17:00", date(2026, 12, 7)),
        ]
    )
    times = [{"weekday": d, "from": "15:00", "to": "18:00"} for d in (0, 5)]
    [result] = run(vocabulary, [later_first], times=times)
    assert result.reasons[0] == "月曜の夕方 15:00〜17:00に開催（次回 12月7日）"


def test_weekly_slot_closed_on_holidays_gives_the_next_day_that_is_not_a_holiday():
    rule = Recurrence(
        "weekly", weekdays=(0,), start_time=time(10), end_time=time(12), closed_on_holidays=True
    )
    # 2027-01-11 is 成人の日: the next Monday session after 5 January is the 18th.
    assert slots_from_rules([rule], date(2027, 1, 5)) == (Slot(0, 600, 720, date(2027, 1, 18)),)
