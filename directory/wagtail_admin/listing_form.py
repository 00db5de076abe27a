"""The page form of listings: the media rule of every member page, and a slug when none is typed.

An event whose sessions are all over is refused when a person enters it (not when imported).

The slug field sits on the 公開設定 tab, which a member does not open; a required slug left
empty (a Japanese title slugifies to nothing) showed its error on that hidden tab. An empty
slug is now filled from the listing's UUID (directory.listings.slugs).
"""

from __future__ import annotations

from typing import Any

from directory.listings.schedules import recurrence_from_block
from directory.listings.slugs import listing_slug
from directory.wagtail_admin.media import OwnMediaPageForm


class ListingPageForm(OwnMediaPageForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        slug = self.fields.get("slug")
        if slug is not None:
            slug.required = False
            slug.help_text = (
                "ページの URL に使う名前です。空のままなら自動で付けます（例: listing-1a2b3c4d）。"
            )

    def clean_slug(self) -> str:
        slug: str = self.cleaned_data.get("slug") or ""
        return slug or listing_slug(getattr(self.instance, "uuid", None))

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        only_past = getattr(self.instance, "only_past_sessions", None)
        schedule = cleaned.get("schedule")
        if only_past is not None and schedule:
            rules = [recurrence_from_block(child.block_type, child.value) for child in schedule]
            if only_past(rules, cleaned.get("status") or ""):
                self.add_error("schedule", PAST_ONLY)
        return cleaned


PAST_ONLY = (
    "開催日がすべて過ぎています。これからの開催日を入力してください"
    "（終わった催しは「活動状況」を「終了」にしてください）。"
)
