"""Recording answers: history of every change, optimistic concurrency, invalid values."""

import pytest
from django.contrib.auth.models import User

from interculture.assessments import selectors
from interculture.assessments.models import AnswerChange, AssessmentRound, City
from interculture.assessments.services.answers import AnswerConflict, AnswersRejected, record_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft() -> AssessmentRound:
    hameenlinna = City.objects.get(slug="hameenlinna")
    published = selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023)
    return AssessmentRound.objects.create(city=hameenlinna, year=2025, questionnaire=published.questionnaire)


def test_every_change_is_kept(draft: AssessmentRound) -> None:
    officer = User.objects.create_user("officer")
    first = record_answer(draft, "commitment.public_statement", value="no", user=officer, expected_version=0)
    second = record_answer(
        draft, "commitment.public_statement", value="yes", expected_version=1, comment="Adopted 2025"
    )
    assert (first.version, second.version) == (1, 2)
    history = list(AnswerChange.objects.filter(answer=second).order_by("version"))
    assert [(h.old_value, h.new_value) for h in history] == [(None, "no"), ("no", "yes")]
    assert history[0].changed_by == officer and history[1].new_comment == "Adopted 2025"


def test_a_stale_edit_is_a_conflict_with_both_values(draft: AssessmentRound) -> None:
    record_answer(draft, "education.intercultural_projects", value="most_schools", expected_version=0)
    # Two people opened version 1; the first saves...
    record_answer(draft, "education.intercultural_projects", value="none", expected_version=1)
    # ...the second saves on top of the version they saw: refused, and told both values.
    with pytest.raises(AnswerConflict) as exc:
        record_answer(draft, "education.intercultural_projects", value="most_schools", expected_version=1)
    assert (exc.value.current_value, exc.value.current_version, exc.value.your_value) == (
        "none",
        2,
        "most_schools",
    )
    answer = draft.answers.get(question_id="education.intercultural_projects")
    assert (answer.value, answer.version) == ("none", 2)
    assert answer.changes.count() == 2


def test_an_invalid_value_changes_nothing(draft: AssessmentRound) -> None:
    record_answer(draft, "commitment.budget", value="none", expected_version=0)
    with pytest.raises(AnswersRejected, match="unknown option"):
        record_answer(draft, "commitment.budget", value="lots", expected_version=1)
    answer = draft.answers.get(question_id="commitment.budget")
    assert (answer.value, answer.version, answer.changes.count()) == ("none", 1, 1)


def test_scores_follow_recorded_answers(draft: AssessmentRound) -> None:
    assert selectors.round_score(draft).indicators["commitment"] is None
    record_answer(draft, "commitment.public_statement", value="yes")
    assert selectors.round_score(draft).indicators["commitment"] > 0


def test_evidence_is_an_address_or_a_documents_name(draft: AssessmentRound) -> None:
    """The demo answers name documents ("Kumppanuustalo Centre"); saving them again must work,
    while something written as an address must be http(s)."""
    saved = record_answer(
        draft,
        "commitment.public_statement",
        value="no",
        expected_version=0,
        evidence=[
            "Kumppanuustalo Centre",
            "https://www.hameenlinna.fi/kotoutuminen",
            "Council decision 12/2023",
        ],
    )
    assert saved.evidence == [
        "Kumppanuustalo Centre",
        "https://www.hameenlinna.fi/kotoutuminen",
        "Council decision 12/2023",
    ]
    for hostile in ["javascript:alert(1)", "file:///etc/passwd", "ftp://example.org/x"]:
        with pytest.raises(AnswersRejected, match="http"):
            record_answer(
                draft, "commitment.public_statement", value="no", expected_version=1, evidence=[hostile]
            )
