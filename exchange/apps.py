from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """Data exchange: HSDS, municipal open data, iCal and JSON-LD. Reads and writes the
    directory's records; holds no models of its own."""

    name = "exchange"
    verbose_name = "データ連携"
