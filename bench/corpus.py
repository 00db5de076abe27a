"""The search benchmark's seeded synthetic corpus of Japanese listings and its 50 queries."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

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
