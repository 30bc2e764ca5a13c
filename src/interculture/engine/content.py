"""The content files as data: the pydantic schema of every bundled file that has none elsewhere.

The questionnaires (engine/schema.py), the practices (practices/schema.py) and the report
wording (reports/wording.py) have their own schemas; this module holds the others: cities and
their answers, the synthetic sample's spec, the reference facts and sources, the municipal
pathway, the multi-level coordination and the basemap. `read_content` reads a bundled file and
validates it, with errors that give the file, the line and the field. Pure pydantic.
"""

from __future__ import annotations

import datetime
import json
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationError

from interculture.engine.loader import (
    SAFE_LOADER,
    SchemaError,
    YamlTooComplex,
    check_yaml_shape,
    locate_errors,
    read_yaml,
    yaml_problem,
)
from interculture.engine.schema import Identifier, Provenance, Text


class ContentFileError(ValueError):
    """A content file that does not satisfy its schema; each line reads "file:line field: message"."""

    def __init__(self, path: str, errors: list[SchemaError]) -> None:
        self.path = path
        self.errors = errors
        super().__init__("\n".join(f"{path}:{e.line or 1} {e.field}: {e.message}" for e in errors))


def parse_content[Model: BaseModel](text: str, name: str, model: type[Model]) -> Model:
    """Validate YAML (or JSON, by the name's suffix) `text` against `model`."""
    if name.endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ContentFileError(name, [SchemaError(exc.lineno, "(json)", exc.msg)]) from exc
        try:
            return model.model_validate(data)
        except ValidationError as exc:  # a JSON file is not located further than its first line
            raise ContentFileError(name, locate_errors(None, exc)) from exc
    try:
        check_yaml_shape(text)
        data = read_yaml(text)
        return model.model_validate(data)
    except YamlTooComplex as exc:
        raise ContentFileError(name, [SchemaError(exc.line, "(yaml)", str(exc))]) from exc
    except yaml.YAMLError as exc:
        line, message = yaml_problem(exc)
        raise ContentFileError(name, [SchemaError(line, "(yaml)", message)]) from exc
    except ValidationError as exc:
        # The node tree, with line numbers, is built only to point at the errors.
        raise ContentFileError(name, locate_errors(yaml.compose(text, Loader=SAFE_LOADER), exc)) from exc


def read_content[Model: BaseModel](relative: str, model: type[Model]) -> Model:
    """A bundled content file (`relative` to interculture/data), validated by `model`."""
    text = resources.files("interculture.data").joinpath(*relative.split("/")).read_text(encoding="utf-8")
    return parse_content(text, f"data/{relative}", model)


def read_content_data(relative: str, model: type[BaseModel]) -> Any:
    """The plain data of a bundled content file, once `model` has validated it (for the loaders
    that read the file as mappings)."""
    read_content(relative, model)
    text = resources.files("interculture.data").joinpath(*relative.split("/")).read_text(encoding="utf-8")
    return json.loads(text) if relative.endswith(".json") else read_yaml(text)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Note(Strict):
    """Provenance of one field: whether the content was reconstructed, and why."""

    reconstructed: bool
    note: str = Field(min_length=1)


class Sourced(Strict):
    """A published figure with its source."""

    value: float
    year: int
    source: str = Field(min_length=1)


# --- cities/<slug>.yaml ---------------------------------------------------------------------


class PublishedRate(Strict):
    city: int
    sample: int | None = None
    source: str = Field(min_length=1)


class BandSampleSizes(Strict):
    size: int
    diversity: int
    extended: int


class PublishedReport(Strict):
    title: str
    source: str
    sample_size: int
    sample_note: str
    band_sample_sizes: BandSampleSizes
    rates: dict[Identifier, PublishedRate]
    aggregates: dict[Identifier, PublishedRate]


class Round(Strict):
    year: int
    questionnaire: Identifier
    answers_file: str = Field(pattern=r"^[a-z0-9-]+\.yaml$")
    status: Literal["draft", "submitted", "published"]
    answers_language: Literal["en", "fi", "sv"]
    published_report: PublishedReport | None = None


class OverviewFact(Strict):
    text: Text
    source: str = Field(min_length=1)


class Overview(Strict):
    translation_status: dict[Literal["en", "fi", "sv"], Literal["source", "draft", "reviewed"]]
    facts: list[OverviewFact]


class City(Strict):
    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    name: Text
    country: str = Field(pattern=r"^[A-Z]{2}$")
    region: str
    population: Sourced
    foreign_born_share: Sourced
    coordinates_source: str
    synthetic: bool
    rounds: list[Round]
    overview: Overview | None = None


# --- cities/<slug>-answers-<year>.yaml ---------------------------------------------------------


class Answer(Strict):
    value: str | int | float | bool | list[str] | None
    source: str = Field(min_length=1)
    inferred: bool
    comment: str | None = None
    comment_source: str | None = None
    evidence: list[str] = []
    note: str | None = None


class AnswersFile(Strict):
    questionnaire: Identifier
    city: str | None = None
    year: int | None = None
    provenance: Provenance | None = None
    answers: dict[str, Answer | str | int | float | bool | list[str] | None]


# --- sample/<questionnaire>-synthetic.yaml -------------------------------------------------------


class Calibration(Strict):
    city: str
    year: int
    note: str


class SampleSpec(Strict):
    questionnaire: Identifier
    seed: int
    calibrate_to: Calibration
    size: int = Field(gt=0)
    size_note: str
    per_size_band: dict[str, int]
    per_diversity_band: dict[str, int]
    extended_answered: int
    provenance: Provenance


# --- reference/ ----------------------------------------------------------------------------------


class SampleHistory(Strict):
    date: str = Field(pattern=r"^\d{4}-\d{2}$")
    cities: int
    members: int | None = None
    extended: int | None = None
    under_100k: int | None = None
    under_10pct: int | None = None
    source: str = Field(min_length=1)


class IndexVersion(Strict):
    name: Text
    questions: int
    mandatory: int | None = None
    indicators: int | None = None
    source: str = Field(min_length=1)


class IndexReference(Strict):
    sample_history: list[SampleHistory]
    versions: list[IndexVersion]
    note: Text


class SourceDocument(Strict):
    title: str = Field(min_length=1)
    publisher: str
    year: int
    provenance: str


class Sources(Strict):
    documents: dict[str, SourceDocument]


# --- reports/reference/<document>-<city>.yaml ----------------------------------------------------


class ReferenceFigure(Strict):
    key: str
    value: int
    source: str


class ChartWithoutNumbers(Strict):
    what: str
    source: str


class ReferenceExample(Strict):
    city: str
    practice: str


class ReferenceStatement(Strict):
    area: Identifier
    question: str
    text: str
    keywords: list[str]
    column: str | None = None
    note: str | None = None


class ReportReference(Strict):
    document: str
    city: str
    round: int
    questionnaire: Identifier | None = None
    year: int | None = None
    provenance: Provenance
    figures: list[ReferenceFigure]
    charts_without_numbers: list[ChartWithoutNumbers]
    examples: dict[Identifier, list[ReferenceExample]]
    conclusions: list[ReferenceStatement] = []
    recommendations: list[ReferenceStatement] = []


# --- pathway/ ------------------------------------------------------------------------------------


class Period(Strict):
    start: datetime.date
    end: datetime.date


class PathwayStep(Strict):
    id: Identifier
    name: Text
    source: str
    reconstructed: bool
    note: str | None = None


class Municipality(Strict):
    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    name: Text
    region: str
    region_name: Text
    source: str
    region_provenance: Note | None = None


class TargetGroup(Strict):
    id: Identifier
    name: Text
    level: str
    source: str
    note: str | None = None


class Programme(Strict):
    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    name: Text
    country: str = Field(pattern=r"^[A-Z]{2}$")
    period: Period
    budget_eur: int
    funders: list[str]
    implementer: str
    provenance: Provenance
    pathway_steps: list[PathwayStep]
    municipalities: list[Municipality]
    target_groups: list[TargetGroup]


class RelationsIndicator(Strict):
    id: Identifier
    name: Text
    unit: str
    higher_is_better: bool
    typical_sources: list[str]
    provenance: Provenance


class RelationsArea(Strict):
    id: Identifier
    name: Text
    description: Text
    icc_areas: list[Identifier]
    provenance: Provenance
    indicators: list[RelationsIndicator]


class GoodRelations(Strict):
    version: str
    name: Text
    provenance: Provenance
    areas: list[RelationsArea]


# --- coordination/ -------------------------------------------------------------------------------


class Named(Strict):
    id: Identifier
    name: Text
    description: Text | None = None


class Review(Strict):
    status: str
    by: str


class Competence(Strict):
    field: str
    levels: dict[str, str]
    note: str | None = None
    source: str
    reconstructed: bool


class Competences(Strict):
    country: str = Field(pattern=r"^[A-Z]{2}$")
    provenance: Provenance
    review: Review
    levels: list[Named]
    values: list[Named]
    extra_fields: list[Named]
    competences: list[Competence]


class Mechanism(Strict):
    name: Text
    description: Text
    source: str
    reconstructed: bool
    note: str | None = None


class Stakeholder(Strict):
    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    target_group: str | None = None
    name: Text
    level: str
    type: str
    themes: list[str]
    source: str
    reconstructed: bool
    classification_provenance: Note | None = None
    name_provenance: Note | None = None


class Stakeholders(Strict):
    country: str = Field(pattern=r"^[A-Z]{2}$")
    provenance: Provenance
    mechanism: Mechanism
    levels: list[Named]
    types: list[Named]
    stakeholders: list[Stakeholder]


class Network(Strict):
    slug: str = Field(pattern=r"^[a-z0-9-]+$")
    name: Text
    acronym: str | None = None
    aims: Text
    members: str | None = None
    established: int | str | None = None
    themes: list[str]
    cooperation: list[str]
    local_regional_authorities: bool
    level: str
    source: str
    reconstructed: bool
    note: str | None = None
    part_of: str | None = None
    chair: str | None = None
    meetings_per_year: int | None = None
    name_provenance: Note | None = None


class Networks(Strict):
    provenance: Provenance
    cooperation_types: list[Named]
    networks: list[Network]


class PriorityShares(Strict):
    figure: str
    source: str
    note: str | None = None
    shares: dict[str, float]


class Finding(Strict):
    figure: str
    source: str
    order: list[str]


class SyntheticSpec(Strict):
    seed: int
    note: str


class PublishedSurvey(Strict):
    """What a source publishes of a survey's results (coordination/*-published.yaml)."""

    questionnaire: Identifier
    provenance: Provenance
    responses: int
    fact_sheets: int
    per_country: dict[str, list[int]]
    yes_no: dict[str, list[str | int]]  # figure, yes, no, no answer
    higher_priority: dict[str, PriorityShares]
    findings: dict[str, Finding]
    synthetic: SyntheticSpec


# --- geo/ ----------------------------------------------------------------------------------------


class BasemapProvenance(Strict):
    what: str
    source: str
    licence: str


class GeoProvenance(RootModel[dict[str, BasemapProvenance]]):
    """geo/PROVENANCE.yaml: each bundled geographic file, by name, with where it comes from."""


class Topology(BaseModel):
    """A TopoJSON topology (the practice map's basemap): only its frame is checked."""

    model_config = ConfigDict(extra="allow", frozen=True)

    type: Literal["Topology"]
    objects: dict[str, dict[str, Any]]
    arcs: list[list[list[float]]]
