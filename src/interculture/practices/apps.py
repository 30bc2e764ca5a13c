from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class PracticesConfig(AppConfig):
    name = "interculture.practices"
    verbose_name = "Practices"

    def ready(self) -> None:
        # In ready(): the models exist only once the app registry is loaded.
        from interculture.assessments.models import QuestionnaireVersion
        from interculture.practices.models import Practice
        from interculture.practices.search import drop_from_index
        from interculture.practices.topics import embed_on_save

        post_delete.connect(drop_from_index, sender=Practice, dispatch_uid="practices-fts-delete")
        # A questionnaire version gets its suggestion topics embedded when it is stored.
        post_save.connect(embed_on_save, sender=QuestionnaireVersion, dispatch_uid="practices-topics")
