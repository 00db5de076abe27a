from django.apps import AppConfig
from django.db.models.signals import post_migrate


class DirectoryConfig(AppConfig):
    """Members, areas, vocabulary and listings: the PF's shared directory."""

    name = "directory"
    verbose_name = "ディレクトリ"

    def ready(self) -> None:
        from directory.bootstrap import ensure_platform

        # `migrate` alone leaves a usable, empty platform (vocabulary, prefectures, home page).
        post_migrate.connect(ensure_platform, dispatch_uid="directory-bootstrap")
