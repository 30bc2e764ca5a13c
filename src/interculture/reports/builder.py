"""The Index Report of a round, section by section, in the order of seed 002.

Every number comes from the engine (scores, benchmark, improvement path) or from data with its
source (the questionnaire version's published facts, the sample snapshot, the round's published
figures); every sentence from data (the report wording, the questionnaire's per-option report
texts and recommendations, the city's own comments, the practice base). A section carries the
fingerprint of what it was built from, so that an expert's edit of it can be flagged when the
answers change, and the generated narrative as Markdown, which an edit replaces (the figures,
charts, tables, ✓/✗ lists and suggestions always stay generated).

The builder reads the context once and calls the sections (`reports/sections/`) in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import override

from interculture.assessments import selectors
from interculture.assessments.models import AssessmentRound
from interculture.assessments.services import engine_questionnaire
from interculture.reports.sections.areas import add_areas
from interculture.reports.sections.closing import (
    add_conclusions,
    add_good_relations,
    add_improvement_path,
    add_recommendations,
)
from interculture.reports.sections.common import (
    ReportContext,
    Section,
)
from interculture.reports.sections.opening import (
    add_city_overview,
    add_definition,
    add_introduction,
    add_methodology,
)
from interculture.reports.wording import load_wording


@dataclass
class Report:
    round: AssessmentRound
    language: str
    title: str
    subtitle: str
    sections: list[Section]
    numbers: dict[str, float | None]  # every figure shown, by key, unrounded (for checks)
    fallback_note: str
    headline: float | None = None
    draft_notice: str = ""


def snapshot(year: int) -> dict[str, Any] | None:
    """The published sample snapshot of the round's year (the Index database when the report was
    written), from data/reference/icc-index.yaml; None when none is known."""
    entries = [e for e in selectors.index_facts()["sample_history"] if str(e["date"]).startswith(str(year))]
    return entries[-1] if entries else None


def build_report(round_: AssessmentRound, language: str, base_url: str = "") -> Report:
    """The whole report. `base_url` makes links absolute (for the PDF)."""
    with override(language):
        return _build(round_, language, base_url)


def _context(round_: AssessmentRound, language: str, base_url: str) -> ReportContext:
    stored = {a.question_id: a for a in round_.answers.all()}
    score = selectors.round_score(round_)
    return ReportContext(
        round=round_,
        language=language,
        base_url=base_url,
        wording=load_wording(),
        q=engine_questionnaire(round_.questionnaire),
        name=round_.city.localized_name(language),
        stored=stored,
        answers={qid: a.value for qid, a in stored.items()},
        score=score,
        bench=selectors.benchmark_round(round_),
        published={p.measure: p for p in round_.published_rates.all()},
        snap=snapshot(round_.year),
        edits={e.section: e for e in round_.report_edits.filter(language=language)},
        numbers={
            "lens": score.lens,
            "core_index": score.core_index,
            "extended_index": score.extended_index,
            "extended_lens": score.extended_lens,
        },
    )


def _build(round_: AssessmentRound, language: str, base_url: str) -> Report:
    ctx = _context(round_, language, base_url)
    ctx.numbers["sample_size"] = float(ctx.bench.sample_size)
    add_introduction(ctx)
    add_definition(ctx)
    add_methodology(ctx)
    add_city_overview(ctx)
    conclusions, recommendations = add_areas(ctx)
    add_good_relations(ctx)
    add_conclusions(ctx, conclusions)
    add_recommendations(ctx, recommendations)
    add_improvement_path(ctx)
    S = ctx.wording.sections
    name = ctx.name
    draft = language != "en" and ctx.q.translation_status.get(language) == "draft"
    return Report(
        round=round_,
        language=language,
        title=S.cover.title.get(language).format(city=name),
        subtitle=(S.cover.subtitle or S.cover.title).get(language).format(city=name, year=round_.year),
        sections=ctx.sections,
        numbers=ctx.numbers,
        fallback_note=S.fallback_note.get(language),
        headline=ctx.score.core_index,
        draft_notice=S.draft_translation.get(language) if draft else "",
    )
