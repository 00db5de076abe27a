"""Reading an English page back: which Japanese is left once the content is taken out.

Listing content (titles, names, areas, the 事務局's vocabulary where it has no English label)
stays as written on English pages, so a test names it and everything else must be English.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterable

from django.conf import settings
from django.test import Client
from wagtail.models import Page, Site

JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff60\u3001-\u301f]+")
ATTRIBUTE_TEXT = re.compile(r'(?:aria-label|title|placeholder|alt|data-[\w-]+)="([^"]*)"')
SCRIPTS = re.compile(r"<(script|style)\b.*?</\1>", re.S)
TAG = re.compile(r"<[^>]+>")


def english(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def english_page(response, status: int = 200) -> str:
    """An English answer's HTML, once its status, Content-Language and <html lang> agree."""
    assert response.status_code == status
    assert response["Content-Language"] == "en"
    html = response.content.decode()
    assert '<html lang="en">' in html
    return html


def site_content() -> list[str]:
    """What the 事務局 wrote: page titles and leads, consultation lines, the PF's settings."""
    from website.models import ConsultationLine, PlatformSettings

    lines = ConsultationLine.objects.values_list("name", "purpose", "hours", "languages")
    texts = [text for line in lines for text in line]
    texts += [str(title) for title in Page.objects.values_list("title", flat=True)]
    texts += [getattr(page.specific, "lead", "") for page in Page.objects.all()]
    site = Site.objects.first()
    if site is not None:
        pf = PlatformSettings.for_site(site)
        texts += [pf.platform_name, pf.emergency_note]
    return [text for text in texts if text]


def main_of(page: str) -> str:
    """The <main> element: header and footer are base.html's (tested with it)."""
    return page.split("<main", 1)[1].split("</main>", 1)[0]


def japanese_left(page: str, content: Iterable[str] = ()) -> list[str]:
    """Japanese runs in the visible text and labelling attributes, once `content` is removed."""
    body = SCRIPTS.sub("", page)
    text = " ".join([TAG.sub(" ", body), *ATTRIBUTE_TEXT.findall(body)])
    text = html_lib.unescape(text)
    for item in sorted({c for c in content if c}, key=len, reverse=True):
        text = text.replace(item, " ")
    return JAPANESE.findall(text)
