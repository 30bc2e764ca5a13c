"""Background jobs of the pathway app (Django's Tasks interface)."""

from django.tasks import task

from interculture.pathway import services


@task()
def remind_overdue_actions() -> int:
    return services.send_overdue_reminders()
