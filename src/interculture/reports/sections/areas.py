"""A section per ICC area: the rate beside the sample's and the bands', what the city does and
does not (yet) do, the recommendations and examples; and what each area adds to the conclusions."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from interculture import charts
from interculture.engine.findings import Finding, findings
from interculture.engine.schema import Indicator, Text
from interculture.reports.sections.common import (
    FULL_SCORE,
    Line,
    ReportContext,
    format_line,
    localized_line,
    percent,
)
from interculture.reports.sections.examples import area_practices
from interculture.reports.sections.lens import add_lens


def add_areas(ctx: ReportContext) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A section per ICC area (and the lens after commitment); what each area adds to the
    conclusions and to the recommendations."""
    conclusions = []
    recommendations = []
    language = ctx.language
    for ind in ctx.q.indicators:
        area = _area(ctx, ind)
        ctx.numbers.update(area.pop("numbers"))
        narrative = area.pop("narrative")
        ctx.add(f"area:{ind.id}", "area", ind.name.get(language), area, area["basis"], narrative)
        conclusions.append(
            {"id": ind.id, "area": ind.name.get(language), "met": area["does"], "not_met": area["does_not"]}
        )
        recs = [r for r in area["recommendations"] if r]
        if recs:
            recommendations.append({"id": ind.id, "area": ind.name.get(language), "lines": recs})
        if ind.id == "commitment" and ctx.q.lens:
            add_lens(ctx)
    return conclusions, recommendations


@dataclass
class AreaFindings:
    """What an area's answers say: the city does, does not (yet), and what to do next."""

    does: list[Line] = field(default_factory=list)
    does_not: list[Line] = field(default_factory=list)
    recommendations: list[Line] = field(default_factory=list)


def _comparison(ctx: ReportContext, ind: Indicator) -> tuple[Line | None, list[Line]]:
    """The area's rate beside the sample's, and beside each band's mean."""
    w, language, bench = ctx.wording, ctx.language, ctx.bench
    groups = bench.measures[ind.id]
    rate = bench.rates.get(ind.id)
    sample = groups["sample"].stats.mean
    sentence = None
    if rate is not None and sample is not None:
        sentence = format_line(
            w.comparison.sentence,
            language,
            city=ctx.name,
            area=ind.name.get(language),
            rate=percent(rate),
            comparison=w.compare(round(rate), round(sample), language),
            sample=percent(sample),
        )
    bands = []
    for label, group in ((bench.size_band, ctx.size_group), (bench.diversity_band, ctx.diversity_group)):
        stats = groups[group].stats
        if stats.mean is not None:
            band = format_line(
                w.comparison.band_sentence,
                language,
                city=ctx.name,
                rate=percent(rate),
                band_label=label,
                band_mean=percent(stats.mean),
                n=stats.n,
            )
            if bench.synthetic_in_sample:
                # synthetic figures say so where they stand
                band.text += w.sections.area.band_synthetic.get(language)
            bands.append(band)
    return sentence, bands


def _joined(texts: list[Text], language: str, question: str) -> Line:
    """Whole sentences, one after the other (never joined as fragments)."""
    return Line(
        " ".join(t.get(language) for t in texts),
        fallback=any(not t.has(language) for t in texts),
        question=question,
    )


def _area_findings(ctx: ReportContext, items: list[Finding]) -> AreaFindings:
    language = ctx.language
    R = ctx.wording.sections.recommendations
    out = AreaFindings()
    for f in items:
        answer = ctx.stored.get(f.question.id)
        chosen = _chosen(f)
        if not chosen:
            continue
        texts = [o.report_text for o in chosen if o.report_text is not None]
        if texts:
            line = _joined(texts, language, f.question.id)
            if answer is not None:
                line.comment, line.evidence = answer.comment, list(answer.evidence)
                if ctx.round.answers_language and ctx.round.answers_language != language:
                    line.comment_language = ctx.round.answers_language
            (out.does if f.points > 0 else out.does_not).append(line)
        if f.partly:
            missing = [o.report_text_missing for o in chosen if o.report_text_missing is not None]
            if missing:
                out.does_not.append(_joined(missing, language, f.question.id))
        if not f.met and f.question.recommendation is not None:
            rec = localized_line(f.question.recommendation, language, f.question.id)
            if rec is not None and f.question.recommendation_provenance is None and R.beyond:
                rec.note = localized_line(R.beyond, language)
            if rec is not None:
                out.recommendations.append(rec)
    return out


def _full_score(ctx: ReportContext, ind: Indicator, out: AreaFindings) -> None:
    """An area the city fully meets says so, and what to recommend when all is met."""
    A, R, language = ctx.wording.sections.area, ctx.wording.sections.recommendations, ctx.language
    out.does_not.append(format_line(A.full_score, language, city=ctx.name))
    out.does_not[-1].question = FULL_SCORE
    if R.full_score:
        out.recommendations.append(
            format_line(R.full_score, language, city=ctx.name, area=ind.name.get(language))
        )
        out.recommendations[-1].question = FULL_SCORE


def _extended_footnote(ctx: ReportContext, ind: Indicator) -> Line | None:
    """Where the extended index rates the area otherwise than the core index: both, derived."""
    A, language = ctx.wording.sections.area, ctx.language
    core_rate, extended_rate = ctx.score.rate(ind.id), ctx.score.indicators.get(ind.id)
    if core_rate is None or extended_rate is None or abs(core_rate - extended_rate) < 0.5:
        return None
    footnote = format_line(
        A.footnote_extended,
        language,
        area=ind.name.get(language),
        core_rate=percent(core_rate),
        extended_rate=percent(extended_rate),
    )
    footnote.text += A.footnote_derived.get(language)  # derived, and says so
    return footnote


def _area_chart(ctx: ReportContext, rate: float | None, size: Any, diversity: Any) -> Any:
    if rate is None:
        return None
    bench = ctx.bench
    return charts.band_chart(
        ctx.name,
        rate,
        (
            (gettext("Size %(band)s") % {"band": bench.size_band}, size.mean),
            (gettext("Born abroad %(band)s") % {"band": bench.diversity_band}, diversity.mean),
        ),
    )


def _area_labels(ctx: ReportContext) -> dict[str, str]:
    A, language = ctx.wording.sections.area, ctx.language
    return {
        "rate_title": A.rate_title.get(language),
        "does": A.does.get(language).format(city=ctx.name),
        "does_not": A.does_not.get(language).format(city=ctx.name),
        "evidence": A.city_sources.get(language),
        "comment": A.comment.get(language),
        "suggestions": A.suggestions.get(language),
    }


def _area(ctx: ReportContext, ind: Indicator) -> dict[str, Any]:
    A, language, bench = ctx.wording.sections.area, ctx.language, ctx.bench
    groups = bench.measures[ind.id]
    rate = bench.rates.get(ind.id)
    sample = groups["sample"].stats.mean
    size, diversity = groups[ctx.size_group].stats, groups[ctx.diversity_group].stats
    name = ind.name.get(language)
    sentence, bands = _comparison(ctx, ind)
    items: list[Finding] = findings(ctx.q, ctx.answers, ind.id)
    found = _area_findings(ctx, items)
    full = rate is not None and rate >= 100
    if full:
        _full_score(ctx, ind, found)
    practices = area_practices(ctx, ind)
    footnote = _extended_footnote(ctx, ind)
    chart = _area_chart(ctx, rate, size, diversity)
    purpose = localized_line(ind.purpose, language)
    caption = dict(city=ctx.name, area=name, size_band=bench.size_band, diversity_band=bench.diversity_band)
    return {
        "indicator": ind,
        "purpose": purpose,
        "rate": rate,
        "sample": sample,
        "size": size,
        "diversity": diversity,
        "size_band": bench.size_band,
        "diversity_band": bench.diversity_band,
        "sentence": sentence,
        "bands": bands,
        "chart": chart,
        "chart_caption": format_line(A.charts_caption, language, **caption),
        "does": found.does,
        "does_not": found.does_not,
        "full_score": full,
        "recommendations": found.recommendations,
        "practices": practices,
        "suggestions_intro": format_line(
            A.suggestions_met if full else A.suggestions_intro, language, city=ctx.name, area=name
        ),
        "footnote": footnote,
        "labels": _area_labels(ctx),
        "numbers": {
            f"rate:{ind.id}": rate,
            f"sample:{ind.id}": sample,
            f"size:{ind.id}": size.mean,
            f"diversity:{ind.id}": diversity.mean,
        },
        "narrative": "\n\n".join(x.text for x in [purpose, sentence, *bands] if x),
        "basis": {"rate": rate, "answers": _answers_basis(ctx, items)},
    }


def _answers_basis(ctx: ReportContext, items: list[Finding]) -> dict[str, list[Any]]:
    """The answers an area's section is built from (value, comment, evidence), for its fingerprint."""
    return {
        f.question.id: [
            f.value,
            getattr(ctx.stored.get(f.question.id), "comment", ""),
            getattr(ctx.stored.get(f.question.id), "evidence", []),
        ]
        for f in items
    }


def _chosen(f: Finding) -> list[Any]:
    """The options the city chose (for a multiple choice: each one)."""
    if not f.answered:
        return []
    chosen = f.value if isinstance(f.value, list) else [f.value]
    return [o for o in f.question.options if o.id in chosen]
