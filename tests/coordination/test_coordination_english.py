"""/partners/ and /coverage/ in English: filters, counts and vocabulary labels shown in English."""

from __future__ import annotations

import pytest

from directory.models import Area, Member, VocabularyTerm
from tests.coordination.test_partners import network  # noqa: F401 - the shared fixture
from tests.website.english import english, english_page, japanese_left, main_of, site_content

pytestmark = pytest.mark.django_db


def content() -> list[str]:
    """Names, areas and descriptions stay as written, as do terms without an English label."""
    labels = VocabularyTerm.objects.filter(label_en="").values_list("label", flat=True)
    members = [text for m in Member.objects.all() for text in (m.name, m.description)]
    return [*site_content(), *labels, *members, *Area.objects.values_list("name", flat=True)]


def test_partners_page_is_english(client, network):  # noqa: F811
    page = english_page(english(client).get("/partners/", {"offer": "venue"}))
    assert "Find partners" in page or "Search with these filters" in page
    assert "organisations found." in page or "organisation found." in page
    venue = VocabularyTerm.objects.get(scheme="offer", slug="venue")
    assert venue.label_en and venue.label_en in page
    assert japanese_left(main_of(page), content()) == []


def test_partners_filter_errors_are_english(client, network):  # noqa: F811
    page = english(client).get("/partners/", {"offer": "no-such-offer"}).content.decode()
    assert "Some filters are not valid." in page
    assert "Select a valid choice." in page


def test_coverage_page_is_english(client, network):  # noqa: F811
    page = english_page(english(client).get("/coverage/", {"dimension": "target"}))
    assert "Listings by district × who it is for" in page or "Listings by district ×" in page
    assert "Whole city / online" in page
    assert japanese_left(main_of(page), content()) == []


def test_japanese_coverage_is_unchanged(client, network):  # noqa: F811
    page = client.get("/coverage/").content.decode()
    assert "小学校区ごとのカバー状況" in page and "市全域・オンライン" in page
