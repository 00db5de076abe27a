"""/join/ in English: labels, help, vocabulary choices and errors; Japanese stays as it was."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from directory.models import Area, MemberType, VocabularyTerm
from tests.website.english import english, japanese_left, main_of, site_content

pytestmark = pytest.mark.django_db

# components/field.html's required marker is that template's own string (another area).
SHARED_COMPONENT_TEXT = ["（必須）"]


def content() -> list[str]:
    labels = VocabularyTerm.objects.filter(label_en="").values_list("label", flat=True)
    return [
        *site_content(),
        *labels,
        *Area.objects.values_list("name", flat=True),
        *SHARED_COMPONENT_TEXT,
    ]


def test_the_form_is_english(client):
    response = english(client).get(reverse("membership-apply"))
    page = response.content.decode()
    assert response["Content-Language"] == "en" and '<html lang="en">' in page
    assert "Apply to join (organisations)" in page and "Organisation e-mail" in page
    assert str(MemberType.NPO.label) in page
    term = VocabularyTerm.objects.get(scheme="category", slug="kodomo-shokudo")
    assert escape(term.label_en) in page and term.label not in page
    assert japanese_left(main_of(page), content()) == []


def test_an_empty_application_has_english_errors(client):
    response = english(client).post(reverse("membership-apply"), {"name": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Please check what you entered" in page and "This field is required." in page
    assert japanese_left(main_of(page), content()) == []


def test_thanks_page_is_english(client):
    page = english(client).get(reverse("membership-apply-thanks")).content.decode()
    assert "Application received" in page
    assert japanese_left(main_of(page), site_content()) == []
