from django.apps import AppConfig
from django.db.models.signals import post_delete


class PracticesConfig(AppConfig):
    name = "interculture.practices"
    verbose_name = "Practices"

    def ready(self) -> None:
        from interculture.practices.models import Practice
        from interculture.practices.search import drop_from_index

        post_delete.connect(drop_from_index, sender=Practice, dispatch_uid="practices-fts-delete")
