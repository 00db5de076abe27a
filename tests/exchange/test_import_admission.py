"""Imports respect admission (issue 15 item 8): organisations they create wait for the 事務局.

Both importers: a new organisation is 申請中 with a draft page and its listings wait unpublished
until the 事務局's ordinary 承認 publishes them; --draft keeps every listing a draft; a repeated
id within one file is reported on its row and not applied; a dry run reports the same ids as
the real run.
"""

import copy
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from directory.membership import lifecycle
from directory.models import Member, MemberPage, MemberStatus, PlacePage
from exchange.hsds.export import export_services
from exchange.hsds.importer import import_services
from exchange.opendata.importer import OpendataImporter
from tests.exchange.test_hsds_import import all_listings, empty_the_platform
from tests.factories.directory import MemberFactory
from tests.factories.hsds import exchange_corpus

pytestmark = pytest.mark.django_db

HEADER = "全国地方公共団体コード,ID,地方公共団体名,名称,所在地_連結表記,開催日時,運営団体"
ROW = "139998,{id},東京都架空市,{name},東京都架空市中央1丁目{n},毎週土曜 11:30～13:30,{org}"


def kodomo_csv(*rows: tuple[str, str], org: str = "架空こども食堂ネット") -> bytes:
    """A こども食堂 file of (ID, 名称) rows run by one organisation."""
    lines = [HEADER] + [
        ROW.format(id=key, name=name, n=n, org=org) for n, (key, name) in enumerate(rows, 1)
    ]
    return "\r\n".join(lines).encode()


def import_kodomo(data: bytes, **options) -> list:
    return OpendataImporter("kodomo-shokudo", source_name="test.csv", **options).run(data).results


def approve(member: Member) -> None:
    lifecycle.transition(member, "approve", source="テスト")


# -- new organisations are 申請中 ---------------------------------------------------------------


def test_an_opendata_import_registers_new_organisations_as_applicants_with_nothing_public():
    import_kodomo(kodomo_csv(("001", "ひだまり食堂")))
    member = Member.objects.get(name="架空こども食堂ネット")
    assert member.status == MemberStatus.APPLIED  # on the 事務局's list of 申請
    page = MemberPage.objects.get(member=member)
    assert not page.live
    assert member.group is None  # nobody edits before admission
    listing = PlacePage.objects.get(title="ひだまり食堂")
    assert not listing.live and listing.get_parent().pk == page.pk


def test_the_secretariats_approval_publishes_the_imported_organisation_and_its_listings():
    import_kodomo(kodomo_csv(("001", "ひだまり食堂"), ("002", "つきみ食堂")))
    member = Member.objects.get(name="架空こども食堂ネット")
    approve(member)
    assert MemberPage.objects.get(member=member).live
    assert all(page.live for page in PlacePage.objects.all())
    assert member.group is not None


def test_the_secretariat_may_still_change_the_slug_of_an_imported_applicant_before_approval():
    import_kodomo(kodomo_csv(("001", "ひだまり食堂")))
    member = Member.objects.get(name="架空こども食堂ネット")
    member.slug = "kakuu-kodomo"
    member.save()
    approve(member)
    page = MemberPage.objects.get(member=member)
    assert page.slug == "kakuu-kodomo"
    assert PlacePage.objects.get().url_path.startswith(page.url_path)


def test_the_member_form_keeps_an_imported_applicants_slug_editable_until_its_page_is_public(
    secretariat,
):
    import_kodomo(kodomo_csv(("001", "ひだまり食堂")))
    member = Member.objects.get(name="架空こども食堂ネット")
    url = reverse("wagtailsnippets_directory_member:edit", args=[member.pk])
    assert not secretariat.get(url).context["form"].fields["slug"].disabled
    approve(member)
    assert secretariat.get(url).context["form"].fields["slug"].disabled


def test_a_reimport_before_approval_keeps_the_listings_waiting():
    data = kodomo_csv(("001", "ひだまり食堂"))
    import_kodomo(data)
    import_kodomo(data)
    assert not PlacePage.objects.live().exists()
    approve(Member.objects.get(name="架空こども食堂ネット"))
    assert PlacePage.objects.get().live


def test_an_approved_organisation_keeps_publishing_directly():
    member = MemberFactory(name="架空こども食堂ネット")
    import_kodomo(kodomo_csv(("001", "ひだまり食堂")))
    assert PlacePage.objects.get().live
    assert PlacePage.objects.get().get_parent().specific.member == member


# -- --draft -------------------------------------------------------------------------------


def test_draft_listings_of_a_new_organisation_stay_drafts_after_approval(tmp_path):
    path = tmp_path / "kodomo.csv"
    path.write_bytes(kodomo_csv(("001", "ひだまり食堂")))
    call_command(
        "import_opendata", "--format", "kodomo-shokudo", "--draft", str(path), stdout=io.StringIO()
    )
    member = Member.objects.get(name="架空こども食堂ネット")
    assert member.status == MemberStatus.APPLIED
    approve(member)
    assert MemberPage.objects.get(member=member).live
    assert not PlacePage.objects.get().live  # the member's editors publish it


def test_draft_keeps_new_and_updated_listings_of_an_approved_member_unpublished():
    MemberFactory(name="架空こども食堂ネット")
    import_kodomo(kodomo_csv(("001", "ひだまり食堂")), draft=True)
    listing = PlacePage.objects.get()
    assert not listing.live
    import_kodomo(kodomo_csv(("001", "ひだまり食堂（改）")), draft=True)
    listing.refresh_from_db()
    assert not listing.live and listing.title == "ひだまり食堂"
    assert listing.get_latest_revision_as_object().title == "ひだまり食堂（改）"


# -- duplicate ids within one file ---------------------------------------------------------


def test_a_repeated_opendata_id_is_reported_on_its_row_and_not_applied():
    results = import_kodomo(
        kodomo_csv(("001", "ひだまり食堂"), ("001", "上書きされる食堂"), ("002", "つきみ食堂"))
    )
    first, repeated, other = results
    assert repeated.status == "skipped"
    assert repeated.reasons == [
        f"ID「001」は{first.row}行目と重複しているため、この行は取り込みませんでした。"
    ]
    assert other.status != "skipped"
    assert sorted(PlacePage.objects.values_list("title", flat=True)) == [
        "つきみ食堂",
        "ひだまり食堂",
    ]


def test_a_repeated_hsds_id_is_reported_on_its_record_and_not_applied():
    exchange_corpus()
    [service, *_] = list(export_services())
    empty_the_platform()
    changed = copy.deepcopy(service)
    changed["name"] = "上書きされる名称"
    report = import_services([service, changed])
    assert report.results[1].status == "skipped"
    assert report.results[1].reasons == [
        f"id「{service['id']}」は1件目と重複しているため、この記録は取り込みませんでした。"
    ]
    [listing] = all_listings()
    assert listing.title == service["name"]


# -- dry run and real run ------------------------------------------------------------------


def test_an_opendata_dry_run_reports_the_ids_the_real_run_creates():
    data = kodomo_csv(("001", "ひだまり食堂"), ("002", "つきみ食堂"))
    dry = OpendataImporter("kodomo-shokudo", source_name="t.csv").run(data, dry_run=True)
    real = OpendataImporter("kodomo-shokudo", source_name="t.csv").run(data)
    ids = [r.listing_id for r in real.results]
    assert all(ids)
    assert [r.listing_id for r in dry.results] == ids
    assert sorted(str(p.uuid) for p in PlacePage.objects.all()) == sorted(ids)


def test_an_hsds_dry_run_reports_the_ids_the_real_run_creates():
    exchange_corpus()
    services = list(export_services())
    empty_the_platform()
    dry = import_services(copy.deepcopy(services), dry_run=True)
    real = import_services(services)
    assert [r.listing_id for r in dry.results] == [r.listing_id for r in real.results]


# -- HSDS ----------------------------------------------------------------------------------


def test_an_hsds_import_registers_new_organisations_as_applicants_until_approved():
    exchange_corpus()
    services = list(export_services())
    empty_the_platform()
    report = import_services(services)
    assert report.count("created") == len(services)
    assert set(Member.objects.values_list("status", flat=True)) == {MemberStatus.APPLIED}
    assert not any(page.live for page in all_listings())
    for member in Member.objects.all():
        approve(member)
    assert all(page.live for page in all_listings())


def test_an_hsds_draft_import_publishes_nothing_even_after_approval():
    exchange_corpus()
    services = list(export_services())
    empty_the_platform()
    import_services(services, draft=True)
    for member in Member.objects.all():
        approve(member)
    assert not any(page.live for page in all_listings())
