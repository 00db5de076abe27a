"""The site's source language for data: what is indexed, exported and read back is Japanese.

Why: model choices carry lazy labels so that pages show them in the visitor's language, but
the search index, HSDS and open-data files and the importers' label look-ups must not change
with whose request (an English visitor's, an English-speaking editor's) happened to build them.
"""

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise


def source_text(label: str | Promise) -> str:
    """`label` as plain text in the site's language (Japanese), whatever language is active."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(label)
