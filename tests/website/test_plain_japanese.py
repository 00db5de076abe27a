"""やさしい日本語 on the resident pages (issue 12, docs/frontend.md 「やさしい日本語 / Plain Japanese」).

Residents read these pages on phones, some with little Japanese: the UI says 「さがす」, so a
hard synonym next to it reads as a different action, and a long sentence is where they give up.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from core.pii import PF_RULE_SENTENCE
from directory.reports.views import ListingReportForm
from matching.forms import MatchForm
from search.forms import SearchForm

TEMPLATES = Path(settings.BASE_DIR) / "templates"
RESIDENT_TEMPLATES = (
    "website/*.html",
    "website/includes/*.html",
    "[0-9][0-9][0-9].html",
    "plain_page.html",
    "base.html",
    "search/*.html",
    "events/*.html",
    "directory/listing/*.html",
    "directory/reports/report.html",
    "directory/reports/thanks.html",
    "matching/*.html",
)
NOT_FOR_RESIDENTS = {"website/lockout.html"}  # an admin's login, not a resident's page

# word to avoid → the plain word the site uses instead
AVOID = {
    "探": "さがす",
    "検索する": "さがす",
    "検索を行": "さがす",
    "ご了承": "（書かない: 「そのため、…できません。」）",
    "一時的に利用できません": "いまは、…できません",
    "申込締切": "申し込みのしめきり",
}
SENTENCE_MAX = 50  # characters, markup and placeholders left out

_MESSAGE = re.compile(
    r'{% translate "([^"]+)"|{% blocktranslate[^%]*%}(.*?){% (?:plural|endblocktranslate)', re.S
)
_MARKUP = re.compile(r"<[^>]+>|{{[^}]+}}|%\([a-z_]+\)s|\{[a-z_]+\}")


def template_messages() -> list[tuple[str, str]]:
    found = []
    for pattern in RESIDENT_TEMPLATES:
        for path in sorted(TEMPLATES.glob(pattern)):
            name = path.relative_to(TEMPLATES).as_posix()
            if name in NOT_FOR_RESIDENTS:
                continue
            for plain, block in _MESSAGE.findall(path.read_text(encoding="utf-8")):
                found.append((name, plain or block))
    return found


def form_messages() -> list[tuple[str, str]]:
    """Labels and help texts residents read in the forms, and the personal-information refusal."""
    found = [("core.pii", str(PF_RULE_SENTENCE))]
    for form in (SearchForm, MatchForm, ListingReportForm):
        for name, field in form.base_fields.items():
            for text in (field.label, field.help_text):
                if text:
                    found.append((f"{form.__name__}.{name}", str(text)))
    return found


@pytest.fixture(autouse=True)
def japanese():
    with translation.override("ja"):
        yield


def test_the_messages_are_found():
    names = {name for name, _ in template_messages()}
    assert {"404.html", "search/_search_box.html", "matching/match.html"} <= names
    assert len(form_messages()) > 20


@pytest.mark.parametrize("source", [template_messages, form_messages])
def test_no_word_to_avoid(source):
    hits = [
        f"{where}: 「{word}」→「{instead}」 in {text}"
        for where, text in source()
        for word, instead in AVOID.items()
        if word in text
    ]
    assert not hits


@pytest.mark.parametrize("source", [template_messages, form_messages])
def test_sentences_are_short(source):
    long = [
        f"{where}: {sentence}"
        for where, text in source()
        for sentence in re.split(r"(?<=。)", _MARKUP.sub("", text))
        if len(sentence.strip()) > SENTENCE_MAX
    ]
    assert not long
