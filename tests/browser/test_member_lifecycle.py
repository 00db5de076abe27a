"""A member's whole life through the real UI (issue 15): apply, admission, first listing,
a resident's report and its answer; and the same listing through 事務局 approval.

Every step clicks what a person clicks, by its Japanese label; mail is read from Django's
locmem outbox (the live server runs in this process).
"""

import re
from urllib.parse import urlparse

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Site

from directory.models import ListingReport, Member, MemberPage, PlacePage
from directory.templatetags.listing_tags import format_full_date
from tests.browser.conftest import admin_log_in, live_server_context
from tests.factories.directory import EditorFactory, MemberFactory
from tests.factories.membership import SecretariatUserFactory
from website.models import PlatformSettings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "kawa-no-nagare-2026"
FACTORY_PASSWORD = "pw"  # the user factories' password
TITLE = "みどりの広場 こども食堂"


@pytest.fixture
def browser_page(chromium, live_server):
    """open_page(): a fresh desktop context per person (its own cookies), closed afterwards."""
    contexts = []

    def open_page():
        context = live_server_context(chromium, live_server, DESKTOP)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def mail_to(address: str):
    """The last message sent to `address`."""
    found = [m for m in mail.outbox if address in m.to]
    assert found, f"{address} にメールが届いていません"
    return found[-1]


def path_of_link(body: str, marker: str) -> str:
    return urlparse(re.search(rf"https?://\S*{marker}\S*", body).group(0)).path


def open_footer_menu(page) -> None:
    """The editor's footer keeps every action but the first behind 他のアクション."""
    page.locator(".w-dropdown-button").get_by_role("button", name="他のアクション").click()


def publish(page) -> None:
    """The editor's footer: open the action menu and press 公開."""
    open_footer_menu(page)
    page.get_by_role("button", name="公開", exact=True).click()


def create_listing(page, base_url: str, member_page: MemberPage) -> None:
    """The editor adds a 居場所 under its member page; the slug field is never touched."""
    page.goto(base_url + reverse("wagtailadmin_explore", args=[member_page.pk]))
    page.get_by_role("link", name="子ページを追加").first.click()
    page.get_by_role("link", name="居場所", exact=True).click()
    page.locator("#id_title").fill(TITLE)
    page.get_by_role("textbox", name="ひとことで*").fill("毎週水曜、だれでも来られる食堂です。")
    page.get_by_role("tab", name="場所").click()
    page.get_by_role("textbox", name="住所", exact=True).fill("架空市中央1丁目")


def test_an_applicant_becomes_a_member_publishes_and_answers_a_report(browser_page, live_server):
    base = live_server.url
    PlatformSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True),
        defaults={"secretariat_email": "jimukyoku@pf.example.jp"},
    )
    staff = SecretariatUserFactory(username="jimukyoku")

    # A resident-free application: the organisation applies on /join/.
    applicant = browser_page()
    applicant.goto(base + reverse("membership-apply"))
    applicant.get_by_label(re.compile(r"^団体名\s")).fill("NPO法人 みどりの広場")
    applicant.get_by_label("団体名よみがな").fill("みどりのひろば")
    applicant.get_by_label("団体の種類").select_option("npo")
    applicant.get_by_label("団体メール").fill("info@midori.example.org")
    applicant.get_by_role("button", name="申請する").click()
    applicant.get_by_text("受け付けました").wait_for()
    member = Member.objects.get(name="NPO法人 みどりの広場")
    notice = mail_to("jimukyoku@pf.example.jp")
    assert "入会の申請" in notice.subject

    # The 事務局 follows the mail's link, approves and invites an editor.
    secretariat = browser_page()
    admin_log_in(secretariat, base, staff.username, FACTORY_PASSWORD)
    secretariat.goto(base + path_of_link(notice.body, "/admin/"))
    secretariat.locator("header .w-dropdown__toggle").first.click()
    secretariat.get_by_role("link", name="承認する").first.click()
    secretariat.get_by_role("button", name="承認する").click()
    secretariat.get_by_text("を承認しました").wait_for()
    assert "承認" in mail_to("info@midori.example.org").subject
    secretariat.goto(base + reverse("wagtailsnippets_directory_member:editors", args=[member.pk]))
    secretariat.get_by_label("氏名").fill("緑川 花子")
    secretariat.get_by_label("メールアドレス").fill("hanako@midori.example.org")
    secretariat.get_by_role("button", name="招待する").click()
    secretariat.get_by_text("パスワード設定用のリンクをメールで送りました").wait_for()

    # The invitee sets a password through the link, logs in and publishes a listing.
    editor = browser_page()
    invitation = mail_to("hanako@midori.example.org")
    editor.goto(base + path_of_link(invitation.body, "/password_reset/confirm/"))
    editor.fill('input[name="new_password1"]', PASSWORD)
    editor.fill('input[name="new_password2"]', PASSWORD)
    editor.locator('button[type="submit"]').click()
    editor.get_by_role("link", name=re.compile("ログイン")).first.wait_for()
    admin_log_in(editor, base, "hanako@midori.example.org", PASSWORD)
    create_listing(editor, base, MemberPage.objects.get(member=member))
    publish(editor)
    editor.get_by_text("が作成され、公開されました").wait_for()
    listing = PlacePage.objects.get(title=TITLE)
    assert listing.live and listing.slug.startswith("listing-")

    # A resident reads the page (confirmed today) and reports a mistake.
    resident = browser_page()
    resident.goto(base + listing.url)
    today = format_full_date(timezone.localdate())
    assert f"情報の最終確認日: {today}" in resident.locator("main").inner_text()
    resident.get_by_role("link", name="情報の誤りを報告").click()
    resident.get_by_label("日時が違う").check()
    resident.get_by_role("button", name="報告する").click()
    resident.get_by_role("heading", name="報告を受け付けました").wait_for()
    report = ListingReport.objects.get(page=listing)
    assert TITLE in mail_to("hanako@midori.example.org").subject

    # The editor answers it in the report list; the 事務局 sees it closed.
    editor.goto(base + reverse("wagtailsnippets_directory_listingreport:list"))
    editor.get_by_role("link", name=re.compile(TITLE)).first.click()
    editor.get_by_role("combobox", name="対応状況*").select_option(label="対応済み")
    editor.get_by_role("textbox", name="団体の対応メモ").fill("開催日を水曜に直しました。")
    editor.get_by_role("button", name="保存").click()
    editor.get_by_text("が更新されました").wait_for()
    report.refresh_from_db()
    assert report.status == ListingReport.Status.RESOLVED
    secretariat.goto(base + reverse("wagtailsnippets_directory_listingreport:list"))
    row = secretariat.get_by_role("row").filter(has_text=TITLE)
    assert "対応済み" in row.inner_text()


def test_with_secretariat_approval_the_listing_goes_live_when_the_secretariat_approves(
    browser_page, live_server
):
    base = live_server.url
    PlatformSettings.objects.update_or_create(
        site=Site.objects.get(is_default_site=True), defaults={"secretariat_approval": True}
    )  # post_save turns the 事務局の承認 workflow on
    member = MemberFactory()
    EditorFactory(member=member, username="midori-editor")
    staff = SecretariatUserFactory(username="jimukyoku")

    editor = browser_page()
    admin_log_in(editor, base, "midori-editor", FACTORY_PASSWORD)
    create_listing(editor, base, MemberPage.objects.get(member=member))
    open_footer_menu(editor)
    editor.get_by_role("button", name="事務局の承認に提出する").click()
    editor.get_by_text("が作成され、承認待ちです").wait_for()
    listing = PlacePage.objects.get(title=TITLE)
    assert not listing.live

    secretariat = browser_page()
    admin_log_in(secretariat, base, staff.username, FACTORY_PASSWORD)
    secretariat.goto(base + reverse("wagtailadmin_pages:edit", args=[listing.pk]))
    open_footer_menu(secretariat)
    secretariat.get_by_role("button", name="承認と公開", exact=True).click()
    secretariat.locator(".messages .success").first.wait_for()
    listing.refresh_from_db()
    assert listing.live
    resident = browser_page()
    assert resident.goto(base + listing.url).status == 200
