"""/search/'s panel counts once a value is ticked (issue 12): what ticking another would give."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories.directory import EventPageFactory, PlacePageFactory, ServicePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus(reindex):
    PlacePageFactory(
        title="こども食堂ひまわり", categories=["kodomo-shokudo"], targets=["children"]
    )
    EventPageFactory(title="こども食堂まつり", categories=["kodomo-shokudo"], targets=["children"])
    PlacePageFactory(title="ふれあいサロン", categories=["salon"], targets=["older-people"])
    PlacePageFactory(title="子育てサロン", categories=["salon"], targets=["children"])
    ServicePageFactory(title="ひきこもり相談", categories=["consultation"], targets=["hikikomori"])
    reindex()


def count_beside(html: str, group: str, value: str) -> int:
    found = re.search(
        rf'name="{group}" value="{value}"(?: checked)?> [^<]* <span[^>]*>（(\d+)）', html
    )
    assert found, f"no {group}={value} option"
    return int(found.group(1))


def total(html: str) -> int:
    found = re.search(r"(\d+)件見つかりました", html)
    return int(found.group(1)) if found else 0


def page(client, **params) -> str:
    return client.get("/search/", params).content.decode()


def test_the_count_beside_a_second_category_is_what_ticking_it_adds(client, corpus):
    html = page(client, category="kodomo-shokudo")

    assert total(html) == 2
    salon = count_beside(html, "category", "salon")
    assert salon == 2  # not 0: ticking it too (OR) adds both salons
    both = page(client, category=["kodomo-shokudo", "salon"])
    assert total(both) == total(html) + salon
    assert count_beside(html, "category", "consultation") == 1
    assert count_beside(html, "category", "kodomo-shokudo") == 2


def test_other_groups_count_among_the_results_shown(client, corpus):
    html = page(client, category="kodomo-shokudo")

    assert count_beside(html, "target", "children") == 2
    assert 'name="target" value="older-people"' not in html  # none among the results
    assert count_beside(html, "kind", "event") == 1


def test_the_panel_says_what_the_numbers_mean(client, corpus):
    html = page(client, category="kodomo-shokudo")

    assert "その項目でほかのものを選んだときの件数" in html  # the help text says what they mean


def test_no_query_count_growth_with_chosen_groups(client, corpus):
    with CaptureQueriesContext(connection) as plain:
        page(client, q="食堂")
    with CaptureQueriesContext(connection) as chosen:
        page(client, q="食堂", category=["kodomo-shokudo", "salon"], target="children")
    assert len(chosen) <= len(plain)
