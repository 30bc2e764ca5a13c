"""The Index Report of a round, section by section, in the order of seed 002.

Every number comes from the engine (scores, benchmark, improvement path); every sentence from
data (the report wording, the questionnaire's per-option report texts and recommendations,
the practice base). A section carries the fingerprint of what it was built from, so that an
expert's edit of it can be flagged when the answers change.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext, override

from interculture import charts
from interculture.assessments import selectors
from interculture.assessments.models import AssessmentRound
from interculture.assessments.services import engine_questionnaire
from interculture.engine.findings import Finding, findings, improvement_path
from interculture.engine.schema import Indicator, Text
from interculture.practices.selectors import suggest
from interculture.reports.markdown import markdown_html
from interculture.reports.models import SectionEdit
from interculture.reports.wording import Wording, load_wording


@dataclass
class Line:
    """A sentence of the report, marked when it falls back to English."""

    text: str
    fallback: bool = False
    comment: str = ""
    evidence: list[str] = field(default_factory=list)


@dataclass
class Section:
    id: str
    kind: str
    title: str
    context: dict[str, Any]
    basis: str
    edit: SectionEdit | None = None

    @property
    def edit_html(self) -> str:
        return markdown_html(self.edit.markdown) if self.edit is not None else ""

    @property
    def stale(self) -> bool:
        """The expert's edit was written on answers that have changed since."""
        return self.edit is not None and self.edit.basis != self.basis


@dataclass
class Report:
    round: AssessmentRound
    language: str
    title: str
    subtitle: str
    sections: list[Section]
    numbers: dict[str, float | None]  # every figure shown, by key, unrounded (for checks)
    fallback_note: str


def _fingerprint(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _line(text: Text | None, language: str) -> Line | None:
    if text is None:
        return None
    return Line(text.get(language), fallback=not text.has(language))


def _fmt(text: Text, language: str, **values: Any) -> Line:
    return Line(text.get(language).format(**values), fallback=not text.has(language))


def _pct(value: float | None) -> str:
    # The same rounding as the templates' floatformat (half up), so a rate reads the same everywhere.
    return "—" if value is None else str(floatformat(value, 0))


def build_report(round_: AssessmentRound, language: str, base_url: str = "") -> Report:
    """The whole report. `base_url` makes links absolute (for the PDF)."""
    with override(language):
        return _build(round_, language, base_url)


def _build(round_: AssessmentRound, language: str, base_url: str) -> Report:
    w = load_wording()
    S = w.sections
    q = engine_questionnaire(round_.questionnaire)
    city = round_.city
    name = city.localized_name(language)
    stored = {a.question_id: a for a in round_.answers.all()}
    answers = {qid: a.value for qid, a in stored.items()}
    score = selectors.round_score(round_)
    bench = selectors.benchmark_round(round_)
    size_group, diversity_group = f"size:{bench.size_band}", f"diversity:{bench.diversity_band}"
    numbers: dict[str, float | None] = {
        "lens": score.lens,
        "core_index": score.core_index,
        "extended_index": score.extended_index,
        "sample_size": float(bench.sample_size),
    }
    edits = {e.section: e for e in round_.report_edits.filter(language=language)}
    sections: list[Section] = []

    def add(sid: str, kind: str, title: str, context: dict[str, Any], basis: Any) -> None:
        sections.append(Section(sid, kind, title, context, _fingerprint(basis), edits.get(sid)))

    size_n = bench.measures["core_index"][size_group].stats.n
    diversity_n = bench.measures["core_index"][diversity_group].stats.n
    facts = {
        "city": name,
        "year": round_.year,
        "sample_size": bench.sample_size,
        "sample_year": round_.year,
    }
    add(
        "introduction",
        "text",
        S.introduction.title.get(language).format(city=name),
        {"body": _fmt(S.introduction.body or S.introduction.title, language, **facts)},
        facts,
    )
    add(
        "definition",
        "text",
        S.definition.title.get(language).format(city=name),
        {"body": _line(S.definition.body, language)},
        "definition",
    )
    method = {
        "version": round_.questionnaire.version,
        "questions": len(q.questions),
        "mandatory": sum(x.mandatory for x in q.questions),
        "core_questions": sum(x.core for x in q.questions),
        "indicators": len(q.indicators),
        "size_band": bench.size_band,
        "size_n": size_n,
        "diversity_band": bench.diversity_band,
        "diversity_n": diversity_n,
        "sample_size": bench.sample_size,
    }
    numbers.update({"size_n": float(size_n), "diversity_n": float(diversity_n)})
    add(
        "methodology",
        "text",
        S.methodology.title.get(language).format(city=name),
        {
            "body": _fmt(S.methodology.body or S.methodology.title, language, **method),
            "synthetic": bench.synthetic_in_sample,
            "sample_size": bench.sample_size,
        },
        method,
    )
    overview = {
        "city": name,
        "country": city.country_name,
        "population": f"{city.population:,}".replace(",", "\u202f"),
        "population_year": city.population_year,
        "foreign_born_share": f"{city.foreign_born_share:.1f}",
        "foreign_born_year": city.foreign_born_year,
    }
    add(
        "city_overview",
        "text",
        S.city_overview.title.get(language).format(city=name),
        {"body": _fmt(S.city_overview.body or S.city_overview.title, language, **overview)},
        overview,
    )

    conclusions = []
    recommendations = []
    for ind in q.indicators:
        area = _area(round_, ind, q, answers, stored, score, bench, w, language, name, base_url)
        numbers.update(area.pop("numbers"))
        add(f"area:{ind.id}", "area", ind.name.get(language), area, area["basis"])
        conclusions.append({"area": ind.name.get(language), "met": area["does"], "not_met": area["does_not"]})
        recs = [r for r in area["recommendations"] if r]
        if recs:
            recommendations.append({"area": ind.name.get(language), "lines": recs})

    if city.good_relations.exists():
        from interculture.pathway.services import good_relations_table

        table = good_relations_table(city, language)
        add(
            "good_relations",
            "good_relations",
            gettext("Good Relations indicators"),
            {"areas": table},
            [
                (a["area"], [(i["name"], getattr(i["value"], "value", None)) for i in a["indicators"]])
                for a in table
            ],
        )
    add(
        "conclusions",
        "conclusions",
        S.conclusions.title.get(language).format(city=name),
        {
            "intro": _fmt(S.conclusions.intro or S.conclusions.title, language, city=name),
            "rows": conclusions,
            "met": _line(S.conclusions.met, language),
            "not_met": _line(S.conclusions.not_met, language),
        },
        [(c["area"], [x.text for x in c["met"]], [x.text for x in c["not_met"]]) for c in conclusions],
    )
    add(
        "recommendations",
        "recommendations",
        S.recommendations.title.get(language).format(city=name),
        {
            "intro": _fmt(S.recommendations.intro or S.recommendations.title, language, city=name),
            "areas": recommendations,
        },
        [(r["area"], [x.text for x in r["lines"]]) for r in recommendations],
    )
    steps = improvement_path(q, answers, 5)
    path = []
    for n, step in enumerate(steps, 1):
        numbers[f"gain:{step.question.id}"] = step.gain
        path.append(
            {
                "id": step.question.id,
                "question": _line(step.question.text, language),
                "area": q.indicator(step.question.indicator).name.get(language),
                "recommendation": _line(step.question.recommendation, language),
                "gain": step.gain,
                "gain_text": _fmt(
                    S.improvement_path.gain or S.improvement_path.title, language, gain=f"{step.gain:.1f}"
                ),
                "n": n,
            }
        )
    add(
        "improvement_path",
        "improvement_path",
        S.improvement_path.title.get(language).format(city=name),
        {
            "intro": _fmt(
                S.improvement_path.intro or S.improvement_path.title, language, city=name, n=len(path)
            ),
            "steps": path,
        },
        [(s.question.id, round(s.gain, 6)) for s in steps],
    )
    return Report(
        round=round_,
        language=language,
        title=S.cover.title.get(language).format(city=name),
        subtitle=(S.cover.subtitle or S.cover.title).get(language).format(city=name, year=round_.year),
        sections=sections,
        numbers=numbers,
        fallback_note=S.fallback_note.get(language),
    )


def _area(
    round_: AssessmentRound,
    ind: Indicator,
    q: Any,
    answers: dict[str, Any],
    stored: dict[str, Any],
    score: Any,
    bench: Any,
    w: Wording,
    language: str,
    city: str,
    base_url: str,
) -> dict[str, Any]:
    A = w.sections.area
    groups = bench.measures[ind.id]
    rate = bench.rates.get(ind.id)
    sample = groups["sample"].stats.mean
    size = groups[f"size:{bench.size_band}"].stats
    diversity = groups[f"diversity:{bench.diversity_band}"].stats
    name = ind.name.get(language)
    sentence = None
    if rate is not None and sample is not None:
        sentence = _fmt(
            w.comparison.sentence,
            language,
            city=city,
            area=name,
            rate=_pct(rate),
            comparison=w.compare(rate, sample, language),
            sample=_pct(sample),
        )
    bands = []
    for label, stats in ((bench.size_band, size), (bench.diversity_band, diversity)):
        if stats.mean is not None:
            bands.append(
                _fmt(
                    w.comparison.band_sentence,
                    language,
                    city=city,
                    rate=_pct(rate),
                    band_label=label,
                    band_mean=_pct(stats.mean),
                    n=stats.n,
                )
            )
    does, does_not, recommendations = [], [], []
    items: list[Finding] = findings(q, answers, ind.id)
    for f in items:
        answer = stored.get(f.question.id)
        chosen = _chosen_texts(f, language)
        if not chosen:
            continue
        line = (
            chosen[0]
            if len(chosen) == 1
            else Line("; ".join(c.text for c in chosen), any(c.fallback for c in chosen))
        )
        if answer is not None:
            line.comment, line.evidence = answer.comment, list(answer.evidence)
        (does if f.points > 0 else does_not).append(line)
        if not f.met:
            recommendations.append(_line(f.question.recommendation, language))
    unmet = [f for f in items if not f.met]
    practices = []
    if unmet:
        for s in suggest(round_, ind.id, 3):
            p = s.as_dict(language)
            p["url"] = f"{base_url}/practices/{p['id']}/"
            practices.append(p)
    core_rate, extended_rate = score.rate(ind.id), score.indicators.get(ind.id)
    footnote = None
    if core_rate is not None and extended_rate is not None and abs(core_rate - extended_rate) >= 0.5:
        footnote = _fmt(
            A.footnote_extended,
            language,
            area=name,
            core_rate=_pct(core_rate),
            extended_rate=_pct(extended_rate),
        )
    chart = (
        charts.band_chart(
            city,
            rate,
            (
                (gettext("Size %(band)s") % {"band": bench.size_band}, size.mean),
                (gettext("Born abroad %(band)s") % {"band": bench.diversity_band}, diversity.mean),
            ),
        )
        if rate is not None
        else None
    )
    numbers = {
        f"rate:{ind.id}": rate,
        f"sample:{ind.id}": sample,
        f"size:{ind.id}": size.mean,
        f"diversity:{ind.id}": diversity.mean,
    }
    return {
        "indicator": ind,
        "purpose": _line(ind.purpose, language),
        "rate": rate,
        "sample": sample,
        "size": size,
        "diversity": diversity,
        "size_band": bench.size_band,
        "diversity_band": bench.diversity_band,
        "sentence": sentence,
        "bands": bands,
        "chart": chart,
        "chart_caption": _fmt(
            A.charts_caption,
            language,
            city=city,
            area=name,
            size_band=bench.size_band,
            diversity_band=bench.diversity_band,
        ),
        "does": does,
        "does_not": does_not,
        "recommendations": recommendations,
        "practices": practices,
        "suggestions_intro": _fmt(A.suggestions_intro, language, city=city, area=name),
        "footnote": footnote,
        "labels": {
            "rate_title": A.rate_title.get(language),
            "does": A.does.get(language).format(city=city),
            "does_not": A.does_not.get(language).format(city=city),
            "evidence": A.evidence.get(language),
            "comment": A.comment.get(language),
            "suggestions": A.suggestions.get(language),
        },
        "numbers": numbers,
        "basis": {
            "rate": rate,
            "answers": {
                f.question.id: [
                    f.value,
                    getattr(stored.get(f.question.id), "comment", ""),
                    getattr(stored.get(f.question.id), "evidence", []),
                ]
                for f in items
            },
        },
    }


def _chosen_texts(f: Finding, language: str) -> list[Line]:
    """The report texts of the options the city chose (for a multiple choice: each one)."""
    if not f.answered:
        return []
    chosen = f.value if isinstance(f.value, list) else [f.value]
    lines = []
    for option in f.question.options:
        if option.id in chosen and option.report_text is not None:
            line = _line(option.report_text, language)
            if line is not None:
                lines.append(line)
    return lines
