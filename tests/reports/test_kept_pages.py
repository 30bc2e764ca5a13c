"""A published round's report and results are kept in the shared cache (interculture.kept) by a
fingerprint of their inputs: a change to any input shows at once, and a draft is never kept."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client

from interculture import kept
from interculture.accounts import services as accounts
from interculture.assessments import selectors
from interculture.assessments import services as assessments
from interculture.assessments.models import City
from interculture.reports import services

pytestmark = pytest.mark.django_db
REPORT = "/reports/hameenlinna/2023/"


def page(client: Client, path: str) -> str:
    """The page without its CSRF token, which is new for every response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", client.get(path).content.decode())


def kept_names() -> list[str]:
    return sorted(key.split(":")[1] for key in kept._here)


def test_a_published_report_is_kept_and_shows_every_change_at_once(team) -> None:  # type: ignore[no-untyped-def]
    round_2023 = selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023)
    first = page(Client(), REPORT)
    assert "page-report" in kept_names()
    kept._here.clear()  # another process: it finds the report in the shared cache
    assert page(Client(), REPORT) == first
    assert "page-report" in kept_names()

    # An expert's edit of a section: the page shows it on the next request.
    accounts.add_member(team["expert"], City.objects.get(slug="hameenlinna"), "expert")
    services.save_edit(
        round_2023, team["expert"], section="area:education", language="en", markdown="Schools **kept** well."
    )
    assert "<strong>kept</strong>" in Client().get(REPORT).content.decode()
    # An answer changes (the secretariat corrects a published round): the report follows it.
    answer = round_2023.answers.get(question_id="education.intercultural_projects")
    before = page(Client(), REPORT)
    assessments.record_answer(round_2023, answer.question_id, value="none", expected_version=answer.version)
    after = page(Client(), REPORT)
    assert after != before and "answers that have changed since" in after  # the edit is flagged
    # The city's editor sees the differences from the generated text, which readers do not.
    editor = Client()
    editor.force_login(team["expert"])
    assert "Difference from the generated text" in editor.get(REPORT).content.decode()
    assert "Difference from the generated text" not in Client().get(REPORT).content.decode()


def test_a_draft_is_never_kept(team, draft_round) -> None:  # type: ignore[no-untyped-def]
    coordinator = Client()
    coordinator.force_login(team["coordinator"])
    cache.clear()
    for path in ("/reports/hameenlinna/2025/", "/cities/hameenlinna/2025/"):
        assert coordinator.get(path).status_code == 200
    assert "page-report" not in kept_names() and "results-page" not in kept_names()
    # Nobody else sees the draft, kept or not.
    assert Client().get("/reports/hameenlinna/2025/").status_code == 404
    assert Client().get("/cities/hameenlinna/2025/").status_code == 404


def test_published_results_are_kept_and_follow_the_sample(team) -> None:  # type: ignore[no-untyped-def]
    results = page(Client(), "/cities/hameenlinna/2023/")
    assert "results-page" in kept_names()
    kept_before = len(kept._here)
    assert page(Client(), "/cities/hameenlinna/2023/") == results
    assert len(kept._here) == kept_before  # the same fingerprint: nothing computed again
    # A sample city's answer changes: the sample's fingerprint, so the page, is new.
    other = selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023)
    sample_round = type(other).objects.filter(status="published", city__synthetic=True).order_by("pk").first()
    answer = sample_round.answers.order_by("pk").first()
    assessments.record_answer(sample_round, answer.question_id, value=None, expected_version=answer.version)
    assert Client().get("/cities/hameenlinna/2023/").status_code == 200
    assert len(kept._here) > kept_before
