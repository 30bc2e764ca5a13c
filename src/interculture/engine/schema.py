"""The questionnaire as data: the pydantic schema every questionnaire file must satisfy.

A questionnaire is a list of indicators (the Index "areas") and a list of questions. Every text
carries all its translations side by side ({"en": ..., "fi": ..., "sv": ...}); English is the
source language and must always be present.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

SOURCE_LANGUAGE = "en"
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_.-]*$", max_length=64)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """One text in several languages. English is the source; the others may be drafts."""

    en: str = Field(min_length=1)
    fi: str | None = None
    sv: str | None = None

    def get(self, language: str) -> str:
        """The text in `language`, falling back to English."""
        value = getattr(self, language, None)
        return value if value else self.en

    def has(self, language: str) -> bool:
        return bool(getattr(self, language, None))


class Provenance(Strict):
    """Where a piece of content comes from, and whether it was reconstructed rather than copied."""

    source: str = Field(min_length=1, description="Document and section, e.g. '002, COMMITMENT'.")
    reconstructed: bool = Field(description="True when the seeds do not give this content verbatim.")
    note: str | None = None


class QuestionType(StrEnum):
    YES_NO = "yes_no"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    NUMBER = "number"
    PERCENTAGE = "percentage"
    FREE_TEXT = "free_text"
    RATING = "rating"  # each option rated on a scale (e.g. 1 to 5); ties allowed


class DataKind(StrEnum):
    """The three kinds of data of the Index (reference README: facts, inputs, impacts)."""

    FACT = "fact"
    INPUT = "input"
    IMPACT = "impact"


class Option(Strict):
    id: Identifier
    label: Text
    points: float = Field(ge=0)
    # What the report says of a city that chose this option (used by the Index Report): for an
    # option worth some but not all points, what the city does; `report_text_missing` then says
    # what it does not do yet.
    report_text: Text | None = None
    report_text_missing: Text | None = None


class Band(Strict):
    """Points for a numeric answer in [min, max). An open end is None."""

    min: float | None = None
    max: float | None = None
    points: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> Band:
        if self.min is not None and self.max is not None and self.min >= self.max:
            raise ValueError(f"band min {self.min} must be below max {self.max}")
        return self

    def contains(self, value: float) -> bool:
        return (self.min is None or value >= self.min) and (self.max is None or value < self.max)


class Scale(Strict):
    """The scale of a rating question: whole numbers from min to max (e.g. 1 lower priority to 5
    higher priority, seed 001 Appendix E). The top of the scale is what the tables count."""

    min: int = 1
    max: int

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if self.min >= self.max:
            raise ValueError(f"scale min {self.min} must be below max {self.max}")
        return self


# The option of a multiple-choice question that excludes the others ("None of these").
EXCLUSIVE_OPTION = "none"


class Question(Strict):
    id: Identifier
    indicator: Identifier
    text: Text
    type: QuestionType
    options: list[Option] = Field(default_factory=list)
    bands: list[Band] = Field(default_factory=list)
    max_points: float | None = Field(
        default=None, gt=0, description="Cap on the points of a multiple-choice answer."
    )
    scale: Scale | None = Field(default=None, description="The scale of a rating question.")
    calendar_year: bool = Field(
        default=False, description="A number question that asks for a year: whole, not after next year."
    )
    mandatory: bool
    core: bool = Field(description="Part of the original (core) Index, not only the extended one.")
    data_kind: DataKind
    evidence_prompt: Text
    recommendation: Text | None = None
    # Where the recommendation's wording comes from (e.g. a published report's recommendations);
    # None: the platform's own, which the report says.
    recommendation_provenance: Provenance | None = None
    provenance: Provenance

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        t = self.type
        ids = [o.id for o in self.options]
        if len(ids) != len(set(ids)):
            raise ValueError(f"option ids repeat: {sorted(ids)}")
        if t is QuestionType.YES_NO and set(ids) != {"yes", "no"}:
            raise ValueError("a yes_no question has exactly the options 'yes' and 'no'")
        choice = (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE, QuestionType.RATING)
        if t in choice and len(ids) < 2:
            raise ValueError(f"a {t.value} question needs at least two options")
        if t in (QuestionType.NUMBER, QuestionType.PERCENTAGE):
            if self.options:
                raise ValueError(f"a {t.value} question has bands, not options")
        elif self.bands:
            raise ValueError(f"only number and percentage questions have bands, not {t.value}")
        if t is QuestionType.FREE_TEXT and self.options:
            raise ValueError("a free_text question has no options")
        if (t is QuestionType.RATING) != (self.scale is not None):
            raise ValueError("a rating question, and only a rating question, has a scale")
        if self.calendar_year and t is not QuestionType.NUMBER:
            raise ValueError("only a number question asks for a calendar year")
        if self.max_points is not None and t is not QuestionType.MULTIPLE_CHOICE:
            raise ValueError("max_points applies to multiple_choice questions only")
        scored_choice = (QuestionType.YES_NO, QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE)
        if t in scored_choice and min(o.points for o in self.options) != 0:
            raise ValueError("one option must score 0 (the 'no' or 'none of these' answer)")
        if self.bands and min(b.points for b in self.bands) != 0:
            raise ValueError("one band must score 0")
        if t in (QuestionType.NUMBER, QuestionType.PERCENTAGE) and not self.bands:
            raise ValueError(f"a {t.value} question needs bands")
        return self

    @property
    def scored(self) -> bool:
        return self.max_score > 0

    @property
    def max_score(self) -> float:
        """The most points an answer to this question can earn."""
        t = self.type
        if t is QuestionType.MULTIPLE_CHOICE:
            total = sum(o.points for o in self.options)
            return min(total, self.max_points) if self.max_points is not None else total
        if t in (QuestionType.YES_NO, QuestionType.SINGLE_CHOICE):
            return max(o.points for o in self.options)
        if t in (QuestionType.NUMBER, QuestionType.PERCENTAGE):
            return max((b.points for b in self.bands), default=0.0)
        return 0.0  # free text and rating questions inform; they do not score


class IndicatorGroup(StrEnum):
    LENS = "lens"


class Indicator(Strict):
    id: Identifier
    name: Text
    group: IndicatorGroup | None = None
    core: bool = Field(description="Part of the original Index (False for the areas added in 2019).")
    weight: float = Field(default=1.0, gt=0)
    purpose: Text
    repeatable: bool = Field(
        default=False, description="Answered once per item (e.g. once per project), not once per round."
    )
    provenance: Provenance


class Fact(Strict):
    """A published fact about a questionnaire version (its question count...), with its source.

    Facts of the version as published, not counts of this file: a reconstruction may differ."""

    value: int | str | list[str]
    source: str = Field(min_length=1)
    note: str | None = None


class QuestionnaireKind(StrEnum):
    INDEX = "index"  # scored: rates per indicator, lens, indices
    SURVEY = "survey"  # not scored: aggregated into shares (seed 001, Appendix E)


class Questionnaire(Strict):
    version: Identifier
    kind: QuestionnaireKind = QuestionnaireKind.INDEX
    title: Text
    published: str = Field(description="Year or date the version was published.")
    translation_status: dict[str, str] = Field(
        default_factory=dict, description="Per language: 'source', 'draft' or 'reviewed'."
    )
    provenance: Provenance
    facts: dict[str, Fact] = Field(default_factory=dict, description="Published facts of the version.")
    indicators: list[Indicator] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)

    @field_validator("indicators")
    @classmethod
    def _unique_indicators(cls, value: list[Indicator]) -> list[Indicator]:
        _no_repeats([i.id for i in value], "indicator")
        return value

    @field_validator("questions")
    @classmethod
    def _unique_questions(cls, value: list[Question]) -> list[Question]:
        _no_repeats([q.id for q in value], "question")
        return value

    @model_validator(mode="after")
    def _questions_in_known_indicators(self) -> Questionnaire:
        known = {i.id for i in self.indicators}
        for q in self.questions:
            if q.indicator not in known:
                raise ValueError(f"question {q.id!r} names unknown indicator {q.indicator!r}")
        if self.kind is QuestionnaireKind.SURVEY:
            return self  # a survey's sections need no scored question
        for ind in self.indicators:
            if not any(q.indicator == ind.id and q.scored for q in self.questions):
                raise ValueError(f"indicator {ind.id!r} has no scored question")
            if ind.core and not any(q.indicator == ind.id and q.core and q.scored for q in self.questions):
                raise ValueError(f"core indicator {ind.id!r} has no scored core question")
        return self

    # Lookups used everywhere; cheap enough to recompute on a frozen model.
    def indicator(self, indicator_id: str) -> Indicator:
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def questions_of(self, indicator_id: str) -> list[Question]:
        return [q for q in self.questions if q.indicator == indicator_id]

    @property
    def lens(self) -> list[Indicator]:
        return [i for i in self.indicators if i.group is IndicatorGroup.LENS]


def _no_repeats(ids: list[str], what: str) -> None:
    seen: set[str] = set()
    for i in ids:
        if i in seen:
            raise ValueError(f"{what} id {i!r} appears twice")
        seen.add(i)
