"""Editors find their pages in the Wagtail admin by a word inside a Japanese name."""

import pytest
from django.contrib.auth import get_user_model

from search.text import word_suffixes
from tests.factories.directory import PlacePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("admin", "admin@example.org", "pw")
    client.force_login(user)
    return client


def admin_search(client, q):
    response = client.get("/admin/pages/search/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("query", ["食堂", "こども食堂", "ひまわり", "こども"])
def test_admin_page_search_finds_two_character_words_inside_names(admin_client, query):
    PlacePageFactory(title="こども食堂ひまわり", summary="夕ご飯を一緒に")
    PlacePageFactory(title="ふれあいサロン")
    html = admin_search(admin_client, query)
    assert "こども食堂ひまわり" in html
    assert "ふれあいサロン" not in html


def test_admin_page_search_finds_words_in_the_summary(admin_client):
    PlacePageFactory(title="みんなの家", summary="夕ご飯を一緒に食べましょう")
    assert "みんなの家" in admin_search(admin_client, "ご飯")


def test_word_suffixes_cover_every_start_position():
    assert word_suffixes("こども食堂", max_length=3) == "こども ども食 も食堂 食堂 堂"
    assert word_suffixes("ＡＢ・ab") == "ab b"
