"""The types every section of the report is built with, and the small helpers they share.

Apart from the builder so that the sections and the builder both import them (no cycle)."""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.template.defaultfilters import floatformat
from django.utils.dates import MONTHS
from django.utils.translation import override

from interculture.assessments.models import AssessmentRound
from interculture.engine.schema import Questionnaire, Text
from interculture.reports.markdown import markdown_html
from interculture.reports.models import SectionEdit
from interculture.reports.wording import Wording

FULL_SCORE = "full_score"  # the line of an area the city fully meets (no question behind it)


@dataclass
class Line:
    """A sentence of the report, marked when it falls back to English.

    `question` is the question it reports on ("" for a general sentence), `comment` and
    `evidence` the city's own words and the documents it names, `note` a label (e.g. that a
    recommendation goes beyond the reference report)."""

    text: str
    fallback: bool = False
    comment: str = ""
    evidence: list[str] = field(default_factory=list)
    question: str = ""
    note: Line | None = None
    comment_language: str = ""  # set when the city's words are in another language than the report

    @property
    def links(self) -> list[tuple[str, bool]]:
        """The evidence, each with whether it is an address (else a document's name)."""
        return [(e, e.startswith(("http://", "https://"))) for e in self.evidence]


@dataclass
class Section:
    id: str
    kind: str
    title: str
    context: dict[str, Any]
    basis: str
    edit: SectionEdit | None = None
    narrative: str = ""  # the generated narrative, as Markdown: what an edit replaces

    @property
    def edit_html(self) -> str:
        return markdown_html(self.edit.markdown) if self.edit is not None else ""

    @property
    def stale(self) -> bool:
        """The expert's edit was written on answers that have changed since."""
        return self.edit is not None and self.edit.basis != self.basis

    @property
    def diff(self) -> list[tuple[str, str]]:
        """The edit against the generated narrative, line by line: ("+"|"-"|" ", text)."""
        if self.edit is None:
            return []
        out = []
        for line in difflib.ndiff(self.narrative.splitlines(), self.edit.markdown.splitlines()):
            if line[:1] in "+- " and line[2:].strip():
                out.append((line[:1], line[2:]))
        return out


@dataclass
class ReportContext:
    """What every section of one report is built from, read once: the round, its answers and
    scores, the benchmark, the sample snapshot, the wording, and the sections and figures so far."""

    round: AssessmentRound
    language: str
    base_url: str
    wording: Wording
    q: Questionnaire
    name: str  # the city's name in the report's language
    stored: dict[str, Any]  # question id -> its stored answer (comment, evidence)
    answers: dict[str, Any]  # question id -> the answer's value
    score: Any
    bench: Any
    published: dict[str, Any]  # measure -> the round's published figure
    snap: dict[str, Any] | None
    edits: dict[str, SectionEdit]
    numbers: dict[str, float | None]
    sections: list[Section] = field(default_factory=list)

    @property
    def size_group(self) -> str:
        return f"size:{self.bench.size_band}"

    @property
    def diversity_group(self) -> str:
        return f"diversity:{self.bench.diversity_band}"

    def add(
        self, sid: str, kind: str, title: str, context: dict[str, Any], basis: Any, narrative: str = ""
    ) -> None:
        self.sections.append(
            Section(sid, kind, title, context, fingerprint(basis), self.edits.get(sid), narrative)
        )


def fingerprint(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def localized_line(text: Text | None, language: str, question: str = "") -> Line | None:
    if text is None:
        return None
    return Line(text.get(language), fallback=not text.has(language), question=question)


def format_line(text: Text, language: str, **values: Any) -> Line:
    return Line(text.get(language).format(**values), fallback=not text.has(language))


def percent(value: float | None) -> str:
    # The same rounding as the templates' floatformat (half up), so a rate reads the same everywhere.
    return "—" if value is None else str(floatformat(value, 0))


def month_year(date: str, language: str) -> str:
    """'2023-12' as the sentence needs it: "December 2023", "joulukuussa 2023", "i december 2023"."""
    year, month = date.split("-")[:2]
    with override(language):
        name = str(MONTHS[int(month)])
    if language == "fi":
        return f"{name.lower()}ssa {year}"
    if language == "sv":
        return f"i {name.lower()} {year}"
    return f"{name} {year}"
