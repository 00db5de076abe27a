"""The personal-information guard against its labelled corpus: recall, precision, false refusals.

    .venv/bin/python bench/pii.py

The corpus (tests/data/pii_corpus.tsv) is data: one text per line with the kind the guard
must name, or `ok` for an ordinary need that must pass. Per kind it prints recall (texts of
that kind refused with that kind) and precision (refusals naming that kind that were right),
then the false-refusal rate over the ordinary texts. tests/core/test_pii_corpus.py asserts
the same figures (recall 1.0, at most 3 % false refusals).
"""

from __future__ import annotations

import csv
import os
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings.dev")

CORPUS = ROOT / "tests" / "data" / "pii_corpus.tsv"
ORDINARY = "ok"


def load_corpus(path: Path = CORPUS) -> list[tuple[str, str]]:
    """(expected, text) pairs; expected is a `Kind` value or 'ok'."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [(row["expected"], row["text"]) for row in rows]


@dataclass
class Scores:
    """Counts per kind and over the ordinary texts, from one run over the corpus."""

    expected: Counter[str] = field(default_factory=Counter)
    caught: Counter[str] = field(default_factory=Counter)
    named: Counter[str] = field(default_factory=Counter)
    named_right: Counter[str] = field(default_factory=Counter)
    ordinary: int = 0
    refused_ordinary: list[str] = field(default_factory=list)
    missed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        total = sum(self.expected.values())
        return sum(self.caught.values()) / total if total else 1.0

    @property
    def false_refusal_rate(self) -> float:
        return len(self.refused_ordinary) / self.ordinary if self.ordinary else 0.0


def measure(corpus: list[tuple[str, str]]) -> Scores:
    """Run the guard over every text of the corpus."""
    from core.pii import find_personal_information

    scores = Scores()
    for expected, text in corpus:
        kinds = {finding.kind.value for finding in find_personal_information(text)}
        for kind in kinds:
            scores.named[kind] += 1
            scores.named_right[kind] += kind == expected
        if expected == ORDINARY:
            scores.ordinary += 1
            if kinds:
                scores.refused_ordinary.append(text)
            continue
        scores.expected[expected] += 1
        if expected in kinds:
            scores.caught[expected] += 1
        else:
            scores.missed.append((expected, text))
    return scores


def report(scores: Scores) -> str:
    """The table bench/pii.py prints (and docs/privacy.md quotes)."""
    lines = [f"{'kind':<18}{'texts':>6}{'recall':>8}{'precision':>11}"]
    for kind in sorted(scores.expected):
        recall = scores.caught[kind] / scores.expected[kind]
        named = scores.named[kind]
        precision = scores.named_right[kind] / named if named else 1.0
        lines.append(f"{kind:<18}{scores.expected[kind]:>6}{recall:>8.3f}{precision:>11.3f}")
    lines.append(
        f"overall recall {scores.recall:.3f} over {sum(scores.expected.values())} texts; "
        f"false refusals {len(scores.refused_ordinary)}/{scores.ordinary} "
        f"({scores.false_refusal_rate:.1%})"
    )
    return "\n".join(lines)


def main() -> None:
    import django

    django.setup()
    scores = measure(load_corpus())
    print(report(scores))
    for expected, text in scores.missed:
        print(f"missed {expected}: {text!r}")
    for text in scores.refused_ordinary:
        print(f"refused ordinary: {text!r}")


if __name__ == "__main__":
    main()
