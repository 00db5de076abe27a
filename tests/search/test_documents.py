"""The search document: what is indexed, and what never is (drafts, paused, confidential points)."""

from datetime import date, datetime, timedelta

import pytest
from wagtail.models import Page

from directory.listings.schedules import JST, Recurrence, is_japanese_holiday
from directory.models import ListingStatus, LocationMode
from search.documents import OCCURRENCE_WINDOW_DAYS, build_document, live_documents
from search.engines.base import SearchQuery
from search.synonyms import load_synonyms
from tests.factories.directory import (
    AreaFactory,
    EventPageFactory,
    MemberFactory,
    PlacePageFactory,
    ServicePageFactory,
)

pytestmark = pytest.mark.django_db


def test_document_carries_member_vocabulary_area_ancestors_and_schedule():
    member = MemberFactory(name="つながるNPO")
    district = AreaFactory(name="中央小学校区")
    page = PlacePageFactory(
        member=member,
        title="みんなのこども食堂",
        categories=["kodomo-shokudo"],
        targets=["children", "parents"],
        conditions=["free"],
        keywords=["夕食"],
        area=district,
        schedule=[Recurrence("weekly", weekdays=(2,))],
    )
    document = build_document(page)
    assert document["id"] == str(page.uuid)
    assert document["kind"] == "place"
    assert document["member_id"] == str(member.uuid)
    assert document["member_name"] == "つながるNPO"
    assert document["categories"] == ["kodomo-shokudo"]
    assert document["targets"] == ["children", "parents"]
    assert document["area_codes"] == [district.code, district.parent.code, "130001"]
    assert document["area_name"] == f"{district.parent.name} 中央小学校区"
    assert document["weekdays"] == [2]
    assert document["next_occurrence"].startswith(document["occurrence_dates"][0])
    assert "夕食" in document["keywords"] and "こども食堂" in document["keywords"]
    assert (document["lat"], document["lng"]) == (35.7, 139.7)


def test_occurrence_dates_and_next_occurrence_skip_holidays_when_closed_on_them():
    rule = Recurrence("weekly", weekdays=tuple(range(7)), closed_on_holidays=True)
    document = build_document(PlacePageFactory(schedule=[rule]))
    today = datetime.now(JST).date()
    window = [today + timedelta(days=n) for n in range(OCCURRENCE_WINDOW_DAYS + 1)]
    holidays = [day for day in window if is_japanese_holiday(day)]
    assert holidays  # half a year always has some
    assert document["occurrence_dates"] == [
        day.isoformat() for day in window if day not in holidays
    ]
    assert not is_japanese_holiday(date.fromisoformat(document["next_occurrence"][:10]))


def test_confidential_and_online_listings_are_never_pinned():
    area = AreaFactory()
    hidden = PlacePageFactory(
        location_mode=LocationMode.CONFIDENTIAL, address="", lat=None, lng=None, area=area
    )
    online = PlacePageFactory(location_mode=LocationMode.ONLINE, online_available=True)
    for page in (hidden, online):
        document = build_document(page)
        assert document["lat"] is None and document["lng"] is None
        assert document["address"] == ""
    assert build_document(online)["online"] is True


def test_only_live_active_listings_become_documents():
    live = PlacePageFactory()
    draft = PlacePageFactory(live=False)
    paused = PlacePageFactory(status=ListingStatus.PAUSED)
    ended = EventPageFactory(status=ListingStatus.ENDED)
    assert build_document(draft) is None
    assert build_document(paused) is None
    assert build_document(ended) is None
    assert build_document(live.get_parent()) is None  # a MemberPage is not a listing
    assert [d["id"] for d in live_documents()] == [str(live.uuid)]


def test_live_documents_equal_single_builds_with_few_queries(django_assert_max_num_queries):
    pages = [PlacePageFactory(categories=["salon"]) for _ in range(3)]
    pages.append(EventPageFactory(schedule=[Recurrence("monthly", weekdays=(5,), nths=(2,))]))
    expected = {str(p.uuid): build_document(Page.objects.get(pk=p.pk)) for p in pages}
    with django_assert_max_num_queries(40):
        documents = list(live_documents())
    assert {d["id"]: d for d in documents} == expected


def test_synonyms_map_every_term_of_a_group_to_the_others():
    synonyms = load_synonyms()
    assert set(synonyms["子ども"]) >= {"子供", "こども"}
    assert "子ども" not in synonyms["子ども"]
    assert "引きこもり" in synonyms["ひきこもり"]
    assert "オレンジカフェ" in synonyms["認知症カフェ"]
    assert "居場所" in synonyms["フリースペース"]
    assert len({tuple(sorted([k, *v])) for k, v in synonyms.items()}) >= 30


def test_languages_other_than_japanese_are_searchable_like_conditions(engine):
    """英語 is shown as a badge, so 英語 相談 must find a listing that serves English."""
    page = ServicePageFactory(title="くらしの窓口", languages=["ja", "en", "jsl"])
    ServicePageFactory(title="まちの窓口", languages=["ja"])

    labels = build_document(page)["labels"]
    engine.index(live_documents())

    assert {"英語", "手話"} <= set(labels) and "日本語" not in labels
    assert [
        h.document["name"] for h in engine.search(SearchQuery(text="英語 窓口", partial=False)).hits
    ] == ["くらしの窓口"]


def test_a_keyword_is_found_by_its_kana_reading(engine):
    """Keywords are short words like labels: たいそう finds a listing tagged 体操, not its name."""
    PlacePageFactory(
        title="かわばた 元気アップ教室", summary="集会所で体を動かします", keywords=["体操"]
    )
    PlacePageFactory(title="まちのお茶会", summary="お茶とおしゃべり")
    engine.index(live_documents())

    hits = engine.search(SearchQuery(text="たいそう")).hits
    assert [h.document["name"] for h in hits] == ["かわばた 元気アップ教室"]
