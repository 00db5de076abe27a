"""The admin home: each member's editors see their own work to do, the 事務局 the PF's."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.listings.freshness import REMIND_AFTER
from directory.listings.schedules import Recurrence
from directory.models import ListingReport, MemberStatus
from tests.factories.directory import (
    EditorFactory,
    EventPageFactory,
    MemberFactory,
    PlacePageFactory,
)
from tests.factories.membership import SecretariatUserFactory, logged_in

pytestmark = pytest.mark.django_db

HOME = "wagtailadmin_home"


def home(client) -> str:
    response = client.get(reverse(HOME))
    assert response.status_code == 200
    return response.content.decode()


def long_ago():
    return timezone.localdate() - REMIND_AFTER - timedelta(days=1)


def fill(member, prefix: str) -> None:
    """One of each thing the member panel lists, named after `prefix`."""
    today = timezone.localdate()
    PlacePageFactory(member=member, title=f"{prefix}の居場所", last_verified=today)
    stale = PlacePageFactory(member=member, title=f"{prefix}の古い居場所", last_verified=long_ago())
    PlacePageFactory(member=member, title=f"{prefix}の下書き", live=False)
    PlacePageFactory(
        member=member,
        title=f"{prefix}の取込",
        review_notes=f"・{prefix}の住所を確認",
        last_verified=today,
    )
    EventPageFactory(
        member=member,
        title=f"{prefix}の講座",
        schedule=[Recurrence("dates", dates=(today + timedelta(days=3),))],
        last_verified=today,
    )
    ListingReport.objects.create(page=stale, reason="closed", message=f"{prefix}の報告文")


@pytest.fixture
def members():
    a, b = MemberFactory(name="あおぞら会"), MemberFactory(name="みどり会")
    fill(a, "A")
    fill(b, "B")
    return {
        "a": a,
        "b": b,
        "a_editor": EditorFactory(member=a),
        "b_editor": EditorFactory(member=b),
    }


def test_a_members_home_lists_its_listings_and_what_to_do(members):
    html = home(logged_in(members["a_editor"]))
    for heading in (
        "わたしたちの掲載",
        "確認が古い掲載",
        "住民からの報告（未対応・対応中）",
        "これからのイベント",
        "要確認",
    ):
        assert heading in html
    for title in ("Aの居場所", "Aの古い居場所", "Aの下書き", "Aの取込", "Aの講座"):
        assert title in html
    assert "下書き" in html and "公開中" in html
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月{today.day}日" in html
    assert "（確認が古い）" in html
    assert "Aの住所を確認" in html
    assert "終了・休止している" in html  # the open report's reason


def test_the_stale_panel_uses_the_freshness_rule(members):
    html = home(logged_in(members["a_editor"]))
    stale_section = html.split("確認が古い掲載", 1)[1].split("</section>", 1)[0]
    assert "Aの古い居場所" in stale_section
    assert "Aの居場所<" not in stale_section
    assert "Aの下書き" not in stale_section  # a draft is not published, so not stale
    stale = ListingReport.objects.get(message="Aの報告文").page
    assert reverse("directory_verify_listing", args=[stale.pk]) in stale_section


def test_a_members_home_never_shows_another_members_anything(members):
    html = home(logged_in(members["a_editor"]))
    assert "Bの" not in html
    assert "みどり会" not in html


def test_the_secretariat_home_shows_the_pf_work(members):
    MemberFactory(name="申請中の会", status=MemberStatus.APPLIED)
    report = ListingReport.objects.filter(page__title="Bの古い居場所").get()
    report.notice_failed = True
    report.save()
    nobody = MemberFactory(name="編集者なしの会")
    html = home(logged_in(SecretariatUserFactory()))
    assert "入会申請（申請中）" in html and "申請中の会" in html
    assert "住民からの報告（対応状況別）" in html
    for label in ("未対応", "対応中", "対応済み", "対応不要"):
        assert label in html
    assert "通知できなかった未完了の報告が1件" in html
    stale_section = html.split("確認が古い掲載（団体別）", 1)[1].split("</section>", 1)[0]
    PlacePageFactory(member=members["a"], last_verified=long_ago())
    PlacePageFactory(member=members["a"], last_verified=long_ago(), live=False)
    html = home(logged_in(SecretariatUserFactory()))
    stale_section = html.split("確認が古い掲載（団体別）", 1)[1].split("</section>", 1)[0]
    rows = re.findall(r'<td class="title">([^<]+)</td><td>(\d+)件</td>', stale_section)
    assert rows == [("あおぞら会", "2"), ("みどり会", "1")]
    editors_section = html.split("編集者のいない団体", 1)[1]
    assert nobody.name in editors_section
    assert "あおぞら会" not in editors_section.split("</section>", 1)[0]


def test_the_english_count_summary_is_gone(members):
    for user in (members["a_editor"], SecretariatUserFactory()):
        html = home(logged_in(user))
        assert "Pages" not in html.split("<main", 1)[1]
        assert "Images" not in html.split("<main", 1)[1]


def queries_for_home(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        home(client)
    return len(queries)


def test_home_queries_do_not_grow_with_listings():
    member = MemberFactory()
    editor_client = logged_in(EditorFactory(member=member))
    secretariat_client = logged_in(SecretariatUserFactory())
    fill(member, "一")
    home(editor_client)
    home(secretariat_client)  # warm per-process caches (content types, site)
    before = (queries_for_home(editor_client), queries_for_home(secretariat_client))
    for n in range(4):
        fill(member, f"追加{n}")
        fill(MemberFactory(), f"他{n}")
    after = (queries_for_home(editor_client), queries_for_home(secretariat_client))
    assert after == before


def test_a_members_panel_lists_only_reports_still_to_handle(members):
    report = ListingReport.objects.get(message="Aの報告文")
    report.status = ListingReport.Status.RESOLVED
    report.save()
    html = home(logged_in(members["a_editor"]))
    section = html.split("住民からの報告（未対応・対応中）", 1)[1].split("</section>", 1)[0]
    assert "対応が必要な報告はありません" in section
