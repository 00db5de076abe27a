"""HSDS `search=` folds text the way the PF's own search does (core.text.fold)."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.factories.directory import PlacePageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["こども食堂", "コドモ食堂", "ｺﾄﾞﾓ食堂"])
def test_hsds_service_search_meets_kana_and_widths(client: Client, query: str) -> None:
    PlacePageFactory(title="コドモ食堂ひだまり")
    names = [
        s["name"] for s in client.get("/api/hsds/services", {"search": query}).json()["contents"]
    ]
    assert names == ["コドモ食堂ひだまり"]
