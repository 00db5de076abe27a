"""情報の最終確認日: publishing and 「内容を確認しました」 confirm today; stale listings are listed."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.listings import freshness
from directory.models import PlacePage
from tests.factories.directory import EditorFactory, MemberFactory, PlacePageFactory
from tests.factories.membership import logged_in, page_edit_form_data

pytestmark = pytest.mark.django_db

LONG_AGO = date(2020, 4, 1)


def test_editor_publish_sets_last_verified_to_today(member, editor_client):
    page = PlacePageFactory(member=member, last_verified=None)
    data = page_edit_form_data(editor_client, page)
    data["action-publish"] = "action-publish"
    response = editor_client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.last_verified == timezone.localdate()
    # The editor opens the latest revision: it shows the same date.
    assert page.get_latest_revision_as_object().last_verified == timezone.localdate()


def test_publish_without_a_person_keeps_the_source_date(member):
    """Imports publish without a user: a file read again is not a person confirming."""
    page = PlacePageFactory(member=member, last_verified=LONG_AGO, live=False)
    page.save_revision().publish()
    page.refresh_from_db()
    assert page.last_verified == LONG_AGO


def test_publish_by_a_person_outside_the_editor_also_confirms(member):
    editor = EditorFactory(member=member)
    page = PlacePageFactory(member=member, last_verified=LONG_AGO)
    page.save_revision(user=editor).publish(user=editor)
    page.refresh_from_db()
    assert page.last_verified == timezone.localdate()


def test_verify_action_sets_today_without_a_new_revision(member, editor_client):
    page = PlacePageFactory(member=member, last_verified=LONG_AGO)
    revisions = page.revisions.count()
    url = reverse("directory_verify_listing", args=[page.pk])
    confirm = editor_client.get(url)
    assert confirm.status_code == 200
    assert "内容を確認しました" in confirm.content.decode()
    response = editor_client.post(url)
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.last_verified == timezone.localdate()
    assert page.revisions.count() == revisions
    assert page.get_latest_revision_as_object().last_verified == timezone.localdate()


def test_verify_action_is_offered_in_the_editor_header(member, editor_client):
    page = PlacePageFactory(member=member)
    html = editor_client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
    assert reverse("directory_verify_listing", args=[page.pk]) in html


def test_verify_action_is_offered_in_the_explorer_row(member, editor_client):
    page = PlacePageFactory(member=member)
    parent = page.get_parent()
    html = editor_client.get(reverse("wagtailadmin_explore", args=[parent.pk])).content.decode()
    assert reverse("directory_verify_listing", args=[page.pk]) in html


def test_another_members_editor_cannot_verify(member):
    page = PlacePageFactory(member=member, last_verified=LONG_AGO)
    outsider = logged_in(EditorFactory(member=MemberFactory()))
    response = outsider.post(reverse("directory_verify_listing", args=[page.pk]))
    assert response.status_code in (302, 403)
    page.refresh_from_db()
    assert page.last_verified == LONG_AGO


def test_verify_refuses_pages_that_are_not_listings(member, secretariat):
    member_page = PlacePageFactory(member=member).get_parent()
    response = secretariat.get(reverse("directory_verify_listing", args=[member_page.pk]))
    assert response.status_code in (302, 403)


def test_stale_listings_uses_last_verified_not_the_publish_date(member):
    today = timezone.localdate()
    old = PlacePageFactory(member=member, title="古い居場所", last_verified=LONG_AGO)
    never = PlacePageFactory(member=member, title="未確認の居場所", last_verified=None)
    PlacePageFactory(member=member, title="新しい居場所", last_verified=today)
    PlacePageFactory(member=member, title="下書き", last_verified=None, live=False)
    # Published long ago but confirmed recently: not stale.
    PlacePageFactory(member=member, title="確認済み", last_verified=today - timedelta(days=179))
    assert [p.pk for p in freshness.stale_listings(today)] == [never.pk, old.pk]


def test_stale_report_lists_them_for_the_secretariat(member, secretariat):
    PlacePageFactory(member=member, title="古い居場所", last_verified=LONG_AGO)
    PlacePageFactory(member=member, title="新しい居場所", last_verified=timezone.localdate())
    html = secretariat.get(reverse("directory_stale_listings")).content.decode()
    assert "古い居場所" in html
    assert "2020年4月1日" in html
    assert "新しい居場所" not in html


def test_stale_report_is_the_secretariats(editor_client):
    response = editor_client.get(reverse("directory_stale_listings"))
    assert response.status_code in (302, 403)


def test_mark_verified_is_the_same_for_every_listing_type(member):
    page = PlacePageFactory(member=member, last_verified=LONG_AGO)
    freshness.mark_verified(page, date(2026, 1, 5))
    assert PlacePage.objects.get(pk=page.pk).last_verified == date(2026, 1, 5)


def test_remind_stale_mails_editors_and_the_secretariat_once_a_day(member, settings):
    from django.core import mail
    from django.core.management import call_command

    from tests.factories.membership import SecretariatUserFactory

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    editor = EditorFactory(member=member, email="henshu@example.org")
    SecretariatUserFactory(email="jimukyoku@example.org")
    quiet = MemberFactory(name="編集者のいない会")
    PlacePageFactory(member=member, title="古い居場所", last_verified=LONG_AGO)
    PlacePageFactory(member=member, title="新しい居場所", last_verified=timezone.localdate())
    PlacePageFactory(member=quiet, title="放置された居場所", last_verified=None)

    call_command("remind_stale")
    to_editor = [m for m in mail.outbox if editor.email in m.to]
    to_secretariat = [m for m in mail.outbox if "jimukyoku@example.org" in m.to]
    assert len(to_editor) == 1
    assert "古い居場所" in to_editor[0].body
    assert "新しい居場所" not in to_editor[0].body
    assert "放置された居場所" not in to_editor[0].body
    assert len(to_secretariat) == 1
    assert "編集者のいない会" in to_secretariat[0].body
    assert "送れていません" in to_secretariat[0].body
    assert len(mail.outbox) == 2

    call_command("remind_stale")  # the same day: nothing again
    assert len(mail.outbox) == 2
