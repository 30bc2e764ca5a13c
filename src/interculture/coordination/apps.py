from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    name = "interculture.coordination"
    verbose_name = "Multi-level coordination and networks"
