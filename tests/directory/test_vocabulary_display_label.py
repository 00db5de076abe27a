"""Vocabulary labels follow the visitor's language, falling back to Japanese."""

from django.utils import translation

from directory.models import VocabularyTerm


def test_english_pages_use_the_english_label_when_it_is_set():
    term = VocabularyTerm(label="こども食堂", label_en="Children's cafeteria")
    with translation.override("en"):
        assert term.display_label == "Children's cafeteria"
    with translation.override("ja"):
        assert term.display_label == "こども食堂"


def test_an_english_page_shows_the_japanese_label_when_no_english_one_exists():
    with translation.override("en"):
        assert VocabularyTerm(label="居場所", label_en="").display_label == "居場所"
