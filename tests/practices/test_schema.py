"""The fact-sheet schema and the seed content files."""

from importlib import resources

import pytest
import yaml
from pydantic import ValidationError

from interculture.engine.loader import load_questionnaire
from interculture.practices.schema import FACT_SHEET_FIELDS, PracticeFile

SEEDS = resources.files("interculture.data").joinpath("practices")
FILES = sorted(f.name for f in SEEDS.iterdir() if f.name.endswith(".yaml"))


def load(name: str) -> PracticeFile:
    return PracticeFile.model_validate(yaml.safe_load(SEEDS.joinpath(name).read_text(encoding="utf-8")))


def test_fact_sheet_has_the_16_fields_of_001_in_order() -> None:
    assert len(FACT_SHEET_FIELDS) == 16
    assert [k for k, _ in FACT_SHEET_FIELDS][:6] == [
        "title",
        "country",
        "organiser",
        "start",
        "finish",
        "type",
    ]
    assert FACT_SHEET_FIELDS[-1][0] == "contact"


@pytest.mark.parametrize("name", FILES)
def test_seed_file_is_valid_with_provenance_and_translations(name: str) -> None:
    areas = {i.id for i in load_questionnaire().indicators}
    for p in load(name).practices:
        p.check_areas(areas)
        assert p.provenance.source.startswith(("001", "002")), p.slug
        assert p.title.fi and p.title.sv and p.summary.fi and p.summary.sv, p.slug
        assert p.translation_status.get("fi") == "draft", p.slug
        assert not p.synthetic


def test_all_37_case_studies_of_001_are_there() -> None:
    sources = [p.provenance.source for name in FILES if name.startswith("001") for p in load(name).practices]
    numbers = sorted(int(s.rsplit(" ", 1)[-1]) for s in sources)
    assert numbers == list(range(1, 38))


def test_every_002_area_has_its_examples() -> None:
    practices = [p for name in FILES if name.startswith("002") for p in load(name).practices]
    first_areas = {p.icc_areas[0] for p in practices}
    assert first_areas == {i.id for i in load_questionnaire().indicators}


def test_schema_rejects_inconsistent_records() -> None:
    record = load(FILES[0]).practices[0].model_dump(mode="json")
    for change, message in [
        ({"subcategory": "employment", "dimension": "cultural"}, "subcategory"),
        ({"target_groups": ["aliens"]}, "unknown target group"),
        ({"place": {"country": "XX"}}, "ISO 3166"),
        ({"evaluation": {"impact": {"rating": "high", "evidence": ""}}}, "needs its evidence"),
    ]:
        with pytest.raises(ValidationError, match=message):
            PracticeFile.model_validate(
                {"provenance": {"source": "t", "reconstructed": True}, "practices": [{**record, **change}]}
            )
