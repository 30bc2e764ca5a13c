"""A fact sheet's versions: the conflict error, and a version that waits for review."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from interculture import versioning
from interculture.accounts.types import Visitor
from interculture.errors import Conflict
from interculture.practices.models import Practice, PracticeVersion

# What a fact sheet's history row lists as changed; the whole text is in the row's `data`.
HISTORY_FIELDS = ("state", "title", "city", "region", "country", "start_year")


class VersionConflict(Conflict):
    """The fact sheet changed since the version the edit was based on. Both sides are fact
    sheets: the stored one (a waiting revision, if any, else the published text) and mine."""

    def __init__(self, practice: Practice, *, expected_version: int | None, yours: dict[str, Any]) -> None:
        pending = revision(practice)
        theirs = pending.data if pending is not None else practice.data
        super().__init__(
            practice,
            expected_version=expected_version,
            yours=yours.get("data", yours),
            current=theirs,
            message=gettext(
                "the fact sheet is now at version %(current)d; your edit was based on version %(expected)d"
            )
            % {"current": practice.version, "expected": expected_version or 0},
        )


# --- moderation ------------------------------------------------------------------------------
def new_version(
    practice: Practice, changes: dict[str, Any], data: dict[str, Any], state: str, user: Visitor, comment: str
) -> Practice:
    """A version that keeps the published text's columns (a revision waiting, or a state move)."""
    return versioning.update_versioned(
        practice, expected_version=practice.version, changes=changes, user=user, note=comment,
        record={"data": data, "state": state}, conflict=VersionConflict,
    )  # fmt: skip


def propose_revision(practice: Practice, stored: dict[str, Any], *, user: Visitor, comment: str) -> Practice:
    """An edit of a published fact sheet by someone other than the secretariat: kept as a version
    in review; the published text, its search index and facets stay as they are."""
    pending = revision(practice)
    if pending is not None and pending.data == stored:
        return practice
    changes = {"pending_version": practice.version + 1}
    return new_version(practice, changes, stored, Practice.State.IN_REVIEW, user, comment)


def revision(practice: Practice) -> PracticeVersion | None:
    """The change to a published fact sheet that waits for the secretariat, if any."""
    if practice.pending_version is None:
        return None
    return practice.versions.filter(version=practice.pending_version).first()
