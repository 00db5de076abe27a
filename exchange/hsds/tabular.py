"""The HSDS tabular format (a CSV datapackage) read into the embedded service objects.

A folder or a zip with datapackage.json and one CSV per table (services.csv, organizations.csv,
locations.csv, service_at_location.csv, phones.csv, schedules.csv …). Rows are nested by their
*_id columns into the same JSON shape the importer reads (exchange.hsds.importer), so one
reader turns tables into objects and nothing else knows about CSV. A row that cannot be read
(wrong number of cells, a parent id that no row has) is named in a message and left out; the
rest of the file is read.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from exchange.hsds.shapes import HsdsFileError

DATAPACKAGE = "datapackage.json"
# table → (child table, the child's column naming the parent, the parent's array key)
CHILDREN: dict[str, tuple[tuple[str, str, str], ...]] = {
    "service": (
        ("phone", "service_id", "phones"),
        ("schedule", "service_id", "schedules"),
        ("service_area", "service_id", "service_areas"),
        ("service_at_location", "service_id", "service_at_locations"),
        ("language", "service_id", "languages"),
        ("cost_option", "service_id", "cost_options"),
        ("contact", "service_id", "contacts"),
        ("funding", "service_id", "funding"),
        ("required_document", "service_id", "required_documents"),
        ("attribute", "link_id", "attributes"),
    ),
    "organization": (
        ("phone", "organization_id", "phones"),
        ("organization_identifier", "organization_id", "organization_identifiers"),
        ("contact", "organization_id", "contacts"),
        ("funding", "organization_id", "funding"),
    ),
    "service_at_location": (
        ("phone", "service_at_location_id", "phones"),
        ("schedule", "service_at_location_id", "schedules"),
        ("contact", "service_at_location_id", "contacts"),
    ),
    "location": (
        ("address", "location_id", "addresses"),
        ("accessibility", "location_id", "accessibility"),
        ("phone", "location_id", "phones"),
        ("language", "location_id", "languages"),
        ("schedule", "location_id", "schedules"),
        ("contact", "location_id", "contacts"),
    ),
    "contact": (("phone", "contact_id", "phones"),),
    "phone": (("language", "phone_id", "languages"),),
}
# table → (its column naming another row, that table, the key the row is embedded under)
LINKS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "service": (
        ("organization_id", "organization", "organization"),
        ("program_id", "program", "program"),
    ),
    "service_at_location": (("location_id", "location", "location"),),
    "attribute": (("taxonomy_term_id", "taxonomy_term", "taxonomy_term"),),
}
# Without a datapackage.json (or for a table it does not list), the file names the spec uses.
DEFAULT_PATHS = {
    "service": "services.csv",
    "organization": "organizations.csv",
    "program": "programs.csv",
    "location": "locations.csv",
    "service_at_location": "service_at_location.csv",
    "address": "addresses.csv",
    "phone": "phones.csv",
    "schedule": "schedules.csv",
    "service_area": "service_areas.csv",
    "language": "languages.csv",
    "cost_option": "cost_options.csv",
    "contact": "contacts.csv",
    "funding": "funding.csv",
    "required_document": "required_documents.csv",
    "accessibility": "accessibility.csv",
    "attribute": "attributes.csv",
    "taxonomy_term": "taxonomy_terms.csv",
    "organization_identifier": "organization_identifiers.csv",
}
NUMERIC_TYPES = ("number", "integer")
Row = dict[str, Any]


@dataclass
class TabularFile:
    """Services nested from the tables, and a message per row that could not be read."""

    services: list[Row] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def is_tabular(path: Path) -> bool:
    """A folder, or a zip, holding an HSDS datapackage (or at least services.csv)."""
    if path.is_dir():
        return (path / DATAPACKAGE).exists() or (path / DEFAULT_PATHS["service"]).exists()
    return path.suffix.lower() == ".zip"


def load_tabular(path: Path) -> TabularFile:
    """Every service of the package as an embedded HSDS service object."""
    files = _Files(path)
    try:
        package = json.loads(files.read(DATAPACKAGE)) if files.has(DATAPACKAGE) else {}
    except json.JSONDecodeError as error:
        raise HsdsFileError(f"{DATAPACKAGE} を JSON として読めません: {error}") from error
    if not isinstance(package, dict):
        package = {}
    resources = {r.get("name"): r for r in package.get("resources", []) if isinstance(r, dict)}
    result = TabularFile()
    tables: dict[str, list[Row]] = {}
    for table, default in DEFAULT_PATHS.items():
        resource = resources.get(table, {})
        name = str(resource.get("path") or default)
        if files.has(name):
            types = {
                f.get("name"): f.get("type")
                for f in resource.get("schema", {}).get("fields", [])
                if isinstance(f, dict)
            }
            tables[table] = list(_rows(files.read(name), name, types, result.messages))
    return _nested(tables, result)


def is_tabular_json(data: Any) -> bool:
    """The tables as JSON, keyed by their file names (the specification's tabular.json)."""
    return (
        isinstance(data, dict)
        and bool(data)
        and all(str(key).endswith(".csv") and isinstance(rows, list) for key, rows in data.items())
    )


def tabular_from_json(data: dict[str, list[Any]]) -> TabularFile:
    """Every service of the tables as an embedded service object, as from the CSV files."""
    tables = {
        table: [
            {key: value for key, value in row.items() if value not in (None, "")}
            for row in data[name]
            if isinstance(row, dict)
        ]
        for table, name in DEFAULT_PATHS.items()
        if name in data
    }
    return _nested(tables, TabularFile())


def _nested(tables: dict[str, list[Row]], result: TabularFile) -> TabularFile:
    if "service" not in tables:
        raise HsdsFileError(
            "services.csv がありません / the package has no services table (services.csv)"
        )
    nester = _Nester(tables, result.messages)
    result.services = [nester.build("service", row) for row in tables["service"]]
    nester.report_orphans()
    return result


class _Files:
    """The files of a folder or a zip, by name (a zip may hold them in one top folder)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        self.names: dict[str, str] = {}
        if path.is_dir():
            return
        try:
            self.zip = zipfile.ZipFile(path)
        except (OSError, zipfile.BadZipFile) as error:
            raise HsdsFileError(f"zip として読み込めません / not a zip file: {error}") from error
        self.names = {Path(n).name: n for n in self.zip.namelist() if not n.endswith("/")}

    def has(self, name: str) -> bool:
        return name in self.names if self.zip else (self.path / name).is_file()

    def read(self, name: str) -> str:
        try:
            data = self.zip.read(self.names[name]) if self.zip else (self.path / name).read_bytes()
            return data.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise HsdsFileError(f"{name} を UTF-8 として読み込めません: {error}") from error


def _rows(text: str, name: str, types: dict[Any, Any], messages: list[str]) -> Iterator[Row]:
    """The filled cells of each row, typed as the datapackage says; bad rows become messages."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        return
    while True:
        line = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            messages.append(
                f"{name} {line} 行目: CSV として読めないため読みませんでした（{error}）"
            )
            return
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            messages.append(
                f"{name} {line} 行目: 列の数（{len(cells)}）が見出し（{len(header)}）と"
                "合わないため読みませんでした。"
            )
            continue
        yield {
            key: _typed(cell, types.get(key))
            for key, cell in zip(header, cells, strict=True)
            if cell != ""
        }


def _typed(cell: str, kind: Any) -> Any:
    """Numbers as numbers (ages, coordinates, amounts); a cell that is not one stays text."""
    if kind not in NUMERIC_TYPES:
        return cell
    try:
        number = Decimal(cell.strip())
    except InvalidOperation:
        return cell  # the importer names the bad value
    return int(number) if number == number.to_integral_value() else float(number)


class _Nester:
    """Rows nested under their parents by *_id, each child row used at least once or named."""

    def __init__(self, tables: dict[str, list[Row]], messages: list[str]) -> None:
        self.tables = tables
        self.messages = messages
        self.by_id = {t: {str(r.get("id")): r for r in rows} for t, rows in tables.items()}
        self.children: dict[tuple[str, str], dict[str, list[Row]]] = {}
        for rows_of in CHILDREN.values():
            for child, column, _ in rows_of:
                index: dict[str, list[Row]] = defaultdict(list)
                for row in tables.get(child, []):
                    if row.get(column):
                        index[str(row[column])].append(row)
                self.children[(child, column)] = index
        self.used: set[tuple[str, int]] = set()

    def build(self, table: str, row: Row) -> Row:
        self.used.add((table, id(row)))
        built = dict(row)
        for child, column, key in CHILDREN.get(table, ()):
            found = self.children[(child, column)].get(str(row.get("id")), [])
            if found:
                built[key] = [self.build(child, r) for r in found]
        for column, target, key in LINKS.get(table, ()):
            linked = self.by_id.get(target, {}).get(str(row.get(column)))
            if linked is not None:
                built[key] = self.build(target, linked)
        return built

    def report_orphans(self) -> None:
        """A service's detail row whose parent no row has is said, never silently lost."""
        for table in ("service_at_location", "phone", "schedule", "service_area", "language"):
            for row in self.tables.get(table, []):
                if (table, id(row)) not in self.used:
                    self.messages.append(
                        f"{DEFAULT_PATHS[table]}（id={row.get('id', '?')}）は"
                        "つながるサービス・場所の行がないため読みませんでした。"
                    )
