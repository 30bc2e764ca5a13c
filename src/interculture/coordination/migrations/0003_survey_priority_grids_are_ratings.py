"""The authorities' survey (seed 001, Appendix E): its priority grids are ratings from 1 to 5 with
ties allowed (1.10 from 1 to 4, 1.11 from 1 to 3), not rankings. The stored questionnaire takes
the bundled file's new definition, and every stored answer to those questions becomes ratings.

A stored ranking kept only the order (the numbers typed were renumbered 1, 2, 3...), and its
form said "1 is the highest priority": the first option gets the top of the scale, and each next
one a point less, down to the bottom of the scale. Backwards, ratings become the order, highest
first.
"""

import re
from importlib import resources
from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

VERSION = "cor-authorities-survey-2011"
SCALE_TOPS = {
    "part1.q1_4i": 5,
    "part1.q1_4ii": 5,
    "part1.q1_5i": 5,
    "part1.q1_5ii": 5,
    "part1.q1_6": 5,
    "part1.q1_8": 5,
    "part1.q1_9": 5,
    "part1.q1_10": 4,
    "part1.q1_11": 3,
}


def _answers(apps: StateApps) -> tuple[Any, Any]:
    version = apps.get_model("assessments", "QuestionnaireVersion").objects.filter(version=VERSION).first()
    if version is None:
        return None, []
    answers = apps.get_model("coordination", "SurveyAnswer").objects.filter(
        response__questionnaire=version, question_id__in=SCALE_TOPS
    )
    return version, answers


def ranks_to_ratings(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    version, answers = _answers(apps)
    if version is None:
        return
    if "type: ranking" in version.source_yaml:
        bundled = resources.files("interculture.data").joinpath("questionnaires", f"{VERSION}.yaml")
        version.source_yaml = bundled.read_text(encoding="utf-8")
        version.save(update_fields=["source_yaml"])
    for answer in answers:
        if isinstance(answer.value, list):
            top = SCALE_TOPS[answer.question_id]
            answer.value = {option: max(top - n, 1) for n, option in enumerate(answer.value)} or None
            answer.save(update_fields=["value"])


def ratings_to_ranks(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    version, answers = _answers(apps)
    if version is None:
        return
    text = re.sub(r"  type: rating\n  scale:\n    min: \d+\n    max: \d+\n", "  type: ranking\n", version.source_yaml)
    version.source_yaml = text.replace("  calendar_year: true\n", "")
    version.save(update_fields=["source_yaml"])
    for answer in answers:
        if isinstance(answer.value, dict):
            answer.value = sorted(answer.value, key=lambda option: -answer.value[option]) or None
            answer.save(update_fields=["value"])


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0004_city_profile_may_be_partial"),
        ("coordination", "0002_survey_responses_and_decision_history"),
    ]

    operations = [migrations.RunPython(ranks_to_ratings, ratings_to_ranks)]
