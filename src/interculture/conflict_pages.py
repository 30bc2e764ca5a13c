"""How a page shows a Conflict (interculture.errors): both sides of each clashing field, who
saved theirs and when, and the two ways out: keep mine (sent again, based on their version, so
it overwrites on purpose) or keep theirs (my stale change is dropped).

A form catches the Conflict and renders `_conflict.html` beside the person's input with
`conflict_context()`; a Conflict no view catches becomes the 409 page in ErrorResponses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from interculture.errors import Conflict

# The field a "Keep mine" button posts: the version the person now knowingly overwrites.
BASED_ON = "based_on"


def _shown(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list | tuple):
        return "\n".join(str(v) for v in value)
    return str(value)


def last_change(obj: Any) -> Any:
    """The history row of the object's current version (who saved "theirs", and when)."""
    history = getattr(obj, "history", None)
    if not history or obj.pk is None:
        return None
    return getattr(obj, history).filter(version=obj.version).select_related("changed_by").first()


def conflict_context(
    exc: Conflict,
    labels: Mapping[str, str],
    show: Callable[[str, Any], str] | None = None,
    resubmit: Iterable[tuple[str, Any]] = (),
    theirs_url: str = "",
    headings: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """What `_conflict.html` shows. `labels` names the fields (in the order shown); `show`
    turns a field's value into text (option labels, dates); `resubmit` are the hidden fields
    that send my edit again; `theirs_url` is where "Keep theirs" goes (else a choice button)."""
    shown = show or (lambda _field, value: _shown(value))
    clashing = [f for f in labels if f in exc.clashing]
    rows = [
        {
            "field": f,
            "label": labels[f],
            "theirs": shown(f, exc.current.get(f)),
            "mine": shown(f, exc.yours.get(f)),
        }
        for f in clashing
    ]
    change = last_change(exc.obj)
    only = None
    if len(rows) == 1 and rows[0]["field"] != next(iter(labels)):
        only = _("Only the %(field)s differs; the rest is the same.") % {"field": rows[0]["label"].lower()}
    return {
        "rows": rows,
        "only": only,
        "who": change.changed_by.get_username() if change and change.changed_by else "",
        "when": change.changed_at if change else None,
        "current_version": exc.current_version,
        "based_on": BASED_ON,
        "resubmit": list(resubmit),
        "theirs_url": theirs_url,
        "headings": headings or (_("Their version (saved)"), _("Your version (not saved)")),
    }
