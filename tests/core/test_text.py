"""core.text: one fold, and a Sudachi tokenizer that threads do not share.

Why: a Sudachi Tokenizer refuses a second caller while it works ("Tokenizer is already in
use"), so one tokenizer shared by the threads of a threaded or ASGI server turned a resident's
form into an error page.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest

from core import text
from core.pii import find_personal_information
from search.text import index_text, normalised

THREADS = 8
CALLS = 50


def _errors_when_run_by_threads(call: Callable[[int], object]) -> list[str]:
    """Run `call` CALLS times in each of THREADS threads started together; the errors raised."""
    errors: list[str] = []
    barrier = threading.Barrier(THREADS)

    def work() -> None:
        barrier.wait()
        for index in range(CALLS):
            try:
                call(index)
            except Exception as error:
                errors.append(repr(error))

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


LONG_TEXT = "子ども食堂で山田太郎さんと話しました。ひきこもりの相談窓口は毎週水曜日です。" * 40


def test_personal_information_guard_is_safe_across_threads() -> None:
    assert _errors_when_run_by_threads(lambda _: find_personal_information(LONG_TEXT)) == []


def test_search_normalisation_is_safe_across_threads() -> None:
    assert _errors_when_run_by_threads(lambda _: index_text(LONG_TEXT)) == []


def test_guard_and_search_together_are_safe_across_threads() -> None:
    def either(index: int) -> object:
        return find_personal_information(LONG_TEXT) if index % 2 else normalised(LONG_TEXT)

    assert _errors_when_run_by_threads(either) == []


def test_each_thread_has_its_own_tokenizer() -> None:
    # The objects themselves are kept: ids of a finished thread's tokenizer can be reused.
    seen: list[object] = []
    ready = threading.Barrier(3)

    def remember() -> None:
        seen.append(text.tokenizer())
        ready.wait()  # all three alive at once, so none can hand its tokenizer on

    threads = [threading.Thread(target=remember) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(tokenizer) for tokenizer in seen}) == 3
    assert text.tokenizer() is text.tokenizer()


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("ＮＰＯ", "npo"),
        ("カナ", "かな"),
        ("ｶﾅ", "かな"),
        ("ヴァイオリン", "ゔぁいおりん"),
        ("Ａ１", "a1"),
    ],
)
def test_fold_meets_widths_cases_and_kana(raw: str, folded: str) -> None:
    assert text.fold(raw) == folded


def test_search_and_partner_finder_fold_the_same_way() -> None:
    from coordination import partners
    from search import text as search_text

    assert search_text.fold is text.fold
    assert partners.fold is text.fold
