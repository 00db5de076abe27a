"""Highlights mark the original characters of what matched, also where folding changes lengths."""

from search.text import highlight


def test_marks_half_width_and_full_width_text_by_its_folded_form():
    assert highlight("ＮＰＯ法人ｶﾌｪの食堂", ["npo", "かふぇ", "食堂"]) == (
        "<mark>ＮＰＯ</mark>法人<mark>ｶﾌｪ</mark>の<mark>食堂</mark>"
    )


def test_marks_the_right_characters_after_one_that_folds_to_several():
    # ㈱ folds to "(株)", three characters: the marks after it must not shift.
    assert highlight("㈱ひまわり食堂", ["食堂"]) == "㈱ひまわり<mark>食堂</mark>"
    assert highlight("İstanbul カフェ", ["かふぇ"]) == "İstanbul <mark>カフェ</mark>"


def test_a_snippet_is_cut_around_the_first_match_in_original_characters():
    text = "㍿" * 30 + "相談です" + "x" * 90
    snippet = highlight(text, ["相談"], 80)
    assert snippet.startswith("…" + "㍿" * 20 + "<mark>相談</mark>です")
    assert snippet.endswith("x…")
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) == 82
