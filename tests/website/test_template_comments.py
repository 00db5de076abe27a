"""Django's {# … #} comment ends at its line: one spread over lines is printed on the page as
text (every form field and every plain error page showed one; the axe sweep's screenshots did)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

TEMPLATE_DIRS = [Path(d) for t in settings.TEMPLATES for d in t["DIRS"]]


def multi_line_comments(text: str) -> list[int]:
    """Line numbers where a {# comment opens and does not close on the same line."""
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        opened = line.find("{#")
        if opened != -1 and "#}" not in line[opened:]:
            lines.append(number)
    return lines


def test_no_template_comment_spans_lines() -> None:
    found = {
        f"{path}:{number}"
        for folder in TEMPLATE_DIRS
        for path in folder.rglob("*.html")
        for number in multi_line_comments(path.read_text(encoding="utf-8"))
    }
    assert found == set(), "use {% comment %} … {% endcomment %} for comments over several lines"


@pytest.mark.django_db
def test_a_form_page_prints_no_template_comment(client: Client) -> None:
    html = client.get("/join/").content.decode()
    assert "{#" not in html and "#}" not in html
