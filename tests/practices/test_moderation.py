"""Moderation that holds: every role against every state of a fact sheet, through the pages and
the API. A published fact sheet changed by its submitter waits in review as a revision; readers
see the published text, in the search too, until the secretariat publishes the change."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client

from interculture.practices import services
from interculture.practices.models import Practice
from interculture.practices.search import search

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "outsider", "submitter", "secretariat"]
STATES = ["draft", "in_review", "returned", "published", "revision_in_review", "revision_returned"]
PUBLISHED_TITLE = "Welcome desk for newcomers in Testby"
REVISED_TITLE = "Welcome desk for newcomers in Testby, now with evening hours"

# Per state, per role in the order of ROLES: the detail page, the API's fact sheet, the edit form.
READ = {
    "draft": "404 404 200 200",
    "in_review": "404 404 200 200",
    "returned": "404 404 200 200",
    "published": "200 200 200 200",
    "revision_in_review": "200 200 200 200",
    "revision_returned": "200 200 200 200",
}
EDIT_FORM = {state: "302 403 200 200" for state in STATES}
# The moves each role may make from each state (of the fact sheet, or of its waiting revision).
MOVES = {
    "draft": {"submitter": {"in_review"}, "secretariat": {"in_review"}},
    "in_review": {"secretariat": {"published", "returned"}},
    "returned": {"submitter": {"in_review"}, "secretariat": {"in_review"}},
    "published": {"secretariat": {"in_review"}},
    "revision_in_review": {"secretariat": {"published", "returned"}},
    "revision_returned": {"submitter": {"in_review"}, "secretariat": {"in_review"}},
}


@pytest.fixture
def people() -> dict[str, User | None]:
    secretariat = User.objects.create_user("moderator", password="pw-moderator-1")
    secretariat.groups.add(Group.objects.get_or_create(name="secretariat")[0])
    return {
        "anonymous": None,
        "outsider": User.objects.create_user("stranger", password="pw-stranger-1"),
        "submitter": User.objects.create_user("author", password="pw-author-1"),
        "secretariat": secretariat,
    }


def _sheet(title: str) -> dict:  # type: ignore[type-arg]
    base = Practice.objects.get(slug="bergen-inclusion-centre").data
    record = {k: v for k, v in base.items() if k != "contact"}
    return {**record, "slug": "testby-welcome-desk", "title": {**record["title"], "en": title}}


def _in_state(state: str, people: dict[str, User | None]) -> Practice:
    author, moderator = people["submitter"], people["secretariat"]
    practice = services.save(_sheet(PUBLISHED_TITLE), user=author, comment="first draft")
    steps = {
        "draft": [],
        "in_review": [("in_review", author)],
        "returned": [("in_review", author), ("returned", moderator)],
        "published": [("in_review", author), ("published", moderator)],
    }
    base = "published" if state.startswith("revision") else state
    for to, who in steps[base]:
        practice = services.transition(practice, to, user=who, comment="because")
    if state.startswith("revision"):
        practice = services.save(_sheet(REVISED_TITLE), user=author, expected_version=practice.version)
        if state == "revision_returned":
            practice = services.transition(practice, "returned", user=moderator, comment="say which hours")
    practice.refresh_from_db()
    return practice


def _client(who: User | None) -> Client:
    client = Client()
    if who is not None:
        client.force_login(who)
    return client


@pytest.mark.parametrize("state", STATES)
def test_every_role_in_every_state(state: str, people: dict[str, User | None]) -> None:
    practice = _in_state(state, people)
    wrong = []
    for role, read, edit in zip(ROLES, READ[state].split(), EDIT_FORM[state].split(), strict=True):
        client = _client(people[role])
        page = client.get(f"/practices/{practice.slug}/")
        api = client.get(f"/api/practices/{practice.slug}")
        form = client.get(f"/practices/{practice.slug}/edit/")
        got = (page.status_code, api.status_code, form.status_code)
        if got != (int(read), int(read), int(edit)):
            wrong.append(f"{role}: page, api, form = {got}, expected {read} {read} {edit}")
        # Readers see the published text; a waiting change reaches nobody but its people.
        sees_revision = REVISED_TITLE in page.content.decode() or (
            api.status_code == 200 and api.json()["title"]["en"] != PUBLISHED_TITLE
        )
        if state.startswith("revision") and role in ("anonymous", "outsider") and sees_revision:
            wrong.append(f"{role} sees the unpublished revision")
        for to in ["in_review", "published", "returned"]:
            allowed = to in MOVES[state].get(role, set())
            try:
                services.transition(practice, to, user=people[role], comment="a comment")
            except services.TransitionNotAllowed:
                moved = False
            else:
                moved = True
                practice = _reset(practice, state, people)
            if moved != allowed:
                wrong.append(f"{role}: move to {to} {'made' if moved else 'refused'}")
    assert not wrong, f"{state}:\n" + "\n".join(wrong)


def _reset(practice: Practice, state: str, people: dict[str, User | None]) -> Practice:
    Practice.objects.filter(pk=practice.pk).delete()
    return _in_state(state, people)


def test_a_revision_replaces_the_published_text_only_when_the_secretariat_publishes_it(
    people: dict[str, User | None],
) -> None:
    practice = _in_state("revision_in_review", people)
    assert practice.state == "published" and practice.data["title"]["en"] == PUBLISHED_TITLE
    hits = search("welcome desk Testby evening", per_page=5).hits
    assert all(h["title"]["en"] != REVISED_TITLE for h in hits)
    # The submitter's form opens on the waiting revision, not on the published text.
    form = _client(people["submitter"]).get(f"/practices/{practice.slug}/edit/").content.decode()
    assert "now with evening hours" in form
    assert "waiting" in _client(people["submitter"]).get(f"/practices/{practice.slug}/").content.decode()
    published = services.transition(practice, "published", user=people["secretariat"])
    assert published.pending_version is None
    assert published.data["title"]["en"] == REVISED_TITLE
    assert _client(None).get(f"/api/practices/{practice.slug}").json()["title"]["en"] == REVISED_TITLE
    states = list(published.versions.order_by("version").values_list("state", flat=True))
    assert states == ["draft", "in_review", "published", "in_review", "published"]


def test_the_secretariat_edits_a_published_sheet_directly(people: dict[str, User | None]) -> None:
    practice = _in_state("published", people)
    changed = services.save(
        _sheet(REVISED_TITLE), user=people["secretariat"], expected_version=practice.version
    )
    assert changed.pending_version is None and changed.data["title"]["en"] == REVISED_TITLE


def test_a_stale_revision_is_a_conflict(people: dict[str, User | None]) -> None:
    practice = _in_state("published", people)
    services.save(_sheet(REVISED_TITLE), user=people["submitter"], expected_version=practice.version)
    with pytest.raises(services.VersionConflict):
        services.save(_sheet("Another title"), user=people["submitter"], expected_version=practice.version)
