"""import_hsds reads the HSDS tabular format, a CSV datapackage (issue 16).

The specification's own CSV example is read from ../shared/reference/hsds/ (skipped where
absent); small packages written here check that one bad row is named and the rest imported.
"""

from __future__ import annotations

import json
import uuid
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from directory.models import ServicePage
from exchange.hsds.importer import import_services, load_services
from exchange.hsds.tabular import load_tabular
from tests.reference import reference_path

pytestmark = pytest.mark.django_db

ORG = str(uuid.uuid4())
SERVICES = [str(uuid.uuid4()), str(uuid.uuid4())]


def write_package(folder: Path, services_csv: str, phones_csv: str = "") -> Path:
    folder.mkdir(exist_ok=True)
    (folder / "organizations.csv").write_text(
        f"id,name,description\n{ORG},表の団体,説明\n", encoding="utf-8"
    )
    (folder / "services.csv").write_text(services_csv, encoding="utf-8")
    if phones_csv:
        (folder / "phones.csv").write_text(phones_csv, encoding="utf-8")
    return folder


def two_services() -> str:
    return (
        "id,organization_id,name,status,minimum_age\n"
        f'{SERVICES[0]},{ORG},"表のサービス\n（2 行）",active,6\n'
        f"{SERVICES[1]},{ORG},壊れた行,active,6,余分\n"
    )


def test_the_specifications_csv_example_nests_like_its_json_example():
    """examples/csv read into the same ids and nesting as examples/service_full.json."""
    folder = reference_path("hsds", "examples", "csv")
    full = json.loads(reference_path("hsds", "examples", "service_full.json").read_text())
    loaded = load_tabular(folder)
    [service] = [s for s in loaded.services if s["id"] == full["id"]]
    assert service["organization"]["id"] == full["organization"]["id"]
    assert service["minimum_age"] == full["minimum_age"]
    sal = service["service_at_locations"][0]
    assert sal["location"]["id"] == full["service_at_locations"][0]["location"]["id"]
    assert (
        sal["location"]["addresses"][0]["id"]
        == (full["service_at_locations"][0]["location"]["addresses"][0]["id"])
    )
    assert {p["id"] for p in service["phones"]} == {p["id"] for p in full["phones"]}
    assert {s["id"] for s in service["schedules"]} == {s["id"] for s in full["schedules"]}
    report = import_services(loaded.services, messages=loaded.messages)
    assert [r.status for r in report.results] == ["created"], report.lines()
    assert ServicePage.objects.get(uuid=full["id"]).age_min == full["minimum_age"]


def test_a_bad_row_is_named_and_the_others_are_imported(tmp_path):
    folder = write_package(
        tmp_path / "pkg",
        two_services(),
        phones_csv=f"id,service_id,number\n{uuid.uuid4()},{uuid.uuid4()},03-0000-0000\n",
    )
    out = StringIO()
    call_command("import_hsds", str(folder), "--quiet", stdout=out)
    printed = out.getvalue()
    assert "services.csv 4 行目" in printed  # the multi-line record before it counted right
    assert "phones.csv" in printed  # a phone of no service is said, not silently lost
    page = ServicePage.objects.get(uuid=SERVICES[0])
    assert page.title == "表のサービス\n（2 行）" and page.age_min == 6
    assert not ServicePage.objects.filter(uuid=SERVICES[1]).exists()


def test_a_zip_package_is_read_like_a_folder(tmp_path):
    folder = write_package(tmp_path / "pkg", two_services())
    archive = tmp_path / "hsds.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for path in folder.iterdir():
            zipped.write(path, f"export/{path.name}")
    loaded = load_services(archive)
    assert [s["id"] for s in loaded.services] == [SERVICES[0]]
    assert loaded.services[0]["organization"]["name"] == "表の団体"


def test_a_package_without_services_is_refused_whole(tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "datapackage.json").write_text("{}", encoding="utf-8")
    with pytest.raises(CommandError, match=r"services\.csv"):
        call_command("import_hsds", str(folder), "--quiet", stdout=StringIO())
