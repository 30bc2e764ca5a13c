"""Sign-in throttling: django-axes, plus a per-name slow-down and the lock-out page's wording.

Axes locks a name and an address together (settings.AXES_*). On its own that lets someone with
many addresses guess one name's password without end, so a name failing too often from any
addresses must also wait between tries (settings.SIGNIN_NAME_*): the wait grows with every
further failure and is capped, so the real person is delayed, never locked out for long.
A try that has to wait is refused before the password is checked and is not counted.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.db.models import Count, Max


def name_wait(username: str | None, now: datetime) -> int:
    """Seconds the name must still wait before its next try (0: it may try now)."""
    if not username:
        return 0
    recent = AccessFailureLog.objects.filter(
        username=username, attempt_time__gte=now - settings.SIGNIN_NAME_WINDOW
    ).aggregate(failures=Count("id"), last=Max("attempt_time"))
    over = recent["failures"] - settings.SIGNIN_NAME_FREE_FAILURES
    if over < 0:
        return 0
    wait = min(settings.SIGNIN_NAME_FIRST_WAIT * 2 ** min(over, 30), settings.SIGNIN_NAME_MAX_WAIT)
    return max(0, math.ceil((recent["last"] + wait - now).total_seconds()))


def pair_wait(username: str | None, ip_address: str | None, now: datetime) -> int:
    """Seconds until the lock of this name and address ends."""
    last = AccessAttempt.objects.filter(username=username, ip_address=ip_address).aggregate(
        last=Max("attempt_time")
    )["last"]
    if last is None:
        return 0
    return max(0, math.ceil((last + settings.AXES_COOLOFF_TIME - now).total_seconds()))


class SignInHandler(AxesDatabaseHandler):
    """Axes' database handler, with the per-name slow-down added to its lock."""

    def is_allowed(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        if not super().is_allowed(request, credentials):
            request.signin_wait = pair_wait(
                get_client_username(request, credentials), request.axes_ip_address, request.axes_attempt_time
            )
            request.signin_locked_pair = True
            return False
        wait = name_wait(get_client_username(request, credentials), request.axes_attempt_time)
        if wait:
            request.signin_wait = wait
            request.signin_locked_pair = False
            return False
        return True


def wait_of(request: Any) -> tuple[bool, int]:
    """(whether the name and address are locked, rather than the name slowed down; seconds left)."""
    locked_pair = getattr(request, "signin_locked_pair", True)
    wait = getattr(request, "signin_wait", None)
    if wait is None:  # the try that reached the limit: the lock starts now
        wait = int(settings.AXES_COOLOFF_TIME.total_seconds())
    return locked_pair, wait
