"""The personal-information guard against its labelled corpus, plus the validator's contract.

The corpus is data (tests/data/pii_corpus.tsv, read by bench/pii.py): each text with the kind
the guard must name, or `ok` for an ordinary need that must pass.
"""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError

from bench.pii import ORDINARY, load_corpus, measure, report
from core.pii import (
    Kind,
    find_personal_information,
    is_my_number,
    validate_no_personal_information,
)

CORPUS = load_corpus()
REFUSE = [(kind, text) for kind, text in CORPUS if kind != ORDINARY]
ACCEPT = [text for kind, text in CORPUS if kind == ORDINARY]
MAX_FALSE_REFUSALS = 0.03


def test_corpus_is_large_and_covers_every_kind() -> None:
    assert len(CORPUS) >= 300
    assert len(REFUSE) >= 150
    assert len(ACCEPT) >= 150
    assert {Kind(kind) for kind, _ in REFUSE} == set(Kind)


def test_recall_is_complete_and_false_refusals_are_rare(capsys: pytest.CaptureFixture[str]) -> None:
    scores = measure(CORPUS)
    with capsys.disabled():
        print("\n" + report(scores))
    assert scores.missed == []
    assert scores.recall == 1.0
    assert scores.false_refusal_rate <= MAX_FALSE_REFUSALS


@pytest.mark.parametrize(("kind", "text"), REFUSE)
def test_refuses_with_the_right_kind(kind: str, text: str) -> None:
    assert Kind(kind) in {finding.kind for finding in find_personal_information(text)}


def test_validator_names_the_kind_and_the_rule_without_echoing_the_text() -> None:
    text = "田中さん 090-1234-5678"
    with pytest.raises(ValidationError) as caught:
        validate_no_personal_information(text)
    messages = caught.value.messages
    assert "電話番号のような情報が含まれています。" in messages[0] + messages[1]
    assert any("人の名前" in message for message in messages)
    assert all("PFルール" in message for message in messages)
    assert not any("田中" in message or "5678" in message for message in messages)
    assert {error.code for error in caught.value.error_list} == {"personal_information"}


def test_validator_accepts_ordinary_text_and_blank() -> None:
    validate_no_personal_information("平日の夕方、静かな場所")
    validate_no_personal_information("")


def test_findings_hold_no_text() -> None:
    finding = find_personal_information("taro@example.jp")[0]
    assert "taro" not in repr(finding)
    assert (finding.start, finding.end) == (0, 15)


def test_my_number_check_digit() -> None:
    assert is_my_number("123456789018")
    assert not is_my_number("123456789012")
    assert Kind.MY_NUMBER not in {f.kind for f in find_personal_information("123456789012")}


def test_corpus_gives_the_same_answers_from_eight_threads() -> None:
    """8 threads × 50 calls over varied corpus texts: no error, and the single-thread answer."""
    texts = [text for _, text in CORPUS][:50]
    expected = [find_personal_information(text) for text in texts]
    errors: list[str] = []
    barrier = threading.Barrier(8)

    def work() -> None:
        barrier.wait()
        for text, answer in zip(texts, expected, strict=True):
            try:
                if find_personal_information(text) != answer:
                    errors.append("different answer")
            except Exception as error:
                errors.append(repr(error))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
