"""The 事務局's import screen in a browser: choose a file, read the dry run, 取り込む."""

from pathlib import Path

import pytest

from directory.models import EventPage
from tests.browser.conftest import axe_violations, live_server_context
from tests.factories.membership import SecretariatUserFactory

EVENTS = Path(__file__).resolve().parents[1] / "data" / "event_utf8_bom_crlf.csv"
DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_upload_dry_run_and_confirm(chromium, live_server, axe_source, settings, tmp_path):
    settings.IMPORT_UPLOAD_DIR = tmp_path / "imports"
    SecretariatUserFactory(username="import-jimukyoku")
    context = live_server_context(chromium, live_server, DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}/admin/login/")
    page.fill('input[name="username"]', "import-jimukyoku")
    page.fill('input[name="password"]', "pw")
    page.click('button[type="submit"]')
    page.goto(f"{live_server.url}/admin/imports/")
    assert axe_violations(page, live_server.url, axe_source, ("serious", "critical")) == []
    page.get_by_label("ファイルの種類").select_option("event")
    page.set_input_files('input[name="file"]', str(EVENTS))
    page.get_by_role("button", name="試行する（保存しません）").click()
    page.get_by_text("試行の結果（保存していません）").wait_for()
    assert EventPage.objects.count() == 0
    assert axe_violations(page, live_server.url, axe_source, ("serious", "critical")) == []
    page.get_by_role("button", name="取り込む").click()
    page.get_by_text("取込の結果").wait_for()
    assert EventPage.objects.count() > 0
    page.get_by_role("link", name="要確認の掲載を見る").click()
    page.get_by_role("button", name="絞り込む").wait_for()
    assert axe_violations(page, live_server.url, axe_source, ("serious", "critical")) == []
    context.close()
