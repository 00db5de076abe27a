"""The FTS5 expressions built from query terms (search/text.py)."""

import pytest

from search.text import fts_clause, fts_query, reading


def test_a_variant_containing_another_is_left_out_of_the_expression():
    assert fts_clause(["相談", "相談窓口", "相談室"]) == '"相談"'
    assert fts_clause(["ぼらんてぃあ", "有償ぼらんてぃあ", "担い手"]) == (
        '("ぼら らん んて てぃ ぃあ" OR "担い い手")'
    )


def test_variants_of_several_runs_are_left_out_only_when_every_run_is_contained():
    assert fts_clause(["ab-cd", "bc"]) == '(("ab" AND "cd") OR "bc")'
    assert fts_clause(["a-b", "xa-by"]) == '("a" * AND "b" *)'
    assert fts_clause(["a-b", "ab"]) == '("a" * AND "b" *)'  # "ab" has both a and b


@pytest.mark.django_db  # the synonym list includes the 事務局's entries (search/synonyms.py)
def test_free_is_not_expanded_to_a_word_inside_everyday_words():
    # ただ (its normal form 唯) matched ただいま, ただし …: a third of all listings.
    assert "ただ" not in fts_query("無料")
    assert "唯" not in fts_query("無料")


def test_a_reading_keeps_spaces_marks_and_digits_as_written():
    """Sudachi reads a space or a bracket as キゴウ and 500 as ゴレイレイ: junk in the index."""
    assert reading("本町こども食堂 ただいま") == "ほんちょうこどもしょくどう ただいま"
    assert reading("低額（500円以下）") == "ていがく(500えんいか)"
