"""The Index Report of a round, section by section, in the order of seed 002.

Every number comes from the engine (scores, benchmark, improvement path) or from data with its
source (the questionnaire version's published facts, the sample snapshot, the round's published
figures); every sentence from data (the report wording, the questionnaire's per-option report
texts and recommendations, the city's own comments, the practice base). A section carries the
fingerprint of what it was built from, so that an expert's edit of it can be flagged when the
answers change, and the generated narrative as Markdown, which an edit replaces (the figures,
charts, tables, ✓/✗ lists and suggestions always stay generated).
"""

from __future__ import annotations

import difflib
import hashlib
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from django.template.defaultfilters import floatformat
from django.utils.dates import MONTHS
from django.utils.formats import number_format
from django.utils.translation import gettext, override

from interculture import charts
from interculture.assessments import selectors
from interculture.assessments.models import AssessmentRound
from interculture.assessments.services import engine_questionnaire
from interculture.countries import country_name
from interculture.engine import content
from interculture.engine.findings import Finding, findings, improvement_path
from interculture.engine.schema import Indicator, Questionnaire, Text
from interculture.practices.models import Practice
from interculture.practices.selectors import suggest
from interculture.reports.markdown import markdown_html
from interculture.reports.models import SectionEdit
from interculture.reports.wording import Wording, load_wording
from interculture.sources import cite

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


def _fingerprint(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _line(text: Text | None, language: str, question: str = "") -> Line | None:
    if text is None:
        return None
    return Line(text.get(language), fallback=not text.has(language), question=question)


def _fmt(text: Text, language: str, **values: Any) -> Line:
    return Line(text.get(language).format(**values), fallback=not text.has(language))


def _pct(value: float | None) -> str:
    # The same rounding as the templates' floatformat (half up), so a rate reads the same everywhere.
    return "—" if value is None else str(floatformat(value, 0))


def _month_year(date: str, language: str) -> str:
    """'2023-12' as the sentence needs it: "December 2023", "joulukuussa 2023", "i december 2023"."""
    year, month = date.split("-")[:2]
    with override(language):
        name = str(MONTHS[int(month)])
    if language == "fi":
        return f"{name.lower()}ssa {year}"
    if language == "sv":
        return f"i {name.lower()} {year}"
    return f"{name} {year}"


def snapshot(year: int) -> dict[str, Any] | None:
    """The published sample snapshot of the round's year (the Index database when the report was
    written), from data/reference/icc-index.yaml; None when none is known."""
    entries = [e for e in selectors.index_facts()["sample_history"] if str(e["date"]).startswith(str(year))]
    return entries[-1] if entries else None


@cache
def city_overview(slug: str) -> dict[str, Any]:
    """The overview facts (each with its source) of a bundled city's data file, if any."""
    path = resources.files("interculture.data").joinpath("cities", f"{slug}.yaml")
    if not path.is_file():
        return {}
    return dict(content.read_content_data(f"cities/{slug}.yaml", content.City).get("overview") or {})


def build_report(round_: AssessmentRound, language: str, base_url: str = "") -> Report:
    """The whole report. `base_url` makes links absolute (for the PDF)."""
    with override(language):
        return _build(round_, language, base_url)


def _fact(q: Questionnaire, key: str, counted: Any) -> Any:
    """A published fact of the questionnaire version, else what this file counts."""
    fact = q.facts.get(key)
    return fact.value if fact is not None else counted


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
            Section(sid, kind, title, context, _fingerprint(basis), self.edits.get(sid), narrative)
        )


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
    _introduction(ctx)
    _definition(ctx)
    _methodology(ctx)
    _city_overview(ctx)
    conclusions, recommendations = _areas(ctx)
    _good_relations(ctx)
    _conclusions(ctx, conclusions)
    _recommendations(ctx, recommendations)
    _improvement_path(ctx)
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


def _introduction(ctx: ReportContext) -> None:
    S, language, snap = ctx.wording.sections, ctx.language, ctx.snap
    # The sample as the report was written (published snapshot) where known, else the platform's.
    sample_cities = snap["cities"] if snap else ctx.bench.sample_size
    ctx.numbers.update({"sample:cities": float(sample_cities)})
    if snap and snap.get("members"):
        ctx.numbers["sample:members"] = float(snap["members"])
    facts = {
        "city": ctx.name,
        "year": ctx.round.year,
        "sample_size": sample_cities,
        "members": snap.get("members", "—") if snap else "—",
        "sample_year": _month_year(snap["date"], language) if snap else ctx.round.year,
        "sample_source": cite(snap["source"]) if snap else gettext("the platform's comparison sample"),
    }
    intro = _fmt(S.introduction.body or S.introduction.title, language, **facts)
    title = S.introduction.title.get(language).format(city=ctx.name)
    ctx.add("introduction", "text", title, {"body": intro}, facts, intro.text)


def _definition(ctx: ReportContext) -> None:
    S = ctx.wording.sections
    definition = _line(S.definition.body, ctx.language)
    title = S.definition.title.get(ctx.language).format(city=ctx.name)
    ctx.add(
        "definition", "text", title, {"body": definition}, "definition", definition.text if definition else ""
    )


def _method_facts(ctx: ReportContext) -> dict[str, Any]:
    """The facts of the questionnaire version and of the sample snapshot, with sources."""
    M, q, language, snap, bench = ctx.wording.sections.methodology, ctx.q, ctx.language, ctx.snap, ctx.bench
    weights_equal = len({i.weight for i in q.indicators}) == 1
    extended = snap.get("extended") if snap else None
    extension_areas = _fact(q, "extension_areas", [i.id for i in q.indicators if not i.core])
    return {
        "city": ctx.name,
        "version": ctx.round.questionnaire.version,
        "questions": _fact(q, "questions", len(q.questions)),
        "mandatory": _fact(q, "mandatory", sum(x.mandatory for x in q.questions)),
        "indicators": _fact(q, "indicators", len(q.indicators)),
        "original_questions": _fact(q, "original_questions", sum(x.core for x in q.questions)),
        "extension_year": _fact(q, "extension_year", q.published),
        "extension_areas": ", ".join(
            q.indicator(a).name.get(language).lower()
            for a in extension_areas
            if a in {i.id for i in q.indicators}
        ),
        "weights": (M.weights_equal if weights_equal else M.weights_set or M.title).get(language),  # type: ignore[union-attr]
        "extended_sentence": (
            M.extended_sentence.get(language).format(
                date=_month_year(snap["date"], language), extended=extended, city=ctx.name
            )
            if snap and extended and M.extended_sentence
            else ""
        ),
        "size_band": bench.size_band,
        "size_n": bench.measures["core_index"][ctx.size_group].stats.n,
        "diversity_band": bench.diversity_band,
        "diversity_n": bench.measures["core_index"][ctx.diversity_group].stats.n,
    }


def _headline_rows(ctx: ReportContext) -> list[dict[str, Any]]:
    """Each index beside the sample's (published where the round has it) and its bands' means."""
    rows = []
    for key, label, sample_key in (
        ("core_index", gettext("Core index"), "core_index"),
        ("lens", gettext("Intercultural lens with the core index"), "lens"),
        ("extended_index", gettext("Extended index"), "extended_index"),
        ("extended_lens", gettext("Intercultural lens with the extended index"), None),
    ):
        groups = ctx.bench.measures.get(sample_key) if sample_key else None
        sample_mean = groups["sample"].stats.mean if groups else None
        source = ""
        published = ctx.published.get(sample_key) if sample_key else None
        if published and published.sample_rate is not None:
            sample_mean, source = published.sample_rate, cite(published.source)
        rows.append(
            {
                "key": key,
                "label": label,
                "city": ctx.numbers[key],
                "sample": sample_mean,
                "sample_source": source,
                "size": groups[ctx.size_group].stats.mean if groups else None,
                "diversity": groups[ctx.diversity_group].stats.mean if groups else None,
            }
        )
    return rows


def _methodology(ctx: ReportContext) -> None:
    M, language, bench, numbers = ctx.wording.sections.methodology, ctx.language, ctx.bench, ctx.numbers
    method = _method_facts(ctx)
    for key in ("questions", "mandatory", "indicators", "original_questions"):
        numbers[f"method:{key}"] = float(method[key])
    extended = ctx.snap.get("extended") if ctx.snap else None
    if extended:
        numbers["sample:extended"] = float(extended)
    numbers.update({"size_n": float(method["size_n"]), "diversity_n": float(method["diversity_n"])})
    headline_rows = _headline_rows(ctx)
    lens = ctx.published.get("lens")
    if lens and lens.sample_rate is not None:
        numbers["sample:lens"] = lens.sample_rate
    else:
        numbers["sample:lens"] = bench.measures["lens"]["sample"].stats.mean
    body = _fmt(M.body or M.title, language, **method)
    headline = _fmt(M.headline or M.title, language, city=ctx.name, core_index=_pct(ctx.score.core_index))
    synthetic_note = _fmt(
        M.synthetic_columns or M.title,
        language,
        synthetic=(
            M.synthetic_marker.get(language) if bench.synthetic_in_sample and M.synthetic_marker else ""
        ),
    )
    context = {
        "body": body,
        "headline": headline,
        "headline_title": (M.headline_table or M.title).get(language),
        "headline_rows": headline_rows,
        "headline_note": synthetic_note,
        "synthetic": bench.synthetic_in_sample,
        "sample_size": bench.sample_size,
        "size_band": bench.size_band,
        "diversity_band": bench.diversity_band,
    }
    title = M.title.get(language).format(city=ctx.name)
    ctx.add("methodology", "text", title, context, method, body.text + "\n\n" + headline.text)


def _city_overview(ctx: ReportContext) -> None:
    S, language, city = ctx.wording.sections, ctx.language, ctx.round.city
    overview = {
        "city": ctx.name,
        "country": country_name(city.country, language),
        "population": number_format(city.population, force_grouping=True),
        "population_year": city.population_year,
        "foreign_born_share": floatformat(city.foreign_born_share, 1)
        if city.foreign_born_share is not None
        else "—",
        "foreign_born_year": city.foreign_born_year,
    }
    profile = city_overview(city.slug)
    overview_facts: list[dict[str, Any]] = [
        {"line": _line(Text(**f["text"]), language), "source": cite(f["source"])}
        for f in profile.get("facts", [])
    ]
    overview_body = _fmt(S.city_overview.body or S.city_overview.title, language, **overview)
    ctx.add(
        "city_overview",
        "text",
        S.city_overview.title.get(language).format(city=ctx.name),
        {
            "body": overview_body,
            "facts": overview_facts,
            "sources_label": (S.city_overview.sources or S.city_overview.title).get(language),
        },
        [overview, [f["source"] for f in profile.get("facts", [])]],
        "\n\n".join([overview_body.text] + [f["line"].text for f in overview_facts if f["line"]]),
    )


def _areas(ctx: ReportContext) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
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
            _lens_section(ctx)
    return conclusions, recommendations


def _good_relations(ctx: ReportContext) -> None:
    city = ctx.round.city
    if not city.good_relations.exists():
        return
    # Lazy: pathway imports reports (the one upward import, see pyproject's contract).
    from interculture.pathway.selectors import good_relations_table

    table = good_relations_table(city, ctx.language)
    ctx.add(
        "good_relations",
        "good_relations",
        gettext("Good Relations indicators"),
        {"areas": table},
        [
            (a["area"], [(i["name"], getattr(i["value"], "value", None)) for i in a["indicators"]])
            for a in table
        ],
    )


def _conclusions(ctx: ReportContext, conclusions: list[dict[str, Any]]) -> None:
    S, language = ctx.wording.sections, ctx.language
    intro = _fmt(S.conclusions.intro or S.conclusions.title, language, city=ctx.name)
    ctx.add(
        "conclusions",
        "conclusions",
        S.conclusions.title.get(language).format(city=ctx.name),
        {
            "intro": intro,
            "rows": conclusions,
            "met": _line(S.conclusions.met, language),
            "not_met": _line(S.conclusions.not_met, language),
        },
        [(c["area"], [x.text for x in c["met"]], [x.text for x in c["not_met"]]) for c in conclusions],
        intro.text,
    )


def _recommendations(ctx: ReportContext, recommendations: list[dict[str, Any]]) -> None:
    S, language = ctx.wording.sections, ctx.language
    intro = _fmt(S.recommendations.intro or S.recommendations.title, language, city=ctx.name)
    ctx.add(
        "recommendations",
        "recommendations",
        S.recommendations.title.get(language).format(city=ctx.name),
        {"intro": intro, "areas": recommendations},
        [(r["area"], [x.text for x in r["lines"]]) for r in recommendations],
        intro.text,
    )


def _improvement_path(ctx: ReportContext) -> None:
    S, q, language = ctx.wording.sections, ctx.q, ctx.language
    steps = improvement_path(q, ctx.answers, 5)
    path = []
    for n, step in enumerate(steps, 1):
        ctx.numbers[f"gain:{step.question.id}"] = step.gain
        path.append(
            {
                "id": step.question.id,
                "question": _line(step.question.text, language),
                "area": q.indicator(step.question.indicator).name.get(language),
                "recommendation": _line(step.question.recommendation, language),
                "gain": step.gain,
                "gain_text": _fmt(
                    S.improvement_path.gain or S.improvement_path.title,
                    language,
                    gain=floatformat(step.gain, 1),
                ),
                "n": n,
            }
        )
    intro = _fmt(S.improvement_path.intro or S.improvement_path.title, language, city=ctx.name, n=len(path))
    ctx.add(
        "improvement_path",
        "improvement_path",
        S.improvement_path.title.get(language).format(city=ctx.name),
        {"intro": intro, "steps": path},
        [(s.question.id, round(s.gain, 6)) for s in steps],
        intro.text,
    )


def _lens_section(ctx: ReportContext) -> None:
    """002's "The city through an intercultural lens": the lens beside the model city's."""
    w, language, score = ctx.wording, ctx.language, ctx.score
    L = w.sections.lens
    sample = ctx.numbers["sample:lens"]
    source = ""
    lens = ctx.published.get("lens")
    if lens and lens.sample_rate is not None and L.published_source:
        source = L.published_source.get(language).format(source=cite(lens.source))
    body = _line(L.body, language)
    sentence = None
    if score.lens is not None and sample is not None:
        sentence = _fmt(
            L.sentence or L.title,
            language,
            city=ctx.name,
            comparison=w.compare(round(score.lens), round(sample), language),
            rate=_pct(score.lens),
            sample=_pct(sample),
            source=source,
        )
    ctx.add(
        "lens",
        "lens",
        L.title.get(language),
        {"body": body, "sentence": sentence, "rate": score.lens, "sample": sample},
        {"lens": score.lens, "sample": sample},
        "\n\n".join(x.text for x in (body, sentence) if x),
    )


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
        sentence = _fmt(
            w.comparison.sentence,
            language,
            city=ctx.name,
            area=ind.name.get(language),
            rate=_pct(rate),
            comparison=w.compare(round(rate), round(sample), language),
            sample=_pct(sample),
        )
    bands = []
    for label, group in ((bench.size_band, ctx.size_group), (bench.diversity_band, ctx.diversity_group)):
        stats = groups[group].stats
        if stats.mean is not None:
            band = _fmt(
                w.comparison.band_sentence,
                language,
                city=ctx.name,
                rate=_pct(rate),
                band_label=label,
                band_mean=_pct(stats.mean),
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
            rec = _line(f.question.recommendation, language, f.question.id)
            if rec is not None and f.question.recommendation_provenance is None and R.beyond:
                rec.note = _line(R.beyond, language)
            if rec is not None:
                out.recommendations.append(rec)
    return out


def _full_score(ctx: ReportContext, ind: Indicator, out: AreaFindings) -> None:
    """An area the city fully meets says so, and what to recommend when all is met."""
    A, R, language = ctx.wording.sections.area, ctx.wording.sections.recommendations, ctx.language
    out.does_not.append(_fmt(A.full_score, language, city=ctx.name))
    out.does_not[-1].question = FULL_SCORE
    if R.full_score:
        out.recommendations.append(_fmt(R.full_score, language, city=ctx.name, area=ind.name.get(language)))
        out.recommendations[-1].question = FULL_SCORE


def _extended_footnote(ctx: ReportContext, ind: Indicator) -> Line | None:
    """Where the extended index rates the area otherwise than the core index: both, derived."""
    A, language = ctx.wording.sections.area, ctx.language
    core_rate, extended_rate = ctx.score.rate(ind.id), ctx.score.indicators.get(ind.id)
    if core_rate is None or extended_rate is None or abs(core_rate - extended_rate) < 0.5:
        return None
    footnote = _fmt(
        A.footnote_extended,
        language,
        area=ind.name.get(language),
        core_rate=_pct(core_rate),
        extended_rate=_pct(extended_rate),
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
    practices = _practices(ctx, ind)
    footnote = _extended_footnote(ctx, ind)
    chart = _area_chart(ctx, rate, size, diversity)
    purpose = _line(ind.purpose, language)
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
        "chart_caption": _fmt(A.charts_caption, language, **caption),
        "does": found.does,
        "does_not": found.does_not,
        "full_score": full,
        "recommendations": found.recommendations,
        "practices": practices,
        "suggestions_intro": _fmt(
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


def _section_of(source: str) -> tuple[str, str]:
    """("002", "COMMITMENT") from a provenance such as "002, COMMITMENT (opening paragraph)"."""
    parts = [p.strip() for p in source.split(",")]
    section = parts[1].split("(")[0].strip() if len(parts) > 1 else ""
    return parts[0], section


def _practices(ctx: ReportContext, ind: Indicator) -> list[dict[str, Any]]:
    """The reference report's examples for this area first, in its order, then up to two of the
    platform's own suggestions, each labelled; an area the city fully meets gets them too."""
    round_, language, base_url = ctx.round, ctx.language, ctx.base_url
    A = ctx.wording.sections.area
    document, section = _section_of(ind.provenance.source)
    wanted = f"{document}, {section}, Suggestions"
    examples = [
        p
        for p in Practice.objects.filter(state=Practice.State.PUBLISHED, synthetic=False).order_by("pk")
        if (p.data.get("provenance") or {}).get("source") == wanted and p.home_city_id != round_.city_id
    ]

    def entry(p: Practice, label: Line) -> dict[str, Any]:
        return {
            "id": p.slug,
            "title": p.data["title"].get(language) or p.data["title"]["en"],
            "summary": (p.data.get("summary") or {}).get(language)
            or (p.data.get("summary") or {}).get("en", ""),
            "city": p.city or p.region,
            "country": country_name(p.country, language) if p.country else "",
            "url": f"{base_url}/practices/{p.slug}/",
            "label": label,
            "reference": label.question == "reference",
        }

    out = []
    for p in examples:
        label = _fmt(A.example_reference, language, source=f"{cite(document)}, {section.capitalize()}")
        label.question = "reference"
        out.append(entry(p, label))
    seen = {p.pk for p in examples}
    extra = 0
    for s in suggest(round_, ind.id, 2 + len(examples)):
        if s.practice.pk in seen or extra >= 2:
            continue
        seen.add(s.practice.pk)
        extra += 1
        out.append(entry(s.practice, _line(A.example_platform, language) or Line("")))
    return out


def _chosen(f: Finding) -> list[Any]:
    """The options the city chose (for a multiple choice: each one)."""
    if not f.answered:
        return []
    chosen = f.value if isinstance(f.value, list) else [f.value]
    return [o for o in f.question.options if o.id in chosen]
