"""The personal-information guard: free text that could identify a person is rejected.

Why: the PF rule (docs/privacy.md) says the platform never holds information about an
individual case. Free-text fields (the match keyword, a resident's report, a membership
application) are the only place such information could slip in, so every one of them runs
through this one guard. Text that looks personal is *rejected with the kind named*, never
silently stored or "redacted", and the text itself is never echoed, stored or logged: a
`Finding` holds only the kind and a position in the text as typed.

The text is normalised first (`core.pii.normalise`: NFKC, invisible characters dropped,
separators folded, with a position map), then read by the number and address detectors
(`core.pii.numbers`) and the name detectors (`core.pii.names`). One corpus
(tests/data/pii_corpus.tsv) measures them together (tests/core/test_pii_corpus.py, bench/pii.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.pii.kinds import KIND_LABELS, Kind
from core.pii.names import person_name_spans
from core.pii.normalise import normalise
from core.pii.numbers import contact_and_number_spans, is_my_number
from core.pii.school import school_class_spans

__all__ = [
    "KIND_LABELS",
    "PF_RULE_SENTENCE",
    "Finding",
    "Kind",
    "find_personal_information",
    "is_my_number",
    "validate_no_personal_information",
]

PF_RULE_SENTENCE = gettext_lazy(
    "このサイトには、個人のことが分かる情報は書けません（PFルール）。"
    "だれのことか分からない言葉に書き直してください。"
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One piece of personal information found: its kind and where (never the text)."""

    kind: Kind
    start: int
    end: int

    @property
    def message(self) -> str:
        found = _("%(kind)sのような情報が含まれています。") % {"kind": KIND_LABELS[self.kind]}
        return f"{found}{PF_RULE_SENTENCE}"


def find_personal_information(text: str) -> list[Finding]:
    """Every piece of personal information in `text`, by kind and position, in text order.

    Positions index the text as given (before normalisation). Where two detectors claim
    overlapping text, the more specific one (listed first) names it.
    """
    if not text or not text.strip():
        return []
    normal = normalise(text)
    findings: list[Finding] = []
    claimed: list[tuple[int, int]] = []

    def add(kind: Kind, start: int, end: int) -> None:
        if start >= end or any(s < end and start < e for s, e in claimed):
            return
        claimed.append((start, end))
        findings.append(Finding(kind, *normal.span(start, end)))

    for kind, start, end in contact_and_number_spans(normal):
        add(kind, start, end)
    names = sorted(set(person_name_spans(normal.text)))
    for start, end in school_class_spans(normal.digits, names):
        add(Kind.SCHOOL_CLASS, start, end)
    for start, end in names:
        add(Kind.PERSON_NAME, start, end)
    return sorted(findings, key=lambda finding: finding.start)


def validate_no_personal_information(value: str) -> None:
    """Django validator: reject text holding personal information, naming each kind found.

    The message never repeats the text (it would then sit in the page, a log or an error
    report); it names the kind and explains the PF rule.
    """
    kinds = list(dict.fromkeys(finding.kind for finding in find_personal_information(value)))
    if kinds:
        raise ValidationError(
            [
                ValidationError(Finding(kind, 0, 0).message, code="personal_information")
                for kind in kinds
            ]
        )
