"""Accounts: invitations, throttled sign-in, API tokens and the demo accounts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.utils import timezone

from interculture.accounts import services
from interculture.accounts.models import ApiToken, CityMembership, Invitation, Role, ViewerScope
from interculture.assessments.models import AssessmentRound, City

pytestmark = pytest.mark.django_db

Q_EDU = "education.intercultural_projects"
LINK = re.compile(r"/accounts/invitations/([^/\s]+)/")


def client_for(user) -> Client:  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c


def hameenlinna() -> City:
    return City.objects.get(slug="hameenlinna")


def invite_contributor(team) -> str:  # type: ignore[no-untyped-def]
    """The coordinator invites a contributor (Housing); returns the secret of the emailed link."""
    services.invite(
        team["coordinator"],
        "New.Person@Example.org",
        Role.CONTRIBUTOR,
        city=hameenlinna(),
        department="Housing",
    )
    match = LINK.search(str(mail.outbox[-1].body))
    assert match is not None
    return match.group(1)


# --- invitations ----------------------------------------------------------------------------


def test_coordinator_invites_a_contributor_by_email_with_a_link(team) -> None:  # type: ignore[no-untyped-def]
    secret = invite_contributor(team)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert f"/accounts/invitations/{secret}/" in message.body
    invitation = Invitation.objects.get(email="new.person@example.org")
    assert invitation.token_hash != secret and secret not in invitation.token_hash


def test_the_link_shows_a_sign_up_form_to_an_anonymous_visitor(team) -> None:  # type: ignore[no-untyped-def]
    secret = invite_contributor(team)
    r = Client().get(f"/accounts/invitations/{secret}/")
    html = r.content.decode()
    assert r.status_code == 200
    assert 'name="username"' in html and 'name="password1"' in html and 'name="password2"' in html
    assert "new.person@example.org" in html


def test_signing_up_through_the_link_creates_the_member_and_logs_them_in(team) -> None:  # type: ignore[no-untyped-def]
    secret = invite_contributor(team)
    c = Client()
    r = c.post(
        f"/accounts/invitations/{secret}/",
        {"username": "newperson", "password1": "A-long-pass-9182", "password2": "A-long-pass-9182"},
    )
    assert r.status_code == 302 and r["Location"] == "/workspace/"
    user = User.objects.get(username="newperson")
    assert user.email == "new.person@example.org"
    assert int(c.session["_auth_user_id"]) == user.pk
    membership = CityMembership.objects.get(user=user)
    assert (membership.city.slug, membership.role, membership.department) == (
        "hameenlinna",
        "contributor",
        "Housing",
    )
    assert Invitation.objects.get(email="new.person@example.org").accepted_by == user


def test_the_link_works_only_once(team) -> None:  # type: ignore[no-untyped-def]
    secret = invite_contributor(team)
    form = {"username": "newperson", "password1": "A-long-pass-9182", "password2": "A-long-pass-9182"}
    Client().post(f"/accounts/invitations/{secret}/", form)
    for r in (
        Client().get(f"/accounts/invitations/{secret}/"),
        Client().post(f"/accounts/invitations/{secret}/", {**form, "username": "again"}),
    ):
        assert r.status_code == 404
        assert "no longer works" in r.content.decode()
    assert not User.objects.filter(username="again").exists()


def test_an_invalid_sign_up_shows_the_errors_and_keeps_the_link_open(team) -> None:  # type: ignore[no-untyped-def]
    secret = invite_contributor(team)
    r = Client().post(
        f"/accounts/invitations/{secret}/",
        {"username": "newperson", "password1": "A-long-pass-9182", "password2": "something-else-77"},
    )
    assert r.status_code == 200 and 'class="error"' in r.content.decode()
    assert not User.objects.filter(username="newperson").exists()
    assert services.open_invitation(secret).accepted_at is None


def test_a_signed_in_user_accepts_without_creating_an_account(team) -> None:  # type: ignore[no-untyped-def]
    secret = invite_contributor(team)
    c = client_for(team["outsider"])
    assert "Accept as outsider" in c.get(f"/accounts/invitations/{secret}/").content.decode()
    users_before = User.objects.count()
    r = c.post(f"/accounts/invitations/{secret}/", {})
    assert r.status_code == 302
    assert User.objects.count() == users_before
    membership = CityMembership.objects.get(user=team["outsider"])
    assert (membership.role, membership.department) == ("contributor", "Housing")


def test_coordinator_cannot_invite_an_expert_or_to_another_city(team) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.invite(team["coordinator"], "x@example.org", Role.EXPERT, city=hameenlinna())
    with pytest.raises(PermissionDenied):
        services.invite(
            team["coordinator"], "x@example.org", Role.CONTRIBUTOR, city=City.objects.get(slug="otherby")
        )
    with pytest.raises(PermissionDenied):
        services.invite(team["contributor"], "x@example.org", Role.CONTRIBUTOR, city=hameenlinna())
    assert not Invitation.objects.exists() and mail.outbox == []


def test_only_the_secretariat_invites_viewers(team) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        services.invite(team["coordinator"], "v@example.org", Role.VIEWER, country="FI")
    sent = services.invite(
        team["secretariat"], "v@example.org", Role.VIEWER, country="fi", region="Kanta-Häme"
    )
    secret = LINK.search(sent.link).group(1)  # type: ignore[union-attr]
    services.accept_invitation(secret, team["outsider"])
    assert ViewerScope.objects.filter(user=team["outsider"], country="FI", region="Kanta-Häme").exists()


def test_an_expired_invitation_does_not_open(team) -> None:  # type: ignore[no-untyped-def]
    secret = invite_contributor(team)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    r = Client().get(f"/accounts/invitations/{secret}/")
    assert r.status_code == 404 and "no longer works" in r.content.decode()
    with pytest.raises(Invitation.DoesNotExist):
        services.accept_invitation(secret, team["outsider"])
    assert not CityMembership.objects.filter(user=team["outsider"]).exists()


# --- sign-in throttling (django-axes; more in test_signin.py) --------------------------------

LOCKED = "Too many failed sign-ins for this name from your address"


def test_five_failed_sign_ins_lock_the_name_even_for_the_right_password(team) -> None:  # type: ignore[no-untyped-def]
    c = Client()
    for _ in range(4):
        r = c.post("/accounts/login/", {"username": "coordinator", "password": "wrong"})
        assert r.status_code == 200 and LOCKED not in r.content.decode()
        assert "did not match" in r.content.decode()
    r = c.post("/accounts/login/", {"username": "coordinator", "password": "wrong"})
    assert r.status_code == 429 and LOCKED in r.content.decode()  # the fifth failure locks
    assert AccessAttempt.objects.get(username="coordinator", ip_address="127.0.0.1").failures_since_start == 5
    r = c.post("/accounts/login/", {"username": "coordinator", "password": "pw-coordinator-123456"})
    assert r.status_code == 429
    assert LOCKED in r.content.decode() and "Try again in 15 minutes" in r.content.decode()
    assert "_auth_user_id" not in c.session
    # A try while locked is not counted (the lock does not grow) and the password is not checked.
    assert AccessAttempt.objects.get(username="coordinator", ip_address="127.0.0.1").failures_since_start == 5


def test_another_name_from_another_address_still_signs_in(team) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        Client().post("/accounts/login/", {"username": "coordinator", "password": "wrong"})
    c = Client(REMOTE_ADDR="10.0.0.2")
    r = c.post("/accounts/login/", {"username": "contributor", "password": "pw-contributor-123456"})
    assert r.status_code == 302
    assert int(c.session["_auth_user_id"]) == team["contributor"].pk
    # Another name from the locked address too: the lock is for the name and the address together.
    c = Client()
    r = c.post("/accounts/login/", {"username": "expert", "password": "pw-expert-123456"})
    assert r.status_code == 302 and int(c.session["_auth_user_id"]) == team["expert"].pk


def test_old_failures_are_forgotten(team) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        Client().post("/accounts/login/", {"username": "coordinator", "password": "wrong"})
    Client().post("/accounts/login/", {"username": "expert", "password": "wrong"})
    c = Client()
    assert (
        c.post(
            "/accounts/login/", {"username": "coordinator", "password": "pw-coordinator-123456"}
        ).status_code
        == 429
    )
    AccessAttempt.objects.filter(username="coordinator").update(
        attempt_time=timezone.now() - timedelta(minutes=16)
    )
    r = c.post("/accounts/login/", {"username": "coordinator", "password": "pw-coordinator-123456"})
    assert r.status_code == 302 and int(c.session["_auth_user_id"]) == team["coordinator"].pk
    # The expired attempts are gone; the expert's recent failure is kept.
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["expert"]


# --- API tokens -----------------------------------------------------------------------------


def make_token(user) -> tuple[Client, str]:  # type: ignore[no-untyped-def]
    c = client_for(user)
    assert c.get("/accounts/tokens/").status_code == 200
    r = c.post("/accounts/tokens/", {"name": "my script"})
    match = re.search(r'<code id="new-token">([^<]+)</code>', r.content.decode())
    assert match is not None
    return c, match.group(1)


def test_a_new_token_is_shown_once_and_only_its_hash_is_stored(team) -> None:  # type: ignore[no-untyped-def]
    c, secret = make_token(team["coordinator"])
    token = ApiToken.objects.get(user=team["coordinator"])
    assert token.name == "my script" and secret.startswith(token.prefix)
    assert token.key_hash != secret and secret not in token.key_hash
    assert secret not in c.get("/accounts/tokens/").content.decode()


def test_tokens_page_needs_a_signed_in_user() -> None:
    r = Client().get("/accounts/tokens/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_a_bearer_token_makes_the_request_as_its_owner(draft_round: AssessmentRound, team) -> None:  # type: ignore[no-untyped-def]
    _c, secret = make_token(team["coordinator"])
    years = [
        r["year"]
        for r in Client().get("/api/cities/hameenlinna/rounds", HTTP_AUTHORIZATION=f"Bearer {secret}").json()
    ]
    assert 2025 in years
    anonymous = [r["year"] for r in Client().get("/api/cities/hameenlinna/rounds").json()]
    assert 2025 not in anonymous
    assert ApiToken.objects.get(user=team["coordinator"]).last_used_at is not None


def test_a_wrong_token_is_refused(draft_round: AssessmentRound) -> None:
    r = Client().get("/api/cities/hameenlinna/rounds", HTTP_AUTHORIZATION="Bearer ic_not-a-real-token")
    assert r.status_code == 401


def test_a_revoked_token_is_refused(draft_round: AssessmentRound, team) -> None:  # type: ignore[no-untyped-def]
    c, secret = make_token(team["coordinator"])
    token = ApiToken.objects.get(user=team["coordinator"])
    assert c.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    assert not ApiToken.objects.exists()
    r = Client().get("/api/cities/hameenlinna/rounds", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert r.status_code == 401


def test_nobody_revokes_another_persons_token(team) -> None:  # type: ignore[no-untyped-def]
    _c, _secret = make_token(team["coordinator"])
    token = ApiToken.objects.get(user=team["coordinator"])
    client_for(team["contributor"]).post(f"/accounts/tokens/{token.pk}/revoke/")
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_a_write_with_the_session_only_counts_as_anonymous(draft_round: AssessmentRound, team) -> None:  # type: ignore[no-untyped-def]
    before = draft_round.answers.get(question_id=Q_EDU)
    r = client_for(team["coordinator"]).put(
        f"/api/cities/hameenlinna/rounds/2025/answers/{Q_EDU}",
        {"value": "none", "version": before.version},
        content_type="application/json",
    )
    assert r.status_code in (403, 404)
    after = draft_round.answers.get(question_id=Q_EDU)
    assert (after.value, after.version) == (before.value, before.version)


def test_a_write_with_a_token_is_made_as_its_owner(draft_round: AssessmentRound, team) -> None:  # type: ignore[no-untyped-def]
    _c, secret = make_token(team["coordinator"])
    before = draft_round.answers.get(question_id=Q_EDU)
    r = Client().put(
        f"/api/cities/hameenlinna/rounds/2025/answers/{Q_EDU}",
        {"value": "none", "version": before.version},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert r.status_code == 200
    after = draft_round.answers.get(question_id=Q_EDU)
    assert (after.value, after.version) == ("none", before.version + 1)
    assert after.changes.order_by("-version").first().changed_by == team["coordinator"]


# --- demo accounts --------------------------------------------------------------------------


def test_demo_accounts_load_twice_without_duplicates() -> None:
    first = services.load_demo_users(hameenlinna())
    ids = dict(User.objects.filter(username__in=first).values_list("username", "pk"))
    second = services.load_demo_users(hameenlinna())
    assert (
        first == second
        and dict(User.objects.filter(username__in=second).values_list("username", "pk")) == ids
    )
    for username in ("demo-coordinator", "demo-education", "demo-housing", "demo-expert"):
        assert CityMembership.objects.filter(user__username=username).count() == 1
    assert ViewerScope.objects.filter(user__username="demo-viewer").count() == 1
    secretariat = User.objects.get(username="demo-secretariat")
    assert secretariat.groups.filter(name="secretariat").exists() and secretariat.is_staff
    assert User.objects.get(username="demo-coordinator").check_password(services.DEMO_PASSWORD)
