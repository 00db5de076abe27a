"""import_hsds keeps what others publish or says what it drops (issue 16).

Districts named in service_areas are created under the listing's municipality; a physical
location without address or point stays area-only; foreign addresses and currencies are
never rewritten as Japanese ones; ages travel both ways; every official JSON shape is read;
the specification's own example keeps what the model can hold and names the rest.
"""

from __future__ import annotations

import copy
import json
import uuid
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from directory.models import Area, ListingPage, LocationMode, ServicePage
from directory.models.listings import listing_page_models
from exchange.hsds.export import export_services
from exchange.hsds.ids import id_slots, organization_id_slots
from exchange.hsds.importer import import_services
from exchange.hsds.shapes import HsdsFileError, services_in
from tests.exchange.test_hsds_import import empty_the_platform
from tests.factories.hsds import exchange_corpus
from tests.factories.membership import approve_applicants
from tests.reference import reference_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def exported() -> list[dict[str, Any]]:
    exchange_corpus()
    return list(export_services())


def by_name(services: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return copy.deepcopy(next(s for s in services if s["name"] == name))


def listing(service: dict[str, Any]) -> ListingPage:
    return next(
        page for model in listing_page_models() for page in model.objects.filter(uuid=service["id"])
    )


def reasons(report: Any) -> str:
    return "\n".join(reason for result in report.results for reason in result.reasons)


def test_our_own_export_imported_back_is_unchanged(exported):
    """An event at a venue exports the venue's address; reading it back is no change."""
    report = import_services(exported)
    assert [r.name for r in report.results if not r.unchanged] == []
    assert all(r.reasons[0] == "変更なし" for r in report.results)


def test_a_district_named_without_our_urn_is_created_under_the_municipality(exported):
    service = by_name(exported, "みんなの食堂")
    service["service_areas"] = [{"id": str(uuid.uuid4()), "name": "架空第二小学校区"}]
    report = import_services([service])
    district = Area.objects.get(name="架空第二小学校区")
    assert district.level == Area.Level.SCHOOL_DISTRICT and district.parent.code == "139998"
    assert list(listing(service).service_areas.all()) == [district]
    assert "架空第二小学校区" in reasons(report) and "確認" in reasons(report)
    import_services([service])  # matched by name the second time, not created again
    assert Area.objects.filter(name="架空第二小学校区").count() == 1


def test_a_physical_location_without_address_or_point_is_area_only(exported):
    service = by_name(exported, "みんなの食堂")
    [physical] = [s for s in service["service_at_locations"] if s["location"]["addresses"]]
    for key in ("addresses", "latitude", "longitude"):
        physical["location"].pop(key)
    import_services([service])
    page = listing(service)
    assert page.location_mode == LocationMode.CONFIDENTIAL
    assert page.area.code == "139998-01" and not page.address and page.lat is None


def test_a_foreign_address_and_currency_are_dropped_or_kept_never_rewritten(exported):
    service = by_name(exported, "みんなの食堂")
    [physical] = [s for s in service["service_at_locations"] if s["location"]["addresses"]]
    physical["location"]["addresses"][0].update(
        address_1="1 Main Street", city="Springfield", state_province="IL", country="US"
    )
    service["cost_options"] = [{"id": str(uuid.uuid4()), "currency": "gbp", "amount": 35}]
    service["fees_description"] = ""
    report = import_services([service])
    page = listing(service)
    assert "Main Street" not in page.address and "Springfield" in reasons(report)
    assert "35 GBP" in page.cost_text and "GBP" in reasons(report)
    exported_again = by_name(list(export_services()), "みんなの食堂")
    addresses = [
        a
        for s in exported_again["service_at_locations"]
        for a in s["location"].get("addresses", [])
    ]
    assert all("Main Street" not in a["address_1"] for a in addresses)


def test_ages_travel_both_ways(exported):
    service = by_name(exported, "みんなの食堂")
    service.update(minimum_age=6, maximum_age=18)
    import_services([service])
    page = listing(service)
    assert (page.age_min, page.age_max) == (6, 18)
    again = by_name(list(export_services()), "みんなの食堂")
    assert (again["minimum_age"], again["maximum_age"]) == (6, 18)


@pytest.mark.parametrize(
    ("minimum", "maximum", "kept"),
    [
        (12.5, None, (None, None)),
        (20, 10, (None, None)),
        (-1, 200, (None, None)),
        (0, 120, (0, 120)),
    ],
)
def test_ages_the_model_cannot_hold_are_noted(exported, minimum, maximum, kept):
    service = by_name(exported, "みんなの食堂")
    service.update(minimum_age=minimum, maximum_age=maximum)
    report = import_services([service])
    page = listing(service)
    assert (page.age_min, page.age_max) == kept
    assert ("対象年齢" in reasons(report)) == (kept == (None, None))


def test_every_official_json_shape_is_read(exported):
    one = by_name(exported, "みんなの食堂")
    organization = dict(one["organization"])
    nested = {k: v for k, v in one.items() if k != "organization"}
    page = {"total_items": 1, "total_pages": 1, "page_number": 1, "contents": [one]}
    assert services_in(one) == [one]
    assert services_in(page) == [one]
    assert services_in([one]) == [one]
    assert services_in({"services": [one]}) == [one]
    [from_org] = services_in({**organization, "services": [nested]})
    assert from_org["organization"] == organization and from_org["id"] == one["id"]
    with pytest.raises(HsdsFileError):
        services_in({"nope": 1})


def test_an_organization_with_services_is_not_read_as_a_wrapper(exported):
    empty_the_platform()
    one = by_name(exported, "みんなの食堂")
    organization = one.pop("organization")
    report = import_services(services_in({**organization, "services": [one]}))
    assert report.results[0].status == "created"
    assert listing(one).get_parent().specific.member.name == organization["name"]


def test_the_specifications_own_example_keeps_what_it_can_and_names_the_rest():
    """examples/service_full.json: kept where the model has a field, named otherwise."""
    example = json.loads(reference_path("hsds", "examples", "service_full.json").read_text())
    report = import_services(services_in(example))
    [result] = report.results
    assert result.status == "created", result.reasons
    page = ServicePage.objects.get(uuid=example["id"])
    assert page.title == example["name"] and page.kana == example["alternate_name"]
    assert (page.age_min, page.age_max) == (12, 100)
    assert page.website == example["url"] and page.email == example["email"]
    assert str(page.last_verified) == example["assured_date"]
    assert "35 GBP" in page.cost_text
    noted = "\n".join(result.reasons)
    for field in (
        "eligibility_description",
        "interpretation_services",
        "accreditations",
        "alert",
        "funding",
        "required_documents",
        "program",
    ):
        assert field in noted, field
    assert "MyCity" in noted  # the US address, dropped as a whole and said so
    assert page.contact_point == "Reception"  # the contact's department is our 窓口
    assert "Ann Persona" not in page.review_notes  # a personal name is never stored
    [contact_note] = [line for line in result.reasons if "（contact）" in line]
    assert "title" in contact_note and "phones" in contact_note  # beyond its department
    assert page.languages == ["ur"]  # an ISO 639 code the UI does not offer is stored


def test_every_iso_639_code_is_stored_and_a_non_code_is_named(exported):
    """HSDS allows any ISO 639 code: kept even where the editor offers no checkbox for it."""
    service = by_name(exported, "みんなの食堂")
    service["languages"] = [
        {"id": str(uuid.uuid4()), "name": "Urdu", "code": "ur"},
        {"id": str(uuid.uuid4()), "name": "Filipino", "code": "fil"},
        {"id": str(uuid.uuid4()), "name": "?", "code": "日本"},
    ]
    report = import_services([service])
    assert listing(service).languages == ["ur", "fil"]
    assert "'日本'" in reasons(report)


def test_the_languages_field_accepts_iso_639_codes_only():
    field = ServicePage._meta.get_field("languages")
    field.validate(["ja", "ur", "fil"], None)
    with pytest.raises(ValidationError):
        field.validate(["Urdu"], None)


def fresh_nested_ids(service: dict[str, Any]) -> dict[str, str]:
    """Give every nested object a publisher's own id, as another system would write it."""
    given = {}
    for slot, item in id_slots(service):
        item["id"] = given[slot] = str(uuid.uuid4())
    return given


def test_nested_ids_and_last_modified_survive_import_and_export(exported):
    service = by_name(exported, "みんなの食堂")
    given = fresh_nested_ids(service)
    assert len(given) >= 4  # phones, schedules, locations, addresses …
    service["last_modified"] = "2023-03-15T10:30:45.123Z"
    import_services([service])
    [out] = [s for s in export_services() if s["id"] == service["id"]]
    assert {slot: item["id"] for slot, item in id_slots(out) if slot in given} == given
    assert out["last_modified"] == "2023-03-15T10:30:45.123Z"
    physical = next(
        sal["location"]
        for sal in out["service_at_locations"]
        if sal["location"]["location_type"] == "physical"
    )
    assert all(a["location_id"] == physical["id"] for a in physical.get("addresses", []))
    again = import_services([out])
    assert again.results[0].unchanged, again.lines()


def test_an_edit_after_the_import_gives_the_listing_its_own_last_modified(exported):
    service = by_name(exported, "みんなの食堂")
    service["last_modified"] = "2023-03-15T10:30:45.123Z"
    import_services([service])
    page = listing(service)
    page.summary = "編集しました"
    page.save_revision().publish()
    [out] = [s for s in export_services() if s["id"] == service["id"]]
    assert out["last_modified"] != service["last_modified"]


ROUND_TRIP_FIELDS = (
    "id",
    "name",
    "alternate_name",
    "url",
    "email",
    "assured_date",
    "minimum_age",
    "maximum_age",
    "last_modified",
)


def test_the_specifications_example_round_trips_every_value_the_model_holds():
    """examples/service_full.json imported then exported: what we keep comes back as it was
    (values and nested ids)."""
    example = json.loads(reference_path("hsds", "examples", "service_full.json").read_text())
    import_services(services_in(copy.deepcopy(example)))
    approve_applicants()
    [out] = [s for s in export_services() if s["id"] == example["id"]]
    assert {key: out.get(key) for key in ROUND_TRIP_FIELDS} == {
        key: example[key] for key in ROUND_TRIP_FIELDS
    }
    assert out["organization"]["id"] == example["organization"]["id"]
    assert [lang["code"] for lang in out["languages"]] == ["ur"]
    incoming = dict(id_slots(example))
    kept = {slot: item["id"] for slot, item in id_slots(out) if slot in incoming}
    assert kept and kept == {slot: incoming[slot]["id"] for slot in kept}


def test_our_export_of_the_specifications_example_read_back_is_unchanged_and_keeps_its_notes():
    """The first import noted what it could not hold; our export no longer carries those
    values, so reading it back changes no data: 「変更なし」, and the notes stay."""
    example = json.loads(reference_path("hsds", "examples", "service_full.json").read_text())
    import_services(services_in(copy.deepcopy(example)))
    approve_applicants()
    notes = ServicePage.objects.get(uuid=example["id"]).review_notes
    assert "funding" in notes
    [out] = [s for s in export_services() if s["id"] == example["id"]]
    report = import_services([out])
    [result] = report.results
    assert result.unchanged and result.reasons[0] == "変更なし", report.lines()
    assert ServicePage.objects.get(uuid=example["id"]).review_notes == notes


def test_a_changed_record_gets_the_notes_of_its_new_reading(exported):
    service = by_name(exported, "みんなの食堂")
    service["funding"] = [{"id": str(uuid.uuid4()), "source": "市の補助金"}]
    import_services([service])
    assert "funding" in listing(service).review_notes
    service.pop("funding")
    service["name"] = "みんなの食堂（改名）"
    report = import_services([service])
    assert report.results[0].status == "updated"
    assert "funding" not in listing(service).review_notes


def test_unchanged_data_with_a_new_note_keeps_the_old_ones_and_adds_it(exported):
    service = by_name(exported, "みんなの食堂")
    service["funding"] = [{"id": str(uuid.uuid4()), "source": "市の補助金"}]
    import_services([service])
    service["program"] = {"id": str(uuid.uuid4()), "name": "地域福祉", "description": "…"}
    report = import_services([service])
    assert report.results[0].status == "updated"
    notes = listing(service).review_notes
    assert "funding" in notes and "program" in notes


def test_organization_nested_ids_survive_import_and_export(exported):
    """The organization's own phones, contacts and identifiers keep the publisher's ids,
    in every service of that organization and in /organizations."""
    service = by_name(exported, "みんなの食堂")
    organization = service["organization"]
    organization["contacts"] = [{"id": "", "department": "地域福祉係"}]
    given = {}
    for slot, item in organization_id_slots(organization):
        item["id"] = given[slot] = str(uuid.uuid4())
    assert {slot.partition("/")[0] for slot in given} == {
        "phones",
        "contacts",
        "organization_identifiers",
    }
    import_services([service])
    for out in export_services():
        if out["organization"]["id"] == organization["id"]:
            kept = dict(organization_id_slots(out["organization"]))
            assert {slot: item["id"] for slot, item in kept.items()} == given
            assert kept["contacts/0/1"]["department"] == "地域福祉係"
    [out] = [s for s in export_services() if s["id"] == service["id"]]
    again = import_services([out])
    assert again.results[0].unchanged, again.lines()


def test_what_an_organization_carries_beyond_the_member_is_named():
    example = json.loads(reference_path("hsds", "examples", "organization_full.json").read_text())
    report = import_services(services_in(example))
    noted = reasons(report)
    for field in ("funding", "locations", "programs", "year_incorporated", "logo"):
        assert field in noted, field
    assert "GB-COH 1234567" in noted  # an identifier other than the 法人番号
    assert "extension" in noted  # a phone's extension has no field


def test_a_location_name_used_as_the_address_is_not_also_said_to_be_dropped():
    """service_full.json's only address is abroad: its place name fills the address field,
    and the report says that once instead of also calling the name dropped."""
    example = json.loads(reference_path("hsds", "examples", "service_full.json").read_text())
    [result] = import_services(services_in(example)).results
    page = ServicePage.objects.get(uuid=example["id"])
    name = example["service_at_locations"][0]["location"]["name"]
    assert page.address == name
    said = [line for line in result.reasons if name in line]
    assert len(said) == 1 and "住所欄" in said[0], said


def test_nested_fields_the_model_cannot_hold_are_named():
    """What a language, an accessibility entry, a cost option and a schedule carry beyond
    what the listing keeps is named in the report (service_full.json), never lost unsaid."""
    example = json.loads(reference_path("hsds", "examples", "service_full.json").read_text())
    [result] = import_services(services_in(example)).results
    said = {
        what: line
        for line in result.reasons
        for what in ("language", "accessibility", "cost_option", "schedule")
        if f"（{what}）" in line
    }
    assert "note" in said["language"]
    assert "details" in said["accessibility"] and "url" in said["accessibility"]
    assert "valid_from" in said["cost_option"]
    assert "attending_type" in said["schedule"] and "count" in said["schedule"]
