"""The Japanese reasons that come with every suggestion, to be read aloud by a coordinator.

Only wording: which listings are suggested is constraints.py and scoring.py; this module says
why in plain sentences, most decisive first.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from directory.listings.ages import age_range_label
from matching.candidates import Candidate, Slot
from matching.constraints import FAMILY_OK, Context, fitting_slot
from matching.profile import (
    ADULT_BANDS,
    CHILD_BANDS,
    TARGET_AGE_BANDS,
    WANT_CATEGORIES,
    WEEKDAY_NAMES,
    NeedsProfile,
    TimeWindow,
    Vocabulary,
)

# Conditions always worth telling when a listing has them, even if not asked for.
ALWAYS_TOLD = ("anonymous-ok", "no-reservation", "free")
CONDITION_PHRASES: dict[str, str] = {
    "anonymous-ok": "匿名で参加できます",
    "no-reservation": "予約不要",
    "reservation-required": "予約が必要です",
    "free": "無料",
    "low-cost": "参加費は500円以下です",
    "solo-ok": "一人でも参加できます",
    "small-group": "少人数の集まりです",
    "drop-in": "出入り自由です",
    "visit-only-ok": "見学だけでも大丈夫です",
    "family-ok": "親子で参加できます",
    "wheelchair": "車いすで利用できます",
    "online": "オンラインで参加できます",
    "phone-sns": "電話やSNSでも相談できます",
    "evening-weekend": "夜間や休日も利用できます",
    "meal": "食事があります",
    "takeout": "テイクアウト・配食があります",
    "multilingual": "多言語・やさしい日本語に対応しています",
    "open-area": "地域外からも参加できます",
}


def shown_slot(candidate: Candidate, profile: NeedsProfile) -> Slot | None:
    """The session to tell about: the first that fits the person's times, else the next one."""
    slot = fitting_slot(candidate, profile) if profile.times else None
    return slot or (candidate.slots[0] if candidate.slots else None)


# Times of day as the /match/ form offers them (matching.forms.PERIODS): 朝 before 9時.
PERIOD_STARTS = ((18 * 60, "夜"), (15 * 60, "夕方"), (12 * 60, "午後"), (9 * 60, "午前"))


def time_of_day(minutes: int) -> str:
    return next((name for start, name in PERIOD_STARTS if minutes >= start), "朝")


def clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


def describe_slot(slot: Slot, windows: Sequence[TimeWindow] = ()) -> str:
    """「水曜の夕方 15:30〜17:30に開催（次回 12月10日）」, from the same facts as the constraint.

    The time of day is named only when the session begins in it *and*, with chosen windows,
    the part that fits a window begins in it too: a 10:00〜12:30 session found for 午後 is
    「土曜 10:00〜12:30」, never 「土曜の午前」.
    """
    weekday = f"{WEEKDAY_NAMES[slot.weekday]}曜"
    upcoming = f"次回 {slot.next_day.month}月{slot.next_day.day}日"
    if slot.all_day:
        return f"{weekday}に終日開催（{upcoming}）"
    period = time_of_day(slot.start)
    fits = [
        max(slot.start, window.start)
        for window in windows
        if window.weekday == slot.weekday and window.start < slot.end and slot.start < window.end
    ]
    named = not windows or any(time_of_day(start) == period for start in fits)
    when = f"{weekday}の{period}" if named else weekday
    return f"{when} {clock(slot.start)}〜{clock(slot.end)}に開催（{upcoming}）"


def reasons(
    candidate: Candidate, context: Context, vocabulary: Vocabulary, distance: float | None
) -> list[str]:
    """Japanese sentences a coordinator can read aloud, most decisive first."""
    profile = context.profile
    told: list[str] = []
    slot = shown_slot(candidate, profile)
    if slot is not None:
        told.append(describe_slot(slot, profile.times))
    elif not candidate.scheduled:
        told.append("日時は団体にお問い合わせください")
    if candidate.online_only:
        told.append("オンラインで参加できます")
    elif candidate.confidential:
        told.append(f"{candidate.area_name}で開催（場所は申し込み後に案内）")
    elif distance is not None and context.origin_name:
        told.append(f"{context.origin_name}から約{distance:.1f}km")
    interests = [s for s in profile.interests if s in candidate.categories]
    if interests:
        told.append(f"関心のある「{_labels(interests, vocabulary.categories)}」の活動です")
    wants = [w for w in profile.wants if WANT_CATEGORIES.get(w, frozenset()) & candidate.categories]
    if wants:
        told.append(f"「{_labels(wants, vocabulary.wants)}」に合います")
    groups = sorted(candidate.targets & context.groups, key=list(vocabulary.targets).index)
    if groups:
        told.append(f"対象: {_labels(groups, vocabulary.targets)}")
    ages = age_range_label(candidate.age_min, candidate.age_max)
    if ages:
        told.append(f"対象年齢 {ages}")
    together = [FAMILY_OK] if context.others else []  # a two-person profile: can both come?
    asked = [*profile.required, *profile.preferred, *together, *ALWAYS_TOLD]
    for condition in dict.fromkeys(asked):
        if condition in candidate.conditions and not (
            condition == "online" and candidate.online_only
        ):
            told.append(CONDITION_PHRASES.get(condition, vocabulary.conditions.get(condition, "")))
    languages = [code for code in profile.languages if code in candidate.languages]
    if languages:
        told.append(f"{_labels(languages, vocabulary.languages)}で対応できます")
    if candidate.last_verified and (context.today - candidate.last_verified).days <= 366:
        told.append(
            f"{candidate.last_verified.year}年{candidate.last_verified.month}月に情報を確認済み"
        )
    return [reason for reason in told if reason]


def _labels(slugs: list[str], labels: Mapping[str, str]) -> str:
    return "・".join(labels.get(slug, slug) for slug in slugs)


def how_chosen(profile: NeedsProfile, vocabulary: Vocabulary) -> str:
    """When the age band and a chosen target point to two people, how results were chosen.

    Shown above the results and sent as `note` by the API, so nobody reads a parent's
    results as a child's (or the reverse).
    """
    others = sorted(profile.others, key=list(vocabulary.targets).index)
    if not others:
        return ""
    band = vocabulary.age_bands.get(profile.age_band, profile.age_band)
    names = _labels(others, vocabulary.targets)
    other_bands = set().union(*(TARGET_AGE_BANDS[target] for target in others))
    if profile.age_band in ADULT_BANDS and other_bands <= CHILD_BANDS:
        chosen = f"保護者と子どもが一緒に参加できる場所と、{names}向けの場所"
    elif profile.age_band in CHILD_BANDS and other_bands <= ADULT_BANDS:
        chosen = f"子どもと{names}が一緒に参加できる場所と、子ども向けの場所"
    else:
        chosen = f"{band}の方か{names}の方が参加できる場所"
    return (
        f"年代「{band}」と対象「{names}」は別の方のことと考えて、{chosen}を選びました"
        "（一緒に参加できる場所を上に表示します）。"
    )
