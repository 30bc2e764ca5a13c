"""Weekly reminders of overdue actions, and the claim that runs a periodic job once across workers."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.mail import send_mail
from django.utils import timezone

from interculture.accounts.models import Role
from interculture.pathway.models import (
    Action,
    PeriodicRun,
)

REMIND_EVERY = timedelta(days=7)


def send_overdue_reminders(today: date | None = None) -> int:
    """Email each city's coordinators the list of its overdue actions (at most weekly)."""
    today = today or timezone.localdate()
    now = timezone.now()
    overdue = (
        Action.objects.filter(deadline__lt=today)
        .exclude(status__in=["done", "dropped"])
        .exclude(reminded_at__gt=now - REMIND_EVERY)
        .select_related("city")
    )
    by_city: dict[int, list[Action]] = {}
    for action in overdue:
        by_city.setdefault(action.city_id, []).append(action)
    sent = 0
    for actions in by_city.values():
        city = actions[0].city
        to = [
            m.user.email
            for m in city.memberships.filter(role=Role.COORDINATOR).select_related("user")
            if m.user.email
        ]
        if not to:
            continue
        lines = "\n".join(
            f"- {a.title} ({a.owner_department}), due {a.deadline.isoformat()}, {a.progress} %"
            for a in actions
        )
        send_mail(
            subject=f"Interculture: {len(actions)} overdue action(s) in {city.name}",
            message=f"These actions of {city.name}'s integration action plan are past their deadline:\n\n{lines}\n",
            from_email=None,
            recipient_list=to,
        )
        Action.objects.filter(pk__in=[a.pk for a in actions]).update(reminded_at=now)
        sent += 1
    return sent


def claim_periodic(name: str, every: timedelta) -> bool:
    """True once per period across all workers: the caller then queues the periodic job."""
    now = timezone.now()
    run, created = PeriodicRun.objects.get_or_create(name=name, defaults={"last_run": now})
    if created:
        return True
    return bool(PeriodicRun.objects.filter(pk=run.pk, last_run__lte=now - every).update(last_run=now))
