"""What `migrate` leaves behind: vocabulary, prefectures, the home page, /members/, moderation.

Connected to post_migrate, so it runs on every migrate and must be idempotent. It only adds
what is missing; it never renames a slug or overwrites a label the 事務局 edited.
"""

from pathlib import Path
from typing import Any

import yaml
from django.apps import AppConfig, apps
from django.conf import settings
from django.db import transaction

SCHEME_KEYS = {
    "kinds": "kind",
    "categories": "category",
    "targets": "target",
    "conditions": "condition",
    "wants": "want",
    "age_bands": "age_band",
    "offers": "offer",
}


def load_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def sync_vocabulary(path: Path | None = None) -> int:
    """Create every term of fixtures/vocabulary.yaml that is missing; returns how many.

    An existing term whose 表示名（英語） is empty gets the fixture's, so a database made before
    the English labels has them after the next migrate; a label the 事務局 set is kept.
    """
    from directory.models import VocabularyTerm

    data = load_yaml(path or settings.FIXTURES_DIR / "vocabulary.yaml")
    english = data.get("label_en") or {}
    existing = {
        (term.scheme, term.slug): term
        for term in VocabularyTerm.objects.only("scheme", "slug", "label_en")
    }
    new_terms, filled = [], []
    for key, scheme in SCHEME_KEYS.items():
        labels_en = english.get(key) or {}
        for order, (slug, label) in enumerate((data.get(key) or {}).items()):
            label_en = labels_en.get(slug, "")
            term = existing.get((scheme, slug))
            if term is None:
                new_terms.append(
                    VocabularyTerm(
                        scheme=scheme, slug=slug, label=label, label_en=label_en, sort_order=order
                    )
                )
            elif label_en and not term.label_en:
                term.label_en = label_en
                filled.append(term)
    VocabularyTerm.objects.bulk_create(new_terms)
    VocabularyTerm.objects.bulk_update(filled, ["label_en"])
    return len(new_terms)


def sync_prefectures(path: Path | None = None) -> int:
    """The 47 prefectures with their 全国地方公共団体コード."""
    from directory.models import Area

    rows = load_yaml(path or settings.FIXTURES_DIR / "prefectures.yaml")
    existing = set(Area.objects.filter(level=Area.Level.PREFECTURE).values_list("code", flat=True))
    new_areas = [
        Area(
            code=row["code"],
            name=row["name"],
            kana=row.get("kana", ""),
            level=Area.Level.PREFECTURE,
            sort_order=index,
        )
        for index, row in enumerate(rows)
        if row["code"] not in existing
    ]
    Area.objects.bulk_create(new_areas)
    return len(new_areas)


def ensure_pages() -> None:
    """Replace Wagtail's welcome page by our HomePage and add /members/ under it."""
    from wagtail.models import Page, Site

    from directory.models import MemberIndexPage
    from website.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        if root is None:
            return
        welcome = (
            Page.objects.filter(depth=2, slug="home")
            .exclude(content_type__app_label="website")
            .first()
        )
        if welcome is not None:
            welcome.delete()
        home = root.add_child(instance=HomePage(title="つながり", slug="home"))
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name="つながり",
            )
        else:
            site.root_page = home
            site.site_name = site.site_name or "つながり"
            site.save()
    if not MemberIndexPage.objects.exists():
        home.add_child(instance=MemberIndexPage(title="会員団体", slug="members"))


ROOT_PAGE_TITLE = "すべてのページ"
ROOT_COLLECTION_NAME = "すべての画像・文書"


def ensure_wagtail_roots() -> None:
    """Recreate the root page, root collection and default locale when they are missing.

    Wagtail makes them in data migrations, which `flush` (run after every transactional test)
    does not replay; without them the platform would have no page tree.
    """
    from django.contrib.contenttypes.models import ContentType
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name=ROOT_COLLECTION_NAME)
    if Page.get_first_root_node() is None:
        Page.add_root(
            instance=Page(
                title=ROOT_PAGE_TITLE,
                slug="root",
                content_type=ContentType.objects.get_for_model(Page),
            )
        )
    # Wagtail's own migrations name both roots 「Root」, which the admin shows in breadcrumbs,
    # the page chooser and the collection lists; a name the PF chose itself is kept.
    Page.objects.filter(depth=1, title="Root").update(
        title=ROOT_PAGE_TITLE, draft_title=ROOT_PAGE_TITLE
    )
    Collection.objects.filter(depth=1, name="Root").update(name=ROOT_COLLECTION_NAME)


def ensure_platform(sender: AppConfig | None = None, **kwargs: Any) -> None:
    """post_migrate receiver, run once after every app's own post_migrate work.

    post_migrate is sent app by app; waiting for the last app with models means every content
    type and permission exists before groups are given them. Skipped when the tables it needs
    are not migrated yet.
    """
    from django.db import connection

    from directory.membership.lifecycle import ensure_secretariat_group
    from directory.membership.moderation import apply_moderation

    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if sender is not None and sender is not with_models[-1]:
        return
    tables = set(connection.introspection.table_names())
    needed = {"directory_vocabularyterm", "website_homepage", "wagtailcore_page"}
    if not needed | {"website_platformsettings", "wagtailcore_workflow"} <= tables:
        return
    with transaction.atomic():
        ensure_wagtail_roots()
        sync_vocabulary()
        sync_prefectures()
        ensure_pages()
        ensure_secretariat_group()
        # Never leave Wagtail's empty 「Moderators approval」 on the root (a dead end).
        apply_moderation()
