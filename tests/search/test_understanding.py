"""Query understanding (search/understanding.py): day, time, date and field words in a query."""

from datetime import date, datetime, time, timedelta

import pytest

from directory.listings.schedules import JST, Recurrence
from search.engines.base import SearchQuery
from search.understanding import (
    TIME_WORDS,
    WEEKDAY_WORDS,
    session_times_of_day,
    understand,
    understood_query,
)
from tests.factories.directory import EventPageFactory, PlacePageFactory, ServicePageFactory

pytestmark = pytest.mark.django_db  # field words come from the vocabulary rows
WEDNESDAY = date(2026, 12, 2)


def test_weekday_and_time_words_become_filters_and_leave_the_text():
    understood = understand("土曜 夜 食堂", today=WEDNESDAY)
    assert understood.text == "食堂"
    assert understood.filters == {"weekdays": ["5"], "times_of_day": ["5-night"]}
    assert [(p.word, p.role, p.label) for p in understood.parts] == [
        ("土曜", "day", "土曜"),
        ("夜", "time", "夜"),
    ]


@pytest.mark.parametrize(
    ("text", "weekdays", "times"),
    [
        ("土曜日の夜", {5}, {"night"}),
        ("平日・午後", {0, 1, 2, 3, 4}, {"afternoon"}),
        ("週末", {5, 6}, set()),
        ("土日", {5, 6}, set()),
        ("にちようび", {6}, set()),
        ("ヨル", set(), {"night"}),  # katakana folds to よる
        ("夕方", set(), {"evening"}),
        ("月", {0}, set()),  # a weekday's character alone, as on timetables
        ("月水金", {0, 2, 4}, set()),
        ("火・木の午前", {1, 3}, {"forenoon"}),
    ],
)
def test_chained_and_kana_schedule_words(text, weekdays, times):
    understood = understand(text, today=WEDNESDAY)
    assert (understood.weekdays, understood.times, understood.text) == (weekdays, times, "")


def test_a_weekday_character_inside_another_word_stays_text():
    assert understand("月2回 木工", today=WEDNESDAY).text == "月2回 木工"


def test_a_term_with_an_unknown_piece_stays_text():
    understood = understand("土曜日に遊ぶ", today=WEDNESDAY)
    assert (understood.text, understood.parts) == ("土曜日に遊ぶ", [])


@pytest.mark.parametrize(
    ("word", "first", "last"),
    [
        ("今日", date(2026, 12, 2), date(2026, 12, 2)),
        ("明日", date(2026, 12, 3), date(2026, 12, 3)),
        ("今週", date(2026, 12, 2), date(2026, 12, 6)),
        ("今週末", date(2026, 12, 5), date(2026, 12, 6)),
        ("来週", date(2026, 12, 7), date(2026, 12, 13)),
        ("今月", date(2026, 12, 2), date(2026, 12, 31)),
        ("来月", date(2027, 1, 1), date(2027, 1, 31)),
    ],
)
def test_date_words_become_a_date_range(word, first, last):
    understood = understand(word, today=WEDNESDAY)
    assert (understood.date_from, understood.date_to, understood.text) == (first, last, "")
    assert understood.parts[0].label.startswith(f"{word}（{first.month}月{first.day}日")


def test_literal_words_are_searched_as_typed():
    understood = understand("土曜 夜", literal=["土曜"], today=WEDNESDAY)
    assert understood.text == "土曜"
    assert understood.filters == {"times_of_day": ["night"]}


def test_a_session_is_in_every_time_of_day_it_overlaps():
    start = datetime(2026, 12, 5, 17, 0, tzinfo=JST)  # a Saturday
    end = datetime(2026, 12, 5, 21, 0, tzinfo=JST)
    assert session_times_of_day(start, end) == {
        "afternoon",
        "evening",
        "night",
        "5-afternoon",
        "5-evening",
        "5-night",
    }


class TestFieldWords:
    def test_a_kind_word_stays_text_and_is_reported_as_a_field(self):
        understood = understand("相談", today=WEDNESDAY)
        assert understood.text == "相談"
        (part,) = understood.parts
        assert part.role == "vocabulary"
        assert {(m.param, m.slug) for m in part.terms} >= {
            ("kind", "service"),
            ("category", "consultation"),
        }

    def test_cost_words_that_are_noise_as_text_become_the_conditions_word(self):
        understood = understand("ただ", today=WEDNESDAY)
        assert understood.text == "無料"
        assert understood.parts[0].role == "cost"

    def test_a_reading_names_the_term(self):
        (part,) = understand("こどもしょくどう", today=WEDNESDAY).parts
        assert [(m.param, m.slug) for m in part.terms] == [("category", "kodomo-shokudo")]

    def test_most_of_a_label_names_it(self):
        (part,) = understand("車いす", today=WEDNESDAY).parts
        assert [(m.param, m.slug) for m in part.terms] == [("condition", "wheelchair")]

    def test_a_form_filter_is_narrowed_never_widened(self):
        query = SearchQuery(text="土曜", filters={"weekdays": ["5", "6"]})
        understood, _ = understood_query(query)
        assert understood.filters == {"weekdays": ["5"]}
        assert (understood.text, understood.sort) == ("", "name")


@pytest.fixture
def scheduled(reindex):
    PlacePageFactory(
        title="夜のフリースペース",
        schedule=[Recurrence("weekly", weekdays=(5,), start_time=time(19), end_time=time(21))],
    )
    PlacePageFactory(
        title="朝の体操",
        schedule=[Recurrence("weekly", weekdays=(1,), start_time=time(7), end_time=time(8))],
    )
    ServicePageFactory(title="電話の窓口", conditions=["wheelchair"])
    EventPageFactory(title="ボランティア講座")
    return reindex()


def search_names(client, **params):
    data = client.get("/api/v1/resources", params).json()
    return sorted(result["name"] for result in data["results"]), data


def test_schedule_and_field_words_find_listings_that_never_write_them(client, scheduled):
    assert search_names(client, q="土曜の夜")[0] == ["夜のフリースペース"]
    assert search_names(client, q="朝")[0] == ["朝の体操"]
    assert search_names(client, q="火曜 夜")[0] == []
    assert search_names(client, q="車いす")[0] == ["電話の窓口"]  # condition 車いす可
    assert search_names(client, q="イベント")[0] == ["ボランティア講座"]  # kind イベント・講座
    names, data = search_names(client, q="土曜")
    assert names == ["夜のフリースペース"]
    assert data["understood"] == [{"word": "土曜", "as": "day", "label": "土曜"}]


def test_undo_searches_the_word_as_text(client, scheduled):
    assert search_names(client, q="朝", literal="朝")[0] == ["朝の体操"]  # 朝 in its name
    assert search_names(client, q="車いす", literal="車いす")[0] == []  # only in the field


def test_the_page_says_what_was_understood_with_undo_links(client, scheduled):
    html = client.get("/search/", {"q": "土曜の夜"}).content.decode()
    assert "「土曜」・「夜」 としてさがしています" in html  # resident text writes さがす
    assert "literal=%E5%9C%9F%E6%9B%9C" in html  # ?q=…&literal=土曜 searches 土曜 as a word
    assert "夜のフリースペース" in html


def test_every_weekday_and_time_word_is_understood():
    for word in (*WEEKDAY_WORDS, *TIME_WORDS):
        understood = understand(word, today=WEDNESDAY)
        assert understood.text == "" and understood.parts, word


def test_partial_results_are_announced_with_the_full_match_count(client, scheduled):
    html = client.get("/search/", {"q": "体操 宇宙"}).content.decode()
    assert "すべての言葉を含む結果は 0 件でした" in html
    assert "朝の体操" in html
    assert 'href="/match/"' in html and 'href="/soudan/"' in html


def test_a_session_from_ten_is_in_the_morning():
    """朝10時から is how listings and residents say it: 朝 reaches a 10:00 start, not 11:00."""
    ten = datetime(2026, 12, 8, 10, 0, tzinfo=JST)  # a Tuesday
    eleven = datetime(2026, 12, 8, 11, 0, tzinfo=JST)
    assert "morning" in session_times_of_day(ten, ten + timedelta(minutes=90))
    assert "morning" not in session_times_of_day(eleven, eleven + timedelta(hours=1))
