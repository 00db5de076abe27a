"""The lexer of schedule text: per-character normalisation with a map back, and the token grammar.

Split from `schedule_text` (the parser) because the grammar is what changes when a new way of
writing a schedule turns up in municipal data, and it reads best on its own.
"""

from __future__ import annotations

import re

from core.text import nfkc

# -- normalisation that remembers where each character came from -----------------------------

CIRCLED_DIGITS = {chr(0x2460 + i): f"({i + 1})" for i in range(20)}  # ①… would become "1"
DASHES = "~〜\\-‐‑‒–—―−ー－"


def normalise_with_origin(text: str) -> tuple[str, list[int]]:
    """NFKC per character (全角 digits, colons, ～, U+3000) keeping a map to the original."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = CIRCLED_DIGITS.get(char) or nfkc(char)
        if char in "\t\r\n":
            piece = " "
        out.append(piece)
        origin.extend([index] * len(piece))
    return "".join(out), origin


# -- the token grammar -------------------------------------------------------------------------

W = "[月火水木金土日]"
W_ITEM = f"{W}(?:曜日?)?"
W_SEP = "(?:[・,、/;]|と|及び|および)"
W_RANGE = f"{W_ITEM}\\s*(?:[{DASHES}]|から)\\s*{W_ITEM}"
# At least two days, or one day spelled with 曜: a lone 月 is usually a month.
W_LIST = f"(?:{W_RANGE}|{W_ITEM})(?:\\s*{W_SEP}?\\s*(?:{W_RANGE}|{W_ITEM}|祝日?))*"
WEEKDAY_PAREN = f"(?:\\s*\\(\\s*{W}(?:曜日?)?(?:・?祝)?\\s*\\))?"
CLOCK = "(?:(?P<{p}ap>午前|午後)\\s*)?(?P<{p}h>\\d{{1,2}})\\s*(?::(?P<{p}m>\\d{{2}})|時(?:(?P<{p}mm>\\d{{1,2}})分|(?P<{p}half>半))?)"

ONE_DATE_JP = (
    "(?:(?:(?:令和|R)\\s*(?:\\d{1,2}|元)\\s*年|\\d{4}\\s*年)?\\s*\\d{1,2}\\s*月)?\\s*\\d{1,2}\\s*日"
    + WEEKDAY_PAREN
)
ONE_DATE_NUM = f"(?:\\d{{4}}[/.\\-])?\\d{{1,2}}[/\\-]\\d{{1,2}}{WEEKDAY_PAREN}"
TOKEN = re.compile(
    "|".join(
        [
            # 12月28日～1月4日は休み / 12/29は休館: closures, kept as notes
            f"(?P<closed_dates>(?<![\\d/])(?:{ONE_DATE_JP}|{ONE_DATE_NUM})(?:\\s*(?:[{DASHES}]|から)\\s*"
            f"(?:{ONE_DATE_JP}|{ONE_DATE_NUM}))?(?:\\s*まで)?\\s*(?:は|を)?\\s*(?:お?休み|休館|休業|休会|除く))",
            # 2027年2月1日〜2027年3月31日 / 12月5日〜7日 / 2/1〜3/31: every day of a period
            f"(?P<date_range>(?<![\\d/])(?:{ONE_DATE_JP}|{ONE_DATE_NUM})\\s*(?:[{DASHES}]|から)\\s*"
            f"(?:{ONE_DATE_JP}|{ONE_DATE_NUM})(?:\\s*まで)?)",
            # 2026年12月5日・19日(土) / 令和8年12月5日
            "(?P<date_jp>(?:(?:令和|R)\\s*(?:\\d{1,2}|元)\\s*年|\\d{4}\\s*年)?\\s*\\d{1,2}\\s*月\\s*\\d{1,2}\\s*日"
            f"(?:\\s*[・,、と]\\s*\\d{{1,2}}\\s*日)*{WEEKDAY_PAREN})",
            # 2026-12-05 / 2026/12/5 / 12/5(土)
            f"(?P<date_num>(?<![\\d/])(?:\\d{{4}}[/.\\-])?\\d{{1,2}}/\\d{{1,2}}(?![\\d/]){WEEKDAY_PAREN}"
            f"|(?<!\\d)\\d{{4}}-\\d{{1,2}}-\\d{{1,2}}(?!\\d){WEEKDAY_PAREN})",
            # 毎月15日・30日 (not expressible)
            "(?P<day_of_month>毎月\\s*\\d{1,2}\\s*日(?:\\s*[・,、と]\\s*\\d{1,2}\\s*日)*)",
            "(?P<bimonthly>隔月|奇数月|偶数月|\\d+か月に1回|\\d+ヶ月に1回)",
            # 第2・第4土曜 / 第1・3日曜日 / 最終金曜 / 第2週と第4週の土曜日
            "(?P<nth>(?:毎月\\s*)?(?:(?:第\\s*\\d\\s*週?|最終週?|最後の?)"
            "(?:\\s*(?:[・,、]|と|及び|および)\\s*(?:第?\\s*\\d\\s*週?|最終週?))*)\\s*の?\\s*"
            f"(?P<nth_days>{W_LIST}))",
            # 土日祝休み / 水曜定休 / 定休日:水曜
            f"(?P<closed_days>(?:定休日?\\s*[:は]?\\s*(?:毎週)?{W_LIST})|(?:(?:毎週)?{W_LIST}\\s*(?:は|を)?\\s*"
            "(?:お?休み|休館日?|定休日?|休業|休会|除く)))",
            "(?P<holiday>(?:祝日|祝祭日|祭日|国民の祝日)(?:[・、や及び]*(?:年末年始|振替休日))?"
            "\\s*(?:は|を|・)?\\s*(?:お?休み|休館|休業|休会|休止|除く|なし|お休み|休))",
            "(?P<year_end>年末年始(?:は|を)?\\s*(?:お?休み|休館|休業|除く)?)",
            "(?P<every_day>毎日)",
            "(?P<weekdays_word>平日)",
            f"(?P<weekly>(?P<weekly_prefix>毎週|隔週|毎(?={W}曜))?\\s*(?<![\\d年])(?P<weekly_days>{W_LIST}))",
            "(?P<time>"
            + CLOCK.format(p="s")
            + f"\\s*(?:(?:[{DASHES}]|から)\\s*(?:"
            + CLOCK.format(p="e")
            + ")?)"
            + ")",
        ]
    )
)
# What may remain between tokens without meaning anything.
NOISE = re.compile(
    "毎週|毎月|曜日|開催日?|実施|営業|開館|開所|時間|予定|頃|ごろ|まで|より|から|など|"
    "\\(\\d{1,2}\\)|\\d{1,2}部|第?\\d回目?|[のはにでとやも及び]|[\\s、,。・/()\\[\\]「」『』【】:;〜~\\-]+"
)
