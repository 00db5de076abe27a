"""HSDS import: a file of embedded service objects → members and listings, ids kept.

Each record runs in its own savepoint, so one bad record is reported and skipped while the
rest of the file is imported; a dry run rolls the whole file back (exchange.importing, shared
with the open-data importer). One record is read by exchange.hsds.reading and saved by
exchange.hsds.records. Only organisational data is kept: a contact's personal name never is.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from exchange.hsds.places import AREA_IDENTIFIER_TYPE, AREA_URI
from exchange.hsds.reading import area_with_note, clean_text, dict_list
from exchange.hsds.records import CREATED, ServiceImporter
from exchange.hsds.shapes import HsdsFileError, services_in
from exchange.hsds.tabular import (
    TabularFile,
    is_tabular,
    is_tabular_json,
    load_tabular,
    tabular_from_json,
)
from exchange.importing import (
    SKIPPED,
    UPDATED,
    ImportReport,
    RepeatedIds,
    RowResult,
    VocabularyTerms,
    file_transaction,
    import_in_batches,
    save_row,
    validation_messages,
)

UNIT = "この記録"


@dataclass
class HsdsReport(ImportReport):
    messages: list[str] = field(default_factory=list)  # file-level (areas created)

    @property
    def imported(self) -> int:
        return self.count(CREATED) + self.count(UPDATED)

    @property
    def failed(self) -> bool:
        """Nothing could be imported: no record was created, updated or already up to date."""
        return self.imported == 0 and not any(r.unchanged for r in self.results)

    def lines(self) -> list[str]:
        """The report as printed: area messages, one block per record, then the totals."""
        lines = list(self.messages)
        for result in self.results:
            label = f"[{result.row}] {result.status:<8} {result.name or '(名称なし)'}"
            if result.listing_id:
                label += f" (id={result.listing_id})"
            lines.append(label)
            lines += [f"      - {reason}" for reason in result.reasons]
        prefix = "【試行のみ・保存していません】" if self.dry_run else ""
        lines.append(
            f"{prefix}新規 {self.count(CREATED)} 件、更新 {self.count(UPDATED)} 件、"
            f"スキップ {self.count(SKIPPED)} 件"
            f"（うち変更なし {sum(r.unchanged for r in self.results)} 件）"
        )
        return lines


def load_services(path: Path) -> TabularFile:
    """The service objects of a file, in any shape HSDS publishes them.

    A JSON file (services_in), or the tabular format: a folder or zip with the CSV
    datapackage, or its tables as JSON keyed by file name (exchange.hsds.tabular), whose
    unreadable rows come back as messages.
    """
    if is_tabular(path):
        return load_tabular(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise HsdsFileError(f"JSON として読み込めません / not valid JSON: {error}") from error
    if is_tabular_json(data):
        return tabular_from_json(data)
    return TabularFile(services=services_in(data))


def import_services(
    services: Iterable[Any],
    *,
    dry_run: bool = False,
    progress: Callable[[Iterable[Any]], Iterable[Any]] | None = None,
    report: HsdsReport | None = None,
    messages: Iterable[str] = (),
    draft: bool = False,
) -> HsdsReport:
    """Import every record in its own savepoint; a bad record never stops the others.

    Committed in batches (exchange.importing.import_in_batches); pass `report` to keep the
    records saved before an ImportInterrupted. `progress` wraps the records (a progress bar).
    `draft` saves every listing created or changed as a draft. A record whose id an earlier
    record of the file had is reported and not applied.
    """
    services = list(services)
    report = report or HsdsReport()
    report.dry_run = dry_run
    with file_transaction(dry_run=dry_run):
        report.messages = [*messages, *prepare_areas(services)]
        records = progress(services) if progress is not None else services  # len → ETA
        repeated, terms = RepeatedIds(unit=UNIT, ordinal="件目"), VocabularyTerms()
        import_in_batches(
            enumerate(records, 1),
            lambda item: _import_record(*item, repeated=repeated, draft=draft, terms=terms),
            report,
            dry_run=dry_run,
        )
    return report


def _import_record(
    index: int, record: Any, *, repeated: RepeatedIds, draft: bool, terms: VocabularyTerms
) -> RowResult:
    result = RowResult(row=index, status=SKIPPED)
    if isinstance(record, dict):
        result.listing_id = str(record.get("id") or "")
        result.name = str(record.get("name") or "")

    def save(result: RowResult) -> None:
        if result.listing_id:
            repeated.check(result.listing_id, index, f"id「{result.listing_id}」")
        ServiceImporter(record, result, draft=draft, terms=terms).run()

    return save_row(result, save, unit=UNIT, invalid=_invalid)


def _invalid(error: ValidationError) -> list[str]:
    return [f"保存できませんでした: {' '.join(validation_messages(error))}"]


def prepare_areas(services: list[Any]) -> list[str]:
    """Create the missing areas every record names, municipalities first, before any record.

    A 学区 can only be created below its municipality, and the record that names the
    municipality may come later in the file than the one that uses the 学区.
    """
    names: dict[str, str] = {}

    def remember(code: str, name: str) -> None:
        if code and (name or code not in names) and not names.get(code):
            names[code] = name

    for record in services:
        if not isinstance(record, dict):
            continue
        for item in dict_list(record.get("service_areas")):
            uri = clean_text(item.get("uri"))
            if uri.startswith(AREA_URI):
                remember(uri.removeprefix(AREA_URI), clean_text(item.get("name")))
        for sal in dict_list(record.get("service_at_locations")):
            location = sal.get("location")
            if (
                isinstance(location, dict)
                and location.get("external_identifier_type") == AREA_IDENTIFIER_TYPE
            ):
                # Only an area-only (confidential) location is named after its area.
                named = not dict_list(location.get("addresses"))
                remember(
                    clean_text(location.get("external_identifier")),
                    clean_text(location.get("name")) if named else "",
                )
    messages = []
    for code in sorted(names, key=lambda c: ("-" in c, c)):
        with transaction.atomic():
            area, message = area_with_note(code, names[code])
        if area is not None and message:
            messages.append(message)
    return messages
