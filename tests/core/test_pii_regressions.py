"""What the held-out check found the guard letting through (issue 14), one case each.

Each case failed before the guard normalised first and read kana and romaji names.
"""

from __future__ import annotations

import pytest

from core.pii import Kind, find_personal_information


def kinds(text: str) -> set[Kind]:
    return {finding.kind for finding in find_personal_information(text)}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        # names in romaji
        ("sato kenta", Kind.PERSON_NAME),
        ("Kobayashi Sota", Kind.PERSON_NAME),
        ("tanaka", Kind.PERSON_NAME),
        ("kenta-kun", Kind.PERSON_NAME),
        # a child's given name in hiragana with くん/ちゃん, or followed by が/は
        ("こうたくんが友達と遊べる場所", Kind.PERSON_NAME),
        ("そうたくん", Kind.PERSON_NAME),
        ("はるとが学校に行けない", Kind.PERSON_NAME),
        ("そうたが最近元気がない", Kind.PERSON_NAME),
        # a family member's name
        ("息子のたくみは18歳", Kind.PERSON_NAME),
        ("孫のさくらと参加", Kind.PERSON_NAME),
        # e-mail addresses written with [at]/(at)/ at … dot
        ("taro [at] example [dot] com", Kind.EMAIL),
        ("taro (at) example (dot) jp", Kind.EMAIL),
        ("hiro (アット) example.com", Kind.EMAIL),
        ("kenji at example dot jp", Kind.EMAIL),
        # phone numbers split by zero-width or format characters
        ("090\u200b1234\u200b5678", Kind.PHONE),
        ("090\u00ad1234\u00ad5678", Kind.PHONE),
        ("090\u20601234\u20605678", Kind.PHONE),
        ("0\u200f90-1234-5678", Kind.PHONE),
        # … by / _ ~, or with the letter O for 0
        ("090/1234/5678", Kind.PHONE),
        ("090_1234_5678", Kind.PHONE),
        ("090~1234~5678", Kind.PHONE),
        ("O9O-1234-5678", Kind.PHONE),
        # 保険証 記号・番号
        ("保険証 記号12 番号345", Kind.INSURANCE_NUMBER),
        # street addresses after a 町名, and hiragana full names
        ("いずみ町1-12", Kind.ADDRESS),
        ("あおば町2-7", Kind.ADDRESS),
        ("やまだたろう", Kind.PERSON_NAME),
    ],
)
def test_refused(text: str, kind: Kind) -> None:
    assert kind in kinds(text)


# The first two were refused before (a 丁目 alone was an address); the rest must stay accepted.
@pytest.mark.parametrize(
    "text",
    [
        "1丁目の集会所",
        "2丁目あたり",
        "南口の近く",
        "駅の北口",
        "14:00-16:00",
        "保険証の切り替えの相談",
        "中2の子",
        "土曜の午後",
        "tel 080 は書きません",
    ],
)
def test_ordinary_needs_accepted(text: str) -> None:
    assert kinds(text) == set()


def test_a_finding_points_into_the_text_as_typed() -> None:
    """Invisible characters are dropped for reading, but positions stay the original ones."""
    text = "連絡は0\u200b9\u200b0-1234-5678まで"
    [finding] = find_personal_information(text)
    assert finding.kind is Kind.PHONE
    assert text[finding.start : finding.end] == "0\u200b9\u200b0-1234-5678"
