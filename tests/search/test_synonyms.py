"""The synonym list: the maintained file, the 事務局's admin entries and what both engines use."""

from __future__ import annotations

import pytest
import yaml
from django.contrib.auth.models import Permission

from search import synonyms
from search.engines.base import SearchQuery
from search.engines.meilisearch import MeilisearchEngine
from search.models import SynonymEntry
from search.text import fts_query
from tests.factories.directory import (
    EditorFactory,
    MemberFactory,
    PlacePageFactory,
    ServicePageFactory,
)
from tests.factories.membership import logged_in
from tests.search.recording_server import assert_on_contract, running_server

pytestmark = pytest.mark.django_db

ADMIN_URL = "/admin/snippets/search/synonymentry/"


@pytest.fixture(autouse=True)
def fresh_synonyms():
    """Entries live in each test's transaction: no test may keep another's in its copy."""
    synonyms.refresh()
    yield
    synonyms.refresh()


def names(engine, text: str) -> list[str]:
    return [hit.document["name"] for hit in engine.search(SearchQuery(text=text)).hits]


# -- the maintained file --------------------------------------------------------------------


def test_the_file_is_a_maintained_list_of_commented_groups_and_one_way_rules():
    text = synonyms.synonyms_path().read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert len(data["groups"]) >= 80 and len(data["one_way"]) >= 15
    rules = synonyms.file_rules()
    for rule in rules:
        assert synonyms.word_problems([*rule.words, *rule.finds]) == [], rule
    grouped = [word for rule in rules if not rule.finds for word in rule.words]
    repeated = {word for word in grouped if grouped.count(word) > 1}
    assert repeated == set(), "a word belongs to one group only"
    # every one-way rule says why: a comment line right above it
    lines = text.splitlines()
    one_way_lines = [i for i, line in enumerate(lines) if line.strip().startswith("- {from:")]
    for i in one_way_lines:
        above = next(line for line in reversed(lines[:i]) if not line.strip().startswith("- {"))
        assert above.strip().startswith("#"), lines[i]


@pytest.mark.parametrize(
    ("term", "finds"),
    [
        ("障害", {"障がい", "障碍"}),
        ("障がい", {"障害"}),
        ("子供", {"子ども", "こども"}),
        ("配食", {"宅配弁当", "食事のお届け"}),
        ("送迎", {"移動支援", "送り迎え"}),
        ("友だち", {"仲間"}),
        ("仲間", {"友だち"}),
        ("おしゃべり", {"話し相手", "雑談"}),
        ("話し相手", {"おしゃべり"}),
    ],
)
def test_equivalent_words_find_each_other(term, finds):
    assert set(synonyms.load_synonyms()[term]) >= finds


@pytest.mark.parametrize(
    ("broader", "narrower"),
    [
        ("しょうがい", "障害"),  # しょうがい is also 生涯 (生涯学習)
        ("移動", "送迎"),
        ("宅配", "配食"),
        ("交流", "おしゃべり"),
        ("喫茶", "カフェ"),  # カフェ must not find every 歌声喫茶
        ("ボランテア", "ボランティア"),  # a misspelling finds the right word
    ],
)
def test_one_way_rules_widen_only_from_the_broader_word(broader, narrower):
    loaded = synonyms.load_synonyms()
    assert narrower in loaded[broader]
    assert broader not in loaded.get(narrower, [])


def test_a_cafe_search_does_not_find_a_singing_salon(reindex):
    PlacePageFactory(title="歌声サロン", summary="歌声喫茶のような集まり")
    PlacePageFactory(title="まちのカフェ", summary="コーヒーとおしゃべり")
    PlacePageFactory(title="純喫茶 みどり", summary="昔ながらの店")
    engine = reindex()
    assert names(engine, "カフェ") == ["まちのカフェ"]
    assert set(names(engine, "喫茶")) == {"純喫茶 みどり", "歌声サロン", "まちのカフェ"}


def test_everyday_words_find_the_service_by_its_professional_name(reindex):
    PlacePageFactory(title="コープの夕食配食", summary="夕食をご自宅へ")
    PlacePageFactory(title="障がい者の相談室", summary="暮らしの相談")
    engine = reindex()
    assert names(engine, "宅配") == ["コープの夕食配食"]
    assert names(engine, "障害者") == ["障がい者の相談室"]
    assert names(engine, "しょうがい") == ["障がい者の相談室"]


# -- the 事務局's entries ---------------------------------------------------------------


def test_an_admin_entry_merges_with_the_file_and_works_at_once(
    reindex, django_capture_on_commit_callbacks
):
    PlacePageFactory(title="ほっこり茶屋", summary="ひと休みできる場所")
    engine = reindex()
    assert names(engine, "ひだまり処") == []
    with django_capture_on_commit_callbacks(execute=True):
        entry = SynonymEntry.objects.create(words="ひだまり処、ほっこり茶屋")
    assert names(engine, "ひだまり処") == ["ほっこり茶屋"]
    assert synonyms.load_synonyms()["ほっこり茶屋"] == ["ひだまり処"]
    assert "宅配弁当" in synonyms.load_synonyms()["配食"]  # the file's rules stay
    with django_capture_on_commit_callbacks(execute=True):
        entry.delete()
    assert names(engine, "ひだまり処") == []


def test_a_one_way_entry_widens_from_its_first_word_only(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        SynonymEntry.objects.create(words="おでかけ\nバス旅行\n遠足", one_way=True)
    loaded = synonyms.load_synonyms()
    assert loaded["おでかけ"] == ["バス旅行", "遠足"]
    assert "バス旅行" not in loaded and "遠足" not in loaded
    assert '"遠足"' in fts_query("おでかけ")
    assert "おで" not in fts_query("遠足")


def test_other_processes_see_an_entry_after_the_revalidation_interval(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(synonyms.time, "monotonic", lambda: clock[0])
    assert "ぬくもり亭" not in synonyms.load_synonyms()
    # Saved by another process: this one gets no signal, only the changed stamp.
    SynonymEntry.objects.bulk_create([SynonymEntry(words="ぬくもり亭、あったか亭")])
    assert "ぬくもり亭" not in synonyms.load_synonyms()
    clock[0] += synonyms.REVALIDATE_SECONDS
    assert synonyms.load_synonyms()["ぬくもり亭"] == ["あったか亭"]


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("配食", "2つ以上"),
        ("配食、配食", "2つ以上"),
        ("食、ごはん", "1文字"),
        ("お弁当 宅配、配食", "空白"),
    ],
)
def test_entries_that_would_break_search_are_refused_in_japanese(secretariat, words, message):
    response = secretariat.post(ADMIN_URL + "add/", {"words": words, "note": ""})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SynonymEntry.objects.count() == 0


def test_the_secretariat_adds_an_entry_in_the_admin(
    secretariat, django_capture_on_commit_callbacks
):
    assert secretariat.get(ADMIN_URL).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat.post(
            ADMIN_URL + "add/", {"words": "ぽかぽか亭\nあたたか亭", "note": "同じ店の旧名"}
        )
    assert response.status_code == 302
    assert synonyms.load_synonyms()["あたたか亭"] == ["ぽかぽか亭"]


def test_member_editors_cannot_see_or_change_the_list_even_with_model_permissions(client):
    member = MemberFactory()
    member.group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="search", codename__endswith="synonymentry"
        )
    )
    editor = logged_in(EditorFactory(member=member))
    entry = SynonymEntry.objects.create(words="ぬくもり、あったか")
    assert editor.get(ADMIN_URL).status_code in (302, 403)
    assert editor.post(ADMIN_URL + "add/", {"words": "a1、b2"}).status_code in (302, 403)
    assert editor.post(f"{ADMIN_URL}delete/{entry.pk}/").status_code in (302, 403)
    assert list(SynonymEntry.objects.values_list("words", flat=True)) == ["ぬくもり、あったか"]


# -- Meilisearch ----------------------------------------------------------------------------


@pytest.fixture
def meili(monkeypatch, settings):
    monkeypatch.setattr("search.engines.meilisearch._configured_indexes", set())
    with running_server() as recorder:
        settings.SEARCH_BACKEND = "meilisearch"
        settings.MEILISEARCH_URL = recorder.url
        settings.MEILISEARCH_API_KEY = "secret-key"
        settings.MEILISEARCH_INDEX = "listings"
        yield recorder
        assert_on_contract(recorder)  # every body against Meilisearch's OpenAPI description


def test_meilisearch_settings_carry_the_admin_entries(meili):
    SynonymEntry.objects.create(words="おでかけ、遠足", one_way=True)
    SynonymEntry.objects.create(words="ひだまり処、ほっこり茶屋")

    MeilisearchEngine.from_settings().clear()

    (request,) = meili.requests_to("PATCH", "/indexes/listings/settings")
    sent = request.body["synonyms"]
    assert sent["おでかけ"] == ["遠足"] and "遠足" not in sent
    assert sent["ほっこり茶屋"] == ["ひだまり処"] and sent["ひだまり処"] == ["ほっこり茶屋"]
    assert sent["障がい"][0] == "障害" and "しょうがい" not in sent["障害"]  # the file's too
    assert sent == synonyms.load_synonyms()


def test_saving_or_deleting_an_entry_sends_meilisearch_its_new_settings(
    meili, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = SynonymEntry.objects.create(words="ひだまり処、ほっこり茶屋")
    (saved,) = meili.requests_to("PATCH", "/indexes/listings/settings")
    assert saved.body["synonyms"]["ひだまり処"] == ["ほっこり茶屋"]
    with django_capture_on_commit_callbacks(execute=True):
        entry.delete()
    deleted = meili.requests_to("PATCH", "/indexes/listings/settings")[-1]
    assert "ひだまり処" not in deleted.body["synonyms"]


def test_an_unreachable_meilisearch_never_fails_the_save(
    settings, django_capture_on_commit_callbacks, caplog
):
    from tests.search.recording_server import closed_port_url

    settings.SEARCH_BACKEND = "meilisearch"
    settings.MEILISEARCH_URL = closed_port_url()
    settings.MEILISEARCH_TIMEOUT = 0.5
    with django_capture_on_commit_callbacks(execute=True):
        SynonymEntry.objects.create(words="ひだまり処、ほっこり茶屋")
    assert synonyms.load_synonyms()["ひだまり処"] == ["ほっこり茶屋"]
    assert "Meilisearch synonyms not updated" in caplog.text
    assert "ひだまり処" not in caplog.text


# -- readings --------------------------------------------------------------------------------


def test_a_listed_word_is_found_by_its_kana_reading(reindex):
    """Residents type kana they cannot write in kanji: the reading finds the word and its group."""
    PlacePageFactory(title="オレンジカフェ", summary="認知症の方と家族のカフェ")
    PlacePageFactory(title="もの忘れ相談", summary="物忘れが気になる方へ")
    PlacePageFactory(title="まちの体育館", summary="卓球と体操")
    engine = reindex()
    assert set(names(engine, "にんちしょう")) == {"オレンジカフェ", "もの忘れ相談"}
    assert "認知症" in synonyms.load_synonyms()["にんちしょう"]


def test_a_reading_shared_by_words_of_different_meaning_widens_to_none():
    """Two unrelated listed words read the same (こうい: 行為 / 好意): the kana stays as typed."""
    rules = [synonyms.SynonymRule(("好意", "親切")), synonyms.SynonymRule(("行為", "ふるまい"))]
    readings = synonyms.reading_map(synonyms.synonym_map(rules))
    assert "こうい" not in readings
    assert readings["しんせつ"] == ["親切", "好意"]


def test_a_short_reading_is_not_a_synonym():
    """Two-kana readings (いご: 囲碁 / 以後) are too ambiguous to widen a search."""
    readings = synonyms.reading_map(synonyms.synonym_map([synonyms.SynonymRule(("囲碁", "碁"))]))
    assert "いご" not in readings


def test_free_does_not_find_a_price_that_ends_in_zero(reindex):
    """0円 sits inside 500円, 1000円: as a synonym of 無料 it found every paid listing."""
    PlacePageFactory(title="みんな食堂", summary="大人500円の食堂")
    PlacePageFactory(title="こども食堂", summary="参加費は無料です")
    engine = reindex()
    assert names(engine, "無料") == ["こども食堂"]


def test_a_teens_search_finds_listings_for_junior_and_senior_high_students(reindex):
    """中高生 is short for 中学生・高校生: a listing written out in full is for them too."""
    PlacePageFactory(title="まなびや", summary="中学生・高校生のための学習会")
    PlacePageFactory(title="放課後クラブ", summary="小学生の宿題クラブ")
    engine = reindex()
    assert names(engine, "中高生") == ["まなびや"]
    assert "中高生" not in synonyms.load_synonyms().get("中学生", [])


def test_a_study_group_for_adults_is_not_study_support():
    """勉強会 is also an adults' study meeting (家族会の勉強会): it must not widen 学習支援."""
    assert "勉強会" not in synonyms.load_synonyms()["学習支援"]


def test_everyday_wishes_find_the_places_that_answer_them(reindex):
    """友だち finds ママ友 meetings; 話を聞いてほしい finds a line where one 「話せます」."""
    PlacePageFactory(title="ママのサロン", summary="ママ友をつくりたい方へ")
    PlacePageFactory(title="夜のオンライン相談", summary="相談員と話せます")
    PlacePageFactory(title="体操クラブ", summary="椅子に座ってできる体操")
    engine = reindex()
    assert names(engine, "友だち") == ["ママのサロン"]
    assert names(engine, "話を聞いてほしい") == ["夜のオンライン相談"]
    assert "友だち" not in synonyms.load_synonyms().get("ママ友", [])


def test_a_lonely_resident_finds_community_salons(reindex):
    """さみしい: the 地域サロン and ふれあい places are where one is sent first, not only 居場所."""
    ServicePageFactory(title="いずみ ふれあいの会", summary="お茶を飲みながら")
    ServicePageFactory(title="税の窓口", summary="申告の手続き")
    engine = reindex()
    assert names(engine, "さみしい") == ["いずみ ふれあいの会"]


def test_a_food_bank_is_not_a_pantry(reindex):
    """A food bank collects food for groups; a pantry hands it to households (one way only)."""
    ServicePageFactory(title="駅前フードパントリー", summary="食品をお渡しします")
    ServicePageFactory(title="フードバンクの仕分け", summary="寄付の食品を仕分けます")
    engine = reindex()
    assert names(engine, "フードパントリー") == ["駅前フードパントリー"]
    assert set(names(engine, "フードバンク")) == {"駅前フードパントリー", "フードバンクの仕分け"}
