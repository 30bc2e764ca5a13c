"""The synthetic survey responses of the demo, from data."""

from __future__ import annotations

import hashlib
from importlib import resources

from django.utils import timezone

from interculture.assessments.models import QuestionnaireVersion
from interculture.coordination.models import (
    SurveyAnswer,
    SurveyItem,
    SurveyResponse,
)
from interculture.coordination.services.survey import survey_questionnaire
from interculture.engine import content
from interculture.engine.synthetic import survey_responses, survey_spec

DATA = resources.files("interculture.data")


def load_synthetic_survey(filename: str = "survey-2012-published.yaml") -> int:
    """Synthetic responses standing in for the raw answers a source does not publish, drawn so
    that its published tables come out as published. Labelled synthetic. Idempotent."""
    text = DATA.joinpath("coordination", filename).read_text(encoding="utf-8")
    data = dict(content.read_content_data(f"coordination/{filename}", content.PublishedSurvey))
    version = QuestionnaireVersion.objects.get(version=data["questionnaire"])
    q = survey_questionnaire(version)
    generated = survey_responses(q, survey_spec(data))
    # Drawn again when the published figures or the questionnaire change (e.g. the grids that
    # became ratings): the source names what they were drawn from.
    drawn_from = hashlib.sha256((text + version.source_yaml).encode()).hexdigest()[:12]
    source = f"SYNTHETIC, interculture.engine.synthetic.survey_responses from data/coordination/{filename} ({drawn_from})"
    existing = SurveyResponse.objects.filter(questionnaire=version, synthetic=True)
    if existing.count() == len(generated) and not existing.exclude(source=source).exists():
        return 0
    existing.delete()
    section = next(i.id for i in q.indicators if i.repeatable)
    for g in generated:
        response = SurveyResponse.objects.create(
            questionnaire=version,
            authority=g.name,
            country=g.country,
            status=SurveyResponse.Status.SUBMITTED,
            submitted_at=timezone.now(),
            synthetic=True,
            source=source,
        )
        answers = [SurveyAnswer(response=response, question_id=k, value=v) for k, v in g.answers.items()]
        for n, item_answers in enumerate(g.items, start=1):
            item = SurveyItem.objects.create(response=response, section=section, number=n)
            answers += [
                SurveyAnswer(response=response, item=item, question_id=k, value=v)
                for k, v in item_answers.items()
            ]
        SurveyAnswer.objects.bulk_create(answers)
    return len(generated)
