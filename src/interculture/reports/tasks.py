"""Background jobs of the reports app (Django's Tasks interface)."""

from django.tasks import task

from interculture.reports import services


@task()
def publish_report(job_id: str) -> str:
    return services.run_publication(job_id)
