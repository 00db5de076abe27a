"""The plain /search/ page: form, cards, facet links, pagination, empty state."""

import re

import pytest
from django.urls import reverse

from tests.factories.directory import PlacePageFactory, ServicePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(reindex):
    PlacePageFactory(
        title="こども食堂ひまわり", categories=["kodomo-shokudo"], targets=["children"]
    )
    PlacePageFactory(title="ふれあいサロン", categories=["salon"], targets=["older-people"])
    ServicePageFactory(title="子育て相談", categories=["consultation"], targets=["parents"])
    return reindex()


def test_url_name_and_form_with_labels(client, corpus):
    assert reverse("search") == "/search/"
    html = client.get("/search/").content.decode()
    assert 'role="search"' in html
    assert '<label class="field__label" for="id_q">キーワード</label>' in html
    for legend in ("種別", "分野", "対象", "曜日", "時間帯", "いつ"):
        assert f"<legend>{legend}</legend>" in html


def test_results_are_cards_with_badges_and_count_announced(client, corpus):
    html = client.get("/search/", {"q": "食堂"}).content.decode()
    assert re.search(r'role="status"[^>]*>「食堂」で1件見つかりました', html)
    assert 'class="card__title"><a href="' in html
    assert "こども食堂ひまわり" in html and "ふれあいサロン" not in html
    assert 'class="badge badge--kind">居場所</span>' in html
    assert 'class="badge badge--category">こども食堂</span>' in html


def test_filter_checkboxes_add_and_chips_remove_a_filter(client, corpus):
    html = client.get("/search/").content.decode()
    assert 'name="category" value="salon">' in html and "ふれあいサロン" in html
    filtered = client.get("/search/?category=salon").content.decode()
    assert "1件見つかりました" in filtered
    assert "こども食堂ひまわり" not in filtered
    assert re.search(
        r'name="category" value="salon" checked> 地域サロン <span[^>]*>（1）', filtered
    )
    assert 'class="chip" href="?"' in filtered  # the chip's link removes the filter


def test_empty_state_suggests_what_to_try(client, corpus):
    html = client.get("/search/", {"q": "宇宙旅行", "category": "salon"}).content.decode()
    assert "0件見つかりました" not in html
    assert re.search(r'role="status"[^>]*>「宇宙旅行」では見つかりませんでした', html)
    assert "地域サロン を外す" in html


def test_pagination(client, reindex):
    for i in range(25):
        PlacePageFactory(title=f"居場所{i:02d}", kana=f"いばしょ{i:02d}")
    reindex()
    html = client.get("/search/", {"q": "居場所"}).content.decode()
    assert "1 / 2 ページ" in html
    assert 'href="?q=%E5%B1%85%E5%A0%B4%E6%89%80&amp;page=2" rel="next"' in html
    second = client.get("/search/", {"q": "居場所", "page": 2}).content.decode()
    assert second.count('class="card"') == 5


def test_invalid_parameters_show_a_message_not_an_error_page(client, corpus):
    response = client.get("/search/", {"category": "nope", "page": "x"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "「nope」は分野の選択肢にありません" in html
    assert "ページ" in html


def test_a_page_past_the_end_shows_the_last_page(client, reindex):
    """Like /members/: ?page=99 of 2 shows page 2, never 「99 / 2 ページ」 with nothing found."""
    for i in range(25):
        PlacePageFactory(title=f"居場所{i:02d}", kana=f"いばしょ{i:02d}")
    reindex()
    html = client.get("/search/", {"q": "居場所", "page": 99}).content.decode()
    assert "99 / 2" not in html
    assert "2 / 2 ページ" in html
    assert html.count('class="card"') == 5
    assert "見つかりませんでした" not in html


def test_resident_text_says_sagasu_in_hiragana(client, corpus):
    html = client.get("/search/", {"q": "宇宙旅行"}).content.decode()
    assert "探" not in html
