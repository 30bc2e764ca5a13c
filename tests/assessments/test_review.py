"""The secretariat's review: the queue, the comparison with the previous round, comments on
answers, confirmation of submit, validate and publish, and the round page after review."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import translation

from interculture.assessments import selectors
from interculture.assessments.models import AssessmentRound, ReviewComment
from interculture.assessments.services import workflow
from interculture.assessments.services.questionnaires import engine_questionnaire

pytestmark = pytest.mark.django_db

Q_EDU = "education.intercultural_projects"
Q_MEDIA = "media.visibility_actions"


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def submitted(draft_round: AssessmentRound, team) -> AssessmentRound:  # type: ignore[no-untyped-def]
    """The 2025 draft with one answer changed since 2023, submitted."""
    edu = draft_round.answers.get(question_id=Q_EDU)
    workflow.edit_answer(
        draft_round, Q_EDU, user=team["coordinator"], value="none", expected_version=edu.version
    )
    workflow.submit_round(draft_round, team["coordinator"])
    return draft_round


def test_the_queue_lists_rounds_in_review_for_their_reviewers(submitted: AssessmentRound, team) -> None:  # type: ignore[no-untyped-def]
    for who in ("secretariat", "expert"):
        html = client_for(team[who]).get("/workspace/review/").content.decode()
        assert 'id="review-queue"' in html
        assert "/workspace/hameenlinna/2025/review/" in html and "Submitted" in html
        assert "/workspace/hameenlinna/2023/" not in html  # published: not in review any more
    for who in ("coordinator", "contributor", "viewer", "outsider"):
        assert client_for(team[who]).get("/workspace/review/").status_code == 403
    [row] = selectors.review_queue(team["secretariat"], "en")
    assert row["round"] == submitted and row["submitted_at"] is not None
    assert (
        row["progress"]["answered"] == row["progress"]["total"] - 2
    )  # two optional questions unanswered in 2023
    assert selectors.review_queue(team["other_coordinator"], "en") == []


def test_the_review_page_shows_the_previous_answer_and_what_changed(submitted: AssessmentRound, team) -> None:  # type: ignore[no-untyped-def]
    review = selectors.review_areas(submitted, team["secretariat"], "en")
    assert review["previous"].year == 2023 and not review["other_version"]
    rows = {x["q"].id: x for a in review["areas"] for x in a["questions"]}
    assert rows[Q_EDU]["change"] == "changed" and rows[Q_EDU]["value"] == "No"
    assert rows[Q_EDU]["previous"] == "Yes, all or most schools"
    assert rows[Q_MEDIA]["change"] == "unchanged"
    assert review["counts"]["changed"] == 1
    c = client_for(team["expert"])
    html = c.get("/workspace/hameenlinna/2025/review/").content.decode()
    assert "Answer 2023" in html and "Yes, all or most schools" in html and "change-changed" in html
    only = c.get("/workspace/hameenlinna/2025/review/?changes=1").content.decode()
    assert f'id="r-{Q_EDU}"' in only and f'id="r-{Q_MEDIA}"' not in only


def test_new_answer_and_no_previous_round(submitted: AssessmentRound, team) -> None:  # type: ignore[no-untyped-def]
    q = engine_questionnaire(submitted.questionnaire).question(Q_EDU)
    assert selectors.answer_change(q, "none", None, True) == "new"
    assert selectors.answer_change(q, None, None, True) == "unchanged"
    assert selectors.answer_change(q, "none", "none", False) == ""
    other = AssessmentRound.objects.get(city__slug="otherby", year=2025)
    review = selectors.review_areas(other, team["secretariat"], "en")
    assert review["previous"] is None
    html = client_for(team["secretariat"]).get("/workspace/otherby/2025/review/").content.decode()
    assert "no earlier round to compare with" in html


def test_submit_asks_for_confirmation_first(draft_round: AssessmentRound, team) -> None:  # type: ignore[no-untyped-def]
    c = client_for(team["coordinator"])
    r = c.post("/workspace/hameenlinna/2025/", {"submit": "1"})
    assert r.status_code == 200 and 'name="confirmed"' in r.content.decode()
    assert "Submit the 2025 round of Hämeenlinna?" in r.content.decode()
    draft_round.refresh_from_db()
    assert draft_round.status == "draft"
    r = c.post("/workspace/hameenlinna/2025/", {"submit": "1", "confirmed": "1"})
    assert r.status_code == 302
    draft_round.refresh_from_db()
    assert draft_round.status == "submitted"
    # A contributor is refused before any confirmation.
    assert (
        client_for(team["contributor"]).post("/workspace/hameenlinna/2025/", {"submit": "1"}).status_code
        == 403
    )


def test_validate_carries_the_typed_comments_through_the_confirmation(
    submitted: AssessmentRound, team
) -> None:  # type: ignore[no-untyped-def]
    c = client_for(team["secretariat"])
    form = {"action": "validate", f"review-{Q_EDU}": "Fine, thanks", "note": "Well done"}
    page = c.post("/workspace/hameenlinna/2025/review/", form).content.decode()
    assert f'name="review-{Q_EDU}" value="Fine, thanks"' in page and "2 review comments" in page
    assert not ReviewComment.objects.filter(round=submitted).exists()
    assert c.post("/workspace/hameenlinna/2025/review/", {**form, "confirmed": "1"}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == "validated"
    assert set(submitted.review_comments.values_list("question_id", "text")) == {
        (Q_EDU, "Fine, thanks"),
        ("", "Well done"),
    }


def test_publishing_is_offered_on_the_round_page_to_the_secretariat(submitted: AssessmentRound, team) -> None:  # type: ignore[no-untyped-def]
    workflow.validate_round(submitted, team["secretariat"])
    assert (
        'value="publish"'
        not in client_for(team["expert"]).get("/workspace/hameenlinna/2025/").content.decode()
    )
    c = client_for(team["secretariat"])
    assert 'id="publish"' in c.get("/workspace/hameenlinna/2025/").content.decode()
    confirm = c.post("/workspace/hameenlinna/2025/", {"action": "publish"}).content.decode()
    assert "Publish the results of Hämeenlinna 2025?" in confirm
    submitted.refresh_from_db()
    assert submitted.status == "validated"
    c.post("/workspace/hameenlinna/2025/", {"action": "publish", "confirmed": "1"})
    submitted.refresh_from_db()
    assert submitted.status == "published"
    # The expert may not publish, even with the confirmation posted by hand.
    with pytest.raises(PermissionDenied):
        workflow.check_step(submitted, team["expert"], name="publish")


def test_after_changes_are_requested_the_round_page_lists_the_commented_questions(
    submitted: AssessmentRound, team
) -> None:  # type: ignore[no-untyped-def]
    client_for(team["expert"]).post(
        "/workspace/hameenlinna/2025/review/",
        {"action": "request_changes", f"review-{Q_EDU}": "Which schools?", f"review-{Q_MEDIA}": "A link?"},
    )
    submitted.refresh_from_db()
    assert submitted.status == "changes_requested"
    html = client_for(team["contributor"]).get("/workspace/hameenlinna/2025/").content.decode()
    assert 'id="commented-questions"' in html and "2 questions have a reviewer" in html
    assert f"/workspace/hameenlinna/2025/areas/education/#q-{Q_EDU}" in html
    assert f"/workspace/hameenlinna/2025/areas/media/#q-{Q_MEDIA}" in html
    area = (
        client_for(team["contributor"]).get("/workspace/hameenlinna/2025/areas/education/").content.decode()
    )
    assert "Which schools?" in area


def test_round_history_lines_are_in_the_readers_language(submitted: AssessmentRound) -> None:
    for language, opened, submitted_line in [
        ("en", "Round opened from the 2023 answers (84 answers carried over)", "Submitted for validation"),
        (
            "fi",
            "Kierros avattiin vuoden 2023 vastauksista (84 vastausta siirrettiin)",
            "Lähetetty tarkastettavaksi",
        ),
        ("sv", "Omgången öppnades med svaren från 2023 (84 svar fördes över)", "Inskickad för validering"),
    ]:
        with translation.override(language):
            lines = [line["text"] for line in selectors.round_history(submitted)]
        assert lines == [opened, submitted_line], language
    assert submitted.events.first().note == ""  # the line is written when read, not stored in English
