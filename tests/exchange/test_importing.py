"""exchange.importing: the row skeleton both importers share, and what it promises."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError

from directory.membership.lifecycle import TransitionRefused
from directory.models import Area
from exchange.hsds import importer as hsds_importer
from exchange.hsds.importer import import_services
from exchange.importing import RowResult, RowSkipped, resolve_area, save_row
from exchange.opendata.importer import OpendataImporter
from exchange.opendata.reading import Row
from tests.factories.directory import MunicipalityFactory

pytestmark = pytest.mark.django_db

CELL = "山田太郎 090-1234-5678"  # what a failing row may carry; never echoed in a report


def _record() -> dict[str, object]:
    return {
        "id": str(uuid.uuid4()),
        "name": "相談の場",
        "organization": {"id": str(uuid.uuid4()), "name": "架空の会", "description": ""},
    }


def _fail_with(error: Exception) -> Callable[..., None]:
    def fail(*args: object) -> None:
        raise error

    return fail


@pytest.mark.parametrize("error", [ValueError(CELL), RuntimeError(CELL), LookupError(CELL)])
def test_an_unforeseen_hsds_error_skips_the_record_and_names_only_its_class(monkeypatch, error):
    monkeypatch.setattr(hsds_importer.ServiceImporter, "run", _fail_with(error))
    report = import_services([_record(), _record()])
    assert [r.status for r in report.results] == ["skipped", "skipped"]
    for result in report.results:
        assert CELL not in " ".join(result.reasons)
        assert type(error).__name__ in result.reasons[0]


def test_an_unforeseen_opendata_error_names_only_its_class(monkeypatch):
    importer = OpendataImporter("facility")
    monkeypatch.setattr(importer, "_fill", _fail_with(ValueError(CELL)))
    result = importer.import_row(Row(2, {"name": "公民館", "address": "架空市中央1丁目"}))
    assert result.status == "skipped"
    assert result.reasons == ["この行を保存できませんでした（ValueError）。"]


def test_save_row_rolls_the_row_back_and_puts_the_reason_before_its_notes():
    def save(result: RowResult) -> None:
        MunicipalityFactory(code="139980", name="消える市")
        result.reasons.append("途中までの確認事項")
        raise RowSkipped("取り込めない理由")

    result = save_row(RowResult(3, "skipped"), save, unit="この行", invalid=lambda e: [])
    assert result.reasons == ["取り込めない理由", "途中までの確認事項"]
    assert not Area.objects.filter(code="139980").exists()


def test_save_row_words_model_errors_through_the_importer():
    def save(result: RowResult) -> None:
        raise ValidationError({"lat": ["範囲外"]})

    result = save_row(RowResult(4, "skipped"), save, unit="この行", invalid=lambda e: ["言い換え"])
    assert (result.status, result.reasons) == ("skipped", ["言い換え"])


def test_resolve_area_creates_a_named_municipality_then_its_school_district():
    assert resolve_area("139971", "") == (None, False)
    city, created = resolve_area("139971", "架空町")
    assert created and city is not None
    assert (city.level, city.parent.code) == (Area.Level.MUNICIPALITY, "130001")
    district, created = resolve_area("139971-02", "架空第二小学校区")
    assert created and district is not None and district.parent == city
    assert resolve_area("139971-02", "") == (district, False)
    assert resolve_area("139972-01", "親のない学区") == (None, False)


def test_a_refused_membership_step_skips_the_row_with_its_own_reason():
    """An import never re-admits a member the 事務局 closed; the row says why, in Japanese."""
    refusal = TransitionRefused("この団体は一時停止中のため、取込で承認し直すことはできません。")
    result = save_row(
        RowResult(2, "created"), _fail_with(refusal), unit="この行", invalid=lambda e: []
    )
    assert result.status == "skipped"
    assert result.reasons == [str(refusal)]
