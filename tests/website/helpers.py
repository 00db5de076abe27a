"""Reading rendered pages back: JSON-LD blocks and the landmarks every page must have."""

import json
import re

JSONLD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def jsonld_blocks(html: str) -> list[dict]:
    return [json.loads(block) for block in JSONLD.findall(html)]


def assert_accessible_shell(html: str, *, nav: bool = True) -> None:
    """lang="ja", the skip link first in <body>, one <main id="main">, header, nav and footer."""
    assert '<html lang="ja">' in html
    body = html.split("<body", 1)[1]
    first_link = re.search(r"<a [^>]*>", body).group(0)
    assert 'class="skip-link"' in first_link and 'href="#main"' in first_link
    assert "本文へ移動" in body
    assert body.count("<main") == 1 and 'id="main"' in body
    for landmark in ("<header", "<nav", "<footer") if nav else ("<header", "<footer"):
        assert landmark in body
