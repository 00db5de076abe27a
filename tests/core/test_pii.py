"""The personal-information guard against its corpus, plus the validator's contract."""

import pytest
from django.core.exceptions import ValidationError

from core.pii import (
    Kind,
    find_personal_information,
    is_my_number,
    validate_no_personal_information,
)
from tests.core.pii_corpus import SHOULD_ACCEPT, SHOULD_REJECT

MIN_PRECISION = 0.95


def test_corpus_is_large_enough():
    assert len(SHOULD_REJECT) >= 60
    assert len(SHOULD_ACCEPT) >= 60


def test_precision_and_recall_on_the_corpus(capsys):
    true_positive = sum(bool(find_personal_information(text)) for text, _ in SHOULD_REJECT)
    false_positive = sum(bool(find_personal_information(text)) for text in SHOULD_ACCEPT)
    recall = true_positive / len(SHOULD_REJECT)
    precision = true_positive / (true_positive + false_positive)
    with capsys.disabled():
        print(
            f"\nPII guard corpus: recall={recall:.3f} precision={precision:.3f} "
            f"({len(SHOULD_REJECT)} reject, {len(SHOULD_ACCEPT)} accept examples)"
        )
    assert recall == 1.0
    assert precision >= MIN_PRECISION


@pytest.mark.parametrize(("text", "kind"), SHOULD_REJECT)
def test_rejects_with_the_right_kind(text, kind):
    assert Kind(kind) in {finding.kind for finding in find_personal_information(text)}


@pytest.mark.parametrize("text", SHOULD_ACCEPT)
def test_accepts_ordinary_needs(text):
    assert find_personal_information(text) == []


def test_validator_names_the_kind_and_the_rule_without_echoing_the_text():
    text = "田中さん 090-1234-5678"
    with pytest.raises(ValidationError) as caught:
        validate_no_personal_information(text)
    messages = caught.value.messages
    assert "電話番号のような情報が含まれています。" in messages[0] + messages[1]
    assert any("人の名前" in message for message in messages)
    assert all("PFルール" in message for message in messages)
    assert not any("田中" in message or "5678" in message for message in messages)
    assert {error.code for error in caught.value.error_list} == {"personal_information"}


def test_validator_accepts_ordinary_text_and_blank():
    validate_no_personal_information("平日の夕方、静かな場所")
    validate_no_personal_information("")


def test_findings_hold_no_text():
    finding = find_personal_information("taro@example.jp")[0]
    assert "taro" not in repr(finding)
    assert (finding.start, finding.end) == (0, 15)


def test_my_number_check_digit():
    assert is_my_number("123456789018")
    assert not is_my_number("123456789012")
    assert Kind.MY_NUMBER not in {f.kind for f in find_personal_information("123456789012")}
