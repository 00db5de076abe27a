"""The skeleton both importers share (open-data CSV rows, HSDS service records).

One rule for each step of "a file becomes pages": a report line per row, a reason for every
row that is skipped, model errors as readable messages, one savepoint per row so one bad row
never stops the file, a dry run as one transaction rolled back at the end, areas found or
created from their 全国地方公共団体コード, and listings found across every listing model.
The importers keep only what their formats need (columns and drafts, HSDS objects).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from directory.membership.lifecycle import TransitionRefused
from directory.models import Area, ListingPage, listing_page_models
from exchange.municipalities import area_name, hiragana
from exchange.opendata.normalise import prefecture_code

UPDATED, SKIPPED = "updated", "skipped"


@dataclass
class RowResult:
    """One line of an import report: a CSV row or an HSDS record, by its number in the file."""

    row: int
    status: str
    listing_id: str = ""
    name: str = ""
    reasons: list[str] = field(default_factory=list)
    unchanged: bool = False  # skipped because the listing already matches the row


@dataclass
class ImportReport:
    """What happened to every row of one file."""

    results: list[RowResult] = field(default_factory=list)
    dry_run: bool = False

    @property
    def counts(self) -> Counter[str]:
        return Counter(result.status for result in self.results)

    def count(self, status: str) -> int:
        return self.counts[status]


class RowSkipped(Exception):
    """A row that cannot be imported; the message is the Japanese reason shown in the report."""


def validation_messages(
    error: ValidationError, labels: Mapping[str, str] | None = None
) -> list[str]:
    """One "field: message" per model error, the field named by `labels` (else by its name)."""
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    labels = labels or {}
    return [
        f"{labels.get(name, name)}: {message}"
        for name, messages in error.message_dict.items()
        for message in messages
    ]


def listing_field_labels() -> dict[str, str]:
    """The Japanese label of every listing field, for messages people read (「緯度: …」)."""
    labels = {
        f.name: str(getattr(f, "verbose_name", f.name)) for f in ListingPage._meta.get_fields()
    }
    labels["__all__"] = "入力内容"
    return labels


def unexpected_error(error: Exception, unit: str) -> str:
    """The class name only: an exception's message may echo what the file contains."""
    return f"{unit}を保存できませんでした（{type(error).__name__}）。"


def save_row(
    result: RowResult,
    save: Callable[[RowResult], None],
    *,
    unit: str,
    invalid: Callable[[ValidationError], list[str]],
) -> RowResult:
    """Run `save` in its own savepoint; any failure rolls the row back and skips it.

    The failure's reason comes first, followed by the notes `save` had already put on the
    result. Never raises: one row must not stop the rest of the file.
    """
    try:
        with transaction.atomic():
            save(result)
    except (RowSkipped, TransitionRefused) as error:  # our own Japanese messages
        reasons = [str(error)]
    except ValidationError as error:
        reasons = invalid(error)
    except Exception as error:
        reasons = [unexpected_error(error, unit)]
    else:
        return result
    result.status, result.reasons = SKIPPED, [*reasons, *result.reasons]
    return result


@contextmanager
def file_transaction(*, dry_run: bool) -> Iterator[None]:
    """The whole file in one transaction; a dry run rolls it back at the end.

    So in a dry run later rows see the members and areas earlier rows would create, and the
    report says exactly what a real run would do.
    """
    with transaction.atomic():
        yield
        if dry_run:
            transaction.set_rollback(True)


def resolve_area(code: str, name: str = "", kana: str = "") -> tuple[Area | None, bool]:
    """The area a row means and whether it was created just now.

    By code first; when the code is unknown (or absent), the municipality its name
    (「東京都大田区」, 「大田区」, 「札幌市 中央区」) or kana names, if exactly one fits — the one
    rule every importer uses. Only then is a missing municipality created under its
    prefecture, or a missing 学区 (「コード-番号」) under its municipality, and only when the
    row names it; otherwise (None, False). Raises ValidationError for a code the model refuses.
    """
    if code:
        area = Area.objects.filter(code=code).first()
        if area is not None:
            return area, False
    parent_code, sub, _ = code.partition("-")
    prefecture = (
        Area.objects.filter(code=prefecture_code(code), level=Area.Level.PREFECTURE).first()
        if code
        else None
    )
    if not sub:
        found = find_municipality(name, kana, prefecture=prefecture)
        if found is not None:
            return found, False
    if not code:
        return None, False
    name = municipality_name(name)[1] if not sub else name
    if sub:
        level = Area.Level.SCHOOL_DISTRICT
        parent = Area.objects.filter(code=parent_code, level=Area.Level.MUNICIPALITY).first()
    else:
        level, parent = Area.Level.MUNICIPALITY, prefecture
    if parent is None or not name:
        return None, False
    max_length = Area._meta.get_field("name").max_length
    area = Area(code=code, name=name[:max_length], level=level, parent=parent)
    area.full_clean()
    area.save()
    return area, True


def municipality_name(name: str) -> tuple[Area | None, str]:
    """(prefecture, the rest): 「東京都大田区」 → (東京都, 「大田区」); spaces and widths folded."""
    text = area_name(name)
    for prefecture in Area.objects.filter(level=Area.Level.PREFECTURE):
        if text.startswith(prefecture.name) and text != prefecture.name:
            return prefecture, text[len(prefecture.name) :]
    return None, text


def find_municipality(name: str, kana: str = "", *, prefecture: Area | None = None) -> Area | None:
    """The one municipality (or 政令市の区) a name or kana means, else None (unknown or ambiguous).

    A prefecture in the name, or the one given, narrows the search; a bare ward name
    (「中央区」 within 北海道) matches 「札幌市中央区」 when only one ward has that name.
    """
    named_prefecture, rest = municipality_name(name)
    prefecture = named_prefecture or prefecture
    municipalities = Area.objects.filter(level=Area.Level.MUNICIPALITY)
    if prefecture is not None:
        municipalities = municipalities.filter(parent=prefecture)
    lookups: list[dict[str, str]] = []
    if rest:
        lookups.append({"name": rest})
        if prefecture is not None:
            lookups.append({"name__endswith": rest})
    if kana and hiragana(kana):
        lookups.append({"kana": hiragana(kana)})
    for lookup in lookups:
        found = list(municipalities.filter(**lookup)[:2])
        if len(found) == 1:
            return found[0]
    return None


def find_listing(**lookup: Any) -> ListingPage | None:
    """The listing of any kind matching `lookup` (uuid=…, external_id=…), or None."""
    for model in listing_page_models():
        found = model.objects.filter(**lookup).first()
        if found is not None:
            return found
    return None
