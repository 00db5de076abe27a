"""The personal-information guard: free text that could identify a person is rejected.

Why: the PF rule (docs/privacy.md) says the platform never holds information about an
individual case. Free-text fields (the match keyword, a resident's report, a membership
application) are the only place such information could slip in, so every one of them runs
through this guard. Text that looks personal is *rejected with the kind named*, never
silently stored or "redacted", and the text itself is never echoed, stored or logged: a
`Finding` holds only the kind and a position.

All patterns live in this module so that one corpus (tests/matching/test_pii_corpus.py)
measures them together.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.core.exceptions import ValidationError
from sudachipy import Morpheme, Tokenizer

from core.text import nfkc, tokenizer


class Kind(StrEnum):
    """What kind of personal information a finding is (value = stable code)."""

    PHONE = "phone"
    EMAIL = "email"
    POSTAL_CODE = "postal_code"
    ADDRESS = "address"
    MY_NUMBER = "my_number"
    BIRTH_DATE = "birth_date"
    PERSON_NAME = "person_name"
    SNS_ID = "sns_id"


KIND_LABELS: dict[Kind, str] = {
    Kind.PHONE: "電話番号",
    Kind.EMAIL: "メールアドレス",
    Kind.POSTAL_CODE: "郵便番号",
    Kind.ADDRESS: "住所（丁目・番地など）",
    Kind.MY_NUMBER: "マイナンバー（個人番号）",
    Kind.BIRTH_DATE: "生年月日",
    Kind.PERSON_NAME: "人の名前",
    Kind.SNS_ID: "SNSやLINEのID",
}

PF_RULE_SENTENCE = (
    "このプラットフォームは個人に関する情報を一切預からない決まり（PFルール）のため、"
    "個人が分からない言葉に書き換えてください。"
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of personal information found: its kind and where (never the text)."""

    kind: Kind
    start: int
    end: int

    @property
    def message(self) -> str:
        return f"{KIND_LABELS[self.kind]}のような情報が含まれています。{PF_RULE_SENTENCE}"


# --- normalisation ---------------------------------------------------------------------

_DASHES = "ー−‐‑‒–—―ｰ－﹣"
_KANJI_DIGITS = str.maketrans("〇零一二三四五六七八九", "00123456789")
_DASH_TABLE = str.maketrans(dict.fromkeys(_DASHES, "-"))


def normalise(text: str) -> str:
    """NFKC, then every dash-like character as '-' (same length, so positions still match)."""
    return nfkc(text).translate(_DASH_TABLE)


def _digit_view(text: str) -> str:
    """Kanji digits (〇一二…九) as ASCII digits, same length, for number patterns."""
    return text.translate(_KANJI_DIGITS)


# --- patterns (on the normalised text) -----------------------------------------------

_SEP = r"[-\s.()]*"
# A run of digits with phone-like separators, e.g. 03-1234-5678, (03)1234-5678, 090 1234 5678.
_NUMBER_RUN = re.compile(r"(?<![\d])(\+?\d[\d\-\s.()]{6,}\d)(?![\d])")
_LOCAL_PHONE = re.compile(r"(?<![\d\-])(\d{3,4})-(\d{4})(?![\d\-])")
_EMAIL = re.compile(
    r"[A-Za-z0-9._%+\-]+\s*(?:@|\[at\]|\(at\)|\sat\s)\s*[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+",
    re.IGNORECASE,
)
_POSTAL = re.compile(r"〒\s*\d{3}-?\d{4}|(?<![\d\-])\d{3}-\d{4}(?![\d\-])|郵便番号\D{0,3}\d{7}")
_ADDRESS = re.compile(
    r"\d+\s*丁目|\d+\s*番地|\d+\s*番\s*\d+\s*号|\d+\s*号室"
    r"|(?<![\d\-:/])\d{1,4}-\d{1,4}-\d{1,4}(?![\d\-:/])"
)
_TWELVE_DIGITS = re.compile(r"(?<![\d\-])(\d{4}[-\s]?\d{4}[-\s]?\d{4})(?![\d\-])")
_ERA_YEAR_OFFSET = {"明治": 1867, "大正": 1911, "昭和": 1925, "平成": 1988, "令和": 2018}
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
_SNS = re.compile(
    r"(?:line|ライン|twitter|ツイッター|instagram|インスタ(?:グラム)?|tiktok|ティックトック"
    r"|facebook|フェイスブック|discord|ディスコード|skype|スカイプ)\s*(?:の)?\s*(?:id|アカウント|ID)?"
    r"\s*(?:は|:|=)?\s*@?[A-Za-z0-9._\-]{3,}"
    r"|\bid\s*(?:は|:|=)\s*@?[A-Za-z0-9._\-]{3,}"
    r"|(?<![A-Za-z0-9.\-])@[A-Za-z0-9_.]{3,}"
    r"|(?:twitter\.com|x\.com|instagram\.com|line\.me|facebook\.com|tiktok\.com)/\S+",
    re.IGNORECASE,
)
_HONORIFICS = frozenset({"さん", "様", "さま", "君", "くん", "ちゃん", "氏", "殿", "たん", "どの"})
# Words Sudachi splits into a name-like piece although they are ordinary roles or nouns.
_ORDINARY_WORDS = re.compile(
    r"保健師|看護師|薬剤師|社会福祉士|介護福祉士|精神保健福祉士|作業療法士|理学療法士|臨床心理士|公認心理師"
    r"|栄養士|保育士|相談員|支援員|指導員|民生委員|児童委員|主任児童委員|お母さん|お父さん|お姉さん|お兄さん"
)
# Kana nouns that take an honorific without being a name (おばあちゃん → ばあ + ちゃん).
_ORDINARY_KANA_BEFORE_HONORIFIC = frozenset(
    {"ばあ", "じい", "ねえ", "にい", "みな", "おば", "おじ", "かあ", "とう", "ばあば", "じいじ"}
)


def find_personal_information(text: str) -> list[Finding]:
    """Every piece of personal information in `text`, by kind and position, in text order."""
    if not text or not text.strip():
        return []
    normal = normalise(text)
    digits = _digit_view(normal)
    findings: list[Finding] = []
    claimed: list[tuple[int, int]] = []

    def add(kind: Kind, start: int, end: int) -> None:
        if any(s < end and start < e for s, e in claimed):
            return
        claimed.append((start, end))
        findings.append(Finding(kind, start, end))

    for match in _EMAIL.finditer(normal):
        add(Kind.EMAIL, *match.span())
    for match in _SNS.finditer(normal):
        add(Kind.SNS_ID, *match.span())
    for match in _TWELVE_DIGITS.finditer(digits):
        if is_my_number(re.sub(r"\D", "", match.group(1))):
            add(Kind.MY_NUMBER, *match.span(1))
    for match in _NUMBER_RUN.finditer(digits):
        if _looks_like_phone(match.group(1)):
            add(Kind.PHONE, *match.span(1))
    for match in _LOCAL_PHONE.finditer(digits):
        if not _both_years(match.group(1), match.group(2)) and len(match.group(1)) == 4:
            add(Kind.PHONE, *match.span())
    for match in _POSTAL.finditer(digits):
        add(Kind.POSTAL_CODE, *match.span())
    for match in _FULL_DATE.finditer(digits):
        if _is_birth_date(match, digits):
            add(Kind.BIRTH_DATE, *match.span())
    for match in _ERA_ONLY_BIRTH.finditer(digits):
        add(Kind.BIRTH_DATE, *match.span())
    for match in _ADDRESS.finditer(digits):
        if not _looks_like_iso_date(match.group(0)):
            add(Kind.ADDRESS, *match.span())
    for start, end in _person_name_spans(normal):
        add(Kind.PERSON_NAME, start, end)
    return sorted(findings, key=lambda finding: finding.start)


def validate_no_personal_information(value: str) -> None:
    """Django validator: reject text holding personal information, naming each kind found.

    The message never repeats the text (it would then sit in the page, a log or an error
    report); it names the kind and explains the PF rule.
    """
    kinds = list(dict.fromkeys(finding.kind for finding in find_personal_information(value)))
    if kinds:
        raise ValidationError(
            [
                ValidationError(Finding(kind, 0, 0).message, code="personal_information")
                for kind in kinds
            ]
        )


def is_my_number(number: str) -> bool:
    """True when a 12-digit string passes the individual number (マイナンバー) check digit."""
    if len(number) != 12 or not number.isdigit():
        return False
    body = [int(d) for d in number[:11]]
    total = sum(p * (n + 1 if n <= 6 else n - 5) for n, p in enumerate(reversed(body), start=1))
    remainder = total % 11
    check = 0 if remainder <= 1 else 11 - remainder
    return check == int(number[11])


# --- helpers ---------------------------------------------------------------------------


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


def _person_name_spans(text: str) -> list[tuple[int, int]]:
    """Names by Sudachi (名詞,固有名詞,人名) and by an honorific after a name-like word."""
    masked = _ORDINARY_WORDS.sub(lambda m: "、" * len(m.group(0)), text)
    morphemes = list(tokenizer().tokenize(masked, Tokenizer.SplitMode.C))
    spans: list[tuple[int, int]] = []
    for index, morpheme in enumerate(morphemes):
        pos = morpheme.part_of_speech()
        if pos[:3] == ("名詞", "固有名詞", "人名"):
            spans.append((morpheme.begin(), morpheme.end()))
        elif morpheme.surface() in _HONORIFICS and pos[0] == "接尾辞" and index > 0:
            before = morphemes[index - 1]
            if _name_like(before):
                spans.append((before.begin(), morpheme.end()))
    return spans


def _name_like(morpheme: Morpheme) -> bool:
    """A word before an honorific is a name unless it is an ordinary noun."""
    surface = morpheme.surface()
    pos = morpheme.part_of_speech()
    if surface in _ORDINARY_KANA_BEFORE_HONORIFIC:
        return False
    if pos[1] == "固有名詞" or morpheme.is_oov():
        return True
    return bool(re.fullmatch(r"[ぁ-ゖ]{2,4}|[A-Za-z]{1,3}", surface))
