from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "interculture.assessments"
    verbose_name = "Assessments"
