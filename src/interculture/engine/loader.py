"""Reading questionnaire and answer files, with errors that name the line and the field."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from interculture.engine.schema import Questionnaire

DEFAULT_VERSION = "icc-2019"


@dataclass(frozen=True)
class SchemaError:
    line: int | None  # 1-based line in the file, when it can be located
    field: str  # dotted path, e.g. questions[3].options[1].points
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return f"{where}: {self.field}: {self.message}"


class QuestionnaireFileError(ValueError):
    def __init__(self, path: str, errors: list[SchemaError]) -> None:
        self.path = path
        self.errors = errors
        super().__init__(f"{path}: {len(errors)} error(s)\n" + "\n".join(str(e) for e in errors))


def parse_questionnaire(text: str, name: str = "<string>") -> Questionnaire:
    """Parse and validate questionnaire YAML; raise QuestionnaireFileError listing every error."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise QuestionnaireFileError(name, [SchemaError(line, "(yaml)", str(exc))]) from exc
    if not isinstance(data, dict):
        raise QuestionnaireFileError(name, [SchemaError(1, "(root)", "expected a mapping")])
    try:
        return Questionnaire.model_validate(data)
    except ValidationError as exc:
        errors = [
            SchemaError(_line_of(root, err["loc"]), _dotted(err["loc"]), err["msg"]) for err in exc.errors()
        ]
        raise QuestionnaireFileError(name, errors) from exc


def load_questionnaire_file(path: str | Path) -> Questionnaire:
    return parse_questionnaire(Path(path).read_text(encoding="utf-8"), str(path))


def bundled_versions() -> list[str]:
    folder = resources.files("interculture.data").joinpath("questionnaires")
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


@cache
def load_questionnaire(version: str = DEFAULT_VERSION) -> Questionnaire:
    """A questionnaire shipped with the package, by version."""
    if version not in bundled_versions():
        raise KeyError(f"unknown questionnaire version {version!r}; known: {', '.join(bundled_versions())}")
    resource = resources.files("interculture.data").joinpath("questionnaires", f"{version}.yaml")
    return parse_questionnaire(resource.read_text(encoding="utf-8"), f"{version}.yaml")


def load_answers_file(path: str | Path) -> dict[str, Any]:
    """An answers file: {questionnaire, city?, year?, answers: {question id: value or {value,...}}}."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ValueError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        raise ValueError(f"{path}: expected a mapping with an 'answers' mapping")
    return data


def answer_values(answers: dict[str, Any]) -> dict[str, Any]:
    """Plain values from an answers mapping whose entries are a value or {value: ..., ...}."""
    return {qid: (a.get("value") if isinstance(a, dict) else a) for qid, a in answers.items()}


def _dotted(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(root)"


def _line_of(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """The line of the deepest YAML node that `loc` reaches."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for part in loc:
        child = None
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == part:
                    child = value
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            child = node.value[part]
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line
