"""The report's opening sections: introduction, definition, methodology (with the headline
table) and the city's overview."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

from django.template.defaultfilters import floatformat
from django.utils.formats import number_format
from django.utils.translation import gettext

from interculture.countries import country_name
from interculture.engine import content
from interculture.engine.schema import Questionnaire, Text
from interculture.reports.sections.common import (
    ReportContext,
    format_line,
    localized_line,
    month_year,
    percent,
)
from interculture.sources import cite


def add_introduction(ctx: ReportContext) -> None:
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
        "sample_year": month_year(snap["date"], language) if snap else ctx.round.year,
        "sample_source": cite(snap["source"]) if snap else gettext("the platform's comparison sample"),
    }
    intro = format_line(S.introduction.body or S.introduction.title, language, **facts)
    title = S.introduction.title.get(language).format(city=ctx.name)
    ctx.add("introduction", "text", title, {"body": intro}, facts, intro.text)


def add_definition(ctx: ReportContext) -> None:
    S = ctx.wording.sections
    definition = localized_line(S.definition.body, ctx.language)
    title = S.definition.title.get(ctx.language).format(city=ctx.name)
    ctx.add(
        "definition", "text", title, {"body": definition}, "definition", definition.text if definition else ""
    )


def _fact(q: Questionnaire, key: str, counted: Any) -> Any:
    """A published fact of the questionnaire version, else what this file counts."""
    fact = q.facts.get(key)
    return fact.value if fact is not None else counted


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
                date=month_year(snap["date"], language), extended=extended, city=ctx.name
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


def add_methodology(ctx: ReportContext) -> None:
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
    body = format_line(M.body or M.title, language, **method)
    headline = format_line(
        M.headline or M.title, language, city=ctx.name, core_index=percent(ctx.score.core_index)
    )
    synthetic_note = format_line(
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


@cache
def city_overview(slug: str) -> dict[str, Any]:
    """The overview facts (each with its source) of a bundled city's data file, if any."""
    path = resources.files("interculture.data").joinpath("cities", f"{slug}.yaml")
    if not path.is_file():
        return {}
    return dict(content.read_content_data(f"cities/{slug}.yaml", content.City).get("overview") or {})


def add_city_overview(ctx: ReportContext) -> None:
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
        {"line": localized_line(Text(**f["text"]), language), "source": cite(f["source"])}
        for f in profile.get("facts", [])
    ]
    overview_body = format_line(S.city_overview.body or S.city_overview.title, language, **overview)
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
