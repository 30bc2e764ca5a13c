"""Reads of the pathway in the reader's language: the Index questions an action can target, the
recommendations grouped by ICC area in the questionnaire's order, the timeline and the steps
reached, measured progress between rounds, the Good Relations framework and the strategy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, cast

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language

from interculture.accounts import permissions
from interculture.accounts.types import Visitor
from interculture.assessments import selectors
from interculture.assessments.models import City
from interculture.assessments.services import engine_questionnaire
from interculture.engine import content
from interculture.engine.schema import Questionnaire
from interculture.engine.scoring import is_blank, question_points
from interculture.pathway.models import (
    Action,
    IndicatorValue,
    Programme,
    Recommendation,
)


def city_questionnaire(city: City) -> Questionnaire | None:
    """The questionnaire of the city's latest round: the areas and questions its pathway uses."""
    round_ = selectors.latest_round(selectors.OPERATOR, city)  # only its questionnaire is read
    return engine_questionnaire(round_.questionnaire) if round_ else None


def question_choices(city: City, language: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(area name, [(question id, question text)]) per area: what an action may target."""
    q = city_questionnaire(city)
    if q is None:
        return []
    by_area: dict[str, list[tuple[str, str]]] = {ind.id: [] for ind in q.indicators}
    for question in q.questions:
        by_area.setdefault(question.indicator, []).append((question.id, question.text.get(language)))
    return [(ind.name.get(language), by_area[ind.id]) for ind in q.indicators if by_area[ind.id]]


def question_texts(city: City, language: str) -> dict[str, str]:
    """Question id -> its text in the language (an id the questionnaire lost stays as it is)."""
    return {qid: text for _area, group in question_choices(city, language) for qid, text in group}


def recommendation_text(rec: Recommendation, language: str, q: Questionnaire | None = None) -> str:
    """A report recommendation in the reader's language, from its round's questionnaire (`q`
    when the caller has it already); an expert's own is shown as they wrote it."""
    if rec.source == Recommendation.Source.REPORT and rec.round_id and rec.question_id:
        q = q or engine_questionnaire(rec.round.questionnaire)  # type: ignore[union-attr]
        try:
            text = q.question(rec.question_id).recommendation
        except KeyError:
            text = None
        if text is not None:
            return text.get(language)
    return rec.text


@dataclass(frozen=True)
class ShownRecommendation:
    rec: Recommendation
    text: str


@dataclass(frozen=True)
class AreaRecommendations:
    id: str
    name: str
    recommendations: list[ShownRecommendation]

    def count(self, status: str) -> int:
        return sum(1 for s in self.recommendations if s.rec.status == status)

    @property
    def accepted(self) -> int:
        return self.count(Recommendation.Status.ACCEPTED)

    @property
    def declined(self) -> int:
        return self.count(Recommendation.Status.DECLINED)

    @property
    def proposed(self) -> int:
        return self.count(Recommendation.Status.PROPOSED)


def recommendations_by_area(
    city: City, language: str, statuses: list[str] | None = None
) -> list[AreaRecommendations]:
    """The city's recommendations per ICC area, in the questionnaire's order (an area the
    questionnaire does not know comes last, under its id)."""
    recs = city.recommendations.select_related("round__questionnaire").prefetch_related("actions")
    if statuses is not None:
        recs = recs.filter(status__in=statuses)
    q = city_questionnaire(city)
    names = {ind.id: ind.name.get(language) for ind in q.indicators} if q else {}
    groups: dict[str, list[ShownRecommendation]] = {area: [] for area in names}
    parsed: dict[int, Questionnaire] = {}  # per questionnaire version, parsed once for the page
    for rec in recs:
        rq = None
        if rec.round is not None:
            version = rec.round.questionnaire
            if version.pk not in parsed:
                parsed[version.pk] = engine_questionnaire(version)
            rq = parsed[version.pk]
        shown = ShownRecommendation(rec, recommendation_text(rec, language, rq))
        groups.setdefault(rec.indicator_id, []).append(shown)
    return [
        AreaRecommendations(area, names.get(area, area), shown) for area, shown in groups.items() if shown
    ]


def recommendation_choices(city: City, language: str) -> list[tuple[Any, Any]]:
    """The accepted recommendations, grouped by area, for the action form's select."""
    return [("", "—")] + [
        (group.name, [(str(s.rec.pk), _short(s.text)) for s in group.recommendations])
        for group in recommendations_by_area(city, language, [Recommendation.Status.ACCEPTED])
    ]


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@cache
def good_relations() -> dict[str, Any]:
    """The Good Relations framework (four areas and their indicators), from data."""
    return dict(content.read_content_data("pathway/good-relations.yaml", content.GoodRelations))


def indicator_ids() -> set[str]:
    return {i["id"] for area in good_relations()["areas"] for i in area["indicators"]}


@dataclass(frozen=True)
class Event:
    date: date
    kind: str
    label: str
    detail: str = ""
    link: str = ""


def timeline(city: City, user: Visitor) -> list[Event]:
    """The city's pathway as `user` may see it: steps recorded by people, and the ones the
    platform knows by itself (rounds submitted and validated, reports published, visits, the
    strategy adopted). Events of rounds they may not see are left out; step notes, working-group
    members and documents only for those who may read the pathway.

    In date order, steps of one day in the pathway's order, and without duplicates: one
    submission and one validation per round (the latest, after any requested changes), one
    report publication per round whatever its languages, and a step the platform knows that a
    person also recorded on the same day once, as they recorded it."""
    from interculture.pathway.models import Step
    from interculture.reports.selectors import first_versions

    restricted = permissions.can_read_pathway(user, city)
    labels = dict(Step.Kind.choices)
    recorded = []
    for s in Step.objects.filter(city=city).prefetch_related("documents"):
        detail, link = "", ""
        if restricted:
            first = s.documents.first()
            detail = s.note or s.members.replace("\n", "; ")
            link = f"/pathway/documents/{first.pk}/" if first else ""
        recorded.append(Event(s.date, s.kind, s.get_kind_display(), detail, link))
    known: dict[tuple[str, object], Event] = {}  # (kind, what it is about) -> its one event
    for e in sorted(selectors.round_events(user, city, ["submitted", "validated"]), key=lambda e: e.at):
        kind = "round_submitted" if e.to_status == "submitted" else "round_validated"
        known[(kind, e.round_id)] = Event(
            timezone.localdate(e.at), kind, str(labels[kind]), str(e.round.year)
        )
    reports: dict[int, list[Any]] = {}
    for v in first_versions(user, city):
        reports.setdefault(v.round_id, []).append(v)
    language = get_language() or "en"
    for round_id, versions in reports.items():
        first = min(versions, key=lambda v: v.published_at)
        shown = next((v for v in versions if v.language == language), first)
        known[("report_published", round_id)] = Event(
            timezone.localdate(first.published_at),
            "report_published",
            str(labels["report_published"]),
            str(first.round.year),
            shown.get_absolute_url(),
        )
    for visit in city.visits.select_related("expert"):
        detail = visit.expert.name if restricted else ""
        known[("expert_visit", visit.pk)] = Event(
            visit.start, "expert_visit", str(labels["expert_visit"]), detail
        )
    for strategy in city.strategies.exclude(adopted_on=None):
        known[("strategy_adopted", strategy.pk)] = Event(
            cast(date, strategy.adopted_on),  # the query excludes None
            "strategy_adopted",
            str(labels["strategy_adopted"]),
            strategy.title,
        )
    by_hand = {(e.kind, e.date) for e in recorded}
    # the same step recorded twice (a form sent again) is one event
    events = list(dict.fromkeys(recorded)) + [e for e in known.values() if (e.kind, e.date) not in by_hand]
    order = {kind: n for n, kind in enumerate(Step.Kind.values)}
    return sorted(events, key=lambda e: (e.date, order.get(e.kind, len(order))))


def steps_reached(city: City, user: Visitor, events: list[Event]) -> dict[str, date | None]:
    """Each pathway step the city has reached, with the first date the timeline knows for it
    (None: reached, but without a dated event, e.g. a round imported as published)."""
    reached: dict[str, date | None] = {}
    for e in events:  # in date order: the first of each kind stays
        reached.setdefault(e.kind, e.date)
    statuses = selectors.city_statuses(user, city)
    if statuses & {"submitted", "validated", "published"}:
        reached.setdefault("round_submitted", None)
    if statuses & {"validated", "published"}:
        reached.setdefault("round_validated", None)
    if city.strategies.exists():
        reached.setdefault("strategy_drafted", None)  # a strategy the city writes is a draft until adopted
    return reached


def programme_overview(programme: Programme, user: Visitor) -> list[dict[str, Any]]:
    """Every municipality of a programme whose pathway `user` may read: the pathway steps
    reached and its latest published Index, from the rounds they may see."""
    rows = []
    for city in programme.cities.all().order_by("name"):
        if not permissions.can_read_pathway(user, city):
            continue
        events = timeline(city, user)
        latest = selectors.latest_round(user, city, statuses=["published"])
        score = selectors.round_score(latest) if latest else None
        rows.append(
            {
                "city": city,
                "reached": set(steps_reached(city, user, events)),
                "last": events[-1] if events else None,
                "core_index": score.core_index if score else None,
                "areas": {k: score.rate(k) for k in score.indicators} if score else {},
                "open_actions": city.actions.exclude(status__in=["done", "dropped"]).count(),
            }
        )
    return rows


def measured_progress(city: City, user: Visitor, language: str = "en") -> dict[str, Any] | None:
    """Between the city's last two validated or published rounds that `user` may see: each
    area's rate then and now, and for each action marked done whether its targeted questions
    changed."""
    rounds = list(
        selectors.rounds_for(user)
        .filter(city=city, status__in=["validated", "published"])
        .order_by("-year")[:2]
    )
    if len(rounds) < 2:
        return None
    now, then = rounds
    q = engine_questionnaire(now.questionnaire)
    s_now, s_then = selectors.round_score(now), selectors.round_score(then)
    a_now, a_then = selectors.round_answers(now), selectors.round_answers(then)
    areas = []
    for ind in q.indicators:
        before, after = s_then.rate(ind.id), s_now.rate(ind.id)
        change = None if before is None or after is None else after - before
        areas.append(
            {"id": ind.id, "name": ind.name.get(language), "then": before, "now": after, "change": change}
        )

    def points(answers: dict[str, Any], qid: str) -> float | None:
        try:
            question = q.question(qid)
        except KeyError:
            return None
        value = answers.get(qid)
        return None if is_blank(value) else question_points(question, value)

    actions = []
    for action in city.actions.filter(status=Action.Status.DONE):
        targets = [
            {
                "question": qid,
                "then": points(a_then, qid),
                "now": points(a_now, qid),
                "changed": a_then.get(qid) != a_now.get(qid),
            }
            for qid in action.questions
        ]
        actions.append(
            {
                "action": action,
                "targets": targets,
                "improved": any((t["now"] or 0) > (t["then"] or 0) for t in targets),
            }
        )
    return {
        "then": then,
        "now": now,
        "areas": areas,
        "actions": actions,
        "core_then": s_then.core_index,
        "core_now": s_now.core_index,
    }


def good_relations_table(city: City, language: str) -> list[dict[str, Any]]:
    """The four areas with each indicator's latest value, for the results page and the report."""
    latest: dict[str, IndicatorValue] = {}
    for v in city.good_relations.order_by("indicator_id", "year"):
        latest[v.indicator_id] = v
    return [
        {
            "area": area["name"].get(language) or area["name"]["en"],
            "indicators": [
                {
                    "name": i["name"].get(language) or i["name"]["en"],
                    "unit": i.get("unit", ""),
                    "value": latest.get(i["id"]),
                }
                for i in area["indicators"]
            ],
        }
        for area in good_relations()["areas"]
    ]


def strategy_document(city: City, language: str) -> dict[str, Any]:
    """The strategy's content: the city's vision, the Good Relations framing, and per ICC area
    the accepted recommendations with the actions that follow them up."""
    from interculture.reports.markdown import markdown_html

    strategy = city.strategies.first()
    q = city_questionnaire(city)
    area_of = {x.id: x.indicator for x in q.questions} if q else {}
    accepted = {
        group.id: group.recommendations
        for group in recommendations_by_area(city, language, [Recommendation.Status.ACCEPTED])
    }
    loose = list(city.actions.filter(recommendation=None))
    areas = []
    for ind in q.indicators if q else []:
        area_recs = accepted.get(ind.id, [])
        area_actions = [a for shown in area_recs for a in shown.rec.actions.all()] + [
            a for a in loose if any(area_of.get(qid) == ind.id for qid in a.questions)
        ]
        if area_recs or area_actions:
            areas.append(
                {"name": ind.name.get(language), "recommendations": area_recs, "actions": area_actions}
            )
    framework = good_relations()
    return {
        "city": city,
        "strategy": strategy,
        "vision_html": markdown_html(strategy.vision) if strategy and strategy.vision.strip() else "",
        "decided": {
            row["status"]: row["n"]
            for row in city.recommendations.values("status").annotate(n=models.Count("id"))
        },
        "good_relations": [
            {
                "name": a["name"].get(language) or a["name"]["en"],
                "description": a["description"].get(language) or a["description"]["en"],
            }
            for a in framework["areas"]
        ],
        "framework_name": (framework.get("name") or {}).get(language)
        or (framework.get("name") or {}).get("en", ""),
        "areas": areas,
    }
