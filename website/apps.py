from django.apps import AppConfig


class WebsiteConfig(AppConfig):
    """The project package: settings, URLs, home and PF pages."""

    name = "website"
    verbose_name = "サイト"
