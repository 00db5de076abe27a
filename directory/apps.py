from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save


class DirectoryConfig(AppConfig):
    """Members, areas, vocabulary and listings: the PF's shared directory."""

    name = "directory"
    verbose_name = "ディレクトリ"

    def ready(self) -> None:
        from wagtail.admin.forms.models import register_form_field_override
        from wagtail.fields import StreamField
        from wagtail.signals import page_published

        from directory.bootstrap import ensure_platform
        from directory.listings.freshness import verify_on_publish
        from directory.membership.moderation import on_settings_saved
        from directory.wagtail_admin.streamfield import CheckedBlockField

        # `migrate` alone leaves a usable, empty platform (vocabulary, prefectures, home page).
        post_migrate.connect(ensure_platform, dispatch_uid="directory-bootstrap")
        # A person publishing a listing confirms it: 最終確認日 becomes today (imports do not).
        page_published.connect(verify_on_publish, dispatch_uid="directory-verify-on-publish")
        # The 事務局 turning approval on or off creates or removes its workflow at once.
        post_save.connect(
            on_settings_saved, sender="website.PlatformSettings", dispatch_uid="pf-moderation"
        )
        # Every admin form's StreamField refuses a POST without its management fields.
        register_form_field_override(StreamField, override={"form_class": CheckedBlockField})
