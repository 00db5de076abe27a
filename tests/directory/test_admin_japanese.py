"""The admin a member editor and the 事務局 use is Japanese (issue 15 item 10).

Each page is fetched as that user; its visible text, and the title / aria-label / placeholder
/ alt attributes, are scanned for English words. Proper nouns and formats (Wagtail, HSDS,
URL, CSV …) are allowed; anything else is a missing translation — of Wagtail's (the project
completes its catalogue in locale/ja) or of our own code and templates.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.urls import reverse

from directory.models import ListingReport, VocabularyTerm
from tests.factories.directory import (
    EditorFactory,
    EventPageFactory,
    MemberFactory,
    PlacePageFactory,
    ServicePageFactory,
    member_page_for,
)
from tests.factories.membership import SecretariatUserFactory, logged_in, page_edit_form_data

pytestmark = pytest.mark.django_db

# Proper nouns, formats and standards a Japanese admin names as they are.
ALLOWED = {
    "wagtail", "hsds", "url", "csv", "ical", "ics", "e-mail", "email", "id", "json", "api",
    "pdf", "gif", "jpeg", "jpg", "png", "webp", "svg", "heic", "avif", "html", "rss", "pf",
    "npo", "geojson", "openstreetmap", "osm", "iso", "utf", "sns", "faq", "qr", "mb", "kb",
    "gb", "px", "https", "http", "ok", "tsunagari", "javascript", "ai", "os", "mail", "dv",
    "polygon", "multipolygon",  # GeoJSON geometry types
    "english",  # the language picker names each language in itself (English, 日本語)
}  # fmt: skip
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")
SKIPPED = {"script", "style", "code", "pre", "kbd", "svg"}
# Filled in by script before it is shown (Wagtail renders a hidden "None" there).
SCRIPT_FILLED = "data-side-panel-toggle-counter"
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
# An identifier such as a slug with digits (listing-1a2b3c4d), an address, a URL or a path.
IDENTIFIER = re.compile(
    r"\b(?=[a-z0-9-]*[0-9])[a-z0-9]+(?:-[a-z0-9]+)+\b|[\w.+-]+@[\w.-]+|https?://\S+|/[^\s）)」]*"
)


class VisibleText(HTMLParser):
    """What a user reads: text outside scripts and styles, and the attributes read out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.skipped_tags: list[str] = []
        self.texts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED or any(name == SCRIPT_FILLED for name, _ in attrs):
            self.skipping += 1
            self.skipped_tags.append(tag)
        self.texts.extend(value for name, value in attrs if name in ATTRIBUTES and value)

    def handle_endtag(self, tag: str) -> None:
        if self.skipped_tags and tag == self.skipped_tags[-1]:
            self.skipped_tags.pop()
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self.skipping and data.strip():
            self.texts.append(data.strip())


def english(html: str, own_names: set[str]) -> list[str]:
    """The texts of the page holding a word that is neither Japanese nor allowed."""
    parser = VisibleText()
    parser.feed(html)
    found = []
    for text in parser.texts:
        words = {w.lower() for w in WORD.findall(IDENTIFIER.sub(" ", text))}
        if words - ALLOWED - own_names:
            found.append(text)
    return sorted(set(found))


@pytest.fixture
def world() -> dict[str, Any]:
    member = MemberFactory(name="みどりの会", slug="midori", email="info@midori.example.org")
    editor = EditorFactory(member=member, username="henshu", email="henshu@midori.example.org")
    place = PlacePageFactory(member=member, title="みどり食堂")
    service = ServicePageFactory(member=member, title="電話相談")
    event = EventPageFactory(member=member, title="交流会")
    return {
        "member": member,
        "member_page": member_page_for(member),
        "editor": editor,
        "secretariat": SecretariatUserFactory(username="jimukyoku"),
        "pages": {"place": place, "service": service, "event": event},
        "report": ListingReport.objects.create(page=place, reason=ListingReport.Reason.SCHEDULE),
    }


def page_urls(w: dict[str, Any]) -> dict[str, str]:
    """The page explorer and the editor of each listing kind, as a member uses them."""
    urls = {"explorer": reverse("wagtailadmin_explore", args=[w["member_page"].pk])}
    for kind, page in w["pages"].items():
        urls[f"edit-{kind}"] = reverse("wagtailadmin_pages:edit", args=[page.pk])
        urls[f"create-{kind}"] = reverse(
            "wagtailadmin_pages:add",
            args=["directory", f"{kind}page", w["member_page"].pk],
        )
    urls["add-subpage"] = reverse("wagtailadmin_pages:add_subpage", args=[w["member_page"].pk])
    urls["history"] = reverse("wagtailadmin_pages:history", args=[w["pages"]["place"].pk])
    urls["unpublish"] = reverse("wagtailadmin_pages:unpublish", args=[w["pages"]["place"].pk])
    place = w["pages"]["place"]
    urls["move"] = reverse("wagtailadmin_pages:move", args=[place.pk])
    urls["copy"] = reverse("wagtailadmin_pages:copy", args=[place.pk])
    urls["compare"] = reverse(
        "wagtailadmin_pages:revisions_compare", args=[place.pk, "earliest", "latest"]
    )
    urls["report-edit"] = reverse(
        "wagtailsnippets_directory_listingreport:edit", args=[w["report"].pk]
    )
    return urls


COMMON: dict[str, Callable[[dict[str, Any]], str]] = {
    "home": lambda w: reverse("wagtailadmin_home"),
    "reports": lambda w: reverse("wagtailsnippets_directory_listingreport:list"),
    "images": lambda w: reverse("wagtailimages:index"),
    "image-add": lambda w: reverse("wagtailimages:add_multiple"),
    "documents": lambda w: reverse("wagtaildocs:index"),
    "document-add": lambda w: reverse("wagtaildocs:add_multiple"),
    "account": lambda w: reverse("wagtailadmin_account"),
    "search": lambda w: reverse("wagtailadmin_pages:search") + "?q=みどり",
    "page-chooser": lambda w: reverse("wagtailadmin_choose_page"),
    "image-chooser": lambda w: reverse("wagtailimages_chooser:choose"),
    "document-chooser": lambda w: reverse("wagtaildocs_chooser:choose"),
    "member-chooser": lambda w: reverse("wagtailsnippetchoosers_directory_member:choose"),
    "area-chooser": lambda w: reverse("wagtailsnippetchoosers_directory_area:choose"),
}
MEMBER_ONLY: dict[str, Callable[[dict[str, Any]], str]] = {
    "organisation": lambda w: reverse("directory_organisation"),
    "organisation-edit": lambda w: reverse("directory_organisation_edit", args=[w["member"].pk]),
    "organisation-editors": lambda w: reverse(
        "directory_organisation_editors", args=[w["member"].pk]
    ),
    "working-groups": lambda w: reverse(
        "directory_organisation_working_groups", args=[w["member"].pk]
    ),
}
SECRETARIAT_ONLY: dict[str, Callable[[dict[str, Any]], str]] = {
    "explorer-root": lambda w: reverse("wagtailadmin_explore_root"),
    "members": lambda w: reverse("wagtailsnippets_directory_member:list"),
    "member-edit": lambda w: reverse(
        "wagtailsnippets_directory_member:edit", args=[w["member"].pk]
    ),
    "member-suspend": lambda w: reverse(
        "wagtailsnippets_directory_member:decision", args=[w["member"].pk, "suspend"]
    ),
    "areas": lambda w: reverse("wagtailsnippets_directory_area:list"),
    "vocabulary": lambda w: reverse("wagtailsnippets_directory_vocabularyterm:list"),
    "stale": lambda w: reverse("directory_stale_listings"),
    "users": lambda w: reverse("wagtailusers_users:index"),
    "member-add": lambda w: reverse("wagtailsnippets_directory_member:add"),
    "area-add": lambda w: reverse("wagtailsnippets_directory_area:add"),
    "report-add": lambda w: reverse("wagtailsnippets_directory_listingreport:add"),
    "pf-settings": lambda w: reverse("wagtailsettings:edit", args=["website", "platformsettings"]),
}
PAGES = {
    "member": {**COMMON, **MEMBER_ONLY},
    "secretariat": {**COMMON, **SECRETARIAT_ONLY},
}


def own_names(w: dict[str, Any]) -> set[str]:
    """Words of the data shown, which are not admin strings: user names, vocabulary slugs
    and labels (「IT・オンラインの支援」)."""
    data = " ".join(
        [
            *VocabularyTerm.objects.values_list("slug", flat=True),
            *VocabularyTerm.objects.values_list("label", flat=True),
            w["editor"].username,
            w["secretariat"].username,
            w["member"].slug,
        ]
    )
    return {word.lower() for word in WORD.findall(data)}


def html_of(response: Any) -> str:
    """The page, or the HTML a chooser modal answers inside its JSON."""
    if response["Content-Type"].startswith("application/json"):
        return str(response.json().get("html", ""))
    return response.content.decode()


@pytest.mark.parametrize("who", ["member", "secretariat"])
def test_the_admin_pages_a_user_opens_are_japanese(world, who):
    user = world["editor"] if who == "member" else world["secretariat"]
    client = logged_in(user)
    urls = {name: url(world) for name, url in PAGES[who].items()} | page_urls(world)
    untranslated = {}
    for name, url in urls.items():
        response = client.get(url, follow=True)
        assert response.status_code == 200, (name, url)
        found = english(html_of(response), own_names(world))
        if found:
            untranslated[name] = found
    assert untranslated == {}, json.dumps(untranslated, ensure_ascii=False, indent=1)


def test_the_login_page_is_japanese(client):
    found = english(client.get(reverse("wagtailadmin_login")).content.decode(), set())
    assert found == []


def test_the_sweep_finds_an_english_string():
    assert english("<p>Status:</p><button aria-label='Filter by'>絞り込み</button>", set()) == [
        "Filter by",
        "Status:",
    ]
    assert english("<p>HSDS の CSV を Wagtail で</p><script>var x</script>", set()) == []
    assert (
        english("<p>例: listing-1a2b3c4d</p><div data-side-panel-toggle-counter>None</div>", set())
        == []
    )
    assert english(
        "<p>みどり</p><div data-side-panel-toggle-counter>1</div><p>None</p>", set()
    ) == ["None"]


def test_the_admin_loads_nothing_from_an_outside_host(world):
    """No gravatar or CDN: what the admin home loads (src, srcset, <link href>) is local."""
    html = logged_in(world["editor"]).get(reverse("wagtailadmin_home")).content.decode()
    loads = r"""(?:\ssrc|\ssrcset|<link[^>]*\shref)=["'](?:https?:)?//([^/"']+)"""
    outside = re.findall(loads, html)
    assert outside == []


def test_an_account_without_admin_access_is_told_in_japanese(django_user_model):
    user = django_user_model.objects.create_user("resident-account", password="pw")
    response = logged_in(user).get(reverse("wagtailadmin_home"), follow=True)
    html = response.content.decode()
    assert "管理画面を使う権限がありません。" in html
    assert english(html, {"resident", "account"}) == []


def test_a_page_saved_with_errors_is_reported_in_japanese(world):
    client = logged_in(world["editor"])
    page = world["pages"]["place"]
    data = page_edit_form_data(client, page, title="")
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    html = client.post(url, data).content.decode()
    assert "入力内容にエラーがあるため、ページを保存できませんでした。" in html
    assert english(html, own_names(world)) == []


def test_the_admin_scripts_messages_are_japanese(world):
    """Autosave and error banners come from Wagtail's JavaScript catalogue (djangojs)."""
    script = logged_in(world["editor"]).get(reverse("wagtailadmin_javascript_catalog"))
    text = script.content.decode()
    for message in (
        "変更を自動保存しました。",
        "自動保存しています…",
        "サーバーのエラーが起きました。",
    ):
        assert message in text or json.dumps(message) in text
