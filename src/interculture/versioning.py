"""Versioned objects: one optimistic-locking mechanism and one history format for every app.

An object that several people edit (an answer, an action, a decision, a fact sheet) inherits
`Versioned`: a version raised on every change, and when and by whom it last changed. Its history
is a model inheriting `Change`: one row per version, `changes` = {field: [old, new]} of the
fields that changed, who and when, and a note. `update_versioned()` is the only way such an
object changes after creation: it compares the version the edit was based on with the stored
one and writes in one transaction, so that of two people saving on the same version exactly one
wins and the other gets a `Conflict` carrying both sides.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interculture.accounts.types import User, Visitor
from interculture.errors import Conflict, json_value


class Versioned(models.Model):
    """An object edited under optimistic locking; `history` names its Change rows' related name."""

    version = models.PositiveIntegerField(
        default=1, help_text=_("Raised on every change (optimistic locking).")
    )
    updated_at = models.DateTimeField(auto_now=True, help_text=_("When it last changed."))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history: ClassVar[str | None] = "changes"

    class Meta:
        abstract = True


class Change(models.Model):
    """One version of a versioned object. Each concrete model adds the foreign key named by
    `object_field` and a unique constraint on (that key, version)."""

    version = models.PositiveIntegerField(help_text=_("The object's version after this change."))
    changes = models.JSONField(default=dict, blank=True, help_text=_("{field: [old, new]}"))
    note = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    object_field: ClassVar[str]

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{getattr(self, self.object_field)} v{self.version}"

    def changed(self, field: str) -> bool:
        return field in (self.changes or {})

    def old(self, field: str) -> Any:
        """The field's value before this change (also when this change left it as it was)."""
        return self.changes[field][0] if self.changed(field) else self._value_at(field, self.version - 1)

    def new(self, field: str) -> Any:
        return self.changes[field][1] if self.changed(field) else self._value_at(field, self.version)

    def _value_at(self, field: str, version: int) -> Any:
        known = getattr(self, "_states", None)
        if known is not None:
            return known.get(version, {}).get(field)
        latest = (
            type(self)
            ._default_manager.filter(
                **{self.object_field: getattr(self, f"{self.object_field}_id")},
                version__lte=version,
                changes__has_key=field,
            )
            .order_by("-version")
            .first()
        )
        return latest.changes[field][1] if latest else None


def with_states[C: Change](changes: Iterable[C]) -> list[C]:
    """The history of one object, each row knowing every field's value at each version, so that
    old() and new() of a field the row did not change need no query."""
    rows = sorted(changes, key=lambda c: c.version)
    states: dict[int, dict[str, Any]] = {}
    state: dict[str, Any] = {}
    for row in rows:
        state = {**state, **{f: pair[1] for f, pair in (row.changes or {}).items()}}
        states[row.version] = state
    for row in rows:
        row._states = states  # type: ignore[attr-defined]
    return rows


def acting_user(user: Visitor) -> User | None:
    """The user to store as who changed it: None for an anonymous request or a script."""
    return user if user is not None and user.is_authenticated else None


def _record(
    obj: Versioned, changes: dict[str, list[Any]], user: Visitor, note: str, record: Mapping[str, Any]
) -> None:
    if obj.history is None:
        return
    getattr(obj, obj.history).create(
        version=obj.version, changes=changes, note=note, changed_by=acting_user(user), **record
    )


@transaction.atomic
def create_versioned[V: Versioned](
    model: type[V],
    values: Mapping[str, Any],
    *,
    user: Visitor = None,
    note: str = "",
    context: Mapping[str, Any] | None = None,
    record: Mapping[str, Any] | None = None,
) -> V:
    """Create an object at version 1 with its first history row ({field: [None, value]} of
    `values`; `context`, such as the parent, is stored but not recorded)."""
    obj = model._default_manager.create(**(context or {}), **values, version=1, updated_by=acting_user(user))
    _record(obj, {f: [None, json_value(v)] for f, v in values.items()}, user, note, record or {})
    return obj


@transaction.atomic
def update_versioned[V: Versioned](
    obj: V,
    *,
    expected_version: int | None,
    changes: Mapping[str, Any],
    user: Visitor = None,
    note: str = "",
    record: Mapping[str, Any] | None = None,
    conflict: type[Conflict] = Conflict,
    recorded: Iterable[str] | None = None,
) -> V:
    """Apply `changes` ({field: new value}) if the object is still at `expected_version`.

    None as `expected_version` means "whatever is stored" (imports, the secretariat's moves),
    still one version per change. Nothing changed and no note: no new version. A stale version
    raises `conflict` (Conflict or a subclass) with the stored values and the edit's, and
    writes nothing. `recorded` limits the fields the history shows (a derived log need not be
    copied into every row); `record` fills the change model's own columns. The row is locked (PostgreSQL) and the UPDATE is conditional on the version
    (every database), so two simultaneous writers cannot both succeed on one version.
    """
    model = type(obj)
    manager = model._default_manager
    current = manager.select_for_update().get(pk=obj.pk)
    if expected_version is not None and current.version != expected_version:
        raise conflict(current, expected_version=expected_version, yours=dict(changes))
    diff = {
        f: [json_value(getattr(current, f)), json_value(v)]
        for f, v in changes.items()
        if getattr(current, f) != v
    }
    if not diff and not note and not record:
        return current
    if recorded is not None:
        diff = {f: pair for f, pair in diff.items() if f in set(recorded)}
    updated = manager.filter(pk=current.pk, version=current.version).update(
        **changes, version=models.F("version") + 1, updated_at=timezone.now(), updated_by=acting_user(user)
    )
    if not updated:  # written between our read and our write (SQLite has no row lock)
        current.refresh_from_db()
        raise conflict(current, expected_version=expected_version, yours=dict(changes))
    current.refresh_from_db()
    _record(current, diff, user, note, record or {})
    return current
