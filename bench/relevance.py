"""Relevance of the embedded engine on the demo PF: judged queries and nDCG@10."""

from __future__ import annotations

import math
import os
import statistics
from pathlib import Path

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
