"""Detectors for contact details, numbers and addresses (on the normalised text).

Each detector yields (kind, start, end) in the coordinates of the normalised text. Numbers
are read on the digit view (kanji digits and O/I look-alikes as digits), so one pattern
covers 090-1234-5678, ０９０‐１２３４‐５６７８, 〇九〇の一二三四の五六七八 and O9O/1234/5678.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from core.pii.kinds import Kind
from core.pii.normalise import Normalised

Span = tuple[Kind, int, int]

# --- phone numbers -----------------------------------------------------------------------
# Any separator people use between digit groups: - . / _ ~ 〜 spaces, brackets, の.
_PHONE_SEP = r"[-\s./()_~〜（）の・]"
_NUMBER_RUN = re.compile(rf"(?<![\d])(\+?\d(?:{_PHONE_SEP}{{0,3}}\d){{8,}})(?![\d])")
_LOCAL_PHONE = re.compile(r"(?<![\d\-:/])(\d{4})-(\d{4})(?![\d\-:/])")

# --- e-mail, including the obfuscated forms ---------------------------------------------
_AT = r"\s*(?:@|[\[(<{]\s*(?:at|アットマーク|アット)\s*[\])>}]|\s(?:at)\s|アットマーク|アット|あっと)\s*"
_DOT = r"\s*(?:\.|[\[(<{]\s*(?:dot|ドット|\.)\s*[\])>}]|\s(?:dot)\s|ドット|どっと)\s*"
_EMAIL = re.compile(
    rf"[A-Za-z0-9._%+\-]+{_AT}[A-Za-z0-9\-]+(?:{_DOT}[A-Za-z0-9\-]+)*{_DOT}[A-Za-z]{{2,}}",
    re.IGNORECASE,
)

# --- postal codes and street addresses --------------------------------------------------
_POSTAL = re.compile(
    r"〒\s*\d{3}[-\s]?\d{4}|(?<![\d\-:/])\d{3}-\d{4}(?![\d\-:/])|郵便番号\D{0,3}\d{3}-?\d{4}"
)
# A 丁目 alone (「1丁目の集会所」) names hundreds of households; a 番地/号 or N-N names one.
_TOWN = r"(?:[一-龥々ぁ-んァ-ヶ]{1,10}(?:町|村|台|丘|条|通り?|新田|字|丁目))"
_ADDRESS = re.compile(
    rf"{_TOWN}\s*\d{{1,4}}(?:-\d{{1,4}}){{1,3}}(?![\d:])"
    r"|\d+\s*丁目\s*-?\s*\d+\s*(?:番地?|-|の)?"
    r"|\d+\s*番地(?:\s*の?\s*\d+)?"
    r"|\d+\s*条\s*[東西南北]\s*\d+\s*(?:丁目)?\s*(?:-|番地?)\s*\d+"
    r"|\d+\s*番\s*\d+\s*号"
    r"|\d+\s*号室"
    r"|(?<![\d\-:/.])\d{1,4}-\d{1,4}-\d{1,4}(?![\d\-:/.])"
)

# --- identity, insurance, pension, bank, licence and car numbers -------------------------
# A keyword, a few characters, then a number that is not a date, time, amount or count.
_UNIT_AFTER = re.compile(r"\s*(?:月|日|時|年|歳|才|回|円|万|人|件|分|階|名|%|kg|km|cm|[:：/.]\d)")


def _keyword_number(keywords: str) -> re.Pattern[str]:
    """A keyword, then a number; the keyword's ー also matches the digit view's '-'."""
    keywords = keywords.replace("ー", "[ー-]")
    return re.compile(
        rf"(?:{keywords})[^。\n\d]{{0,14}}?\d[\d\-\s・]*(?:[^。\n\d:：/.]{{0,4}}\d[\d\-\s・]*){{0,2}}",
    )


_ID_NUMBERS: tuple[tuple[Kind, re.Pattern[str]], ...] = (
    (Kind.MY_NUMBER, _keyword_number(r"マイナンバー|個人番号|マイナ")),
    (Kind.BANK_ACCOUNT, _keyword_number(r"口座|ゆうちょ|支店|普通預金|当座")),
    (
        Kind.INSURANCE_NUMBER,
        _keyword_number(
            r"保険証|被保険者|資格確認書|保険者番号|記号(?=\s*\d)|記号\s*[・/と]?\s*番号"
        ),
    ),
    (Kind.PENSION_NUMBER, _keyword_number(r"年金(?:番号|手帳|証書)|基礎年金|年金の番号")),
    (Kind.LICENSE_NUMBER, _keyword_number(r"免許証?(?:の)?(?:番号)?")),
    (Kind.CAR_PLATE, _keyword_number(r"ナンバー(?:プレート)?|車両番号")),
)
_MIN_ID_DIGITS = 4
_CAR_PLATE = re.compile(
    r"[一-龥]{1,4}\s*\d{2,3}\s*[ぁ-んァ-ン]\s*(?:\d{1,2}-\d{2}|\d{3,4}|[・.]{1,3}\d{1,3})"
)
_TWELVE_DIGITS = re.compile(r"(?<![\d\-])(\d{4}[-\s]?\d{4}[-\s]?\d{4})(?![\d\-])")

# --- dates of birth ---------------------------------------------------------------------
_ERA_LETTER = {"M": "明治", "T": "大正", "S": "昭和", "H": "平成", "R": "令和"}
_FULL_DATE = re.compile(
    r"(?P<era>明治|大正|昭和|平成|令和)?\s*(?P<year>\d{1,4}|元)\s*年\s*(?P<month>\d{1,2})\s*月"
    r"(?:\s*(?P<day>\d{1,2})\s*日)?"
    r"|(?P<letter>[MTSHR])\s*(?P<lyear>\d{1,2})[./](?P<lmonth>\d{1,2})[./](?P<lday>\d{1,2})"
    r"|(?<!\d)(?P<wyear>(?:19|20)\d{2})[./-](?P<wmonth>\d{1,2})[./-](?P<wday>\d{1,2})(?!\d)",
    re.IGNORECASE,
)
_BIRTH_WORDS = re.compile(r"生まれ|生年月日|誕生日|出生|生\b|(?<=日)生")
_FOUNDING_WORDS = re.compile(
    r"^.{0,4}(設立|創立|開設|開始|設置|発足|創業|開所|法人化|認証|開館|開催|予定)"
)
_ERA_ONLY_BIRTH = re.compile(r"(明治|大正|昭和|平成|令和)\s*(\d{1,2}|元)\s*年\s*(生まれ|生)")

# --- SNS ids ----------------------------------------------------------------------------
_SNS = re.compile(
    r"(?<![A-Za-z])(?:line|ライン|twitter|ツイッター|instagram|インスタ(?:グラム)?|tiktok|ティックトック"
    r"|facebook|フェイスブック|discord|ディスコード|skype|スカイプ|threads|youtube|ユーチューブ)"
    r"(?:\s*(?:の)?\s*(?:id|アカウント|ユーザー名)\s*(?:は|:|=)?|\s*(?:は|:|=))\s*@?[A-Za-z0-9._\-]{3,}"
    r"|(?<![A-Za-z])(?:line|ライン|twitter|ツイッター|instagram|インスタ(?:グラム)?|tiktok|threads)"
    r"[\s:=→>：]*@?(?=[A-Za-z0-9._\-]*[\d_.])[A-Za-z0-9._\-]{3,}"
    r"|\bid\s*(?:は|:|=)\s*@?[A-Za-z0-9._\-]{3,}"
    r"|(?<![A-Za-z0-9.\-@])@\s?[A-Za-z0-9_.]{3,}"
    r"|(?:twitter\.com|x\.com|instagram\.com|line\.me|facebook\.com|tiktok\.com)/\S+",
    re.IGNORECASE,
)


def contact_and_number_spans(normal: Normalised) -> Iterator[Span]:
    """Every contact detail, number or address, most specific kinds first."""
    text, digits = normal.text, normal.digits
    for match in _EMAIL.finditer(text):
        yield Kind.EMAIL, *match.span()
    for match in _SNS.finditer(text):
        yield Kind.SNS_ID, *match.span()
    for kind, pattern in _ID_NUMBERS:
        for match in pattern.finditer(digits):
            if _has_id_number(match, digits):
                yield kind, *match.span()
    for match in _CAR_PLATE.finditer(digits):
        yield Kind.CAR_PLATE, *match.span()
    for match in _TWELVE_DIGITS.finditer(digits):
        if is_my_number(re.sub(r"\D", "", match.group(1))):
            yield Kind.MY_NUMBER, *match.span(1)
    for match in _NUMBER_RUN.finditer(digits):
        if _looks_like_phone(match.group(1)):
            yield Kind.PHONE, *match.span(1)
    for match in _LOCAL_PHONE.finditer(digits):
        if not _both_years(match.group(1), match.group(2)):
            yield Kind.PHONE, *match.span()
    for match in _POSTAL.finditer(digits):
        yield Kind.POSTAL_CODE, *match.span()
    for match in _FULL_DATE.finditer(digits):
        if _is_birth_date(match, digits):
            yield Kind.BIRTH_DATE, *match.span()
    for match in _ERA_ONLY_BIRTH.finditer(digits):
        yield Kind.BIRTH_DATE, *match.span()
    for match in _ADDRESS.finditer(digits):
        if not _looks_like_iso_date(match.group(0)):
            yield Kind.ADDRESS, *match.span()


def is_my_number(number: str) -> bool:
    """True when a 12-digit string passes the individual number (マイナンバー) check digit."""
    if len(number) != 12 or not number.isdigit():
        return False
    body = [int(d) for d in number[:11]]
    total = sum(p * (n + 1 if n <= 6 else n - 5) for n, p in enumerate(reversed(body), start=1))
    remainder = total % 11
    check = 0 if remainder <= 1 else 11 - remainder
    return check == int(number[11])


def _has_id_number(match: re.Match[str], text: str) -> bool:
    """A keyword's number counts when it has enough digits and is not a date or an amount."""
    if sum(char.isdigit() for char in match.group(0)) < _MIN_ID_DIGITS:
        return False
    return _UNIT_AFTER.match(text, match.end()) is None


def _looks_like_phone(run: str) -> bool:
    """A digit run with separators is a phone number when its digits fit a Japanese plan."""
    number = re.sub(r"[^\d+]", "", run)
    if number.startswith("+81"):
        return 9 <= len(number) - 3 <= 10
    if number.startswith("81") and "+" not in run and "(" not in run:
        return False
    if not number.startswith("0"):
        return False
    return len(number) in (10, 11)


def _both_years(first: str, second: str) -> bool:
    return all(len(part) == 4 and part[:2] in ("19", "20") for part in (first, second))


def _looks_like_iso_date(candidate: str) -> bool:
    parts = candidate.split("-")
    return len(parts) == 3 and len(parts[0]) == 4 and parts[0][:2] in ("19", "20")


def _is_birth_date(match: re.Match[str], text: str) -> bool:
    """A full date reads as a date of birth when it is explicitly one, or is a past-era
    (明治–平成) or long-past date that is not an organisation's founding or an event."""
    after = text[match.end() : match.end() + 8]
    before = text[max(0, match.start() - 8) : match.start()]
    if _BIRTH_WORDS.search(after) or _BIRTH_WORDS.search(before):
        return True
    if _FOUNDING_WORDS.search(after):
        return False
    groups = match.groupdict()
    era = groups["era"] or _ERA_LETTER.get((groups["letter"] or "").upper())
    if era:
        return era != "令和" and bool(groups["day"] or groups["lday"])
    year_text = groups["year"] or groups["wyear"]
    day = groups["day"] or groups["wday"]
    if not (year_text and day and year_text.isdigit() and len(year_text) == 4):
        return False
    return int(year_text) <= date.today().year - 10
