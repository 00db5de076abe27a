from django.apps import AppConfig


class SearchConfig(AppConfig):
    """Public search: document building, engines, indexing signals, API and views."""

    name = "search"
    label = "search"
    verbose_name = "検索"
