"""Questionnaire versions: import a file, sync the bundled ones, parse them (cached)."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from interculture.assessments.models import (
    QuestionnaireVersion,
)
from interculture.engine.loader import bundled_versions, parse_questionnaire
from interculture.engine.schema import Questionnaire

DATA = resources.files("interculture.data")


def import_questionnaire(text: str, name: str = "<upload>") -> QuestionnaireVersion:
    """Validate questionnaire YAML and store it (raises QuestionnaireFileError, saving nothing)."""
    q = parse_questionnaire(text, name)
    obj, _ = QuestionnaireVersion.objects.update_or_create(
        version=q.version, defaults={"title": q.title.en, "source_yaml": text}
    )
    return obj


def sync_bundled_questionnaires() -> list[QuestionnaireVersion]:
    return [
        import_questionnaire(
            DATA.joinpath("questionnaires", f"{v}.yaml").read_text(encoding="utf-8"), f"{v}.yaml"
        )
        for v in bundled_versions()
    ]


def engine_questionnaire(version: QuestionnaireVersion | str) -> Questionnaire:
    """The engine's model of a stored questionnaire version."""
    if isinstance(version, str):
        version = QuestionnaireVersion.objects.get(version=version)
    return _parse_cached(version.source_yaml, f"{version.version}.yaml")


@lru_cache(maxsize=16)
def _parse_cached(text: str, name: str) -> Questionnaire:
    return parse_questionnaire(text, name)
