"""bench.common: the one percentile both benchmarks report with (nearest rank)."""

from __future__ import annotations

import pytest

from bench.common import percentile


@pytest.mark.parametrize(
    ("pct", "expected"), [(50, 5.0), (90, 9.0), (95, 10.0), (100, 10.0), (1, 1.0), (0, 1.0)]
)
def test_percentile_is_the_nearest_rank(pct: float, expected: float) -> None:
    assert percentile([float(v) for v in range(10, 0, -1)], pct) == expected


def test_both_benchmarks_use_it() -> None:
    import ast
    from pathlib import Path

    bench = Path(__file__).resolve().parents[2] / "bench"
    defined = {
        path.name
        for path in bench.glob("*.py")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef) and node.name == "percentile"
    }
    assert defined == {"common.py"}
