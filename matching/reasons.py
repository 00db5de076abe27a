"""The Japanese reasons that come with every suggestion, to be read aloud by a coordinator.

Only wording: which listings are suggested is constraints.py and scoring.py; this module says
why in plain sentences, most decisive first.
"""

from __future__ import annotations

from collections.abc import Mapping

from matching.candidates import Candidate, Slot
from matching.constraints import Context, fitting_slot
from matching.profile import WANT_CATEGORIES, WEEKDAY_NAMES, NeedsProfile, Vocabulary

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


def time_of_day(minutes: int) -> str:
    if minutes < 10 * 60:
        return "朝"
    if minutes < 12 * 60:
        return "午前"
    if minutes < 15 * 60:
        return "午後"
    if minutes < 18 * 60:
        return "夕方"
    return "夜"


def describe_slot(slot: Slot) -> str:
    """「水曜の夕方に開催（次回 12月10日）」."""
    weekday = f"{WEEKDAY_NAMES[slot.weekday]}曜"
    when = weekday if slot.all_day else f"{weekday}の{time_of_day(slot.start)}"
    return f"{when}に開催（次回 {slot.next_day.month}月{slot.next_day.day}日）"


def reasons(
    candidate: Candidate, context: Context, vocabulary: Vocabulary, distance: float | None
) -> list[str]:
    """Japanese sentences a coordinator can read aloud, most decisive first."""
    profile = context.profile
    told: list[str] = []
    slot = shown_slot(candidate, profile)
    if slot is not None:
        told.append(describe_slot(slot))
    elif not candidate.scheduled:
        told.append("日時は団体にお問い合わせください")
    if candidate.online_only:
        told.append("オンラインで参加できます")
    elif candidate.confidential:
        told.append(f"{candidate.area_name}で開催（場所は申し込み後に案内）")
    elif distance is not None:
        told.append(f"約{distance:.1f}km")
    interests = [s for s in profile.interests if s in candidate.categories]
    if interests:
        told.append(f"関心のある「{_labels(interests, vocabulary.categories)}」の活動です")
    wants = [w for w in profile.wants if WANT_CATEGORIES.get(w, frozenset()) & candidate.categories]
    if wants:
        told.append(f"「{_labels(wants, vocabulary.wants)}」に合います")
    groups = sorted(candidate.targets & context.groups, key=list(vocabulary.targets).index)
    if groups:
        told.append(f"対象: {_labels(groups, vocabulary.targets)}")
    asked = [*profile.required, *profile.preferred, *ALWAYS_TOLD]
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
