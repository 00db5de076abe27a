"""Validators for Japanese public identifiers and coordinates, with Japanese messages."""

from decimal import Decimal

from django.core.exceptions import ValidationError

JAPAN_LAT = (Decimal("20"), Decimal("46"))
JAPAN_LNG = (Decimal("122"), Decimal("154"))


def corporate_number_check_digit(body: str) -> int:
    """Check digit of a 法人番号 from its 12-digit body (国税庁 法人番号の検査用数字)."""
    total = sum(int(d) * (1 if i % 2 == 0 else 2) for i, d in enumerate(reversed(body)))
    return 9 - total % 9


def validate_corporate_number(value: str) -> None:
    """A 法人番号 is 13 digits whose first digit checks the other twelve."""
    if not value:
        return
    if len(value) != 13 or not value.isascii() or not value.isdigit():
        raise ValidationError("法人番号は半角数字13桁で入力してください。", code="format")
    if int(value[0]) != corporate_number_check_digit(value[1:]):
        raise ValidationError(
            "法人番号の検査用数字が一致しません。番号をもう一度ご確認ください。", code="check_digit"
        )


def local_government_check_digit(body: str) -> int:
    """Check digit of a 全国地方公共団体コード from its first five digits."""
    remainder = sum(int(d) * w for d, w in zip(body, (6, 5, 4, 3, 2), strict=True)) % 11
    return (11 - remainder) % 10


def validate_local_government_code(value: str) -> None:
    """A 全国地方公共団体コード is six digits, the last one a check digit."""
    if len(value) != 6 or not value.isascii() or not value.isdigit():
        raise ValidationError(
            "全国地方公共団体コードは半角数字6桁で入力してください。", code="format"
        )
    if int(value[5]) != local_government_check_digit(value[:5]):
        raise ValidationError(
            "全国地方公共団体コードの検査数字が一致しません。", code="check_digit"
        )


def validate_latitude(value: Decimal) -> None:
    """Listings are in Japan; a latitude outside it is almost always swapped or mistyped."""
    if value is not None and not JAPAN_LAT[0] <= value <= JAPAN_LAT[1]:
        raise ValidationError(
            "緯度は日本国内（20〜46度）の値を入力してください。緯度と経度が逆になっていないかご確認ください。",
            code="outside_japan",
        )


def validate_longitude(value: Decimal) -> None:
    """See validate_latitude."""
    if value is not None and not JAPAN_LNG[0] <= value <= JAPAN_LNG[1]:
        raise ValidationError(
            "経度は日本国内（122〜154度）の値を入力してください。緯度と経度が逆になっていないかご確認ください。",
            code="outside_japan",
        )
