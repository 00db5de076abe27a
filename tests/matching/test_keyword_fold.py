"""Match keywords meet a listing's words the way search does (core.text.fold).

The profile's keywords were NFKC-folded but the listing's text only lower-cased, so 「しょうぎ」
missed a listing called ショウギ and 「npo」 one written ＮＰＯ.
"""

from __future__ import annotations

import json

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories.directory import PlacePageFactory

pytestmark = pytest.mark.django_db


def _scores(client: Client, keywords: str) -> dict[str, float]:
    response = client.post(
        reverse("api-match"), json.dumps({"keywords": keywords}), content_type="application/json"
    )
    assert response.status_code == 200
    return {r["name"]: r["score"] for r in response.json()["results"]}


@pytest.mark.parametrize(
    ("title", "keywords"),
    [("ショウギ教室", "しょうぎ"), ("ＮＰＯの居場所", "npo"), ("ｼｮｳｷﾞ教室", "ショウギ")],
)
def test_keywords_meet_kana_and_width_variants(client: Client, title: str, keywords: str) -> None:
    PlacePageFactory(title=title)
    PlacePageFactory(title="囲碁の会")
    scores = _scores(client, keywords)
    assert scores[title] > scores["囲碁の会"]
