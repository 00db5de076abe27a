from django.apps import AppConfig


class MatchingConfig(AppConfig):
    """参加支援 matching. Holds no models by design (the PF rule)."""

    name = "matching"
    verbose_name = "参加支援マッチング"
