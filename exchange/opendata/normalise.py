"""Cell-level readers for municipal open data: codes, phones, coordinates, yes/no, fees, dates.

Two kinds of normalisation, on purpose:
- identifiers and numbers (codes, IDs, phones, postal codes, coordinates, dates, times) are
  NFKC-normalised: 全角 digits, 全角 hyphens and 半角カナ carry no meaning there;
- free text (names, descriptions, fees, schedules) only gets 半角カナ widened and its padding
  trimmed. Full NFKC would rewrite ① to 1, ㈱ to (株) and ～ to ~, changing what people wrote.
Pure functions: no database.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, time
from decimal import Decimal, InvalidOperation

from directory.listings.ages import AGE_LIMIT, age_range_errors
from directory.listings.schedules import END_OF_DAY
from directory.listings.validators import (
    JAPAN_LAT,
    JAPAN_LNG,
    local_government_check_digit,
)

PADDING = " \t\r\n\u3000\u00a0\ufeff"
HYPHENS = re.compile("[‐‑‒–—―−ー－ｰ─━~〜～]")
HALFWIDTH_KANA = re.compile("[\uff61-\uff9f]+")


def clean_text(value: str | None) -> str:
    """Free text: padding trimmed, 半角カナ widened, nothing else changed."""
    if not value:
        return ""
    value = value.replace("\ufeff", "").strip(PADDING)
    return HALFWIDTH_KANA.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), value)


def clean_identifier(value: str | None) -> str:
    """Codes, numbers and kana: NFKC, hyphen look-alikes → '-', no inner spaces."""
    value = unicodedata.normalize("NFKC", clean_text(value))
    return re.sub("\\s+", "", HYPHENS.sub("-", value))


def clean_kana(value: str | None) -> str:
    """Kana readings: NFKC (半角カナ → 全角) but the 長音 ー stays a 長音."""
    return unicodedata.normalize("NFKC", clean_text(value))


def clean_header(value: str) -> str:
    """Headers compare after NFKC without spaces: 料金（基本） = 料金(基本), ＩＤ = ID."""
    return re.sub("\\s+", "", unicodedata.normalize("NFKC", value.replace("\ufeff", ""))).upper()


# -- identifiers -------------------------------------------------------------------------------


def local_government_code(value: str) -> tuple[str, str]:
    """(6-digit code, problem). Five digits get their check digit; a wrong one is a problem."""
    digits = clean_identifier(value)
    if not digits:
        return "", ""
    if not digits.isdigit() or len(digits) not in (5, 6):
        return "", f"全国地方公共団体コード「{value}」は6桁（または5桁）の数字ではありません。"
    if len(digits) == 5:
        return digits + str(local_government_check_digit(digits)), ""
    if int(digits[5]) != local_government_check_digit(digits[:5]):
        return "", f"全国地方公共団体コード「{value}」の検査数字が一致しません。"
    return digits, ""


def prefecture_code(code: str) -> str:
    body = code[:2] + "000"
    return body + str(local_government_check_digit(body))


def phone_number(value: str) -> tuple[str, str]:
    """(normalised phone, problem). Japanese numbers have 10 or 11 digits (0120 etc. included)."""
    text = clean_identifier(value)
    if not text:
        return "", ""
    text = re.sub("[()]", "-", text).strip("-").replace("--", "-")
    digits = re.sub("\\D", "", text)
    if not re.fullmatch("[0-9+\\-]+", text) or not 10 <= len(digits) <= 11:
        return "", f"電話番号「{value}」の形式が読み取れません。"
    return text[:30], ""


def postal_code(value: str) -> tuple[str, str]:
    digits = re.sub("\\D", "", clean_identifier(value).replace("〒", ""))
    if not digits:
        return "", ""
    if len(digits) != 7:
        return "", f"郵便番号「{value}」は7桁ではありません。"
    return f"{digits[:3]}-{digits[3:]}", ""


SWAPPED_COORDINATES = "緯度と経度が入れ替わっていたため、入れ替えて取り込みました。"


def coordinates(lat_text: str, lng_text: str) -> tuple[Decimal | None, Decimal | None, str]:
    """(lat, lng, problem). Swapped columns are swapped back (and said); outside Japan is dropped."""
    lat_raw, lng_raw = clean_identifier(lat_text), clean_identifier(lng_text)
    if not lat_raw and not lng_raw:
        return None, None, ""
    try:
        lat = Decimal(lat_raw.rstrip("°")).quantize(Decimal("0.000001"))
        lng = Decimal(lng_raw.rstrip("°")).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError):
        return None, None, f"緯度・経度「{lat_text}」「{lng_text}」が数値ではありません。"

    def in_japan(la: Decimal, ln: Decimal) -> bool:
        return JAPAN_LAT[0] <= la <= JAPAN_LAT[1] and JAPAN_LNG[0] <= ln <= JAPAN_LNG[1]

    if in_japan(lat, lng):
        return lat, lng, ""
    if in_japan(lng, lat):
        return lng, lat, SWAPPED_COORDINATES
    return None, None, f"緯度・経度「{lat_text}」「{lng_text}」が日本国内の位置ではありません。"


# -- yes / no ----------------------------------------------------------------------------------

YES = {
    "有",
    "有り",
    "あり",
    "○",
    "〇",
    "◯",
    "可",
    "実施",
    "実施中",
    "はい",
    "1",
    "TRUE",
    "YES",
    "Y",
}
NO = {"無", "無し", "なし", "×", "✕", "不可", "未実施", "いいえ", "0", "FALSE", "NO", "N", "-"}


def yes_no(value: str) -> bool | None:
    """True / False for the usual marks; None for empty or anything else (kept as text)."""
    text = clean_identifier(value).upper()
    if text in YES:
        return True
    if text in NO:
        return False
    if text.endswith(("不可", "なし", "無し", "未実施")):
        return False
    if text.startswith(("あり", "有", "実施", "○", "〇")) or text.endswith(
        ("あり", "有り", "実施")
    ):
        return True
    return None


# -- dates and times ---------------------------------------------------------------------------


def parse_date(value: str) -> date | None:
    """2026-12-05, 2026/12/5, 2026年12月5日, 令和8年12月5日, R8.12.5 (None when unreadable)."""
    text = clean_identifier(value)
    if not text:
        return None
    era = re.fullmatch(
        "(?:令和|R)(\\d{1,2}|元)[年.\\-/](\\d{1,2})[月.\\-/](\\d{1,2})日?(?:\\(.\\))?", text
    )
    western = re.fullmatch("(\\d{4})[年.\\-/](\\d{1,2})[月.\\-/](\\d{1,2})日?(?:\\(.\\))?", text)
    try:
        if era:
            year = 2018 + (1 if era.group(1) == "元" else int(era.group(1)))
            return date(year, int(era.group(2)), int(era.group(3)))
        if western:
            return date(*(int(g) for g in western.groups()))
    except ValueError:
        return None
    return None


def parse_time(value: str) -> time | None:
    """10:00, 10:00:00, １０：００, 10時, 10時30分 (None when unreadable)."""
    text = clean_identifier(value)
    match = re.fullmatch("(\\d{1,2})(?::(\\d{2})(?::\\d{2})?|時(?:(\\d{1,2})分)?)", text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or match.group(3) or 0)
    if hour == 24 and minute == 0:
        return END_OF_DAY
    return time(hour, minute) if hour < 24 and minute < 60 else None


# -- fees, reservation, targets ----------------------------------------------------------------

LOW_COST_LIMIT = 500
FREE_WORDS = re.compile("無料|無償|(?<![\\d,])0円|タダ|ただ[でし]")
DONATION_WORDS = re.compile("カンパ|寄付|寄附|投げ銭|任意|実費|お気持ち")


@dataclass(frozen=True)
class FeeReading:
    cost_type: str  # "" | free | paid | varies (directory.models.CostType values)
    conditions: frozenset[str] = field(default_factory=frozenset)


def read_fee(*texts: str) -> FeeReading:
    """「16歳未満：無料 16歳以上：200円」 → varies + low-cost; 「無料」 → free; 「300円」 → paid + low-cost.

    Free only when nobody pays; low-cost when nobody pays more than 500 yen.
    """
    text = unicodedata.normalize("NFKC", " ".join(t for t in texts if t))
    text = text.replace("ワンコイン", "500円")
    amounts = [
        int(amount.replace(",", ""))
        for pair in re.findall("[¥￥]\\s*(\\d[\\d,]*)|(\\d[\\d,]*)\\s*円", text)
        for amount in pair
        if amount
    ]
    free = bool(FREE_WORDS.search(text)) or (bool(amounts) and max(amounts) == 0)
    paid = [a for a in amounts if a > 0]
    if not text.strip():
        return FeeReading("")
    if free and not paid:
        return FeeReading("free", frozenset({"free"}))
    if not paid:
        return FeeReading("varies" if DONATION_WORDS.search(text) else "")
    low = frozenset({"low-cost"}) if max(paid) <= LOW_COST_LIMIT else frozenset()
    if free or len(set(paid)) > 1 or DONATION_WORDS.search(text):
        return FeeReading("varies", low)
    return FeeReading("paid", low)


NOT_NEEDED = re.compile(
    "(?:予約|申込み?|申し込み|事前連絡)?(?:は|が)?(?:不要|いりません|なし|無し)|自由参加|当日参加|直接お越し|そのまま"
)
NEEDED = re.compile(
    "要予約|要申込|予約制|必要|事前(?:に)?(?:予約|申込|申し込み|登録|連絡)|予約してください|申込制|(?:電話|メール|フォーム|LINE|FAX)(?:で|にて|から)?(?:の)?(?:予約|申込|申し込み)"
)


def read_reservation(text: str) -> tuple[frozenset[str], str]:
    """(conditions, problem): no-reservation, reservation-required, or a contradiction noted."""
    text = unicodedata.normalize("NFKC", text or "")
    not_needed = bool(NOT_NEEDED.search(text))
    needed = bool(NEEDED.search(NOT_NEEDED.sub("", text)))
    if not_needed and needed:
        return frozenset(), f"予約方法「{text}」に予約不要と要予約の両方が書かれています。"
    if not_needed:
        return frozenset({"no-reservation"}), ""
    if needed:
        return frozenset({"reservation-required"}), ""
    return frozenset(), ""


TARGET_WORDS: list[tuple[str, str]] = [
    ("どなたでも|誰でも|だれでも|どなたも|地域の方|地域住民|一般|制限なし|どなたでもOK", "anyone"),
    ("子ども|子供|こども|児童|小学生|中学生|幼児|未就学", "children"),
    ("高校生|若者|青年|大学生|10代|20代", "youth"),
    ("親子|保護者|子育て|乳幼児|妊婦|妊娠", "parents"),
    ("高齢|シニア|お年寄り|65歳以上|70歳以上", "older-people"),
    ("障害|障がい|障碍", "disability"),
    ("ひきこもり|引きこもり", "hikikomori"),
    ("不登校", "futoko"),
    ("女性|母親", "women"),
    ("外国|多文化|日本語を学", "foreign-roots"),
    ("ひとり親|一人親|母子|父子", "single-parents"),
    ("生活困窮|困っている", "low-income"),
    ("ヤングケアラー", "young-carers"),
    ("家族を介護|介護している|介護者", "family-carers"),
    ("性のあり方|LGBT|性的マイノリティ", "lgbtq"),
]


def read_targets(text: str) -> frozenset[str]:
    """Target slugs named in a 対象者 cell (親子 also means family-ok, added by the caller)."""
    text = unicodedata.normalize("NFKC", text or "")
    return frozenset(slug for words, slug in TARGET_WORDS if re.search(words, text))


@dataclass(frozen=True)
class AgeReading:
    """An age range read from a cell (None: open on that side), or why none was read."""

    age_min: int | None = None
    age_max: int | None = None
    problem: str = ""

    @property
    def stated(self) -> bool:
        return self.age_min is not None or self.age_max is not None


_AGE = "(\\d{1,3})\\s*[歳才]"
# One statement of an age range, in the forms people write unambiguously (after NFKC):
# 6歳〜12歳, 6〜12歳, 6歳から12歳まで / 65歳以上, 6歳から, 6歳〜 (at the end) / 18歳以下, 18歳まで
# / 18歳未満 / a cell that is only 「6歳」, or 「(6歳)」 as the exporter writes one age.
AGE_EXPRESSION = re.compile(
    "(?P<range>(\\d{1,3})\\s*[歳才]?\\s*(?:[〜~\\-ー－–]|から)\\s*" + _AGE + "\\s*(?:まで|以下)?)"
    "|(?P<lower>" + _AGE + "\\s*(?:以上|から|[〜~]\\s*$))"
    "|(?P<upper>" + _AGE + "\\s*(?:以下|まで))"
    "|(?P<below>" + _AGE + "\\s*未満)"
    "|(?P<only>^\\s*" + _AGE + "\\s*$|\\(\\s*" + _AGE + "\\s*\\))"
)
# Words that make an age a condition on someone else (「6歳未満は保護者同伴」) or only a rough
# guide (「おおむね65歳以上」): a hard range would then exclude people the listing welcomes.
NOT_A_RANGE = re.compile(
    "同伴|付き添|付添|保護者|除く|以外|不可|要相談|おおむね|概ね|程度|くらい|ぐらい|前後|目安|頃"
)
RANGE_SEPARATOR = re.compile("[〜~\\-ー－–]|から")


def read_age_range(text: str, label: str = "対象") -> AgeReading:
    """The 対象年齢 a cell states, only when it states exactly one range unambiguously.

    Anything else (two ranges, 「小学生」, 「3歳児」, 「中学生〜18歳」, an age that is a
    condition such as 「6歳未満は保護者同伴」) reads as no range; `problem` says so when the
    cell mentions an age at all, so the member can enter it in the editor. Never guessed.
    """
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not re.search("[歳才]", text):
        return AgeReading()
    unreadable = AgeReading(
        problem=f"{label}「{text}」の年齢は読み取れないため、対象年齢は空のままにしました"
        "（編集画面の「対象年齢」で入力してください）。"
    )
    matches = list(AGE_EXPRESSION.finditer(text))
    if len(matches) != 1 or NOT_A_RANGE.search(text):
        return unreadable
    match = matches[0]
    before, after = text[: match.start()].rstrip(), text[match.end() :]
    if (
        re.search("[歳才]", before + after)  # another age beside it
        or RANGE_SEPARATOR.search(before[-2:] if before.endswith("から") else before[-1:])
        or re.match("\\s*[〜~\\-ー－–]", after)  # 「中学生〜18歳」, 「6歳以上〜中学生」
        or re.match("\\s*(?:の(?:方|人|子|お子さん|かた))?\\s*は", after)  # 「18歳以上は…」
    ):
        return unreadable
    groups = [int(g) for g in match.groups()[1:] if g and g.isdigit()]
    kind = match.lastgroup
    if kind == "range":
        low, high = groups[0], groups[1]
    elif kind == "lower":
        low, high = groups[0], None
    elif kind == "upper":
        low, high = None, groups[0]
    elif kind == "below":
        low, high = None, groups[0] - 1
    else:
        low, high = groups[0], groups[0]
    if any(age is not None and not 0 <= age <= AGE_LIMIT for age in (low, high)) or (
        age_range_errors(low, high)
    ):
        return unreadable
    return AgeReading(low, high)
