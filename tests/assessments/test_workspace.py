"""The workspace's services and pages: rounds, assignments, autosave, conflicts, submission, review."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from interculture.assessments import selectors
from interculture.assessments.models import AnswerChange, AssessmentRound, RoundEvent
from interculture.assessments.services import workflow
from interculture.assessments.services.questionnaires import engine_questionnaire

pytestmark = pytest.mark.django_db

Q_EDU = "education.intercultural_projects"


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def test_open_round_carries_over_previous_answers(draft_round: AssessmentRound, team) -> None:  # type: ignore[no-untyped-def]
    previous = selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023)
    assert draft_round.answers.count() == previous.answers.count() == 84
    assert draft_round.status == "draft"
    first = draft_round.answers.get(question_id=Q_EDU)
    assert first.version == 1 and first.changes.get().changed_by == team["coordinator"]
    assert RoundEvent.objects.get(round=draft_round).to_status == "draft"
    with pytest.raises(workflow.WorkflowError):
        workflow.open_round(
            draft_round.city, 2025, version=draft_round.questionnaire, user=team["coordinator"]
        )


def test_only_the_coordinator_opens_and_assigns(draft_round: AssessmentRound, team) -> None:  # type: ignore[no-untyped-def]
    for who in ("contributor", "expert", "viewer", "other_coordinator"):
        with pytest.raises(PermissionDenied):
            workflow.open_round(draft_round.city, 2026, version=draft_round.questionnaire, user=team[who])
        with pytest.raises(PermissionDenied):
            workflow.assign_areas(draft_round, team[who], assignments={"media": [team["contributor"]]})
    with pytest.raises(workflow.WorkflowError):  # assignees must be members of the city
        workflow.assign_areas(draft_round, team["coordinator"], assignments={"media": [team["outsider"]]})


def test_contributor_edits_only_assigned_areas(draft_round: AssessmentRound, team) -> None:  # type: ignore[no-untyped-def]
    edu = draft_round.answers.get(question_id=Q_EDU)
    workflow.edit_answer(
        draft_round, Q_EDU, user=team["contributor"], value="none", expected_version=edu.version
    )
    media = draft_round.answers.filter(question_id__startswith="media.").first()
    with pytest.raises(PermissionDenied):
        workflow.edit_answer(
            draft_round,
            media.question_id,
            user=team["contributor"],
            value=media.value,
            expected_version=media.version,
        )


def test_area_page_shows_progress_and_questions(draft_round: AssessmentRound, team) -> None:  # type: ignore[no-untyped-def]
    html = (
        client_for(team["contributor"]).get("/workspace/hameenlinna/2025/areas/education/").content.decode()
    )
    assert 'id="q-education.intercultural_projects"' in html
    assert "hx-post=" in html and "data-autosave" in html
    assert "This area:" in html


def test_autosave_records_value_comment_and_evidence(draft_round: AssessmentRound, team) -> None:  # type: ignore[no-untyped-def]
    c = client_for(team["contributor"])
    version = draft_round.answers.get(question_id=Q_EDU).version
    r = c.post(
        f"/workspace/hameenlinna/2025/answers/{Q_EDU}/",
        {
            f"value-{Q_EDU}": "none",
            f"version-{Q_EDU}": version,
            f"comment-{Q_EDU}": "Checked with the schools",
            f"evidence-{Q_EDU}": "https://www.hameenlinna.fi/koulut\n\nhttps://www.hameenlinna.fi/koulut",
        },
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200
    assert 'hx-swap-oob="true"' in r.content.decode()
    answer = draft_round.answers.get(question_id=Q_EDU)
    assert (answer.value, answer.comment, answer.evidence) == (
        "none",
        "Checked with the schools",
        ["https://www.hameenlinna.fi/koulut"],
    )
    # The same post again (autosave fires on change and after typing) adds no version.
    c.post(
        f"/workspace/hameenlinna/2025/answers/{Q_EDU}/",
        {
            f"value-{Q_EDU}": "none",
            f"version-{Q_EDU}": answer.version,
            f"comment-{Q_EDU}": "Checked with the schools",
            f"evidence-{Q_EDU}": "https://www.hameenlinna.fi/koulut",
        },
        HTTP_HX_REQUEST="true",
    )
    assert draft_round.answers.get(question_id=Q_EDU).version == answer.version


def test_invalid_evidence_and_values_are_refused_and_nothing_changes(
    draft_round: AssessmentRound, team
) -> None:  # type: ignore[no-untyped-def]
    c = client_for(team["contributor"])
    before = draft_round.answers.get(question_id=Q_EDU)
    r = c.post(
        f"/workspace/hameenlinna/2025/answers/{Q_EDU}/",
        {
            f"value-{Q_EDU}": "no-such-option",
            f"version-{Q_EDU}": before.version,
            f"evidence-{Q_EDU}": "ftp://x",
        },
        HTTP_HX_REQUEST="true",
    )
    assert "Not saved" in r.content.decode()
    after = draft_round.answers.get(question_id=Q_EDU)
    assert (after.value, after.version) == (before.value, before.version)


def test_conflict_shows_both_values_and_lets_the_person_choose(draft_round: AssessmentRound, team) -> None:  # type: ignore[no-untyped-def]
    base = draft_round.answers.get(question_id=Q_EDU).version
    workflow.edit_answer(draft_round, Q_EDU, user=team["coordinator"], value="none", expected_version=base)
    c = client_for(team["contributor"])
    stale = {f"value-{Q_EDU}": "most_schools", f"version-{Q_EDU}": base}
    r = c.post(f"/workspace/hameenlinna/2025/answers/{Q_EDU}/", stale, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert r.status_code == 409
    assert "Their answer" in html and "Your answer" in html and "coordinator" in html
    assert draft_round.answers.get(question_id=Q_EDU).value == "none"  # not overwritten
    # The person keeps their own answer, knowingly.
    r = c.post(
        f"/workspace/hameenlinna/2025/answers/{Q_EDU}/",
        {
            **stale,
            "choice": "mine",
            f"mine-{Q_EDU}": json.dumps("most_schools"),
            f"their-version-{Q_EDU}": base + 1,
        },
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200
    answer = draft_round.answers.get(question_id=Q_EDU)
    assert (answer.value, answer.version) == ("most_schools", base + 2)
    history = [c.new_value for c in AnswerChange.objects.filter(answer=answer).order_by("version")]
    assert history[-2:] == ["none", "most_schools"]


def test_history_page_lists_who_when_old_and_new(draft_round: AssessmentRound, team) -> None:  # type: ignore[no-untyped-def]
    base = draft_round.answers.get(question_id=Q_EDU).version
    workflow.edit_answer(draft_round, Q_EDU, user=team["contributor"], value="none", expected_version=base)
    html = (
        client_for(team["expert"])
        .get(f"/workspace/hameenlinna/2025/answers/{Q_EDU}/history/")
        .content.decode()
    )
    assert "contributor" in html and "coordinator" in html
    assert html.count("<tr>") >= 3  # header + two changes


def test_submission_refused_with_links_to_missing_answers(draft_round: AssessmentRound, team) -> None:  # type: ignore[no-untyped-def]
    for answer in draft_round.answers.filter(question_id__in=[Q_EDU, "media.visibility_actions"]):
        workflow.edit_answer(
            draft_round,
            answer.question_id,
            user=team["coordinator"],
            value=None,
            expected_version=answer.version,
        )
    missing = workflow.missing_mandatory(draft_round)
    assert len(missing) >= 1
    r = client_for(team["coordinator"]).post("/workspace/hameenlinna/2025/", {"submit": "1"})
    assert r.status_code == 400
    html = r.content.decode()
    for q in missing:
        assert f"/workspace/hameenlinna/2025/areas/{q.indicator}/#q-{q.id}" in html
    assert AssessmentRound.objects.get(pk=draft_round.pk).status == "draft"


def _complete(round_: AssessmentRound, user) -> None:  # type: ignore[no-untyped-def]
    q = engine_questionnaire(round_.questionnaire)
    for question in workflow.missing_mandatory(round_):
        first = question.options[0].id if question.options else 0
        value = [first] if question.type == "multiple_choice" else first
        workflow.edit_answer(round_, question.id, user=user, value=value, expected_version=0)
    assert not workflow.missing_mandatory(round_) and q


def test_submit_review_request_changes_validate_publish(draft_round: AssessmentRound, team) -> None:  # type: ignore[no-untyped-def]
    _complete(draft_round, team["coordinator"])
    with pytest.raises(PermissionDenied):
        workflow.submit_round(draft_round, team["contributor"])
    workflow.submit_round(draft_round, team["coordinator"])
    # Once submitted, answers are frozen.
    edu = draft_round.answers.get(question_id=Q_EDU)
    with pytest.raises(workflow.WorkflowError):
        workflow.edit_answer(
            draft_round, Q_EDU, user=team["coordinator"], value="none", expected_version=edu.version
        )
    # The expert asks for a change on one answer; the round goes back to the city.
    r = client_for(team["expert"]).post(
        "/workspace/hameenlinna/2025/review/",
        {"action": "request_changes", f"review-{Q_EDU}": "Which schools?", "note": "One question"},
    )
    assert r.status_code == 302
    draft_round.refresh_from_db()
    assert draft_round.status == "changes_requested"
    area = (
        client_for(team["contributor"]).get("/workspace/hameenlinna/2025/areas/education/").content.decode()
    )
    assert "Which schools?" in area
    workflow.submit_round(draft_round, team["coordinator"])
    with pytest.raises(PermissionDenied):  # the expert reviews but does not validate
        workflow.validate_round(draft_round, team["expert"])
    c = client_for(team["secretariat"])
    assert c.post("/workspace/hameenlinna/2025/review/", {"action": "publish"}).status_code == 409
    draft_round.refresh_from_db()
    assert draft_round.status == "submitted"  # publishing needs validation first; refused
    c.post("/workspace/hameenlinna/2025/review/", {"action": "validate", "confirmed": "1"})
    c.post("/workspace/hameenlinna/2025/review/", {"action": "publish", "confirmed": "1"})
    draft_round.refresh_from_db()
    assert draft_round.status == "published"
    steps = list(draft_round.events.values_list("to_status", flat=True))
    assert steps == ["draft", "submitted", "changes_requested", "submitted", "validated", "published"]
    # Published: the public sees it, with the trend over both rounds.
    html = Client().get("/cities/hameenlinna/2025/").content.decode()
    assert "Results over time" in html and 'aria-labelledby="trend-caption"' in html


def test_results_page_shows_band_chart_and_ranks(client: Client) -> None:
    html = client.get("/cities/hameenlinna/2023/").content.decode()
    assert "Rank in size band" in html and "Rank in diversity band" in html
    assert html.count("<svg") >= 1 and 'aria-labelledby="rates-caption"' in html
    assert "synthetic" in html.lower()


def test_drafts_are_hidden_from_the_public_and_other_cities(draft_round: AssessmentRound, team) -> None:  # type: ignore[no-untyped-def]
    assert Client().get("/cities/hameenlinna/2025/").status_code == 404
    assert client_for(team["other_coordinator"]).get("/cities/hameenlinna/2025/").status_code == 404
    assert client_for(team["viewer"]).get("/cities/hameenlinna/2025/").status_code == 404
    assert client_for(team["contributor"]).get("/cities/hameenlinna/2025/").status_code == 200
    # The latest round the public sees is the published one.
    city_page = Client().get("/cities/hameenlinna/").content.decode()
    assert "/cities/hameenlinna/2023/" in city_page and "/cities/hameenlinna/2025/" not in city_page
