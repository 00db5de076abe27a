"""core.pii.normalise: what the detectors read, and the map back to the text as typed."""

from __future__ import annotations

from core.pii import find_personal_information
from core.pii.normalise import normalise


def test_invisible_characters_are_dropped_and_widths_folded() -> None:
    normal = normalise("０９０\u200b１２３４\u00ad５６７８")
    assert normal.text == "09012345678"


def test_each_character_remembers_where_it_came_from() -> None:
    text = "㈱テスト\u200bか\u3099０９０"
    normal = normalise(text)
    assert normal.text == "(株)テストが090"
    assert len(normal.origin) == len(normal.text)
    # ㈱ became three characters, all from index 0; が was か + a combining mark.
    assert normal.origin[:3] == (0, 0, 0)
    assert normal.span(6, 7) == (5, 6)
    assert text[slice(*normal.span(7, 10))] == "０９０"


def test_digit_view_reads_kanji_digits_and_lookalikes_in_number_runs_only() -> None:
    normal = normalise("〇九〇ー一二三四ー五六七八 と Oasis O9O-1234-5678")
    assert normal.digits.startswith("090-1234-5678")
    assert "Oasis" in normal.digits
    assert normal.digits.endswith("090-1234-5678")
    assert normal.text.endswith("O9O-1234-5678")


def test_a_finding_after_wide_characters_points_into_the_original() -> None:
    text = "㈱の連絡先は０９０\u2060１２３４\u2060５６７８です"
    [finding] = find_personal_information(text)
    assert text[finding.start : finding.end] == "０９０\u2060１２３４\u2060５６７８"
