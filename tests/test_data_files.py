"""Every bundled content file satisfies its schema, and a broken one says where it is broken."""

from __future__ import annotations

from fnmatch import fnmatch
from importlib import resources
from pathlib import Path

import pytest
from pydantic import BaseModel

from interculture.engine import content
from interculture.engine.content import ContentFileError, parse_content
from interculture.engine.loader import QuestionnaireFileError, parse_questionnaire
from interculture.engine.schema import Questionnaire
from interculture.practices.schema import PracticeFile
from interculture.reports.wording import Wording

DATA = Path(str(resources.files("interculture.data")))

# Each bundled file, by its path under interculture/data, and the schema its loader validates
# it with. A new file that matches no pattern fails test_every_file_has_a_schema.
SCHEMAS: dict[str, type[BaseModel]] = {
    "questionnaires/*.yaml": Questionnaire,
    "practices/*.yaml": PracticeFile,
    "reports/*.yaml": Wording,
    "reports/reference/*.yaml": content.ReportReference,
    "cities/*-answers-*.yaml": content.AnswersFile,
    "cities/*.yaml": content.City,
    "sample/*-synthetic.yaml": content.SampleSpec,
    "reference/icc-index.yaml": content.IndexReference,
    "reference/sources.yaml": content.Sources,
    "pathway/finnish-programme.yaml": content.Programme,
    "pathway/good-relations.yaml": content.GoodRelations,
    "coordination/competences-*.yaml": content.Competences,
    "coordination/stakeholders-*.yaml": content.Stakeholders,
    "coordination/networks.yaml": content.Networks,
    "coordination/*-published.yaml": content.PublishedSurvey,
    "geo/PROVENANCE.yaml": content.GeoProvenance,
    "geo/*.json": content.Topology,
}


def _bundled_files() -> list[str]:
    return sorted(
        p.relative_to(DATA).as_posix()
        for p in DATA.rglob("*")
        if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
    )


def _matches(relative: str, pattern: str) -> bool:
    """Shell-style, folder by folder ("*" does not cross a "/")."""
    parts, wanted = relative.split("/"), pattern.split("/")
    return len(parts) == len(wanted) and all(fnmatch(p, w) for p, w in zip(parts, wanted, strict=True))


def _schema_of(relative: str) -> type[BaseModel] | None:
    # The first pattern that matches, so the more specific one (answers files) goes first.
    return next((model for pattern, model in SCHEMAS.items() if _matches(relative, pattern)), None)


def test_every_file_has_a_schema() -> None:
    files = _bundled_files()
    assert len(files) >= 20
    assert [f for f in files if _schema_of(f) is None] == []


def test_every_pattern_matches_a_file() -> None:
    files = _bundled_files()
    assert [p for p in SCHEMAS if not any(_matches(f, p) for f in files)] == []


@pytest.mark.parametrize("relative", _bundled_files())
def test_bundled_file_is_valid(relative: str) -> None:
    model = _schema_of(relative)
    assert model is not None
    text = (DATA / relative).read_text(encoding="utf-8")
    if model is Questionnaire:  # its own parser adds the cross-checks of the questionnaire
        parse_questionnaire(text, relative)
    else:
        parse_content(text, relative, model)


def test_broken_copy_names_file_line_and_field() -> None:
    text = (DATA / "pathway" / "good-relations.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    target = next(i for i, line in enumerate(lines) if line.strip().startswith("higher_is_better:"))
    lines[target] = lines[target].replace("higher_is_better:", "higher_is_better: [not, a, bool] #")
    with pytest.raises(ContentFileError) as caught:
        parse_content("\n".join(lines), "good-relations.yaml", content.GoodRelations)
    (error,) = caught.value.errors
    assert error.line == target + 1
    assert str(caught.value) == (
        f"good-relations.yaml:{target + 1} areas[0].indicators[0].higher_is_better: "
        "Input should be a valid boolean"
    )


def test_missing_field_points_at_its_mapping() -> None:
    text = "slug: x\nname: {en: X}\ncountry: FI\n"
    with pytest.raises(ContentFileError) as caught:
        parse_content(text, "cities/x.yaml", content.City)
    assert "cities/x.yaml:1 region: Field required" in str(caught.value).splitlines()


def test_unknown_field_is_refused_with_its_line() -> None:
    text = (DATA / "reference" / "sources.yaml").read_text(encoding="utf-8")
    broken = text.replace("    year: 2022\n", "    year: 2022\n    yeer: 2022\n", 1)
    line = broken.splitlines().index("    yeer: 2022") + 1
    with pytest.raises(ContentFileError) as caught:
        parse_content(broken, "sources.yaml", content.Sources)
    assert str(caught.value) == f"sources.yaml:{line} documents.000.yeer: Extra inputs are not permitted"


def test_yaml_syntax_error_gives_its_line() -> None:
    with pytest.raises(ContentFileError) as caught:
        parse_content("documents:\n  a: [1,\n", "s.yaml", content.Sources)
    assert caught.value.errors[0].field == "(yaml)"
    assert caught.value.errors[0].line is not None


def test_questionnaire_errors_keep_their_format() -> None:
    with pytest.raises(QuestionnaireFileError) as caught:
        parse_questionnaire("version: x\n", "q.yaml")
    assert str(caught.value).startswith("q.yaml: ")
