from pathlib import Path

import pytest

from interculture.engine.loader import QuestionnaireFileError, parse_questionnaire

MINI = (Path(__file__).parent / "mini.yaml").read_text()


def errors_of(text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(QuestionnaireFileError) as exc:
        parse_questionnaire(text, "broken.yaml")
    return [(e.line, e.field, e.message) for e in exc.value.errors]


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def test_mini_is_valid() -> None:
    assert parse_questionnaire(MINI).version == "mini-1"


def test_every_error_is_reported_with_line_and_field() -> None:
    broken = MINI.replace("points: 2}\n      - {id: partial", "points: -2}\n      - {id: partial").replace(
        "data_kind: fact", "data_kind: guess"
    )
    errors = errors_of(broken)
    fields = {f for _, f, _ in errors}
    assert "questions[1].options[0].points" in fields
    assert "questions[4].data_kind" in fields
    lines = {f: line for line, f, _ in errors}
    assert lines["questions[1].options[0].points"] == line_of(broken, "points: -2")
    assert lines["questions[4].data_kind"] == line_of(broken, "data_kind: guess")


def test_missing_field_points_at_its_parent() -> None:
    broken = MINI.replace(
        "    mandatory: true\n    core: true\n    data_kind: input\n",
        "    core: true\n    data_kind: input\n",
        1,
    )
    ((line, field, message),) = errors_of(broken)
    assert field == "questions[0].mandatory"
    assert message == "Field required"
    assert line == line_of(broken, "- id: alpha.statement")


def test_yaml_syntax_error_has_a_line() -> None:
    ((line, field, _),) = errors_of(MINI.replace("version: mini-1", "version: [mini-1"))
    assert field == "(yaml)" and line is not None


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("indicator: gamma\n", "indicator: delta\n", "unknown indicator 'delta'"),
        (
            '{id: "no", label: {en: "No"}, points: 0}',
            '{id: "nah", label: {en: "No"}, points: 0}',
            "exactly the options",
        ),
        (
            "{id: none, label: {en: None}, points: 0}",
            "{id: none, label: {en: None}, points: 1}",
            "must score 0",
        ),
        ("- {min: 10, max: 50, points: 1}", "- {min: 50, max: 10, points: 1}", "must be below max"),
        ("id: alpha.budget", "id: alpha.statement", "appears twice"),
    ],
)
def test_consistency_rules(old: str, new: str, message: str) -> None:
    assert old in MINI
    errors = errors_of(MINI.replace(old, new, 1))
    assert any(message in m for _, _, m in errors), errors


def test_text_falls_back_to_english() -> None:
    q = parse_questionnaire(MINI)
    statement = q.question("alpha.statement")
    assert statement.text.get("fi") == "Onko linjaus?"
    assert statement.text.get("sv") == "Is there a statement?"
    assert not statement.text.has("sv")
