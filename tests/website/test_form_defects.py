"""Form defects a resident meets: described-by ids that exist, a real phone field, page titles."""

import re

import pytest
from django.urls import reverse

from tests.factories.directory import PlacePageFactory

pytestmark = pytest.mark.django_db

DESCRIBEDBY = re.compile(r'aria-describedby="([^"]*)"')


def missing_describedby_ids(html: str) -> set[str]:
    """Every id named in an aria-describedby that no element in the page carries."""
    referenced = {ref for value in DESCRIBEDBY.findall(html) for ref in value.split()}
    present = set(re.findall(r'\sid="([^"]+)"', html))
    return referenced - present


@pytest.mark.parametrize("url", ["/match/", "/join/"])
def test_every_described_by_id_exists(client, url):
    html = client.get(url).content.decode()
    assert DESCRIBEDBY.search(html)
    assert missing_describedby_ids(html) == set()


def test_report_form_help_is_announced(client):
    listing = PlacePageFactory()
    html = client.get(reverse("listing-report", kwargs={"uuid": listing.uuid})).content.decode()
    assert DESCRIBEDBY.search(html)
    assert missing_describedby_ids(html) == set()


def test_errors_are_described_too(client):
    response = client.post("/match/", {"keywords": "x" * 500, "weekdays": ["9"]})
    html = response.content.decode()
    assert response.status_code == 422
    assert "field__errors" in html
    assert missing_describedby_ids(html) == set()


def test_join_phone_is_one_tel_input_with_number_pad(client):
    html = client.get("/join/").content.decode()
    phone = re.search(r'<input[^>]*name="phone"[^>]*>', html).group(0)
    assert phone.count("type=") == 1
    assert 'type="tel"' in phone
    assert 'inputmode="tel"' in phone and 'autocomplete="tel"' in phone


@pytest.mark.parametrize(
    ("url", "title"),
    [
        ("/search/?q=食堂", "「食堂」の検索 | つながり"),
        ("/search/", "検索 | つながり"),
        ("/join/", "入会の申請 | つながり"),
    ],
)
def test_page_title_ends_with_the_site_name(client, url, title):
    html = client.get(url).content.decode()
    assert f"<title>{title}</title>" in html


def test_resident_pages_write_sagasu_in_hiragana(client):
    from website.models import HomePage

    home = HomePage(title="トップ")
    assert "探" not in home.lead
    for url in ("/search/", "/soudan/"):
        assert "探" not in client.get(url).content.decode(), url
