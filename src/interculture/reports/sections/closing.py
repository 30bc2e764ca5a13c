"""The report's closing sections: good relations, conclusions, recommendations and the
improvement path."""

from __future__ import annotations

from typing import Any

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext

from interculture.engine.findings import improvement_path
from interculture.reports.sections.common import (
    ReportContext,
    format_line,
    localized_line,
)


def add_good_relations(ctx: ReportContext) -> None:
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


def add_conclusions(ctx: ReportContext, conclusions: list[dict[str, Any]]) -> None:
    S, language = ctx.wording.sections, ctx.language
    intro = format_line(S.conclusions.intro or S.conclusions.title, language, city=ctx.name)
    ctx.add(
        "conclusions",
        "conclusions",
        S.conclusions.title.get(language).format(city=ctx.name),
        {
            "intro": intro,
            "rows": conclusions,
            "met": localized_line(S.conclusions.met, language),
            "not_met": localized_line(S.conclusions.not_met, language),
        },
        [(c["area"], [x.text for x in c["met"]], [x.text for x in c["not_met"]]) for c in conclusions],
        intro.text,
    )


def add_recommendations(ctx: ReportContext, recommendations: list[dict[str, Any]]) -> None:
    S, language = ctx.wording.sections, ctx.language
    intro = format_line(S.recommendations.intro or S.recommendations.title, language, city=ctx.name)
    ctx.add(
        "recommendations",
        "recommendations",
        S.recommendations.title.get(language).format(city=ctx.name),
        {"intro": intro, "areas": recommendations},
        [(r["area"], [x.text for x in r["lines"]]) for r in recommendations],
        intro.text,
    )


def add_improvement_path(ctx: ReportContext) -> None:
    S, q, language = ctx.wording.sections, ctx.q, ctx.language
    steps = improvement_path(q, ctx.answers, 5)
    path = []
    for n, step in enumerate(steps, 1):
        ctx.numbers[f"gain:{step.question.id}"] = step.gain
        path.append(
            {
                "id": step.question.id,
                "question": localized_line(step.question.text, language),
                "area": q.indicator(step.question.indicator).name.get(language),
                "recommendation": localized_line(step.question.recommendation, language),
                "gain": step.gain,
                "gain_text": format_line(
                    S.improvement_path.gain or S.improvement_path.title,
                    language,
                    gain=floatformat(step.gain, 1),
                ),
                "n": n,
            }
        )
    intro = format_line(
        S.improvement_path.intro or S.improvement_path.title, language, city=ctx.name, n=len(path)
    )
    ctx.add(
        "improvement_path",
        "improvement_path",
        S.improvement_path.title.get(language).format(city=ctx.name),
        {"intro": intro, "steps": path},
        [(s.question.id, round(s.gain, 6)) for s in steps],
        intro.text,
    )
