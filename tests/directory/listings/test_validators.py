from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from directory.listings.validators import (
    validate_corporate_number,
    validate_latitude,
    validate_local_government_code,
)


@pytest.mark.parametrize("number", ["7000012050002", ""])  # 国税庁の法人番号の例
def test_valid_corporate_numbers(number):
    validate_corporate_number(number)


@pytest.mark.parametrize(
    ("number", "message"),
    [("7000012050003", "検査用数字"), ("700001205000", "13桁"), ("７０００012050002", "13桁")],
)
def test_invalid_corporate_numbers_explain_why_in_japanese(number, message):
    with pytest.raises(ValidationError) as error:
        validate_corporate_number(number)
    assert message in error.value.messages[0]


@pytest.mark.parametrize("code", ["130001", "011002", "131016"])
def test_local_government_codes(code):
    validate_local_government_code(code)


def test_local_government_code_check_digit_is_checked():
    with pytest.raises(ValidationError, match="検査数字"):
        validate_local_government_code("131017")


def test_swapped_coordinates_are_caught():
    with pytest.raises(ValidationError, match="緯度と経度が逆"):
        validate_latitude(Decimal("139.7"))
