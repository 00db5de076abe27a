"""「情報の誤りを報告」: a resident reports a problem with a live listing, anonymously."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse

from directory.models import ListingReport
from tests.factories.directory import EventPageFactory, PlacePageFactory, ServicePageFactory

pytestmark = pytest.mark.django_db


def report_url(listing) -> str:
    return reverse("listing-report", kwargs={"uuid": listing.uuid})


@pytest.mark.parametrize("factory", [PlacePageFactory, ServicePageFactory, EventPageFactory])
def test_each_listing_type_can_be_reported(client, factory):
    listing = factory()
    form = client.get(report_url(listing))
    assert form.status_code == 200
    assert listing.title in form.content.decode()
    response = client.post(report_url(listing), {"reason": "schedule", "message": "第3水曜は休み"})
    assert response.status_code == 302
    report = ListingReport.objects.get()
    assert (report.page_id, report.reason, report.message) == (
        listing.pk,
        "schedule",
        "第3水曜は休み",
    )
    assert report.status == ListingReport.Status.OPEN
    assert "受け付けました" in client.get(response.url).content.decode()


def test_unknown_or_draft_listing_is_404(client):
    draft = PlacePageFactory(live=False)
    assert client.get(report_url(draft)).status_code == 404
    assert client.post(report_url(draft), {"reason": "other"}).status_code == 404
    missing = reverse("listing-report", kwargs={"uuid": uuid.uuid4()})
    assert client.get(missing).status_code == 404
    assert not ListingReport.objects.exists()


def test_report_stores_no_reporter_identity(client):
    listing = PlacePageFactory()
    client.post(
        report_url(listing),
        {"reason": "closed", "message": ""},
        REMOTE_ADDR="203.0.113.9",
        HTTP_USER_AGENT="TestBrowser",
    )
    report = ListingReport.objects.values().get()
    assert set(report) == {
        *("id", "page_id", "reason", "message", "status", "created_at"),
        *("reply_note", "forward_note", "forwarded_at", "notice_failed"),
    }
    assert "203.0.113.9" not in str(report)
    assert not client.session.keys()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "", "message": ""}, "この項目は必須です"),
        ({"reason": "spam", "message": ""}, "正しく選択してください"),
        ({"reason": "other", "message": "あ" * 501}, "500 文字以下"),
        ({"reason": "other", "message": "連絡は090-1234-5678まで"}, "電話番号"),
        ({"reason": "other", "message": "私は佐藤花子さんの母です"}, "個人"),
    ],
)
def test_bad_report_is_refused_in_japanese_and_not_saved(client, data, message):
    listing = PlacePageFactory()
    response = client.post(report_url(listing), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ListingReport.objects.exists()


def test_report_requires_csrf():
    listing = PlacePageFactory()
    response = Client(enforce_csrf_checks=True).post(report_url(listing), {"reason": "other"})
    assert response.status_code == 403
    assert not ListingReport.objects.exists()


@pytest.mark.parametrize("message", ["連絡は090-1234-5678まで", "私は佐藤花子さんの母です"])
def test_refused_text_is_not_shown_back(client, message):
    """A refused message may be about a person: the form comes back without it, as /match/ does."""
    listing = PlacePageFactory()
    page = client.post(report_url(listing), {"reason": "other", "message": message})
    assert message not in page.content.decode()
    assert "090-1234-5678" not in page.content.decode() and "佐藤花子" not in page.content.decode()


def test_an_accepted_message_is_kept_when_another_field_is_wrong(client):
    listing = PlacePageFactory()
    page = client.post(report_url(listing), {"reason": "", "message": "第3水曜は休み"})
    assert "第3水曜は休み" in page.content.decode()
