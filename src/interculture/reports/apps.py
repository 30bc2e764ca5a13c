from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "interculture.reports"
    verbose_name = "Index reports"
