"""The errors a service raises when a request cannot be carried out, below every app.

Views and the API map them to a response in one place each (HTTP 422, 409 and 403): a service
says what went wrong, never which status code it is.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.utils.translation import gettext


class DomainError(Exception):
    """A request the domain refuses; the message is a sentence for the person who made it."""


class Invalid(DomainError, ValueError):
    """Input that breaks a rule; `field_errors` says which field and why ({field: [reasons]})."""

    def __init__(self, message: str = "", field_errors: dict[str, list[str]] | None = None) -> None:
        self.field_errors = field_errors or {}
        if not message:
            message = "; ".join(f"{f}: {r}" for f, reasons in self.field_errors.items() for r in reasons)
        super().__init__(message)


class Forbidden(DomainError, PermissionDenied):
    """The person may not do this (Django's PermissionDenied, so its 403 handling applies too)."""


class Conflict(DomainError, ValueError):
    """The object changed since the version an edit was based on; nothing was overwritten.

    It carries both sides so that the person can choose: the stored object, its version and
    values (`current`), and the edit's values (`yours`) with the version it was based on.
    """

    def __init__(
        self,
        obj: Any,
        *,
        expected_version: int | None,
        yours: dict[str, Any],
        current: dict[str, Any] | None = None,
        message: str = "",
    ) -> None:
        self.obj = obj
        self.current_version: int = obj.version
        self.expected_version = expected_version
        self.yours = dict(yours)
        # The stored side: the object's fields that the edit sets, unless given (a fact sheet's text)
        self.current = dict(current) if current is not None else {f: getattr(obj, f) for f in self.yours}
        super().__init__(
            message
            or gettext("It changed since you opened it (now version %(v)d); nothing was overwritten.")
            % {"v": obj.version}
        )

    @property
    def clashing(self) -> list[str]:
        """The fields where the stored values and the edit differ (a comment-only clash: ["comment"])."""
        return [f for f in {**self.current, **self.yours} if self.current.get(f) != self.yours.get(f)]

    def body(self) -> dict[str, Any]:
        """The JSON an API client gets with 409: both sides, and which fields clash."""
        return {
            "detail": str(self),
            "current": {**_plain(self.current), "version": self.current_version},
            "yours": {**_plain(self.yours), "based_on_version": self.expected_version},
            "fields": self.clashing,
        }


def json_value(value: Any) -> Any:
    """A field's value as JSON can hold it (dates and decimals as text), for history and 409 bodies."""
    if isinstance(value, date | Decimal):
        return str(value)
    if isinstance(value, Model):
        return value.pk
    return value


def _plain(values: dict[str, Any]) -> dict[str, Any]:
    return {k: json_value(v) for k, v in values.items()}
