"""The demo PF's own pages from fixtures/demo/pf_pages.yaml: footer pages, お知らせ, 分科会, PF events.

Like the rest of the demo, pages are keyed by slug under their parent and only rewritten (as a
new published revision) when the YAML says something different; dates are offsets from the
day of loading so the demo always has recent news and upcoming events.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone
from django.utils.html import escape
from wagtail.models import Page

from directory.demo.base import DemoDataError, DemoResult, Lookup
from website.models import HomePage, StandardPage
from website.pf_pages import (
    NewsIndexPage,
    NewsPage,
    PlatformEventPage,
    WorkingGroupMembership,
    WorkingGroupPage,
)

NEWS_INDEX = {"slug": "news", "title": "お知らせ", "footer": True}


def load_pf_pages(data: dict[str, Any], lookup: Lookup, today: date, result: DemoResult) -> None:
    """Create or bring up to date every PF page the YAML names, under the home page."""
    home = HomePage.objects.get()
    for record in data.get("pages") or []:
        page = _ensure(home, StandardPage, _common(record), result)
        for event in record.get("events") or []:
            _ensure(page, PlatformEventPage, _event_fields(event, today), result)
        for group_record in record.get("groups") or []:
            group = _ensure(page, WorkingGroupPage, _common(group_record), result)
            for event in group_record.get("events") or []:
                _ensure(group, PlatformEventPage, _event_fields(event, today), result)
            _set_members(group, group_record.get("members") or [], lookup)
    index = _ensure(home, NewsIndexPage, _common(NEWS_INDEX), result)
    for record in data.get("news") or []:
        fields = {**_common(record), "date": today - timedelta(days=int(record["days_ago"]))}
        _ensure(index, NewsPage, fields, result)


def _common(record: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "slug": record["slug"],
        "title": record["title"],
        "show_in_menus": bool(record.get("footer", True)),
        "lead": str(record.get("lead") or "").strip(),
    }
    if "body" in record:
        fields["body"] = _body(record["body"])
    return fields


def _body(blocks: list[dict[str, str]]) -> list[dict[str, str]]:
    """YAML's heading / paragraph items as StreamField data (paragraphs as one <p> each)."""
    body = []
    for block in blocks:
        ((kind, text),) = block.items()
        text = " ".join(str(text).split())
        body.append(
            {"type": kind, "value": f"<p>{escape(text)}</p>" if kind == "paragraph" else text}
        )
    return body


def _event_fields(record: dict[str, Any], today: date) -> dict[str, Any]:
    day = today + timedelta(days=int(record["days_ahead"]))

    def at(clock: str) -> datetime:
        return timezone.make_aware(datetime.combine(day, time.fromisoformat(clock)))

    return {
        "slug": record["slug"],
        "title": record["title"],
        "show_in_menus": True,
        "lead": str(record.get("lead") or "").strip(),
        "starts_at": at(record["start"]),
        "ends_at": at(record["end"]) if record.get("end") else None,
        "venue": record.get("venue", ""),
        "online_url": record.get("online_url", ""),
        "audience": record.get("audience", "members"),
    }


def _ensure(parent: Page, model: type[Page], fields: dict[str, Any], result: DemoResult) -> Any:
    """The child of parent with fields["slug"], created or updated to fields."""
    label = model._meta.verbose_name
    existing = parent.get_children().filter(slug=fields["slug"]).specific().first()
    if existing is not None and not isinstance(existing, model):
        raise DemoDataError(f"pf_pages.yaml: {fields['slug']} は別の種類のページです")
    if existing is None:
        page = model(**fields)
        parent.add_child(instance=page)
        page.save_revision(log_action=False).publish(log_action=False)
        result.created[label] += 1
        return page
    if all(_same(getattr(existing, key), value) for key, value in fields.items()):
        result.unchanged[label] += 1
        return existing
    for key, value in fields.items():
        setattr(existing, key, value)
    existing.save_revision(log_action=False).publish(log_action=False)
    result.updated[label] += 1
    return existing


def _same(stored: Any, wanted: Any) -> bool:
    if hasattr(stored, "raw_data"):  # a StreamValue: compare block types and values
        return [(b["type"], b["value"]) for b in stored.raw_data] == [
            (b["type"], b["value"]) for b in wanted
        ]
    return bool(stored == wanted)


def _set_members(group: WorkingGroupPage, slugs: list[str], lookup: Lookup) -> None:
    unknown = [slug for slug in slugs if slug not in lookup.members]
    if unknown:
        raise DemoDataError(f"pf_pages.yaml: {group.slug} の団体が不明: {', '.join(unknown)}")
    for slug in slugs:
        WorkingGroupMembership.objects.get_or_create(group=group, member=lookup.members[slug])
