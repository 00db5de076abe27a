"""Search benchmark: the embedded engine vs Wagtail's database search backend, same corpus.

    .venv/bin/python bench/search.py            # 10k and 100k listings + relevance on the demo PF
    .venv/bin/python bench/search.py --quick    # 2k listings, fewer repetitions (about a minute)

Everything runs in a temporary directory (its own SQLite database and index files), so the
development database is never touched. Speed: a seeded synthetic corpus of Japanese listings is
indexed by both engines and 50 representative queries (2-character words, multi-word, with
filters, with geo) are timed. Wagtail's backend indexes a plain model (`BenchListing`) holding
the same text, because creating 100k Wagtail pages would take hours and measure page creation,
not search. Relevance: ≥ 30 judged queries over the demo PF (`load_demo`) with nDCG@10.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# -- corpus ---------------------------------------------------------------------------------
PLACES = [
    "さくら台",
    "本町",
    "みなと",
    "もみじ台",
    "かわばた",
    "いずみ",
    "あけぼの",
    "やまびこ",
    "ひがし町",
    "西町",
    "北野",
    "南が丘",
    "中央",
    "青葉",
    "若葉",
    "緑ヶ丘",
    "旭",
    "栄町",
]
NICKNAMES = [
    "ひまわり",
    "たんぽぽ",
    "ぽかぽか",
    "にこにこ",
    "もぐもぐ",
    "ただいま",
    "ひだまり",
    "そらいろ",
    "よりみち",
    "ひといき",
    "おひさま",
    "なかよし",
    "わいわい",
    "のんびり",
    "ほっと",
    "つむぎ",
]
NAME_TEMPLATES = [
    ("place", "kodomo-shokudo", "{p}こども食堂 {n}"),
    ("place", "kodomo-shokudo", "{p}子ども食堂「{n}」"),
    ("place", "kodomo-shokudo", "{p} みんな食堂"),
    ("place", "salon", "{p} ふれあいサロン"),
    ("place", "salon", "{p}いきいきサロン {n}"),
    ("place", "kayoinoba", "{p} 百歳体操の会"),
    ("place", "kayoinoba", "{p} 元気アップ体操教室"),
    ("place", "community-cafe", "{p}コミュニティカフェ {n}"),
    ("place", "salon", "オレンジカフェ {p}"),
    ("place", "kosodate-hiroba", "子育てひろば {n}（{p}）"),
    ("place", "youth-space", "若者の居場所 {n}"),
    ("place", "youth-space", "{p}フリースペース「{n}」"),
    ("place", "free-school", "フリースクール {n}"),
    ("place", "study-support", "{p} 無料学習会"),
    ("place", "study-support", "{n} 学習支援教室"),
    ("place", "peer-group", "ひきこもり家族会 {n}"),
    ("place", "peer-group", "不登校の親の会「{n}」"),
    ("place", "play-park", "{p}プレーパーク"),
    ("place", "hobby-sports", "{p} 囲碁と将棋の会"),
    ("place", "hobby-sports", "男の料理教室 {n}"),
    ("service", "consultation", "{p}地域包括支援センター"),
    ("service", "consultation", "ひきこもり相談窓口（{p}）"),
    ("service", "consultation", "くらしとお金の相談 {p}"),
    ("service", "consultation", "子育て相談ダイヤル {n}"),
    ("service", "food-support", "フードパントリー {p}"),
    ("service", "food-support", "{p} 食料支援の窓口"),
    ("service", "daily-life-support", "{p} 見守り・配食サービス"),
    ("service", "daily-life-support", "買い物送迎バス {p}"),
    ("service", "work-experience", "就労体験プログラム {n}"),
    ("service", "volunteering", "{p}ボランティアセンター"),
    ("event", "training", "認知症サポーター養成講座（{p}）"),
    ("event", "training", "つながりサポーター講座 {p}"),
    ("event", "multigenerational", "{p} 多世代交流まつり"),
    ("event", "kodomo-shokudo", "こども食堂のクリスマス会（{n}）"),
    ("event", "hobby-sports", "{p} 親子クッキング"),
    ("event", "food-support", "年末フードパントリー {p}"),
]
# Sentences are built from slots so that word frequencies resemble the demo PF's (where 相談
# is in about a quarter of the listings, 家族 in a sixth, most words in 1–10 %).
ACTIVITIES = [
    "夕ごはんをいっしょに食べます",
    "お茶を飲みながらおしゃべりします",
    "宿題や勉強をします",
    "椅子に座ってできる体操をします",
    "手芸や折り紙を楽しみます",
    "囲碁や将棋を打ちます",
    "季節の料理をつくります",
    "絵本の読み聞かせをします",
    "畑で野菜を育てます",
    "ボードゲームで遊びます",
    "歌を歌います",
    "近所を散歩します",
    "スマホの使い方を学びます",
    "困りごとの相談にのります",
    "介護の悩みを話し合います",
    "赤ちゃんとの暮らしの情報を交換します",
    "仕事探しの準備をします",
    "日本語を練習します",
    "パンを焼いて販売します",
    "映画を観て語り合います",
    "焼きいもやたき火をします",
    "食品をお渡しします",
    "ラジオで朝の運動をします",
    "木工で小物をつくります",
    "写真や俳句の作品を見せ合います",
    "防災について学びます",
    "卓球やモルックで体を動かします",
    "カラオケを楽しみます",
    "ぬりえや工作をします",
    "学生と昔あそびをします",
]
WHO = [
    "地域の方",
    "子どもたち",
    "小学生",
    "中高生",
    "若い世代",
    "乳幼児と保護者",
    "高齢の方",
    "ひとり暮らしの方",
    "障害のある方",
    "外国にルーツのある方",
    "ひきこもりの経験がある方",
    "介護をしている方",
    "学校に行きづらい子",
    "ひとり親の親子",
    "ヤングケアラー",
    "はじめての方",
    "退職したばかりの方",
    "大学生ボランティア",
    "近所のお年寄り",
    "どなたでも",
]
WHEN = [
    "毎週水曜の午後",
    "毎月第2土曜",
    "平日の夕方",
    "日曜の午前",
    "月に一度",
    "週に2回",
    "毎朝6時半から",
    "学校帰りの時間",
    "夜7時から",
    "第1・第3木曜",
    "春休みと夏休み",
    "毎週金曜の夜",
]
VENUES = [
    "自治会館",
    "公民館",
    "集会所",
    "お寺の本堂",
    "商店街の空き店舗",
    "図書館の会議室",
    "公園",
    "団地の集会所",
    "カフェの2階",
    "総合福祉センター",
    "大学のラウンジ",
    "教会のホール",
]
NOTES = [
    "参加費は無料です。",
    "参加費は100円です。",
    "予約はいりません。",
    "前日までに電話で予約してください。",
    "車いすのまま入れます。",
    "やさしい日本語で話します。",
    "見学だけでも大丈夫です。",
    "お弁当の持ち帰りもできます。",
    "オンラインでも参加できます。",
    "駅から歩いて5分です。",
    "雨の日は中止です。",
    "名前を言わなくても参加できます。",
    "ご家族の相談も受け付けています。",
    "初めての方は受付で声をかけてください。",
    "駐車場はありません。",
    "エプロンをお持ちください。",
]


def sentence(rng: random.Random) -> str:
    return (
        f"{rng.choice(WHEN)}、{rng.choice(VENUES)}で{rng.choice(WHO)}と{rng.choice(ACTIVITIES)}。"
    )


KEYWORDS = [
    "夕ごはん",
    "お弁当",
    "おしゃべり",
    "体操",
    "宿題",
    "居場所",
    "相談",
    "無料",
    "多世代",
    "お茶",
    "ボランティア",
    "子育て",
    "介護",
    "食品",
    "見守り",
    "ゲーム",
    "料理",
    "散歩",
]
TARGETS = [
    "anyone",
    "children",
    "youth",
    "parents",
    "older-people",
    "disability",
    "hikikomori",
    "futoko",
    "women",
    "foreign-roots",
    "young-carers",
    "family-carers",
    "low-income",
    "single-parents",
]
CONDITIONS = [
    "free",
    "low-cost",
    "no-reservation",
    "reservation-required",
    "anonymous-ok",
    "solo-ok",
    "family-ok",
    "drop-in",
    "wheelchair",
    "online",
    "meal",
    "takeout",
    "multilingual",
]
EXTRA_CATEGORIES = ["multigenerational", "consultation", "volunteering", "hobby-sports"]
CENTRE = (35.90, 139.60)
DISTRICTS = [f"999991-{i:02d}" for i in range(1, 21)]


def generate_corpus(size: int, seed: int = 20240401) -> list[dict[str, Any]]:
    """`size` SearchDocument dicts of varied Japanese listings (deterministic for a seed)."""
    rng = random.Random(seed)
    today = date.today()
    documents = []
    for i in range(size):
        kind, category, template = rng.choice(NAME_TEMPLATES)
        place, nickname = rng.choice(PLACES), rng.choice(NICKNAMES)
        name = template.format(p=place, n=nickname)
        categories = sorted({category, *rng.sample(EXTRA_CATEGORIES, rng.randint(0, 1))})
        confidential = rng.random() < 0.1
        lat = None if confidential else CENTRE[0] + rng.uniform(-0.12, 0.12)
        lng = None if confidential else CENTRE[1] + rng.uniform(-0.15, 0.15)
        weekdays = sorted(rng.sample(range(7), rng.randint(1, 2)))
        first = today + timedelta(days=rng.randint(0, 20))
        dates = [(first + timedelta(days=7 * w)).isoformat() for w in range(rng.randint(1, 8))]
        district = rng.choice(DISTRICTS)
        documents.append(
            {
                "id": f"bench-{i:06d}",
                "page_id": i + 1,
                "kind": kind,
                "name": name,
                "kana": "",
                "summary": sentence(rng),
                "description": "".join(
                    [sentence(rng) for _ in range(rng.randint(0, 2))]
                    + rng.sample(NOTES, rng.randint(1, 3))
                ),
                "keywords": rng.sample(KEYWORDS, rng.randint(1, 2)),
                "url": f"/members/bench/{i}/",
                "member_id": f"member-{i % 400}",
                "member_name": f"{place}{rng.choice(['地区社協', 'NPO法人', '自治会', '家族会', '社会福祉法人', '町内会', 'ボランティアの会', '商店会'])}",
                "categories": categories,
                "targets": sorted(rng.sample(TARGETS, rng.randint(1, 3))),
                "conditions": sorted(rng.sample(CONDITIONS, rng.randint(1, 4))),
                "area_codes": [district, "999991", "110001"],
                "area_name": f"ひだまり市 {place}小学校区",
                "address": ""
                if confidential
                else f"ひだまり市{place}{rng.randint(1, 5)}-{rng.randint(1, 30)}",
                "lat": lat,
                "lng": lng,
                "online": rng.random() < 0.15,
                "weekdays": weekdays,
                "next_occurrence": f"{dates[0]}T10:00:00+09:00",
                "occurrence_dates": dates,
                "cost_type": rng.choice(["free", "paid", ""]),
                "languages": ["ja"],
                "last_verified": (today - timedelta(days=rng.randint(0, 700))).isoformat(),
                "status": "active",
            }
        )
    return documents


# -- queries --------------------------------------------------------------------------------
@dataclass
class BenchQuery:
    label: str
    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    near: tuple[float, float] | None = None
    radius_km: float | None = None
    sort: str = "relevance"


def queries() -> list[BenchQuery]:
    two_char = [
        "食堂",
        "相談",
        "体操",
        "居場",
        "学習",
        "認知",
        "若者",
        "高齢",
        "料理",
        "囲碁",
        "家族",
        "無料",
        "宿題",
        "介護",
        "散歩",
    ]
    multi = [
        "こども食堂",
        "子ども食堂 無料",
        "ひきこもり 相談",
        "子育て ひろば",
        "認知症カフェ",
        "フードパントリー",
        "不登校 居場所",
        "高齢の方 体操",
        "オンライン 相談",
        "やさしい日本語",
        "ヤングケアラー",
        "学習支援 大学生",
        "多世代 交流",
        "ボランティア センター",
        "お弁当 持ち帰り",
    ]
    result = [BenchQuery(f"2文字: {q}", q) for q in two_char]
    result += [BenchQuery(f"複数語: {q}", q) for q in multi]
    result += [
        BenchQuery("絞込: 食堂 + 分野", "食堂", {"categories": ["kodomo-shokudo"]}),
        BenchQuery("絞込: 相談 + 種別", "相談", {"kind": ["service"]}),
        BenchQuery("絞込: 分野のみ", "", {"categories": ["salon"]}),
        BenchQuery("絞込: 対象×2", "", {"targets": ["hikikomori", "futoko"]}),
        BenchQuery("絞込: 居場所 + 対象", "居場所", {"targets": ["youth"]}),
        BenchQuery("絞込: 無料 + 条件", "無料", {"conditions": ["no-reservation"]}),
        BenchQuery(
            "絞込: 体操 + 種別 + 対象", "体操", {"kind": ["place"], "targets": ["older-people"]}
        ),
        BenchQuery("絞込: 学区", "", {"area_codes": ["999991-03"]}),
        BenchQuery(
            "絞込: 料理 + 分野×2", "料理", {"categories": ["hobby-sports", "kodomo-shokudo"]}
        ),
        BenchQuery(
            "絞込: 相談 + 条件 + 対象", "相談", {"conditions": ["online"], "targets": ["youth"]}
        ),
    ]
    points = [(35.90, 139.60), (35.95, 139.55), (35.85, 139.68), (35.92, 139.62), (35.88, 139.58)]
    for i, point in enumerate(points):
        result.append(
            BenchQuery(
                f"地図: 半径2km 近い順 #{i + 1}", "", near=point, radius_km=2, sort="distance"
            )
        )
    result += [
        BenchQuery("地図: 食堂 半径3km", "食堂", near=points[0], radius_km=3),
        BenchQuery(
            "地図: 相談 半径5km 近い順", "相談", near=points[1], radius_km=5, sort="distance"
        ),
        BenchQuery("地図: サロン 半径3km", "サロン", near=points[2], radius_km=3),
        BenchQuery(
            "地図: 分野 半径5km", "", {"categories": ["kodomo-shokudo"]}, points[3], 5, "distance"
        ),
        BenchQuery("地図: 近い順（半径なし）", "体操", near=points[4], sort="distance"),
    ]
    assert len(result) == 50
    return result


# -- engines --------------------------------------------------------------------------------
# A Wagtail query still running after this is stopped and reported as a timeout (at 100k some
# take minutes); its time counts as this limit, so Wagtail's percentiles are lower bounds.
WAGTAIL_TIMEOUT_S = 5.0


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = max(0, math.ceil(pct / 100 * len(ordered)) - 1)
    return ordered[index]


@dataclass
class EngineRun:
    name: str
    index_seconds: float = 0.0
    index_cpu_seconds: float = 0.0
    index_bytes: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)  # this process's CPU time per query
    zero_results: list[str] = field(default_factory=list)
    timeouts: set[str] = field(default_factory=set)

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms)

    @property
    def p95(self) -> float:
        return percentile(self.latencies_ms, 95)

    @property
    def cpu_p50(self) -> float:
        return statistics.median(self.cpu_ms)

    @property
    def cpu_p95(self) -> float:
        return percentile(self.cpu_ms, 95)


def load_average() -> str:
    try:
        return " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def timed_runs(run_query, bench_queries: list[BenchQuery], repeats: int, engine: EngineRun) -> None:
    for query in bench_queries:
        total = run_query(query)  # warm-up, and the result count
        if total == 0:
            engine.zero_results.append(query.label)
        if total < 0:  # timed out: count the limit instead of running it again
            engine.latencies_ms.extend([WAGTAIL_TIMEOUT_S * 1000] * repeats)
            engine.cpu_ms.extend([WAGTAIL_TIMEOUT_S * 1000] * repeats)
            continue
        for _ in range(repeats):
            started, cpu = time.perf_counter(), time.process_time()
            run_query(query)
            engine.latencies_ms.append((time.perf_counter() - started) * 1000)
            engine.cpu_ms.append((time.process_time() - cpu) * 1000)


def bench_embedded(documents: list[dict], workdir: Path, repeats: int) -> EngineRun:
    from search.engines.base import GeoPoint, SearchQuery
    from search.engines.embedded import EmbeddedEngine

    path = workdir / f"embedded-{len(documents)}.sqlite3"
    engine = EmbeddedEngine(path)
    engine.clear()
    run = EngineRun("埋め込み（SQLite FTS5 bigram）")
    started, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(documents), 1000):
        engine.index(documents[start : start + 1000])
    engine.optimize()
    run.index_seconds = time.perf_counter() - started
    run.index_cpu_seconds = time.process_time() - cpu
    engine.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    run.index_bytes = path.stat().st_size

    def run_query(query: BenchQuery) -> int:
        result = engine.search(
            SearchQuery(
                text=query.text,
                filters=query.filters,
                point=GeoPoint(*query.near) if query.near else None,
                radius_km=query.radius_km,
                sort=query.sort,  # type: ignore[arg-type]
                page_size=20,
            )
        )
        return result.total

    timed_runs(run_query, queries(), repeats, run)
    return run


def bench_listing_model():
    """A plain model holding the corpus text, indexed by Wagtail's database backend."""
    from django.db import models
    from wagtail.search import index

    class BenchListing(index.Indexed, models.Model):
        name = models.CharField(max_length=200)
        summary = models.TextField()
        description = models.TextField()
        keywords = models.TextField()
        kind = models.CharField(max_length=20)
        categories = models.CharField(max_length=200)  # "|slug|slug|"
        targets = models.CharField(max_length=200)
        conditions = models.CharField(max_length=200)
        area_codes = models.CharField(max_length=200)
        lat = models.FloatField(null=True)
        lng = models.FloatField(null=True)

        search_fields = [
            index.SearchField("name", boost=10),
            index.AutocompleteField("name"),
            index.SearchField("summary", boost=4),
            index.SearchField("keywords", boost=4),
            index.SearchField("description"),
            index.FilterField("id"),
            index.FilterField("kind"),
            index.FilterField("categories"),
            index.FilterField("targets"),
            index.FilterField("conditions"),
            index.FilterField("area_codes"),
            index.FilterField("lat"),
            index.FilterField("lng"),
        ]

        class Meta:
            app_label = "search"
            db_table = "bench_listing"

        def __str__(self) -> str:
            return self.name

    return BenchListing


def bench_wagtail(documents: list[dict], model, db_path: Path, repeats: int) -> EngineRun:
    from django.db import OperationalError, connection
    from django.db.models import Q
    from wagtail.search.backends import get_search_backend

    from core.geo import bounding_box

    with connection.schema_editor() as editor:
        connection.cursor().execute("DROP TABLE IF EXISTS bench_listing")
        editor.create_model(model)
    model.objects.bulk_create(
        [
            model(
                name=d["name"],
                summary=d["summary"],
                description=d["description"],
                keywords=" ".join(d["keywords"]),
                kind=d["kind"],
                categories="|" + "|".join(d["categories"]) + "|",
                targets="|" + "|".join(d["targets"]) + "|",
                conditions="|" + "|".join(d["conditions"]) + "|",
                area_codes="|" + "|".join(d["area_codes"]) + "|",
                lat=d["lat"],
                lng=d["lng"],
            )
            for d in documents
        ],
        batch_size=2000,
    )
    connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size_before = db_path.stat().st_size
    backend = get_search_backend()
    search_index = backend.get_index_for_model(model)
    run = EngineRun("Wagtail データベース検索（SQLite FTS5）")
    started, cpu = time.perf_counter(), time.process_time()
    items = list(model.objects.order_by("pk"))
    for start in range(0, len(items), 1000):
        search_index.add_items(model, items[start : start + 1000])
    run.index_seconds = time.perf_counter() - started
    run.index_cpu_seconds = time.process_time() - cpu
    connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
    run.index_bytes = db_path.stat().st_size - size_before

    def run_query(query: BenchQuery) -> int:
        deadline = time.perf_counter() + WAGTAIL_TIMEOUT_S
        connection.connection.set_progress_handler(
            lambda: int(time.perf_counter() > deadline), 10_000
        )
        try:
            return wagtail_query(query)
        except OperationalError:  # interrupted: counted as a timeout, not as "no result"
            run.timeouts.add(query.label)
            return -1
        finally:
            connection.connection.set_progress_handler(None, 0)

    def wagtail_query(query: BenchQuery) -> int:
        queryset = model.objects.all()
        for name, values in query.filters.items():
            if name == "kind":
                queryset = queryset.filter(kind__in=values)
            else:
                any_of = Q()
                for value in values:
                    any_of |= Q(**{f"{name}__contains": f"|{value}|"})
                queryset = queryset.filter(pk__in=model.objects.filter(any_of).values("pk"))
        if query.near and query.radius_km:
            min_lat, max_lat, min_lng, max_lng = bounding_box(*query.near, query.radius_km)
            queryset = queryset.filter(lat__range=(min_lat, max_lat), lng__range=(min_lng, max_lng))
        if query.text:
            results = backend.search(query.text, queryset, operator="and")
            hits = list(results[:20])
            return results.count() if hits else 0
        hits = list(queryset.order_by("name")[:20])
        return queryset.count() if hits else 0

    timed_runs(run_query, queries(), repeats, run)
    return run


# -- relevance on the demo PF ---------------------------------------------------------------
# slug → grade (2 = what the resident is looking for, 1 = useful too). Judged by reading the
# demo listings (fixtures/demo/listings/); everything not listed counts as 0.
JUDGEMENTS: dict[str, dict[str, int]] = {
    "こども食堂": {
        "sakuradai-kodomo-shokudo": 2,
        "honcho-kodomo-shokudo": 2,
        "minato-kodomo-shokudo": 2,
        "momiji-kodomo-shokudo": 2,
        "higashi-shokudo": 2,
        "hidamari-tabemono": 2,
        "izumi-ibasho-hidamari": 1,
        "kodomo-hiroba-teens": 1,
        "pokapoka-taberu": 1,
        "event-christmas-shokudo": 1,
    },
    "子ども食堂": {
        "sakuradai-kodomo-shokudo": 2,
        "honcho-kodomo-shokudo": 2,
        "minato-kodomo-shokudo": 2,
        "momiji-kodomo-shokudo": 2,
        "higashi-shokudo": 2,
        "hidamari-tabemono": 2,
        "event-christmas-shokudo": 1,
        "pokapoka-taberu": 1,
    },
    "食堂": {
        "sakuradai-kodomo-shokudo": 2,
        "honcho-kodomo-shokudo": 2,
        "minato-kodomo-shokudo": 2,
        "momiji-kodomo-shokudo": 2,
        "higashi-shokudo": 2,
        "hidamari-tabemono": 2,
        "event-christmas-shokudo": 1,
    },
    "ひきこもり": {
        "yorisoi-toujisha-kai": 2,
        "yorisoi-family-soudan": 2,
        "tsumugi-kazokukai": 2,
        "tsumugi-online": 2,
        "tsumugi-denwa": 2,
        "event-oya-naki-ato": 2,
        "event-tsumugi-kouenkai": 2,
        "yorisoi-ibasho": 1,
        "yorisoi-houmon": 1,
        "saposute-soudan": 1,
        "yorisoi-online-ibasho": 1,
        "event-online-zadankai": 1,
    },
    "引きこもり 家族": {
        "tsumugi-kazokukai": 2,
        "tsumugi-online": 2,
        "tsumugi-denwa": 2,
        "yorisoi-family-soudan": 2,
        "event-oya-naki-ato": 2,
        "event-tsumugi-kouenkai": 2,
    },
    "認知症カフェ": {
        "orange-cafe-hidamari": 2,
        "kazoku-orange-cafe-minato": 2,
        "kazoku-tsudoi": 1,
        "hospital-ninchisho-soudan": 1,
        "event-ninchisho-supporter": 1,
    },
    "オレンジカフェ": {
        "orange-cafe-hidamari": 2,
        "kazoku-orange-cafe-minato": 2,
        "event-ninchisho-supporter": 1,
    },
    "不登校": {
        "manabiya-free-space": 2,
        "sorairo-free-school": 2,
        "sorairo-parents-salon": 2,
        "event-shinro-soudankai": 2,
        "sorairo-online": 2,
        "sorairo-afterschool": 2,
    },
    "フリースクール": {
        "sorairo-free-school": 2,
        "sorairo-online": 2,
        "sorairo-afterschool": 1,
        "event-shinro-soudankai": 1,
        "manabiya-free-space": 1,
    },
    "子育て 相談": {
        "kodomo-katei-center": 2,
        "city-kosodate-hiroba": 2,
        "nikoniko-hiroba": 1,
        "nikoniko-higashi": 1,
        "mori-women-group": 1,
    },
    "子育てひろば": {
        "nikoniko-hiroba": 2,
        "nikoniko-higashi": 2,
        "city-kosodate-hiroba": 2,
        "doronko-kosodate": 1,
        "event-rythmique": 1,
        "nikoniko-premama": 1,
        "kokusai-mama-salon": 1,
    },
    "フードパントリー": {
        "foodbank-pantry-kawabata": 2,
        "foodbank-pantry-honcho": 2,
        "event-nenmatsu-pantry": 2,
        "komyoji-oyatsu": 1,
        "shoten-food-drive": 1,
        "foodbank-volunteer": 1,
        "ja-vegetables": 1,
    },
    "食料支援": {
        "foodbank-pantry-kawabata": 2,
        "foodbank-pantry-honcho": 2,
        "event-nenmatsu-pantry": 2,
        "komyoji-oyatsu": 2,
        "shoten-food-drive": 1,
        "ja-vegetables": 1,
    },
    "ヤングケアラー": {
        "hitoiki-tsudoi": 2,
        "hitoiki-online": 2,
        "city-young-carer-soudan": 2,
        "hitoiki-study": 2,
        "event-young-carer-koza": 2,
        "event-hitoiki-bus-hike": 2,
        "kodomo-katei-center": 1,
    },
    "ひとり親": {
        "pokapoka-oyako-salon": 2,
        "pokapoka-line-soudan": 2,
        "city-hitorioya-soudan": 2,
        "pokapoka-taberu": 2,
        "event-oyako-cooking": 2,
        "komyoji-oyatsu": 1,
    },
    "シングルマザー": {
        "pokapoka-oyako-salon": 2,
        "pokapoka-line-soudan": 2,
        "city-hitorioya-soudan": 2,
        "pokapoka-taberu": 2,
        "event-oyako-cooking": 2,
    },
    "学習支援": {
        "manabiya-gakushu-shien": 2,
        "manabiya-izumi": 2,
        "manabiya-momiji": 2,
        "komyoji-terakoya": 2,
        "kokusai-kodomo-nihongo": 2,
        "event-juken-taisaku": 2,
        "hitoiki-study": 1,
    },
    "無料塾": {
        "manabiya-gakushu-shien": 2,
        "manabiya-momiji": 2,
        "event-juken-taisaku": 2,
        "manabiya-izumi": 1,
    },
    "体操": {
        "hidamari-kayoinoba": 2,
        "sakuradai-taiso": 2,
        "higashi-taiso": 2,
        "shakyo-kawabata-kayoinoba": 2,
    },
    "百歳体操": {
        "hidamari-kayoinoba": 2,
        "sakuradai-taiso": 1,
        "higashi-taiso": 1,
        "shakyo-kawabata-kayoinoba": 1,
    },
    "サロン": {
        "shakyo-izumi-salon": 2,
        "sakuradai-salon": 2,
        "shakyo-yamabiko-salon": 2,
        "minato-yuugata-salon": 2,
        "coop-salon": 2,
        "shakyo-momiji-salon": 2,
        "kotsu-bus-salon": 2,
        "kokusai-mama-salon": 2,
        "pokapoka-oyako-salon": 1,
    },
    "高齢者 サロン": {
        "shakyo-izumi-salon": 2,
        "sakuradai-salon": 2,
        "shakyo-yamabiko-salon": 2,
        "shakyo-momiji-salon": 2,
        "coop-salon": 1,
        "minato-fureai-shokujikai": 1,
    },
    "介護 相談": {
        "hidamari-kaigo-soudan": 2,
        "kazoku-denwa": 2,
        "kazoku-tsudoi": 1,
        "hospital-msw": 1,
    },
    "就労体験": {
        "wakaba-shuro-taiken": 2,
        "saposute-shokuba-taiken": 2,
        "shoten-shuro-taiken": 2,
        "ja-nouen-taiken": 2,
        "event-oshigoto-taiken": 2,
        "saposute-soudan": 1,
        "event-shuro-junbi": 1,
    },
    "仕事": {
        "silver-shigoto": 2,
        "event-oshigoto-taiken": 2,
        "saposute-soudan": 2,
        "event-60-shigoto": 2,
        "event-shuro-junbi": 1,
    },
    "LGBTQ": {
        "nijiiro-youth-meetup": 2,
        "nijiiro-soudan": 2,
        "nijiiro-family": 2,
        "event-nijiiro-movie": 2,
        "event-lgbtq-shienshakensyu": 2,
        "yorisoi-online-ibasho": 1,
    },
    "外国人": {
        "kokusai-tagengo-soudan": 2,
        "event-bousai-kyoshitsu": 2,
        "kokusai-nihongo": 2,
        "kokusai-kodomo-nihongo": 2,
        "kokusai-online-nihongo": 2,
        "kokusai-mama-salon": 2,
        "event-mochitsuki": 1,
    },
    "日本語教室": {"kokusai-nihongo": 2, "kokusai-kodomo-nihongo": 2, "kokusai-online-nihongo": 2},
    "ボランティア": {
        "foodbank-volunteer": 2,
        "shakyo-volunteer-center": 2,
        "event-volunteer-day": 2,
        "univ-volunteer": 2,
        "event-shokudo-volunteer-setsumeikai": 2,
    },
    "買い物": {
        "shoten-kaimono-bus": 2,
        "coop-kaimono": 2,
        "coop-yamabiko-salon": 1,
        "kotsu-noriai-taxi": 1,
    },
    "見守り": {
        "sakuradai-mimamori": 2,
        "coop-haishoku": 2,
        "silver-mimamori": 2,
        "sakuradai-kodomo-mimamori": 2,
    },
    "配食": {"coop-haishoku": 2},
    "オンライン 相談": {
        "yorisoi-night-online": 2,
        "city-line-soudan": 1,
        "nijiiro-soudan": 1,
        "pokapoka-line-soudan": 1,
    },
    "若者 居場所": {
        "yorisoi-ibasho": 2,
        "kodomo-hiroba-teens": 2,
        "yorisoi-online-ibasho": 2,
        "yorisoi-toujisha-kai": 1,
    },
    "防災": {"higashi-bousai": 2, "event-bousai-kyoshitsu": 2, "event-bousai-walk": 2},
    "こころ 相談": {"mori-kokoro-soudan": 2, "mori-women-group": 1, "mori-daycare": 1},
    "囲碁": {"minato-kayoinoba": 2, "kamado-mokko": 2},
    "料理教室": {"kamado-otoko-ryori": 2, "event-foodloss-cooking": 2, "event-oyako-cooking": 1},
}


def ndcg_at_10(ranked: list[str], grades: dict[str, int]) -> float:
    def dcg(gains: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains[:10]))

    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(slug, 0) for slug in ranked]) / ideal if ideal else 0.0


def relevance_check(workdir: Path) -> tuple[float, list[tuple[str, float, int]]]:
    """Load the demo PF, index it, and score every judged query (nDCG@10)."""
    from django.core.management import call_command

    from search.documents import live_documents
    from search.engines.base import SearchQuery
    from search.engines.embedded import EmbeddedEngine

    call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    engine = EmbeddedEngine(workdir / "demo.sqlite3")
    engine.clear()
    documents = list(live_documents())
    engine.index(documents)
    slug_of = _slugs_by_id()
    live = set(slug_of.values())
    rows = []
    for text, grades in JUDGEMENTS.items():
        grades = {slug: g for slug, g in grades.items() if slug in live}
        hits = engine.search(SearchQuery(text=text, page_size=10)).hits
        ranked = [slug_of.get(hit.document["id"], "") for hit in hits]
        rows.append((text, ndcg_at_10(ranked, grades), len(hits)))
    return statistics.mean(score for _, score, _ in rows), rows


def _slugs_by_id() -> dict[str, str]:
    from directory.models import listing_page_models

    return {
        str(uuid): slug
        for model in listing_page_models()
        for uuid, slug in model.objects.live().values_list("uuid", "slug")
    }


# -- report ---------------------------------------------------------------------------------
def machine() -> str:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        ram = f"{mem_kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        ram = "unknown"
    return (
        f"{os.cpu_count()} CPU ({cpu}), RAM {ram}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.system()} {platform.release()}"
    )


def markdown(sizes_runs: list[tuple[int, EngineRun, EngineRun | None]], relevance, args) -> str:
    lines = [
        f"Run: `.venv/bin/python bench/search.py{' --quick' if args.quick else ''}` on "
        f"{date.today().isoformat()} (load average at the end: {load_average()}); "
        f"{len(queries())} queries × {args.repeats} timed runs (Wagtail: "
        f"{args.wagtail_repeats}) each after one warm-up, 20 results per page, facet counts included for the embedded "
        "engine (Wagtail computes none). Targets (2 cores): embedded p95 ≤ 30 ms at 10k, ≤ 100 ms "
        "at 100k; 100k indexed in ≤ 120 s.",
        "",
        "| 件数 / listings | エンジン / engine | 索引作成 / index build (CPU) | 索引サイズ / size | p50 | p95 | CPU p50 / p95 | 0件の検索 / zero-result queries |",
        "|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size, embedded, wagtail in sizes_runs:
        for run in filter(None, (embedded, wagtail)):
            lines.append(
                f"| {size:,} | {run.name} | {run.index_seconds:.1f} s ({run.index_cpu_seconds:.1f} s) | "
                f"{run.index_bytes / 1024 / 1024:.1f} MB | {run.p50:.1f} ms | {run.p95:.1f} ms | "
                f"{run.cpu_p50:.1f} / {run.cpu_p95:.1f} ms | "
                f"{len(run.zero_results)} / {len(queries())} |"
            )
        if wagtail:
            lines.append(
                f"| {size:,} | 比 / ratio (Wagtail ÷ embedded) | "
                f"{wagtail.index_seconds / embedded.index_seconds:.1f}× | "
                f"{wagtail.index_bytes / max(embedded.index_bytes, 1):.2f}× | "
                f"{wagtail.p50 / embedded.p50:.1f}× | {wagtail.p95 / embedded.p95:.1f}× | "
                f"{wagtail.cpu_p50 / embedded.cpu_p50:.1f}× / {wagtail.cpu_p95 / embedded.cpu_p95:.1f}× | |"
            )
    for size, embedded, wagtail in sizes_runs:
        if wagtail and wagtail.zero_results:
            lines.append("")
            lines.append(
                f"Wagtail found nothing at {size:,} for: "
                + "、".join(f"「{label}」" for label in wagtail.zero_results)
            )
        if wagtail and wagtail.timeouts:
            lines.append(
                f"Wagtail timed out (> {WAGTAIL_TIMEOUT_S:.0f} s, counted as {WAGTAIL_TIMEOUT_S:.0f} s) "
                f"at {size:,} for: "
                + "、".join(f"「{label}」" for label in sorted(wagtail.timeouts))
            )
        if embedded.zero_results:
            lines.append(
                f"Embedded found nothing at {size:,} for: "
                + "、".join(f"「{label}」" for label in embedded.zero_results)
            )
    if relevance:
        mean, rows = relevance
        lines += [
            "",
            f"Relevance on the demo PF (`load_demo`), {len(rows)} judged queries: "
            f"**mean nDCG@10 = {mean:.3f}** (embedded engine).",
            "",
            "| query | nDCG@10 | hits (top 10) |",
            "|---|---:|---:|",
        ]
        lines += [f"| {text} | {score:.2f} | {hits} |" for text, score, hits in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2k listings, 3 runs per query")
    parser.add_argument("--sizes", type=int, nargs="*", help="corpus sizes (default 10000 100000)")
    parser.add_argument("--repeats", type=int, help="timed runs per query (default 5)")
    parser.add_argument(
        "--wagtail-repeats", type=int, default=2, help="timed runs per query for Wagtail (slow)"
    )
    parser.add_argument("--no-wagtail", action="store_true", help="skip Wagtail's backend")
    parser.add_argument("--no-relevance", action="store_true", help="skip the demo nDCG check")
    parser.add_argument("--markdown", type=Path, help="also write the results table here")
    args = parser.parse_args()
    args.sizes = args.sizes or ([2000] if args.quick else [10_000, 100_000])
    args.repeats = args.repeats or (3 if args.quick else 5)

    workdir = Path(tempfile.mkdtemp(prefix="tsunagari-bench-"))
    db_path = workdir / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["SEARCH_INDEX_PATH"] = str(workdir / "site-index.sqlite3")
    os.environ["DJANGO_SETTINGS_MODULE"] = "website.settings.base"
    os.environ.setdefault("SECRET_KEY", "bench-only")
    import django

    django.setup()
    from django.core.management import call_command

    print(f"machine: {machine()}; load average {load_average()}")
    print(f"workdir: {workdir}")
    call_command("migrate", verbosity=0)
    model = None if args.no_wagtail else bench_listing_model()
    results = []
    for size in args.sizes:
        documents = generate_corpus(size)
        embedded = bench_embedded(documents, workdir, args.repeats)
        print(
            f"[{size}] embedded: index {embedded.index_seconds:.1f}s, p50 {embedded.p50:.1f}ms, p95 {embedded.p95:.1f}ms, CPU p95 {embedded.cpu_p95:.1f}ms, zero {len(embedded.zero_results)}"
        )
        wagtail = None
        if model is not None:
            wagtail = bench_wagtail(documents, model, db_path, args.wagtail_repeats)
            print(
                f"[{size}] wagtail:  index {wagtail.index_seconds:.1f}s, p50 {wagtail.p50:.1f}ms, p95 {wagtail.p95:.1f}ms, CPU p95 {wagtail.cpu_p95:.1f}ms, zero {len(wagtail.zero_results)}"
            )
        results.append((size, embedded, wagtail))
    relevance = None if args.no_relevance else relevance_check(workdir)
    if relevance:
        print(f"relevance: mean nDCG@10 = {relevance[0]:.3f} over {len(relevance[1])} queries")
    report = markdown(results, relevance, args)
    print()
    print(report)
    if args.markdown:
        args.markdown.write_text(f"Machine: {machine()}\n\n{report}\n", encoding="utf-8")


if __name__ == "__main__":
    main()
