"""`/healthz` for monitors and load balancers, and the job workers' heartbeat behind it.

The answer is JSON, 200 when every check passes and 503 otherwise; it needs no sign-in and
says nothing but the checks' states (no error text, which could name hosts or users).
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from interculture.pathway.models import PeriodicRun

logger = logging.getLogger(__name__)
HEARTBEAT = "worker-heartbeat"


def heartbeat_every() -> int:
    """Seconds between a worker's heartbeats; one older than twice this (the job stall time)
    means no worker is running."""
    return max(1, settings.INTERCULTURE_JOB_STALL_SECONDS // 2)


def record_heartbeat() -> None:
    """Called by every `interculture worker` (its watch thread); any live worker keeps it fresh."""
    PeriodicRun.objects.update_or_create(name=HEARTBEAT, defaults={"last_run": timezone.now()})


def _database() -> dict[str, object]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"ok": True}


def _migrations() -> dict[str, object]:
    executor = MigrationExecutor(connection)
    unapplied = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    return {"ok": unapplied == 0, "unapplied": unapplied}


def _worker() -> dict[str, object]:
    if str(settings.TASKS["default"]["BACKEND"]).endswith(".ImmediateBackend"):  # jobs run at once: no worker
        return {"ok": True, "state": "not applicable"}
    limit = settings.INTERCULTURE_JOB_STALL_SECONDS
    last = PeriodicRun.objects.filter(name=HEARTBEAT).values_list("last_run", flat=True).first()
    if last is None:
        return {"ok": False, "state": "missing", "max_age_seconds": limit}
    age = max(0.0, (timezone.now() - last).total_seconds())
    fresh = age <= limit
    return {
        "ok": fresh,
        "state": "fresh" if fresh else "stale",
        "age_seconds": round(age),
        "max_age_seconds": limit,
    }


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks: dict[str, dict[str, object]] = {}
    for name, check in (("database", _database), ("migrations", _migrations), ("worker", _worker)):
        if checks and not checks["database"]["ok"]:
            checks[name] = {"ok": False, "state": "unknown"}  # it would read the database
            continue
        try:
            checks[name] = check()
        except Exception:  # a monitor gets a 503 with the checks' states, never an error page
            logger.warning("healthz: the %s check failed", name, exc_info=True)
            checks[name] = {"ok": False, "state": "error"}
    healthy = all(c["ok"] for c in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unhealthy", "checks": checks}, status=200 if healthy else 503
    )
