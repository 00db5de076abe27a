"""A listing's 対象年齢: one home for its bounds, its validation and how it reads in Japanese.

Both ends are optional and inclusive, in whole years (「12〜18歳」 includes a person of 18).
The listing page, the resources API, search and matching reasons all take their wording and
their "does this age fit" rule from here, so they can never disagree.
"""

from django.core.exceptions import ValidationError

AGE_LIMIT = 120
"""The highest age a listing may state; anything above is a typing error, not a real bound."""


def validate_age(value: int | None) -> None:
    """One end of a range is a whole number of years from 0 to AGE_LIMIT."""
    if value is not None and not 0 <= value <= AGE_LIMIT:
        raise ValidationError(
            f"対象年齢は0〜{AGE_LIMIT}歳の範囲で入力してください。", code="age_out_of_range"
        )


def age_range_errors(age_min: int | None, age_max: int | None) -> dict[str, str]:
    """Errors of a whole range, keyed by the field to show them on (empty when valid).

    The per-field bounds are checked by validate_age on each field; this adds the rule that
    needs both ends, shown on 何歳まで because that is the end a member usually corrects.
    """
    if age_min is not None and age_max is not None and age_min > age_max:
        return {
            "age_max": (
                f"「何歳まで」（{age_max}歳）が「何歳から」（{age_min}歳）より小さくなっています。"
                "入れ替えるか、どちらかを直してください。"
            )
        }
    return {}


def age_range_label(age_min: int | None, age_max: int | None) -> str:
    """How a range reads on a page or in a reason: 「12〜18歳」, 「65歳以上」, 「18歳まで」.

    An empty string when neither end is set (the listing states no age range).
    """
    if age_min is not None and age_max is not None:
        if age_min == age_max:
            return f"{age_min}歳"
        return f"{age_min}〜{age_max}歳"
    if age_min is not None:
        return f"{age_min}歳以上"
    if age_max is not None:
        return f"{age_max}歳まで"
    return ""


def age_in_range(age: int, age_min: int | None, age_max: int | None) -> bool:
    """Does a person of `age` fit? A listing without a stated end is open on that side."""
    return (age_min is None or age_min <= age) and (age_max is None or age <= age_max)
