"""Reading coordination data: peers of a city for an area, with their practices; networks; the
survey's responses and its aggregate tables."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from interculture.accounts import permissions
from interculture.accounts.types import Visitor
from interculture.assessments import selectors
from interculture.assessments.models import AssessmentRound, City
from interculture.assessments.selectors import answer_context, index_areas
from interculture.assessments.services.questionnaires import engine_questionnaire
from interculture.coordination.models import (
    Decision,
    SurveyAnswer,
    SurveyItem,
    SurveyResponse,
)
from interculture.coordination.services import field_key, survey_questionnaire
from interculture.engine import content
from interculture.engine.benchmarking import size_band
from interculture.engine.peers import peers
from interculture.engine.scoring import is_blank
from interculture.engine.survey import responses_per, survey_tables
from interculture.practices.models import Practice, PracticeFacet


def city_peers(round_: AssessmentRound, area: str, n: int = 5) -> list[dict[str, Any]]:
    """Cities strong in `area` and like the round's city, each with its practices in the base."""
    sample = selectors.sample_results(round_.questionnaire, include=round_, kept_rates=True)
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


def like_city_practices(round_: AssessmentRound, area: str, n: int = 3) -> list[dict[str, Any]]:
    """Real cities like the round's city (same size band or country) with a published practice in
    `area`, the most alike first. The comparison sample's peers are mostly synthetic cities with
    no practices; these are the practice base's own cities, which have no Index scores here, so
    they are not called strong in the area, only alike and active in it."""
    city = round_.city
    my_band = size_band(city.population) if city.population else None
    practices = (
        Practice.objects.filter(state=Practice.State.PUBLISHED, synthetic=False)
        .filter(pk__in=PracticeFacet.objects.filter(key="icc_area", value=area).values("practice_id"))
        .exclude(home_city=city)
        .exclude(city__iexact=city.name, country=city.country)
        .exclude(city="")
    )
    found = []
    for x in practices:
        shared = tuple(
            trait
            for trait, alike in (
                (
                    "size",
                    my_band is not None and x.population is not None and size_band(x.population) == my_band,
                ),
                ("country", x.country == city.country),
            )
            if alike
        )
        if shared:
            titles = x.data.get("title", {})
            found.append(
                {"slug": x.slug, "titles": titles, "city": x.city, "country": x.country, "shared": shared}
            )
    found.sort(key=lambda f: (-len(f["shared"]), f["city"], f["slug"]))
    return found[:n]


@cache
def networks() -> list[dict[str, Any]]:
    return list(content.read_content_data("coordination/networks.yaml", content.Networks)["networks"])


@cache
def published_survey(version: str) -> dict[str, Any] | None:
    """What a source publishes of a survey's results (data/coordination/*-published.yaml)."""
    folder = resources.files("interculture.data").joinpath("coordination")
    for entry in folder.iterdir():
        if entry.name.endswith("-published.yaml"):
            data = content.read_content_data(f"coordination/{entry.name}", content.PublishedSurvey)
            if data.get("questionnaire") == version:
                return dict(data)
    return None


def survey_results(version: Any, include_synthetic: bool = True) -> dict[str, Any]:
    """The aggregate tables of a survey from its submitted responses: shares per question (the
    fact sheets' questions over the fact sheets) and responses per country, beside what the
    source published where it did."""
    q = survey_questionnaire(version)
    responses = SurveyResponse.objects.filter(questionnaire=version, status=SurveyResponse.Status.SUBMITTED)
    if not include_synthetic:
        responses = responses.filter(synthetic=False)
    found = list(responses.values_list("pk", "country", "synthetic"))
    countries = {pk: country for pk, country, _synthetic in found}
    by_response: dict[int, dict[str, Any]] = {pk: {} for pk in countries}
    by_item: dict[int, dict[str, Any]] = {}
    for response_id, item_id, qid, value in SurveyAnswer.objects.filter(response__in=responses).values_list(
        "response_id", "item_id", "question_id", "value"
    ):
        target = by_response[response_id] if item_id is None else by_item.setdefault(item_id, {})
        target[qid] = value
    items: dict[str, list[dict[str, Any]]] = {}
    sheets: dict[str, int] = {}
    for item_id, response_id, section in SurveyItem.objects.filter(response__in=responses).values_list(
        "pk", "response_id", "section"
    ):
        items.setdefault(section, []).append(by_item.get(item_id, {}))
        sheets[countries[response_id]] = sheets.get(countries[response_id], 0) + 1
    return {
        "questionnaire": q,
        "n": len(found),
        "items": sum(len(v) for v in items.values()),
        "synthetic": sum(synthetic for _pk, _country, synthetic in found),
        "tables": survey_tables(q, list(by_response.values()), items),
        "countries": responses_per(list(countries.values()), sheets),
        "published": published_survey(q.version),
    }


def survey_rows(results: dict[str, Any], language: str) -> list[list[Any]]:
    """The tables flattened for CSV and XLSX. Shares are of all respondents (of all fact sheets
    for Part 2), as in 001's tables, with the respondents who gave no answer as option "no_answer";
    a rated option's count is its top ratings (001's "higher priority")."""
    rows: list[list[Any]] = [
        ["question", "text", "option", "respondents", "count", "share_percent", "rated", "mean_rating"]
    ]
    for t in results["tables"]:
        text = t.question.text.get(language)
        for o in t.options:
            rows.append(
                [t.question.id, text, o.option, t.respondents, o.count, round(o.share_of_all, 1), "", ""]
            )
        for r in t.ratings:  # count and share: the top rating ("higher priority")
            mean = "" if r.mean is None else round(r.mean, 2)
            rows.append(
                [t.question.id, text, r.option, t.respondents, r.top, round(r.top_share, 1), r.rated, mean]
            )
        rows.append(
            [
                t.question.id,
                text,
                "no_answer",
                t.respondents,
                t.no_answer,
                round(t.no_answer_share, 1),
                "",
                "",
            ]
        )
    for c in results["countries"]:
        rows.append(
            ["responses_per_country", "", c.country, results["n"], c.responses, round(c.share, 1), "", ""]
        )
        rows.append(["fact_sheets_per_country", "", c.country, results["items"], c.items, "", "", ""])
    if results["synthetic"]:
        rows.append(
            ["synthetic_responses", "generated, not real", "", results["n"], results["synthetic"], "", "", ""]
        )
    return rows


def survey_page(response: SurveyResponse, section: str, language: str) -> dict[str, Any]:
    """One section of a response as the form shows it: its questions, or for a repeatable section
    its items, each with its questions, with the stored answers and their versions."""
    q = survey_questionnaire(response.questionnaire)
    indicator = q.indicator(section)
    stored = {(a.item_id, a.question_id): a for a in response.answers.all()}

    def fields(item: SurveyItem | None) -> list[dict[str, Any]]:
        out = []
        for x in q.questions_of(section):
            answer = stored.get((item.pk if item else None, x.id))
            ctx = answer_context(x, None, language)
            show_value(ctx, answer.value if answer else None)
            ctx.update(key=field_key(x.id, item), item=item, version=answer.version if answer else 0)
            out.append(ctx)
        return out

    items = (
        list(response.items.filter(section=section).select_related("practice"))
        if indicator.repeatable
        else []
    )
    return {
        "indicator": indicator,
        "name": indicator.name.get(language),
        "purpose": indicator.purpose.get(language),
        "fields": [] if indicator.repeatable else fields(None),
        "items": [{"item": i, "fields": fields(i)} for i in items],
    }


def show_value(field: dict[str, Any], value: Any) -> None:
    """Draw a field of a survey page with `value`: the stored one, or the person's own after a
    refusal or a conflict."""
    field["value"] = value
    chosen = set(value) if isinstance(value, list | dict) else {value}
    for o in field["options"]:
        o["checked"] = o["id"] in chosen
        o["rating"] = value.get(o["id"], "") if isinstance(value, dict) else ""


def survey_progress(response: SurveyResponse, language: str) -> list[dict[str, Any]]:
    """Per section: questions answered of questions asked (fact sheets counted apart)."""
    q = survey_questionnaire(response.questionnaire)
    answered: dict[str, int] = {}
    section_of = {x.id: x.indicator for x in q.questions}
    for qid, item_id, value in response.answers.values_list("question_id", "item_id", "value"):
        if item_id is None and not is_blank(value):
            answered[section_of.get(qid, "")] = answered.get(section_of.get(qid, ""), 0) + 1
    return [
        {
            "id": i.id,
            "name": i.name.get(language),
            "repeatable": i.repeatable,
            "answered": answered.get(i.id, 0),
            "total": len(q.questions_of(i.id)),
            "items": response.items.filter(section=i.id).count() if i.repeatable else 0,
        }
        for i in q.indicators
    ]


def visible_responses(user: Visitor, version: Any) -> list[SurveyResponse]:
    """The responses this person may open (never the synthetic ones: they have no one behind them)."""
    found = SurveyResponse.objects.filter(questionnaire=version, synthetic=False).select_related("city")
    return [r for r in found if permissions.can_read_response(user, r)]


@cache
def _competence_data(country: str) -> dict[str, Any]:
    try:
        return dict(
            content.read_content_data(f"coordination/competences-{country.lower()}.yaml", content.Competences)
        )
    except FileNotFoundError:
        return {}


def competence_matrix(country: str, language: str) -> dict[str, Any]:
    """The competence matrix with every label in the reader's language: policy fields (ICC area
    names from the questionnaire, the other fields from the data), levels and values. The notes
    exist in English only: `note_language` is "en" when the reader's language is another."""
    data = _competence_data(country)
    if not data:
        return {"levels": [], "rows": []}

    def text(value: dict[str, str]) -> str:
        return value.get(language) or value["en"]

    fields = dict(index_areas(language)) | {f["id"]: text(f["name"]) for f in data.get("extra_fields", [])}
    values = {v["id"]: text(v["name"]) for v in data.get("values", [])}
    levels = [(lvl["id"], text(lvl["name"])) for lvl in data.get("levels", [])]
    return {
        "levels": levels,
        "rows": [
            {
                "field": fields.get(row["field"], row["field"]),
                "levels": [values.get(row["levels"].get(i, ""), "—") for i, _name in levels],
                "note": row.get("note", ""),
                "note_language": "" if language == "en" else "en",
            }
            for row in data["competences"]
        ],
    }


@cache
def competences(country: str) -> dict[str, dict[str, Any]]:
    """Policy field -> {levels: {national, regional, local}, note, source, reconstructed}."""
    return {row["field"]: row for row in _competence_data(country).get("competences", [])}


def coordination_needed(round_: AssessmentRound) -> list[dict[str, Any]]:
    """The city's weak areas (below the sample mean) whose competence another level holds or
    shares: where the city cannot close the gap alone (seed 004)."""
    matrix = competences(round_.city.country)
    if not matrix:
        return []
    bench = selectors.benchmark_round(round_)
    q = engine_questionnaire(round_.questionnaire)
    out = []
    for ind in q.indicators:
        rate, mean = bench.rates.get(ind.id), bench.measures[ind.id]["sample"].stats.mean
        row = matrix.get(ind.id)
        if rate is None or mean is None or rate >= mean or row is None:
            continue
        others = [
            lvl for lvl in ("national", "regional") if row["levels"].get(lvl) in ("shared", "exclusive")
        ]
        if others:
            out.append(
                {"area": ind.id, "name": ind.name, "rate": rate, "mean": mean, "levels": others, "row": row}
            )
    return out


def open_commitments(country: str, today: date | None = None) -> dict[str, dict[str, int]]:
    """Open decisions per owner level, and how many of them are overdue."""
    today = today or timezone.localdate()
    rows = (
        Decision.objects.filter(meeting__body__country=country)
        .exclude(status__in=["done", "dropped"])
        .values("owner_level")
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(deadline__lt=today)))
    )
    return {r["owner_level"]: {"open": r["open"], "overdue": r["overdue"]} for r in rows}
