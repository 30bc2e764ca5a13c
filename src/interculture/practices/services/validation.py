"""A fact sheet as the schema accepts it, or every field error at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from interculture.engine.loader import load_questionnaire
from interculture.errors import Invalid
from interculture.practices import schema


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    row: int | None = None  # 1-based data row (or file line) in an import

    def __str__(self) -> str:
        where = f"row {self.row}: " if self.row is not None else ""
        return f"{where}{self.field}: {self.message}"


class PracticeInvalid(Invalid):
    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        fields: dict[str, list[str]] = {}
        for e in errors:
            fields.setdefault(e.field, []).append(e.message)
        super().__init__("; ".join(str(e) for e in errors), fields)


def icc_area_ids() -> set[str]:
    return {i.id for i in load_questionnaire().indicators}


def validate(data: dict[str, Any], row: int | None = None) -> schema.Practice:
    """A fact sheet as the schema accepts it, or PracticeInvalid listing every field error."""
    try:
        practice = schema.Practice.model_validate(data)
    except ValidationError as exc:
        raise PracticeInvalid(
            [
                FieldError(".".join(str(p) for p in e["loc"]) or "(record)", e["msg"], row)
                for e in exc.errors()
            ]
        ) from exc
    try:
        practice.check_areas(icc_area_ids())
    except ValueError as exc:
        raise PracticeInvalid([FieldError("icc_areas", str(exc), row)]) from exc
    return practice
