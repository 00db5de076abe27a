"""The relevance set (bench/data/judged_queries.yaml): its shape, and that it judges real listings."""

from __future__ import annotations

from pathlib import Path

import yaml

from bench.relevance import CLASSES, DATA, judged_queries, ndcg_at_10

ROOT = Path(__file__).resolve().parents[2]


def demo_listings() -> dict[str, dict]:
    """slug → listing of the demo PF, read from its fixture files (no database needed)."""
    found = {}
    for path in sorted((ROOT / "fixtures" / "demo" / "listings").glob("*.yaml")):
        for listings in yaml.safe_load(path.read_text(encoding="utf-8")).values():
            found.update({listing["slug"]: listing for listing in listings})
    return found


def test_at_least_100_queries_of_every_class_each_judged_on_real_resident_listings():
    queries = judged_queries()
    listings = demo_listings()
    assert len(queries) >= 100
    assert len({q.text for q in queries}) == len(queries), "each query once"
    assert {q.kind for q in queries} == set(CLASSES)
    for query in queries:
        assert 1 <= len(query.text.split()) <= 4, query.text
        assert query.chosen in ("before", "carried"), query.text
        assert query.grades and max(query.grades.values()) >= 2, query.text
        for slug, grade in query.grades.items():
            assert slug in listings, f"{query.text}: {slug} is not a demo listing"
            assert grade in (1, 2, 3), f"{query.text}: {slug} graded {grade}"
            # paused and ended listings are never offered to residents: judging them would
            # make a perfect first page unreachable
            assert listings[slug].get("status", "active") == "active", f"{query.text}: {slug}"


def test_most_queries_were_written_before_their_results_were_seen():
    queries = judged_queries()
    assert sum(q.chosen == "before" for q in queries) >= len(queries) / 2


def test_judgements_live_in_the_data_file_not_in_the_engine():
    multiword = [q.text for q in judged_queries() if " " in q.text]
    sources = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "search").rglob("*.py"))
    assert [text for text in multiword if text in sources] == []
    assert DATA.suffix == ".yaml"


def test_ndcg_is_one_for_the_ideal_order_and_counts_grades_exponentially():
    grades = {"a": 3, "b": 1}
    assert ndcg_at_10(["a", "b"], grades) == 1.0
    assert ndcg_at_10(["b", "a"], grades) < ndcg_at_10(["a", "x", "b"], grades) < 1.0
    assert ndcg_at_10([], grades) == 0.0
