import json
import re
from pathlib import Path

import pytest
import yaml

from interculture.cli import main

DATA = Path(__file__).parents[1] / "src" / "interculture" / "data"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_bundled(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "questionnaire", "validate", str(DATA / "questionnaires" / "icc-2019.yaml"))
    assert code == 0
    assert "86 questions (73 mandatory)" in out


def test_validate_reports_each_error_with_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = (DATA / "questionnaires" / "icc-2019.yaml").read_text()
    text = text.replace("data_kind: input", "data_kind: opinion", 2).replace(
        "mandatory: true", "mandatory: perhaps", 1
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    code, _, err = run(capsys, "questionnaire", "validate", str(bad))
    assert code == 1
    lines = [line for line in err.splitlines() if "data_kind" in line or "mandatory" in line]
    assert len(lines) == 3
    first_opinion = next(n for n, line in enumerate(text.splitlines(), 1) if "data_kind: opinion" in line)
    assert any(line.startswith(f"{bad}:{first_opinion}: questions[") for line in lines)
    assert "3 error(s)" in err


def test_show_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "questionnaire", "show", "icc-2019", "--json")
    data = json.loads(out)
    assert code == 0
    assert len(data["indicators"]) == 17
    assert sum(i["group"] == "lens" for i in data["indicators"]) == 6
    assert len(data["questions"]) == 86
    assert sum(q["mandatory"] for q in data["questions"]) == 73
    assert {"id", "indicator", "mandatory", "core"} <= set(data["questions"][0])
    assert {"id", "name", "group"} <= set(data["indicators"][0])


@pytest.mark.parametrize(("fill", "expected"), [("best", 100), ("worst", 0)])
def test_template_fill_scores(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, fill: str, expected: int
) -> None:
    code, out, _ = run(capsys, "questionnaire", "template", "--fill", fill)
    assert code == 0
    answers = tmp_path / "answers.yaml"
    answers.write_text(out)
    code, out, _ = run(capsys, "score", str(answers), "--json")
    result = json.loads(out)
    assert code == 0
    assert result["complete"] is True
    assert set(result["indicators"].values()) == {expected}
    assert result["core_index"] == result["extended_index"] == result["lens"] == expected


def test_blank_template_is_incomplete(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    _, out, _ = run(capsys, "questionnaire", "template")
    doc = yaml.safe_load(out)
    assert len(doc["answers"]) == 86 and set(doc["answers"].values()) == {None}
    answers = tmp_path / "blank.yaml"
    answers.write_text(out)
    _, out, _ = run(capsys, "score", str(answers), "--json")
    result = json.loads(out)
    assert result["complete"] is False and len(result["missing"]) == 73


def test_score_reports_an_invalid_answer(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    answers = tmp_path / "bad.yaml"
    answers.write_text("questionnaire: icc-2019\nanswers:\n  commitment.public_statement: maybe\n")
    code, _, err = run(capsys, "score", str(answers), "--json")
    assert code == 1
    assert "commitment.public_statement: unknown option 'maybe'" in err


def test_score_hameenlinna_answers_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", str(DATA / "cities" / "hameenlinna-answers-2023.yaml"), "--json")
    result = json.loads(out)
    assert code == 0
    assert set(result) >= {"indicators", "lens", "core_index", "extended_index", "complete", "missing"}
    assert round(result["core_index"]) == pytest.approx(51, abs=1)


@pytest.mark.django_db
def test_score_city_from_database(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "score", "--city", "hameenlinna", "--round", "2023", "--json")
    result = json.loads(out)
    assert code == 0 and result["complete"] is True
    assert result["indicators"]["interaction"] == 100


@pytest.mark.django_db
def test_benchmark_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "benchmark", "hameenlinna", "--json")
    result = json.loads(out)
    assert code == 0
    assert result["sample_size"] == 130
    assert "synthetic" in result["synthetic_note"]
    education = result["measures"]["education"]
    assert {"rate", "sample", "size:<100k", "diversity:<10%"} <= set(education)
    assert {"mean", "median", "q1", "q3", "rank", "n"} <= set(education["sample"])


@pytest.mark.django_db
def test_unknown_city_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "benchmark", "atlantis")
    assert code == 1 and "atlantis" in err


@pytest.mark.django_db
def test_report_html_and_pdf(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = run(
        capsys, "report", "hameenlinna", "--round", "2023", "--lang", "sv", "-o", str(tmp_path / "r.html")
    )
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    # 25: 002's sections, "the city through an intercultural lens" included
    assert code == 0 and '<html lang="sv">' in html and "25 sections" in out and "Tavastehus" in html
    code, _, _ = run(capsys, "report", "hameenlinna", "--format", "pdf", "-o", str(tmp_path / "r.pdf"))
    assert code == 0 and (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.django_db
def test_peers_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "peers", "hameenlinna", "media", "--json")
    result = json.loads(out)
    assert code == 0 and result["area"] == "media" and result["peers"]
    first = result["peers"][0]
    assert first["gap"] >= 10 and first["shared"] and first["synthetic"] is True
    code, _, err = run(capsys, "peers", "hameenlinna", "no_such_area")
    assert code == 1 and "no_such_area" in err


@pytest.mark.django_db
def test_report_agreement_prints_the_table_against_002(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report-agreement", "hameenlinna", "--round", "2023"]) == 0
    out = capsys.readouterr().out
    for line in ("figures", "examples          35 of 35", "recommendations   31 of 31"):
        assert line in out
    counts = re.findall(r"^\w+ +(\d+) of (\d+) +agree$", out, re.M)
    assert len(counts) == 4 and all(a == b for a, b in counts), counts
    assert "Bilbao" in out
    assert main(["report-agreement", "nowhere"]) == 1  # a clear error, no traceback
