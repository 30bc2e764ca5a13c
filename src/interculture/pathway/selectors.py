"""Reads of the pathway in the reader's language: the Index questions an action can target and
the recommendations, both grouped by ICC area in the questionnaire's order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from interculture.assessments import selectors
from interculture.assessments.models import City
from interculture.assessments.services import engine_questionnaire
from interculture.engine.schema import Questionnaire
from interculture.pathway.models import Recommendation


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
