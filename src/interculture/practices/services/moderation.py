"""Moving a practice through draft → in review → published, or back with a comment."""

from __future__ import annotations

from django.db import transaction

from interculture.accounts.permissions import is_secretariat
from interculture.accounts.types import Visitor
from interculture.errors import Invalid
from interculture.practices.models import Practice, PracticeVersion
from interculture.practices.services.saving import save
from interculture.practices.services.versions import (
    new_version,
    revision,
)


class TransitionNotAllowed(Invalid):
    pass


# A waiting revision of a published fact sheet: its state -> states it may move to, and whether
# only the secretariat may make that move (publishing it replaces the published text).
REVISION_TRANSITIONS: dict[str, dict[str, bool]] = {
    Practice.State.IN_REVIEW: {Practice.State.PUBLISHED: True, Practice.State.RETURNED: True},
    Practice.State.RETURNED: {Practice.State.IN_REVIEW: False},
}


def _check_move(
    practice: Practice, moves: dict[str, bool], to_state: str, user: Visitor, comment: str
) -> None:
    if to_state not in moves:
        raise TransitionNotAllowed(f"a practice cannot go from {practice.state} to {to_state}")
    if moves[to_state] and not is_secretariat(user):
        raise TransitionNotAllowed(f"only the secretariat can move a practice to {to_state}")
    if not moves[to_state] and not (
        is_secretariat(user) or practice.submitted_by_id == getattr(user, "pk", None)
    ):
        raise TransitionNotAllowed("only the submitter or the secretariat can do this")
    if to_state == Practice.State.RETURNED and not comment.strip():
        raise TransitionNotAllowed("returning a practice needs a comment saying what to change")


def _move_revision(
    practice: Practice, pending: PracticeVersion, to_state: str, user: Visitor, comment: str
) -> Practice:
    _check_move(practice, REVISION_TRANSITIONS.get(pending.state, {}), to_state, user, comment)
    if to_state == Practice.State.PUBLISHED:
        # The next version is the revision itself; it no longer waits.
        Practice.objects.filter(pk=practice.pk).update(pending_version=None)
        return save(
            pending.data, user=user, state=Practice.State.PUBLISHED, comment=comment or "Revision published"
        )
    changes = {"pending_version": practice.version + 1}
    return new_version(practice, changes, pending.data, to_state, user, comment)


# state -> states it may move to, and whether only the secretariat may make that move
TRANSITIONS: dict[str, dict[str, bool]] = {
    Practice.State.DRAFT: {Practice.State.IN_REVIEW: False},
    Practice.State.IN_REVIEW: {Practice.State.PUBLISHED: True, Practice.State.RETURNED: True},
    Practice.State.RETURNED: {Practice.State.IN_REVIEW: False},
    Practice.State.PUBLISHED: {Practice.State.IN_REVIEW: True},
}


@transaction.atomic
def transition(practice: Practice, to_state: str, *, user: Visitor, comment: str = "") -> Practice:
    """Move a practice through draft → in review → published, or back with a comment."""
    practice = Practice.objects.select_for_update().get(pk=practice.pk)
    pending = revision(practice)
    if pending is not None:
        return _move_revision(practice, pending, to_state, user, comment)
    _check_move(practice, TRANSITIONS.get(practice.state, {}), to_state, user, comment)
    return new_version(practice, {"state": to_state}, practice.data, to_state, user, comment)
