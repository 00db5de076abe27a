"""Consultation lines: edited by the 事務局, shown on home, in the footer and on /soudan/."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from website.models import ConsultationLine, tel_href

pytestmark = pytest.mark.django_db


def test_seeded_national_lines_are_listed_on_soudan_with_tel_links(client):
    assert ConsultationLine.objects.filter(name="#いのちSOS").exists()
    html = client.get("/soudan/").content.decode()
    assert "<h1>相談窓口</h1>" in html
    assert 'href="tel:0120061338"' in html
    assert "よりそいホットライン" in html and 'href="tel:0120279338"' in html
    assert "<title>相談窓口 | つながり</title>" in html


def test_an_edited_line_shows_on_home_footer_and_soudan(client):
    ConsultationLine.objects.all().delete()
    ConsultationLine.objects.create(
        name="まちの相談ダイヤル",
        purpose="くらしの困りごと",
        phone="０３-1234-5678",
        hours="平日 9:00〜17:00",
        chat_url="https://line.example.org/",
        languages="日本語、English",
        is_24h=True,
        sort_order=1,
    )
    for url in ("/soudan/", "/search/"):
        html = client.get(url).content.decode()
        assert 'href="tel:0312345678"' in html, url
    soudan = client.get("/soudan/").content.decode()
    assert "24時間" in soudan and "くらしの困りごと" in soudan
    assert 'href="https://line.example.org/"' in soudan and "English" in soudan


def test_a_hidden_line_is_not_shown(client):
    ConsultationLine.objects.update(is_shown=False)
    html = client.get("/soudan/").content.decode()
    assert "tel:0120061338" not in html
    assert "いまは掲載している相談窓口がありません" in html


@pytest.mark.parametrize(
    ("number", "href"),
    [
        ("0120-061-338", "tel:0120061338"),
        ("+81 3 1234 5678", "tel:+81312345678"),
        ("＃いのち ０１２０（０６１）３３８", "tel:0120061338"),
        ("", ""),
    ],
)
def test_tel_href_keeps_digits_and_plus(number, href):
    assert tel_href(number) == href


def test_no_phone_number_is_written_in_a_template():
    number = re.compile(r"\b0\d{1,4}-\d{1,4}-\d{3,4}\b")
    templates = Path(settings.BASE_DIR) / "templates"
    written = [str(p) for p in templates.rglob("*.html") if number.search(p.read_text())]
    assert written == []


def test_only_the_secretariat_edits_the_lines(secretariat, editor_client):
    url = "/admin/snippets/website/consultationline/"
    assert secretariat.get(url).status_code == 200
    assert editor_client.get(url).status_code in (302, 403)
