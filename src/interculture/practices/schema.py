"""The practice fact sheet as data: the schema of seed files, imports and exports.

The 16 fields of the case-study fact sheet of seed 001 (Appendix A/B), in their order, plus
the structured fields the practice base filters and maps by. Pure pydantic: no Django import,
so the same validation serves the seed loader, the importers and the API.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import pycountry
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from interculture.engine.schema import Provenance, Text

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]

# The 16 fact-sheet fields of 001 (Appendix A), in order, with their English labels.
FACT_SHEET_FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "Title"),
    ("country", "Country"),
    ("organiser", "Organiser/initiator"),
    ("start", "Start"),
    ("finish", "Finish"),
    ("type", "Type"),
    ("introduction", "Introduction and context"),
    ("policy_challenges", "Policy challenges"),
    ("objectives", "Objectives and target groups"),
    ("budget_text", "Budget"),
    ("activities", "Main activities"),
    ("relations", "Relations with other initiatives and partners"),
    ("outcomes", "Outcomes"),
    ("replication", "Scope for replication"),
    ("evaluation_text", "Internal/external evaluation"),
    ("contact", "Contact"),
)


# The free-text fact-sheet fields, as named in the Practice model below.
TEXT_FIELDS = (
    "organiser", "start", "finish", "type", "introduction", "policy_challenges", "objectives",
    "budget_text", "activities", "relations", "outcomes", "replication", "evaluation_text",
)  # fmt: skip


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Level(StrEnum):
    MUNICIPAL = "municipal"
    REGIONAL = "regional"
    NATIONAL = "national"
    EU = "eu"


class Dimension(StrEnum):
    """The three dimensions of integration policy (001 §2.3)."""

    POLITICAL_LEGAL = "political_legal"
    SOCIO_ECONOMIC = "socio_economic"
    CULTURAL = "cultural"


SUBCATEGORIES: dict[Dimension, tuple[str, ...]] = {
    Dimension.POLITICAL_LEGAL: ("civic_political_representation", "reception_legal_support"),
    Dimension.SOCIO_ECONOMIC: ("employment", "education_training", "housing_health"),
    Dimension.CULTURAL: ("anti_racism_dialogue", "language_training", "adapting_public_services"),
}

TARGET_GROUPS = (
    "third_country_nationals",
    "migrants",
    "refugees_asylum_seekers",
    "newcomers",
    "women",
    "children_youth",
    "parents",
    "elderly",
    "roma_minorities",
    "job_seekers",
    "entrepreneurs",
    "students",
    "migrant_organisations",
    "public_staff",
    "employers",
    "general_public",
)


class Funding(StrEnum):
    LOCAL = "local"
    REGIONAL = "regional"
    NATIONAL = "national"
    EU = "eu"
    PRIVATE = "private"
    OTHER = "other"


class Status(StrEnum):
    ONGOING = "ongoing"
    ENDED = "ended"
    UNKNOWN = "unknown"


class Rating(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    NOT_EVALUATED = "not_evaluated"


class Criterion(Strict):
    rating: Rating = Rating.NOT_EVALUATED
    evidence: str = ""

    @model_validator(mode="after")
    def _evidence_for_a_rating(self) -> Criterion:
        if self.rating is not Rating.NOT_EVALUATED and not self.evidence.strip():
            raise ValueError("a rating needs its evidence")
        return self


class Evaluation(Strict):
    """The evaluation grid of 001 §1.3."""

    relevance: Criterion = Field(default_factory=Criterion)
    effectiveness: Criterion = Field(default_factory=Criterion)
    efficiency: Criterion = Field(default_factory=Criterion)
    impact: Criterion = Field(default_factory=Criterion)
    sustainability: Criterion = Field(default_factory=Criterion)

    @property
    def evaluated(self) -> bool:
        return any(getattr(self, c).rating is not Rating.NOT_EVALUATED for c in CRITERIA)


CRITERIA = ("relevance", "effectiveness", "efficiency", "impact", "sustainability")


class Budget(Strict):
    as_stated: str = Field(default="", description="What the source says, in its words.")
    amount: float | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")
    period: str | None = Field(default=None, description="e.g. 'per year', '2011-2013', 'total'.")
    amount_eur: float | None = Field(default=None, ge=0)
    doubt: str | None = Field(
        default=None, description="Why the figure is uncertain (garbled, contradictory)."
    )


class Place(Strict):
    city: str | None = None
    region: str | None = None
    country: str = Field(description="ISO 3166-1 alpha-2 code.")
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)

    @field_validator("country")
    @classmethod
    def _iso_country(cls, value: str) -> str:
        if pycountry.countries.get(alpha_2=value.upper()) is None:
            raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code")
        return value.upper()


class Contact(Strict):
    """Personal data: shown to signed-in secretariat users only, left out of exports by default."""

    name: str = ""
    organisation: str = ""
    email: str = ""
    phone: str = ""


class Practice(Strict):
    slug: Slug
    title: Text
    original_title: str | None = Field(default=None, description="The title in the source's own language.")
    summary: Text
    source_language: str = Field(default="en", pattern=r"^[a-z]{2}$")
    translation_status: dict[str, str] = Field(default_factory=dict)
    # The fact sheet (001 Appendix A), in order; title and country are above and in `place`.
    organiser: str = ""
    start: str = ""
    finish: str = ""
    type: str = ""
    introduction: str = ""
    policy_challenges: str = ""
    objectives: str = ""
    budget_text: str = ""
    activities: str = ""
    relations: str = ""
    outcomes: str = ""
    replication: str = ""
    evaluation_text: str = ""
    contact: Contact | None = None
    # Structured fields.
    place: Place
    level: Level
    dimension: Dimension
    subcategory: str
    icc_areas: list[str] = Field(default_factory=list)
    target_groups: list[str] = Field(default_factory=list)
    funding: list[Funding] = Field(default_factory=list)
    budget: Budget = Field(default_factory=Budget)
    status: Status = Status.UNKNOWN
    evaluation: Evaluation = Field(default_factory=Evaluation)
    transferability: str = ""
    provenance: Provenance
    doubts: list[str] = Field(
        default_factory=list, description="Where the source is garbled or contradictory."
    )
    synthetic: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> Practice:
        allowed = SUBCATEGORIES[self.dimension]
        if self.subcategory not in allowed:
            raise ValueError(f"subcategory {self.subcategory!r} is not one of {', '.join(allowed)}")
        unknown = sorted(set(self.target_groups) - set(TARGET_GROUPS))
        if unknown:
            raise ValueError(f"unknown target group(s) {unknown}; known: {', '.join(TARGET_GROUPS)}")
        return self

    def check_areas(self, known: set[str]) -> None:
        unknown = sorted(set(self.icc_areas) - known)
        if unknown:
            raise ValueError(f"{self.slug}: unknown ICC area(s) {unknown}")


class PracticeFile(Strict):
    """A seed file: a list of practices with the provenance they share."""

    provenance: Provenance
    practices: list[Practice]

    @field_validator("practices")
    @classmethod
    def _unique(cls, value: list[Practice]) -> list[Practice]:
        seen: set[str] = set()
        for p in value:
            if p.slug in seen:
                raise ValueError(f"slug {p.slug!r} appears twice")
            seen.add(p.slug)
        return value
