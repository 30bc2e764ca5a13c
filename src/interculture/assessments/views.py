"""The questionnaire page: the Index questions, their areas and the Index facts."""

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from interculture.assessments import selectors
from interculture.assessments.models import QuestionnaireVersion
from interculture.assessments.services.questionnaires import engine_questionnaire
from interculture.i18n import current_language, pick


def questionnaire(request: HttpRequest, version: str) -> HttpResponse:
    stored = get_object_or_404(QuestionnaireVersion, version=version)
    q = engine_questionnaire(stored)
    language = current_language()
    areas = [
        {
            "indicator": ind,
            "name": ind.name.get(language),
            "purpose": ind.purpose.get(language),
            "questions": [
                {"q": qu, "text": qu.text.get(language), "fallback": not qu.text.has(language)}
                for qu in q.questions_of(ind.id)
            ],
        }
        for ind in q.indicators
    ]
    return render(
        request,
        "assessments/questionnaire.html",
        {
            "stored": stored,
            "title": q.title.get(language),
            "q": q,
            "areas": areas,
            "facts": _localized_facts(selectors.index_facts(), language),
            "counts": {
                "questions": len(q.questions),
                "mandatory": sum(x.mandatory for x in q.questions),
                "core": sum(x.core for x in q.questions),
            },
        },
    )


def _localized_facts(facts: dict[str, Any], language: str) -> dict[str, Any]:
    """The Index facts for the page: names and note in the language, "2023-12" as a month."""
    return {
        "sample_history": [
            {**row, "month": date(int(str(row["date"])[:4]), int(str(row["date"])[5:7]), 1)}
            for row in facts["sample_history"]
        ],
        "versions": [{**row, "name": pick(row["name"], language)} for row in facts["versions"]],
        "note": pick(facts["note"], language),
    }
