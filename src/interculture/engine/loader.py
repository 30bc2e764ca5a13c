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

# libyaml's parser when PyYAML was built with it (about ten times faster on a questionnaire),
# else the pure-Python one; both are safe loaders.
SAFE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A questionnaire file is some 100 kB, a few levels deep. The limits keep a hostile or broken
# file (deep nesting, an alias bomb, "billion laughs") from exhausting the stack or the memory:
# they are checked on the event stream, before any tree is built.
MAX_YAML_CHARACTERS = 2_000_000
MAX_YAML_DEPTH = 40
MAX_YAML_NODES = 500_000  # counted with every alias expanded


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


class YamlTooComplex(ValueError):
    def __init__(self, line: int | None, message: str) -> None:
        self.line = line
        super().__init__(message)


def check_yaml_shape(text: str) -> None:
    """Raise YamlTooComplex when `text` is too large, too deep or expands too much."""
    if len(text) > MAX_YAML_CHARACTERS:
        raise YamlTooComplex(None, f"larger than {MAX_YAML_CHARACTERS:,} characters")
    anchored: dict[str, int] = {}
    open_sizes: list[tuple[str | None, int]] = []  # (anchor, expanded size so far) per open collection
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        size = 0
        if isinstance(event, yaml.CollectionStartEvent):
            if len(open_sizes) >= MAX_YAML_DEPTH:
                raise YamlTooComplex(_line(event), f"nested deeper than {MAX_YAML_DEPTH} levels")
            open_sizes.append((event.anchor, 1))
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            anchor, size = open_sizes.pop()
            if anchor:
                anchored[anchor] = size
        elif isinstance(event, yaml.ScalarEvent):
            size = 1
            if event.anchor:
                anchored[event.anchor] = 1
        elif isinstance(event, yaml.AliasEvent):
            size = anchored.get(event.anchor or "", 1)
        if open_sizes:
            anchor, so_far = open_sizes[-1]
            open_sizes[-1] = (anchor, so_far + size)
            size = so_far + size
        if size > MAX_YAML_NODES:
            raise YamlTooComplex(
                _line(event), f"expands to more than {MAX_YAML_NODES:,} values (through aliases)"
            )


def _line(event: yaml.Event) -> int | None:
    return event.start_mark.line + 1 if event.start_mark is not None else None


def yaml_problem(exc: yaml.YAMLError) -> tuple[int | None, str]:
    """The line and a one-line message of a YAML syntax error."""
    mark = getattr(exc, "problem_mark", None)
    line = mark.line + 1 if mark is not None else None
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    context = getattr(exc, "context", None)
    return line, f"{context}: {problem}" if context else str(problem)


def read_yaml(text: str) -> Any:
    """A YAML document shipped with the package (trusted, and checked by its schema's tests)."""
    return yaml.load(text, Loader=SAFE_LOADER)


def parse_questionnaire(text: str, name: str = "<string>") -> Questionnaire:
    """Parse and validate questionnaire YAML; raise QuestionnaireFileError listing every error."""
    try:
        check_yaml_shape(text)
        data = yaml.load(text, Loader=SAFE_LOADER)
    except YamlTooComplex as exc:
        raise QuestionnaireFileError(name, [SchemaError(exc.line, "(yaml)", str(exc))]) from exc
    except yaml.YAMLError as exc:
        line, message = yaml_problem(exc)
        raise QuestionnaireFileError(name, [SchemaError(line, "(yaml)", message)]) from exc
    if not isinstance(data, dict):
        raise QuestionnaireFileError(name, [SchemaError(1, "(root)", "expected a mapping")])
    try:
        return Questionnaire.model_validate(data)
    except ValidationError as exc:
        # The node tree, with line numbers, is built only to point at the errors.
        raise QuestionnaireFileError(
            name, locate_errors(yaml.compose(text, Loader=SAFE_LOADER), exc)
        ) from exc


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
    text = Path(path).read_text(encoding="utf-8")
    try:
        check_yaml_shape(text)
        data = yaml.load(text, Loader=SAFE_LOADER)
    except YamlTooComplex as exc:
        raise ValueError(f"{path}:{exc.line or 1}: {exc}") from exc
    except yaml.YAMLError as exc:
        line, message = yaml_problem(exc)
        raise ValueError(f"{path}:{line or 1}: not valid YAML: {message}") from exc
    if not isinstance(data, dict) or not isinstance(data.get("answers"), dict):
        raise ValueError(f"{path}: expected a mapping with an 'answers' mapping")
    return data


def answer_values(answers: dict[str, Any]) -> dict[str, Any]:
    """Plain values from an answers mapping whose entries are a value or {value: ..., ...}."""
    return {qid: (a.get("value") if isinstance(a, dict) else a) for qid, a in answers.items()}


def locate_errors(root: yaml.Node | None, exc: ValidationError) -> list[SchemaError]:
    """Pydantic's errors, each with the line of the YAML node it is about (`root` is the
    composed document, None when no line can be known)."""
    return [SchemaError(_line_of(root, err["loc"]), _dotted(err["loc"]), err["msg"]) for err in exc.errors()]


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
