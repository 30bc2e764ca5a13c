"""Reading coordination data: peers of a city for an area, with their practices; networks."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

from interculture.assessments import selectors
from interculture.assessments.models import AssessmentRound, City
from interculture.engine.peers import peers
from interculture.practices.models import Practice


def city_peers(round_: AssessmentRound, area: str, n: int = 5) -> list[dict[str, Any]]:
    """Cities strong in `area` and like the round's city, each with its practices in the base."""
    sample = selectors.sample_results(round_.questionnaire, include=round_)
    me = next(r for r in sample if r.city == round_.city.slug)
    cities = City.objects.in_bulk([r.city for r in sample], field_name="slug")
    countries = {slug: c.country for slug, c in cities.items()}
    out = []
    for p in peers(me, sample, area, countries, n=n):
        city = cities[p.city]
        practices = Practice.objects.filter(state=Practice.State.PUBLISHED, synthetic=False).filter(
            home_city=city
        ) | Practice.objects.filter(
            state=Practice.State.PUBLISHED, synthetic=False, city__iexact=city.name, country=city.country
        )
        out.append(
            {
                "city": city.slug,
                "name": city.name,
                "country": city.country,
                "rate": round(p.rate, 1),
                "gap": round(p.gap, 1),
                "shared": list(p.shared),
                "synthetic": p.synthetic,
                "practices": [
                    {"slug": x.slug, "title": x.data.get("title", {}).get("en", x.slug)}
                    for x in practices.distinct()
                ],
            }
        )
    return out


@cache
def networks() -> list[dict[str, Any]]:
    text = (
        resources.files("interculture.data")
        .joinpath("coordination", "networks.yaml")
        .read_text(encoding="utf-8")
    )
    return list(yaml.safe_load(text)["networks"])


def survey_results(version: Any) -> dict[str, Any]:
    """The aggregate tables of a survey from its raw responses (each response is a round of an
    authority on the survey's questionnaire): shares per question and responses per country."""
    from interculture.assessments.services import engine_questionnaire
    from interculture.engine.survey import responses_per, survey_tables

    q = engine_questionnaire(version)
    rounds = list(AssessmentRound.objects.filter(questionnaire=version).select_related("city"))
    responses = [dict(r.answers.values_list("question_id", "value")) for r in rounds]
    return {
        "questionnaire": q,
        "n": len(rounds),
        "synthetic": sum(r.city.synthetic for r in rounds),
        "tables": survey_tables(q, responses),
        "countries": responses_per([r.city.country for r in rounds]),
    }


def survey_rows(results: dict[str, Any], language: str) -> list[list[Any]]:
    """The tables flattened for CSV and XLSX: question, option, count, share (%), first, mean rank."""
    rows: list[list[Any]] = [
        ["question", "text", "option", "answered", "count", "share_percent", "ranked_first", "mean_rank"]
    ]
    for t in results["tables"]:
        text = t.question.text.get(language)
        for o in t.options:
            rows.append([t.question.id, text, o.option, t.answered, o.count, round(o.share, 1), "", ""])
        for r in t.ranks:
            mean = "" if r.mean_rank is None else round(r.mean_rank, 2)
            rows.append(
                [t.question.id, text, r.option, t.answered, r.first, round(r.first_share, 1), r.first, mean]
            )
    for country, n, share in results["countries"]:
        rows.append(["responses_per_country", "", country, "", n, round(share, 1), "", ""])
    return rows
