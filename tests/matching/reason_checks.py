"""Checks of each reason a match result gives, read back against the profile and listing.

Shared by the reason-consistency tests (generated listings) and the demo scenarios: each
reason is parsed from its Japanese text, never compared with the code that wrote it.
"""

import re
from datetime import date

from core.geo import haversine_km
from directory.listings.ages import age_range_label
from matching.profile import WEEKDAY_NAMES
from matching.reasons import CONDITION_PHRASES

# The /match/ form's periods (matching.forms.PERIODS), as a coordinator picks them.
FORM_PERIODS = {
    "午前": ("09:00", "12:00"),
    "午後": ("12:00", "15:00"),
    "夕方": ("15:00", "18:00"),
    "夜": ("18:00", "21:00"),
}
# The times of day a reason may name, as minutes [start, end).
PERIODS = {
    "朝": (0, 540),
    "午前": (540, 720),
    "午後": (720, 900),
    "夕方": (900, 1080),
    "夜": (1080, 1440),
}
SESSION = re.compile(
    r"^(?P<weekday>.)曜(?:の(?P<period>朝|午前|午後|夕方|夜))? "
    r"(?P<start>\d+):(?P<start_m>\d\d)〜(?P<end>\d+):(?P<end_m>\d\d)に開催"
    r"（次回 (?P<month>\d+)月(?P<day>\d+)日）$"
)
ALL_DAY = re.compile(r"^(?P<weekday>.)曜に終日開催（次回 (?P<month>\d+)月(?P<day>\d+)日）$")
DISTANCE = re.compile(r"^(?P<origin>.+)から約(?P<km>\d+\.\d)km$")


def minutes(hours: str, mins: str) -> int:
    return int(hours) * 60 + int(mins)


def check_session(reason: str, result, profile, today: date) -> bool:
    """Whether the reason is a session; asserts it is one the profile's windows accept."""
    found = SESSION.match(reason) or ALL_DAY.match(reason)
    if not found:
        return False
    weekday = WEEKDAY_NAMES.index(found["weekday"])
    next_day = date(
        today.year + (int(found["month"]) < today.month), int(found["month"]), int(found["day"])
    )
    assert next_day.weekday() == weekday, reason
    if "start" in found.groupdict():
        start, end = (
            minutes(found["start"], found["start_m"]),
            minutes(found["end"], found["end_m"]),
        )
    else:
        start, end = 0, 24 * 60
    assert any(
        (s.weekday, s.start, s.end, s.next_day) == (weekday, start, end, next_day)
        for s in result.candidate.slots
    ), reason
    windows = [w for w in profile.times if w.weekday == weekday]
    if profile.times:
        assert any(w.start < end and start < w.end for w in windows), (reason, profile.times)
    period = found.groupdict().get("period")
    if period:
        first, last = PERIODS[period]
        assert first <= start < last, reason  # the session begins in the named time of day
        if profile.times:  # ... and so does a part of it inside a chosen window
            assert any(
                first <= max(start, w.start) < last and w.start < end and start < w.end
                for w in windows
            ), (
                reason,
                profile.times,
            )
    return True


def check_distance(reason: str, result, profile, vocabulary) -> bool:
    found = DISTANCE.match(reason)
    if not found:
        return False
    assert profile.near or profile.area, reason
    if profile.near:
        assert found["origin"] == "指定した地点"
        origin = (profile.near.lat, profile.near.lng)
    else:
        assert found["origin"] == f"{vocabulary.areas[profile.area]}の中心"
        origin = vocabulary.area_points[profile.area]
    assert not result.candidate.confidential
    exact = haversine_km(*origin, *result.candidate.point)
    assert abs(float(found["km"]) - exact) <= 0.051, (reason, exact)
    return True


def labels(text: str, names: dict[str, str]) -> set[str]:
    """The slugs of 「A・B」: labels joined by ・ (labels may hold a ・ themselves)."""
    if not text:
        return set()
    for slug, label in names.items():
        if text == label:
            return {slug}
        if text.startswith(label + "・"):
            try:
                return {slug, *labels(text[len(label) + 1 :], names)}
            except AssertionError:
                continue
    raise AssertionError(f"not labels of the vocabulary: {text}")


def check_other(reason: str, result, profile, vocabulary, today: date) -> str:
    """Every other reason, checked against the listing and the profile; its kind."""
    listing = result.candidate
    if reason == "日時は団体にお問い合わせください":
        assert not listing.scheduled
        return "ask"
    if reason == "オンラインで参加できます":
        assert listing.online and (listing.online_only or "online" in listing.conditions)
        return "online"
    if reason.endswith("で開催（場所は申し込み後に案内）"):
        assert listing.confidential and reason.startswith(listing.area_name)
        return "area only"
    if found := re.fullmatch(r"関心のある「(.+)」の活動です", reason):
        chosen = labels(found[1], vocabulary.categories)
        assert chosen <= set(profile.interests) & listing.categories, reason
        return "interest"
    if found := re.fullmatch(r"「(.+)」に合います", reason):
        assert labels(found[1], vocabulary.wants) <= set(profile.wants), reason
        return "want"
    if found := re.fullmatch(r"対象: (.+)", reason):
        named = labels(found[1], vocabulary.targets)
        assert named <= listing.targets & profile.groups, reason
        return "target"
    if found := re.fullmatch(r"対象年齢 (.+)", reason):
        assert found[1] == age_range_label(listing.age_min, listing.age_max)
        return "ages"
    if found := re.fullmatch(r"(.+)で対応できます", reason):
        assert labels(found[1], vocabulary.languages) <= set(profile.languages) & listing.languages
        return "language"
    if found := re.fullmatch(r"(\d+)年(\d+)月に情報を確認済み", reason):
        verified = listing.last_verified
        assert (verified.year, verified.month) == (int(found[1]), int(found[2]))
        assert (today - verified).days <= 366
        return "verified"
    conditions = [c for c, phrase in CONDITION_PHRASES.items() if phrase == reason]
    assert conditions, f"a reason no check knows: {reason}"
    assert set(conditions) & listing.conditions, reason  # the listing says so itself
    return "condition"


def check_every_reason(result, profile, vocabulary, today: date) -> list[str]:
    """The kind of each reason of one result, each checked against the profile."""
    kinds = []
    for reason in result.reasons:
        if check_session(reason, result, profile, today):
            kinds.append("session")
        elif check_distance(reason, result, profile, vocabulary):
            kinds.append("distance")
        else:
            kinds.append(check_other(reason, result, profile, vocabulary, today))
    listing = result.candidate
    if (profile.near or profile.area) and listing.point and not listing.confidential:
        assert "distance" in kinds, result.reasons  # a public point and an origin: say how far
    if not (profile.near or profile.area):
        assert not any("km" in reason for reason in result.reasons)
        assert result.distance_km is None
    return kinds
