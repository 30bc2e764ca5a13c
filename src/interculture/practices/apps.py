from django.apps import AppConfig


class PracticesConfig(AppConfig):
    name = "interculture.practices"
    verbose_name = "Practices"
