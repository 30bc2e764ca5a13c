"""One visibility rule for rounds: a round and everything derived from it (answers, scores,
suggestions, peers, timeline events, reports and their versions) reaches a person only if
permissions.can_view_round allows it; selectors.rounds_for is the same rule as a query.

The leaks found before the rule existed are regression tests here, each tried as an outsider.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from interculture.accounts import permissions
from interculture.accounts import services as accounts
from interculture.assessments import selectors
from interculture.assessments.models import AssessmentRound, City
from interculture.assessments.services import workflow
from interculture.assessments.services.answers import record_answer
from interculture.assessments.services.questionnaires import engine_questionnaire
from interculture.engine.scoring import best_answers
from interculture.pathway.models import Step

SRC = Path(__file__).parents[2] / "src" / "interculture"

# Managers and relations that read rounds or their data. Only the modules that own them may use
# them directly: the selectors (reads, under the rule), the services (writes) and the admin
# (the secretariat's staff pages).
ROUND_READS = {
    "AssessmentRound.objects",
    "Answer.objects",
    "AnswerChange.objects",
    "RoundEvent.objects",
    "ReviewComment.objects",
    "PublishedRate.objects",
    "ReportVersion.objects",
    "ReportJob.objects",
    "SectionEdit.objects",
}
OWNERS = {
    "assessments/selectors.py",
    "assessments/services/answers.py",
    "assessments/services/cities.py",
    "assessments/services/questionnaires.py",
    "assessments/services/workflow.py",
    "assessments/admin.py",
    "reports/selectors.py",
    "reports/services.py",
    "reports/admin.py",
}


def _round_reads(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            text = ast.unparse(node)
            if text in ROUND_READS:
                found.append((node.lineno, text))
            elif node.attr == "rounds" and isinstance(node.ctx, ast.Load):
                found.append((node.lineno, text))  # city.rounds: every round of a city, unfiltered
    return found


def test_no_module_reads_rounds_around_the_rule() -> None:
    offenders = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if "/migrations/" in relative or relative in OWNERS:
            continue
        for line, text in _round_reads(ast.parse(path.read_text(encoding="utf-8"))):
            offenders.append(f"{relative}:{line}: {text}")
    assert not offenders, "read rounds through assessments.selectors (rounds_for, get_round):\n" + "\n".join(
        offenders
    )


def test_the_guard_sees_a_direct_read() -> None:
    sample = "def f(city):\n    return city.rounds.all(), AssessmentRound.objects.first()\n"
    assert [t for _, t in _round_reads(ast.parse(sample))] == ["city.rounds", "AssessmentRound.objects"]


def test_the_query_and_the_predicate_agree(team, draft_round) -> None:  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import AnonymousUser

    rounds = list(AssessmentRound.objects.filter(city__synthetic=False).select_related("city"))
    assert {r.status for r in rounds} >= {"draft", "published"}
    for who in [AnonymousUser(), *team.values()]:
        visible = set(selectors.rounds_for(who).filter(city__synthetic=False).values_list("pk", flat=True))
        expected = {r.pk for r in rounds if permissions.can_view_round(who, r)}
        assert visible == expected, who


# --- the leaks found before, as an outsider would try them -------------------------------------------


def _fill_and_submit(round_: AssessmentRound, team: dict[str, Any]) -> None:
    q = engine_questionnaire(round_.questionnaire)
    best = best_answers(q)
    for question in workflow.missing_mandatory(round_):
        stored = round_.answers.filter(question_id=question.id).first()
        record_answer(
            round_, question.id, value=best[question.id], expected_version=stored.version if stored else 0
        )
    workflow.submit_round(round_, team["coordinator"])


@pytest.fixture
def validated_round(team, draft_round) -> AssessmentRound:  # type: ignore[no-untyped-def]
    """Hämeenlinna 2025, submitted and validated but not published."""
    _fill_and_submit(draft_round, team)
    workflow.validate_round(draft_round, team["secretariat"])
    draft_round.refresh_from_db()
    return draft_round


def _token(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {accounts.create_token(user, 'visibility')[1]}"}


def test_suggestions_follow_the_published_round_not_the_draft(team, draft_round) -> None:  # type: ignore[no-untyped-def]
    url = "/api/practices/suggest/hameenlinna/business?n=5"
    public_before = Client().get(url).json()
    # The city meets every business question in its draft: a reader of the draft sees that.
    q = engine_questionnaire(draft_round.questionnaire)
    best = best_answers(q)
    for question in q.questions_of("business"):
        stored = draft_round.answers.filter(question_id=question.id).first()
        record_answer(
            draft_round,
            question.id,
            value=best[question.id],
            expected_version=stored.version if stored else 0,
        )
    coordinator = Client().get(url, **_token(team["coordinator"])).json()
    assert not any("unmet questions" in r for s in coordinator for r in s["reasons"])
    for who in [None, team["outsider"], team["viewer"], team["other_coordinator"]]:
        got = Client().get(url, **(_token(who) if who else {})).json()
        assert got == public_before, who
    assert any("unmet questions" in r for s in public_before for r in s["reasons"])


def test_suggestions_for_a_city_with_no_published_round_are_a_404(team, draft_round) -> None:  # type: ignore[no-untyped-def]
    assert Client().get("/api/practices/suggest/otherby/business").status_code == 404
    other = Client().get("/api/practices/suggest/otherby/business", **_token(team["other_coordinator"]))
    assert other.status_code == 200


def test_peers_leave_out_cities_whose_rounds_are_not_published(team) -> None:  # type: ignore[no-untyped-def]
    url = "/api/cities/hameenlinna/rounds/2023/peers/media?n=20"
    before = [p["city"] for p in Client().get(url).json()]
    assert before
    hidden = City.objects.get(slug=before[0])
    AssessmentRound.objects.filter(city=hidden).update(status="validated")
    for who in [None, team["outsider"], team["viewer"], team["secretariat"]]:
        after = [p["city"] for p in Client().get(url, **(_token(who) if who else {})).json()]
        assert hidden.slug not in after, who
    page = Client().get("/cities/hameenlinna/").content.decode()
    assert hidden.name not in page


def test_public_timeline_shows_only_published_rounds_and_no_restricted_detail(team, validated_round) -> None:  # type: ignore[no-untyped-def]
    hml = validated_round.city
    Step.objects.create(
        city=hml,
        kind=Step.Kind.WORKING_GROUP,
        date=validated_round.events.first().at.date(),
        note="Internal: the budget line is not agreed yet",
        members="Maija Meikäläinen (education)\nKalle Kehittäjä (housing)",
    )
    public = Client().get("/cities/hameenlinna/").content.decode()
    assert "Working group set up" in public  # the step itself is public
    for secret in ["Maija Meikäläinen", "Kalle Kehittäjä", "budget line is not agreed"]:
        assert secret not in public
    assert not re.search(r"Index round (submitted|validated)[^<]*</[^>]+>\s*[^<]*2025", public)
    for kind in ("round_submitted", "round_validated"):
        from interculture.pathway.selectors import timeline

        public_events = [e for e in timeline(hml, None) if e.kind == kind]
        assert all(e.detail != "2025" for e in public_events)
        assert any(e.detail == "2025" for e in timeline(hml, team["coordinator"]) if e.kind == kind)
    member = Client()
    member.force_login(team["coordinator"])
    assert "budget line is not agreed" in member.get("/cities/hameenlinna/").content.decode()


def test_only_the_secretariat_publishes_a_report_and_its_versions_follow_the_round(
    team, validated_round, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    from interculture.reports.models import ReportVersion

    expert = Client()
    expert.force_login(team["expert"])
    assert expert.post("/reports/hameenlinna/2025/publish/", {"lang": "en"}).status_code == 403
    assert not ReportVersion.objects.filter(round=validated_round).exists()
    secretariat = Client()
    secretariat.force_login(team["secretariat"])
    with django_capture_on_commit_callbacks(execute=True):
        assert secretariat.post("/reports/hameenlinna/2025/publish/", {"lang": "en"}).status_code == 302
    version = ReportVersion.objects.get(round=validated_round)
    url = version.get_absolute_url()
    assert re.fullmatch(r"/reports/versions/[0-9a-f-]{36}/", url)
    for who in [None, "outsider", "viewer", "other_coordinator"]:
        client = Client()
        if who:
            client.force_login(team[who])
        assert client.get(url).status_code == 404, who
        assert client.get(f"/reports/versions/{version.pk}/").status_code == 404, who
        assert url not in client.get("/cities/hameenlinna/").content.decode(), who
    for who in ["secretariat", "expert", "coordinator", "contributor"]:
        client = Client()
        client.force_login(team[who])
        assert client.get(url).content.startswith(b"%PDF"), who
    workflow.publish_round(validated_round, team["secretariat"])
    assert Client().get(url).content.startswith(b"%PDF")


def test_the_command_line_reads_as_the_public_unless_told(team, draft_round, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from interculture import cli

    assert cli.main(["score", "--city", "otherby", "--round", "2025", "--json"]) == 1
    assert (
        cli.main(["score", "--city", "otherby", "--round", "2025", "--json", "--as", "other_coordinator"])
        == 0
    )
    assert cli.main(["score", "--city", "otherby", "--json", "--as", "nobody-at-all"]) == 1
    assert cli.main(["practices", "suggest", "otherby", "business", "--json"]) == 1
