"""The personal-information guard speaks the visitor's language on the English pages.

Its messages name the kind found and the PF rule (core/pii); on an English /match/ or report
form they are English, never the typed text.
"""

import pytest
from django.urls import reverse

from tests.factories.directory import PlacePageFactory
from tests.website.english import english, main_of

pytestmark = pytest.mark.django_db

PERSONAL = "山田太郎 03-1234-5678"
PHONE_MESSAGE = "This looks like it contains a phone number."


def test_the_english_match_form_refuses_personal_keywords_in_english(client):
    response = english(client).post(reverse("match"), {"keywords": PERSONAL})
    page = main_of(response.content.decode())
    assert response.status_code == 422
    assert PHONE_MESSAGE in page and "platform rule" in page
    assert "03-1234" not in page and "のような情報" not in page


def test_the_english_api_refuses_personal_keywords_in_english(client):
    response = english(client).post(
        reverse("api-match"), {"keywords": PERSONAL}, content_type="application/json"
    )
    assert response.status_code == 422
    messages = response.json()["errors"]["keywords"]
    assert any(message.startswith(PHONE_MESSAGE) for message in messages)
    assert not any("のような情報" in message for message in messages)


def test_the_english_report_form_refuses_personal_text_in_english(client):
    listing = PlacePageFactory()
    response = english(client).post(
        reverse("listing-report", kwargs={"uuid": listing.uuid}),
        {"reason": "other", "message": PERSONAL},
    )
    page = main_of(response.content.decode())
    assert response.status_code in (200, 422)
    assert PHONE_MESSAGE in page and "のような情報" not in page
