from django.apps import AppConfig


class PathwayConfig(AppConfig):
    name = "interculture.pathway"
    verbose_name = "Municipal pathway"
