"""The error body every API operation documents and returns: `{"detail": ..., ...}`.

`detail` is a sentence, or (422 from request validation) the list of what was wrong; some errors
carry more fields (a conflict's stored value, a refusal's missing answers).
"""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import ConfigDict


class ErrorOut(Schema):
    model_config = ConfigDict(extra="allow")

    detail: str | list[Any]


# Every operation can meet a bad token (401), a malformed parameter (422) and a value the
# database cannot store, a NUL character on PostgreSQL (400); one with a body also a body that
# is not JSON (400) or too large (413).
COMMON = (400, 401, 422)


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """`response=` entries for the error statuses an operation can return, besides COMMON."""
    return {code: ErrorOut for code in sorted({*COMMON, *codes})}
