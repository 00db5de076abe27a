"""On the demo PF (`load_demo`): no word naming a vocabulary term, a language, a weekday or a time
finds nothing.

Issue 13: residents type 日曜, 夜, 車いす, 相談 … and listings rarely write them; the schedule and
the fields do. Every such word is searched the way /search/ and the API search it (understood).
"""

import pytest
from django.core.management import call_command

from directory.models import VocabularyTerm
from search.documents import language_labels, live_documents
from search.engines.base import SearchQuery
from search.understanding import TIME_WORDS, VOCABULARY_SCHEMES, WEEKDAY_WORDS, understood_query

pytestmark = pytest.mark.django_db


def total(engine, word: str) -> int:
    query, _ = understood_query(SearchQuery(text=word))
    return engine.search(query).total


def test_no_vocabulary_weekday_or_time_word_finds_nothing(engine):
    call_command("load_demo", verbosity=0)
    engine.clear()
    documents = list(live_documents())
    engine.index(documents)
    languages = {name for d in documents for name in language_labels(d["languages"])}
    labels = list(
        VocabularyTerm.objects.filter(scheme__in=VOCABULARY_SCHEMES).values_list("label", flat=True)
    )
    assert "英語" in languages
    words = [*labels, *sorted(languages), *WEEKDAY_WORDS, *TIME_WORDS]
    assert len(words) > 80
    assert [word for word in words if total(engine, word) == 0] == []
