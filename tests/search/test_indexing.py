"""The index follows the page tree through the real Wagtail signals, after commit."""

import logging
from io import StringIO

import pytest
from django.core.management import call_command

from directory.models import ListingStatus, PlacePage
from search.documents import build_document
from search.engines.base import SearchQuery, SearchUnavailable
from search.models import PendingIndexUpdate
from tests.factories.directory import MemberFactory, PlacePageFactory, member_page_for

pytestmark = pytest.mark.django_db


def indexed_ids(engine):
    return {hit.document["id"] for hit in engine.search(SearchQuery(page_size=100)).hits}


def publish(page, **changes):
    page = PlacePage.objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return page


@pytest.fixture
def published(engine, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        page = publish(PlacePageFactory(title="こども食堂ひまわり"))
    assert indexed_ids(engine) == {str(page.uuid)}
    return page


def test_publishing_indexes_the_new_content(engine, published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        publish(published, title="こども食堂ひまわり（新）")
    [hit] = engine.search(SearchQuery(text="新")).hits
    assert hit.document["name"] == "こども食堂ひまわり（新）"


def test_nothing_is_indexed_before_the_transaction_commits(
    engine, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish(PlacePageFactory())
    assert indexed_ids(engine) == set()
    assert callbacks


def test_unpublishing_removes(engine, published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        PlacePage.objects.get(pk=published.pk).unpublish()
    assert indexed_ids(engine) == set()


@pytest.mark.parametrize("status", [ListingStatus.PAUSED, ListingStatus.ENDED])
def test_publishing_paused_or_ended_removes(
    engine, published, status, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        publish(published, status=status)
    assert indexed_ids(engine) == set()


def test_deleting_removes(engine, published, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        PlacePage.objects.get(pk=published.pk).delete()
    assert indexed_ids(engine) == set()


def test_moving_to_another_member_updates_member_and_url(
    engine, published, django_capture_on_commit_callbacks
):
    other = MemberFactory(name="移転先の団体")
    with django_capture_on_commit_callbacks(execute=True):
        PlacePage.objects.get(pk=published.pk).move(member_page_for(other), pos="last-child")
    [hit] = engine.search(SearchQuery()).hits
    assert hit.document["member_id"] == str(other.uuid)
    assert hit.document["member_name"] == "移転先の団体"
    assert hit.document["url"] == PlacePage.objects.get(pk=published.pk).get_url()


def test_renaming_the_member_updates_its_listings(
    engine, published, django_capture_on_commit_callbacks
):
    member = member_page_for_listing(published)
    with django_capture_on_commit_callbacks(execute=True):
        member.name = "新しい団体名"
        member.save()
    assert engine.search(SearchQuery()).hits[0].document["member_name"] == "新しい団体名"


def member_page_for_listing(page):
    return PlacePage.objects.get(pk=page.pk).get_parent().specific.member


def test_engine_failure_never_blocks_saving_is_logged_and_retried(
    engine, published, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    class Down:
        def index(self, documents):
            raise SearchUnavailable("down")

        delete = index

    monkeypatch.setattr("search.indexing.get_engine", lambda: Down())
    with (
        caplog.at_level(logging.WARNING, logger="tsunagari.search"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        publish(published, title="休みのお知らせ付きの食堂")
    assert PlacePage.objects.get(pk=published.pk).title == "休みのお知らせ付きの食堂"
    [pending] = PendingIndexUpdate.objects.all()
    assert pending.listing_uuid == published.uuid
    assert pending.last_error == "SearchUnavailable"
    [record] = [r for r in caplog.records if r.name == "tsunagari.search"]
    assert str(published.uuid) in record.getMessage()
    assert "食堂" not in record.getMessage()  # no page content in logs

    # The engine is back: the next indexing run also repairs the earlier failure.
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        publish(PlacePageFactory(title="別の居場所"))
    assert not PendingIndexUpdate.objects.exists()
    assert "休みのお知らせ付きの食堂" in {
        hit.document["name"] for hit in engine.search(SearchQuery()).hits
    }


def test_search_reindex_rebuilds_and_reports(engine):
    first = PlacePageFactory(title="A")
    PlacePageFactory(title="B")
    PlacePageFactory(title="下書き", live=False)
    engine.index([{**build_document(first), "id": "stale", "name": "古い"}])
    PendingIndexUpdate.objects.create(listing_uuid="00000000-0000-0000-0000-000000000001")
    out = StringIO()
    call_command("search_reindex", stdout=out, stderr=StringIO())
    assert "2 件を登録しました" in out.getvalue()
    assert "未反映だった更新 1 件" in out.getvalue()
    assert {hit.document["name"] for hit in engine.search(SearchQuery()).hits} == {"A", "B"}
    assert not PendingIndexUpdate.objects.exists()
