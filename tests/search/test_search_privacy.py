"""Search words may be personal (a typed phone number): no cache keeps them, and the page says so.

Issue 11: /search/?q= and /api/v1/resources?q= stay GET, but answer `Cache-Control: private,
no-store`, and a search for words the personal-information guard would refuse still runs while
the page tells the resident that such words are not needed.
"""

import pytest

from tests.factories.directory import PlacePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(reindex):
    PlacePageFactory(title="こども食堂ひまわり", categories=["kodomo-shokudo"])
    return reindex()


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


@pytest.mark.parametrize(
    "params", [{}, {"q": "食堂"}, {"q": "090-1234-5678"}, {"page": "x"}], ids=str
)
@pytest.mark.parametrize("url", ["/search/", "/api/v1/resources"])
def test_search_answers_are_private_and_never_stored(client, corpus, url, params):
    response = client.get(url, params)
    assert {"private", "no-store"} <= cache_control(response)


def test_a_phone_number_is_searched_but_the_page_gives_the_notice(client, corpus):
    response = client.get("/search/", {"q": "食堂 090-1234-5678"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="notice search-notice" role="note"' in html
    assert "電話番号のような情報が含まれています" in html
    assert "今回は、そのままさがしました" in html


def test_ordinary_words_get_no_notice(client, corpus):
    html = client.get("/search/", {"q": "こども食堂"}).content.decode()
    assert "search-notice" not in html
    assert "こども食堂ひまわり" in html
