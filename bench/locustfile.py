"""The mixed scenario of bench/load.py: search 60 %, listing pages 30 %, match 10 % (issue 17).

By default a closed loop with no think time: each simulated user sends its next request as soon
as the last one is answered, so the figures are the server's capacity, not a model of residents'
pace. LOAD_THINK_SECONDS="1,3" (bench/load.py --think 1 3) waits 1–3 s between requests instead.
Listing pages are drawn from up to 500 listings, so page caching is measured over a spread of
pages rather than a handful.
"""

from __future__ import annotations

import os
import random
from typing import Any
from urllib.parse import urlsplit

from locust import HttpUser, between, constant, events, task

SEARCH_WORDS = [
    "こども食堂",
    "居場所",
    "相談",
    "将棋",
    "体操",
    "学習支援",
    "高齢者",
    "カフェ",
    "就労",
    "",
]
MATCH_PROFILES: list[dict[str, Any]] = [
    {"age_band": "13-18"},
    {"age_band": "65-74"},
    {"age_band": "19-29"},
]
LISTING_PATHS: list[str] = []
LISTING_PAGES = 5  # × 100 listings
THINK = [float(s) for s in os.environ.get("LOAD_THINK_SECONDS", "").split(",") if s.strip()]


@events.test_start.add_listener
def collect_listing_paths(environment: Any, **_: Any) -> None:
    """Listing pages to visit: the first 500 the public API returns."""
    import requests

    for page in range(1, LISTING_PAGES + 1):
        response = requests.get(
            f"{environment.host}/api/v1/resources",
            params={"page_size": 100, "page": page},
            timeout=30,
        )
        if response.status_code != 200:
            break
        results = response.json()["results"]
        LISTING_PATHS.extend(urlsplit(item["url"]).path for item in results)
        if len(results) < 100:
            break
    if not LISTING_PATHS:
        raise RuntimeError("no listings: load the demo (or a platform) first")


class Resident(HttpUser):
    wait_time = between(*THINK) if len(THINK) == 2 else constant(0)

    @task(6)
    def search(self) -> None:
        self.client.get("/search/", params={"q": random.choice(SEARCH_WORDS)}, name="search")

    @task(3)
    def listing(self) -> None:
        self.client.get(random.choice(LISTING_PATHS), name="listing")

    @task(1)
    def match(self) -> None:
        self.client.post("/api/v1/match", json=random.choice(MATCH_PROFILES), name="match")
