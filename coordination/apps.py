from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    """For coordinators: the partner finder and the coverage of 小学校区. Public data only."""

    name = "coordination"
    verbose_name = "連携先さがし・カバー状況"
