"""Numbers read from a request's fields: a field that is not one is the client's error (400)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

BIGGEST = 2**63 - 1  # what a database integer holds


def posted_int(data: Mapping[str, Any], name: str, default: int | None = None) -> int:
    """The whole number in field `name`; `default` when it is absent or empty (if given).

    Raises BadRequest with a sentence naming the field; ErrorResponses shows it (400).
    """
    raw = data.get(name)
    if raw is None or str(raw).strip() == "":
        if default is None:
            raise BadRequest(_("The field “%(name)s” is missing.") % {"name": name})
        return default
    try:
        number = int(str(raw).strip())
    except ValueError:
        number = None
    if number is None or abs(number) > BIGGEST:
        raise BadRequest(
            _("The field “%(name)s” must be a whole number, not “%(value)s”.")
            % {"name": name, "value": str(raw)[:40]}
        )
    return number
