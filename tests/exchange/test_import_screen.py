"""The 事務局's import screen: upload → dry run report → 取り込む → progress → final report."""

from __future__ import annotations

import json
import time
from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from directory.models import EventPage, MemberStatus, listing_page_models
from exchange import admin_views, upload_jobs
from exchange.hsds.export import export_services
from tests.factories.directory import MemberFactory, PlacePageFactory
from tests.factories.hsds import exchange_corpus

pytestmark = pytest.mark.django_db

EVENTS = Path(__file__).resolve().parent.parent / "data" / "event_utf8_bom_crlf.csv"
UPLOAD_URL = "/admin/imports/"
REVIEW_URL = "/admin/imports-review/"


@pytest.fixture(autouse=True)
def upload_dir(settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "imports"
    return settings.IMPORT_UPLOAD_DIR


def upload(client, content: bytes, name: str, kind: str = "event", **options):
    return client.post(
        UPLOAD_URL, {"kind": kind, "file": SimpleUploadedFile(name, content), **options}
    )


def the_job() -> upload_jobs.Job:
    (folder,) = upload_jobs.upload_dir().iterdir()
    job = upload_jobs.load(folder.name)
    assert job is not None
    return job


def refused(response) -> bool:
    """Wagtail answers PermissionDenied in its admin with a redirect to the dashboard."""
    return response.status_code in (403, 404) or (
        response.status_code == 302 and response.url == "/admin/"
    )


def listing_count() -> int:
    return sum(model.objects.count() for model in listing_page_models())


# -- who may --------------------------------------------------------------------------------
@pytest.mark.parametrize("url", [UPLOAD_URL, REVIEW_URL, "/admin/imports/" + "a" * 32 + "/"])
def test_a_member_editor_cannot_reach_the_screens(editor_client, url):
    assert refused(editor_client.get(url))
    assert refused(editor_client.post(url))


def test_a_member_editor_is_refused_an_upload_and_nothing_is_kept(editor_client):
    assert refused(upload(editor_client, EVENTS.read_bytes(), "events.csv"))
    assert not upload_jobs.upload_dir().exists()


def test_the_menu_shows_data_import_to_the_secretariat_only(secretariat, editor_client):
    assert UPLOAD_URL in secretariat.get("/admin/").content.decode()  # the sidebar's JSON
    assert UPLOAD_URL not in editor_client.get("/admin/").content.decode()


# -- dry run and confirm ----------------------------------------------------------------------
def test_dry_run_shows_the_row_report_and_saves_nothing(secretariat):
    before = listing_count()
    response = upload(secretariat, EVENTS.read_bytes(), "events.csv")
    job = the_job()
    assert response.status_code == 302 and response.url == f"{UPLOAD_URL}{job.token}/"
    page = secretariat.get(response.url).content.decode()
    assert job.state == upload_jobs.CHECKED
    assert "試行の結果（保存していません）" in page
    assert "取り込む" in page and "要確認" in page and "取込せず" in page
    assert "<table" in page
    assert listing_count() == before
    assert job.upload.is_file()


def test_all_rows_are_listed_on_request_and_problems_only_by_default(secretariat):
    url = upload(secretariat, EVENTS.read_bytes(), "events.csv").url
    report = the_job().dry_report
    clean = [row for row in report["rows"] if row["outcome"] == "created"]
    assert clean, "the sample has rows imported without a problem"
    assert f"<td>{clean[0]['row']}</td>" not in secretariat.get(url).content.decode()
    assert f"<td>{clean[0]['row']}</td>" in secretariat.get(url + "?rows=all").content.decode()


def test_confirm_imports_the_same_file_and_deletes_it(secretariat):
    url = upload(secretariat, EVENTS.read_bytes(), "events.csv").url
    dry = the_job().dry_report
    response = secretariat.post(url)
    assert response.status_code == 302
    job = the_job()
    assert job.state == upload_jobs.DONE
    assert not job.upload.exists()
    saved = dry["counts"]["created"] + dry["counts"]["review"]
    assert EventPage.objects.count() == saved > 0
    assert job.report["counts"] == dry["counts"]
    page = secretariat.get(url).content.decode()
    assert "取込の結果" in page and "アップロードしたファイルは削除しました" in page


def test_confirm_runs_only_once(secretariat):
    url = upload(secretariat, EVENTS.read_bytes(), "events.csv").url
    secretariat.post(url)
    count = EventPage.objects.count()
    response = secretariat.post(url, follow=True)
    assert "もう実行できません" in response.content.decode()
    assert EventPage.objects.count() == count


def test_a_second_confirm_at_the_same_moment_is_refused(secretariat):
    url = upload(secretariat, EVENTS.read_bytes(), "events.csv").url
    assert upload_jobs.claim_import(the_job())  # the first click, its import not yet started
    response = secretariat.post(url, follow=True)
    assert "もう実行できません" in response.content.decode()
    assert EventPage.objects.count() == 0


def test_draft_option_saves_drafts_under_the_chosen_member(secretariat):
    member = MemberFactory()
    url = upload(secretariat, EVENTS.read_bytes(), "events.csv", member=member.pk, draft="on").url
    secretariat.post(url)
    events = list(EventPage.objects.all())
    assert events and not any(event.live for event in events)
    assert all(event.get_parent().specific.member == member for event in events)


def test_an_hsds_json_file_runs_through_the_same_screens(secretariat):
    exchange_corpus()
    content = json.dumps(list(export_services()), cls=DjangoJSONEncoder).encode()
    before = listing_count()
    url = upload(secretariat, content, "services.json", kind=upload_jobs.HSDS).url
    job = the_job()
    assert job.state == upload_jobs.CHECKED
    assert sum(job.dry_report["counts"].values()) == len(job.dry_report["rows"]) > 0
    secretariat.post(url)
    assert the_job().state == upload_jobs.DONE
    assert listing_count() == before  # the same ids: updated, not duplicated


def test_the_draft_option_applies_to_an_hsds_file_too(secretariat):
    """Found: the screen offered 下書き for CSV only, so an HSDS change went live at once."""
    corpus = exchange_corpus()
    services = json.loads(json.dumps(list(export_services()), cls=DjangoJSONEncoder))
    changed = next(s for s in services if s["id"] == str(corpus.place.uuid))
    changed["name"] = "名前を変えた居場所"
    content = json.dumps(services).encode()
    url = upload(secretariat, content, "services.json", kind=upload_jobs.HSDS, draft="on").url
    secretariat.post(url)
    corpus.place.refresh_from_db()
    assert corpus.place.live and corpus.place.title != "名前を変えた居場所"
    assert corpus.place.has_unpublished_changes


# -- bad files ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("content", "name", "kind", "message"),
    [
        (b"", "events.csv", "event", "ファイルが空です"),
        (b"\r\n\r\n", "events.csv", "event", "ファイルに行がありません"),
        (b"PK\x03\x04\x00\x00rest", "events.csv", "event", "CSV として読めません"),
        (b"a,b\n1,2\n", "events.xlsx", "event", "CSV ファイル（.csv）を選んでください"),
        (b"{not json", "services.json", upload_jobs.HSDS, "JSON として読めません"),
        (b"not a zip", "services.zip", upload_jobs.HSDS, "zip ファイルとして読めません"),
        (b"[]", "services.csv", upload_jobs.HSDS, "HSDS は JSON"),
    ],
)
def test_a_bad_file_gets_a_japanese_message_and_is_not_kept(
    secretariat, content, name, kind, message
):
    response = upload(secretariat, content, name, kind=kind)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not upload_jobs.upload_dir().exists()


def test_a_file_over_the_size_limit_is_refused(secretariat, monkeypatch):
    monkeypatch.setattr(admin_views, "MAX_UPLOAD_BYTES", 10)
    response = upload(secretariat, EVENTS.read_bytes(), "events.csv")
    assert "ファイルが大きすぎます" in response.content.decode()
    assert not upload_jobs.upload_dir().exists()


def test_a_file_the_importer_cannot_read_ends_as_failed_with_its_reason(secretariat):
    url = upload(secretariat, b'{"unexpected": true}', "services.json", kind="hsds").url
    job = the_job()
    assert job.state == upload_jobs.FAILED and job.error
    page = secretariat.get(url)
    assert page.status_code == 200 and escape(job.error) in page.content.decode()
    assert "取り込む</button>" not in page.content.decode()


def test_an_unknown_or_malformed_token_is_not_found(secretariat):
    assert secretariat.get(UPLOAD_URL + "x" * 32 + "/").status_code == 404
    assert secretariat.get(UPLOAD_URL + "..%2F..%2Fetc/").status_code == 404


def test_an_expired_upload_is_deleted(secretariat):
    upload(secretariat, EVENTS.read_bytes(), "events.csv")
    job = the_job()
    job.created -= upload_jobs.EXPIRY_SECONDS + 1
    job.save()
    assert upload_jobs.load(job.token) is None
    assert not job.folder.exists()


def test_an_expired_upload_is_kept_while_it_runs_and_deleted_once_it_stalls(secretariat):
    upload(secretariat, EVENTS.read_bytes(), "events.csv")
    job = the_job()
    job.state, job.created = upload_jobs.IMPORTING, job.created - upload_jobs.EXPIRY_SECONDS - 1
    job.save()
    assert upload_jobs.load(job.token) is not None
    with mock.patch("exchange.upload_jobs.time.time", return_value=time.time() + 600):
        assert upload_jobs.load(job.token) is None
    assert not job.folder.exists()


# -- progress ------------------------------------------------------------------------------
def running_job(secretariat, *, done: int, total: int, started_ago: float) -> str:
    url = upload(secretariat, EVENTS.read_bytes(), "events.csv").url
    job = the_job()
    job.state, job.done, job.total = upload_jobs.IMPORTING, done, total
    job.started = time.time() - started_ago
    job.save()
    return url


def test_a_running_import_shows_a_refreshing_progress_bar_with_rate_and_eta(secretariat):
    url = running_job(secretariat, done=2500, total=10000, started_ago=50)
    page = secretariat.get(url).content.decode()
    assert '<meta http-equiv="refresh"' in page
    assert '<progress id="import-progress" max="10000" value="2500">' in page
    assert "2500 / 10000 件" in page and "50.0 件/秒" in page and "残り約2分30秒" in page


def test_a_stalled_import_stops_refreshing_and_says_so(secretariat):
    url = running_job(secretariat, done=10, total=100, started_ago=10)
    job = the_job()
    path = job.folder / "job.json"
    data = json.loads(path.read_text())
    data["updated"] = time.time() - upload_jobs.STALLED_SECONDS - 1
    path.write_text(json.dumps(data))
    page = secretariat.get(url).content.decode()
    assert "処理が止まっているようです" in page
    assert 'http-equiv="refresh"' not in page


def test_progress_is_written_while_rows_are_imported(secretariat, monkeypatch):
    monkeypatch.setattr(upload_jobs, "PROGRESS_EVERY_SECONDS", 0)
    seen: list[tuple[int, int]] = []
    save = upload_jobs.Job.save

    def recording(job):
        seen.append((job.done, job.total))
        save(job)

    monkeypatch.setattr(upload_jobs.Job, "save", recording)
    upload(secretariat, EVENTS.read_bytes(), "events.csv")
    totals = {total for _, total in seen if total}
    assert len(totals) == 1
    (total,) = totals
    dones = [done for done, t in seen if t]
    assert dones == sorted(dones) and dones[-1] == total
    assert any(0 < done < total for done in dones)


def test_outside_tests_a_run_is_a_separate_process(settings, secretariat):
    settings.IMPORT_JOBS_IN_PROCESS = False
    with mock.patch("exchange.upload_jobs.subprocess.Popen") as popen:
        upload(secretariat, EVENTS.read_bytes(), "events.csv")
    job = the_job()
    command = popen.call_args.args[0]
    assert command[-2:] == ["run_import_job", job.token]
    assert job.state == upload_jobs.CHECKING
    assert (
        '<meta http-equiv="refresh"'
        in secretariat.get(f"{UPLOAD_URL}{job.token}/").content.decode()
    )


def test_the_command_runs_the_pending_dry_run(settings, secretariat):
    from django.core.management import call_command

    settings.IMPORT_JOBS_IN_PROCESS = False
    with mock.patch("exchange.upload_jobs.subprocess.Popen"):
        upload(secretariat, EVENTS.read_bytes(), "events.csv")
    call_command("run_import_job", the_job().token)
    assert the_job().state == upload_jobs.CHECKED


# -- 要確認 list --------------------------------------------------------------------------------
def test_review_list_filters_by_member_reason_and_date(secretariat):
    one, other = MemberFactory(), MemberFactory()
    address = PlacePageFactory(member=one, review_notes="・住所がないため地域だけを表示")
    code = PlacePageFactory(member=other, review_notes="・全国地方公共団体コードが一致しません")
    fine = PlacePageFactory(member=one, review_notes="")
    old = PlacePageFactory(member=other, review_notes="・住所を確認")
    type(old).objects.filter(pk=old.pk).update(
        latest_revision_created_at=timezone.now() - timedelta(days=30)
    )

    def titles(**query):
        return secretariat.get(REVIEW_URL, query).content.decode()

    page = titles()
    assert all(p.title in page for p in (address, code, old)) and fine.title not in page
    assert reverse("wagtailadmin_pages:edit", args=[address.pk]) in page
    page = titles(member=one.pk)
    assert address.title in page and code.title not in page
    page = titles(reason="住所")
    assert address.title in page and old.title in page and code.title not in page
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    page = titles(since=since)
    assert old.title not in page and address.title in page
    page = titles(until=since)
    assert old.title in page and address.title not in page


def test_review_list_of_a_member_without_listings_is_empty(secretariat):
    PlacePageFactory(review_notes="・確認")
    lonely = MemberFactory(status=MemberStatus.APPLIED)
    page = secretariat.get(REVIEW_URL, {"member": lonely.pk}).content.decode()
    assert "該当する掲載はありません" in page
