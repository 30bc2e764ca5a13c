"""One sign-in throttle for every path (django-axes), the per-name slow-down, the reset-mail
limit and the password rules. Each request sets its client address (REMOTE_ADDR)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from interculture.accounts import services, signin
from interculture.accounts.models import PasswordResetRequest, Role
from interculture.assessments.models import City

pytestmark = [pytest.mark.django_db, pytest.mark.factories]

LOCKED = "Too many failed sign-ins for this name from your address"
SLOWED = re.compile(r"Too many attempts for this account; try again in (\d+) seconds?\.")
RIGHT = {"username": "coordinator", "password": "pw-coordinator-123456"}
WRONG = {"username": "coordinator", "password": "wrong"}


def sign_in(data: dict[str, str], ip: str, path: str = "/accounts/login/", client: Client | None = None):  # type: ignore[no-untyped-def]
    return (client or Client()).post(path, data, REMOTE_ADDR=ip)


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


# --- the lock of a name and an address ---------------------------------------------------


def test_the_admin_sign_in_is_locked_like_the_sign_in_page(team) -> None:  # type: ignore[no-untyped-def]
    team["secretariat"].is_staff = True
    team["secretariat"].save()
    right = {"username": "secretariat", "password": "pw-secretariat-123456", "next": "/admin/"}
    wrong = {**right, "password": "wrong"}
    for _ in range(4):
        r = sign_in(wrong, "10.1.1.1", "/admin/login/")
        assert r.status_code == 200 and LOCKED not in r.content.decode()
    r = sign_in(wrong, "10.1.1.1", "/admin/login/")
    assert r.status_code == 429
    html = r.content.decode()
    # The site's own sign-in page (translated, styled), not a bare message or a debug page.
    assert LOCKED in html and 'class="site-header"' in html and 'name="next" value="/admin/"' in html
    assert int(r["Retry-After"]) == 15 * 60
    c = Client()
    assert sign_in(right, "10.1.1.1", "/admin/login/", c).status_code == 429 and not signed_in(c)
    # Same name, same address, the other page: one throttle.
    assert sign_in(right, "10.1.1.1", client=c).status_code == 429 and not signed_in(c)
    # From the person's own address the admin still opens.
    r = sign_in(right, "10.1.1.2", "/admin/login/", c)
    assert r.status_code == 302 and r["Location"] == "/admin/" and signed_in(c)


def test_failures_on_both_pages_add_up(team) -> None:  # type: ignore[no-untyped-def]
    team["coordinator"].is_staff = True
    team["coordinator"].save()
    for _ in range(3):
        sign_in(WRONG, "10.2.2.2")
    assert sign_in(WRONG, "10.2.2.2", "/admin/login/").status_code == 200
    assert sign_in(WRONG, "10.2.2.2", "/admin/login/").status_code == 429
    c = Client()
    assert sign_in(RIGHT, "10.2.2.2", client=c).status_code == 429 and not signed_in(c)


def test_a_stranger_elsewhere_does_not_lock_the_real_user_out(team) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        sign_in(WRONG, "203.0.113.7")  # address A, the stranger
    assert sign_in(RIGHT, "203.0.113.7").status_code == 429
    c = Client()
    r = sign_in(RIGHT, "198.51.100.20", client=c)  # address B, the real user
    assert r.status_code == 302 and int(c.session["_auth_user_id"]) == team["coordinator"].pk


def test_behind_our_proxy_the_address_it_saw_counts(team, settings) -> None:  # type: ignore[no-untyped-def]
    settings.TRUSTED_PROXIES = 1
    proxy = "10.9.9.9"
    for _ in range(5):  # the stranger puts a made-up address in front; only the last entry counts
        Client().post(
            "/accounts/login/", WRONG, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR=f"1.2.3.{_}, 203.0.113.7"
        )
    assert AccessAttempt.objects.get(username="coordinator").ip_address == "203.0.113.7"
    c = Client()
    r = c.post("/accounts/login/", RIGHT, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert r.status_code == 429 and not signed_in(c)
    r = c.post("/accounts/login/", RIGHT, REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert r.status_code == 302 and signed_in(c)


def test_the_lock_out_page_is_translated(team) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        r = Client().post("/accounts/login/", WRONG, REMOTE_ADDR="10.3.3.3", HTTP_ACCEPT_LANGUAGE="fi")
    assert r.status_code == 429
    html = r.content.decode()
    assert '<html lang="fi">' in html and LOCKED not in html and 'id="signin-locked"' in html


def test_a_successful_sign_in_clears_the_pairs_failures(team) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):
        sign_in(WRONG, "10.4.4.4")
    assert sign_in(RIGHT, "10.4.4.4").status_code == 302
    assert not AccessAttempt.objects.filter(username="coordinator").exists()
    for _ in range(4):  # four more failures do not lock: the count started again
        assert sign_in(WRONG, "10.4.4.4").status_code == 200


# --- the per-name slow-down ----------------------------------------------------------------


def fail_from_many_addresses(n: int) -> None:
    for i in range(n):
        assert sign_in(WRONG, f"192.0.2.{i + 1}").status_code == 200


def test_one_name_failing_from_many_addresses_is_slowed_down(team) -> None:  # type: ignore[no-untyped-def]
    fail_from_many_addresses(settings.SIGNIN_NAME_FREE_FAILURES)
    c = Client()
    r = sign_in(RIGHT, "198.51.100.20", client=c)
    assert r.status_code == 429 and not signed_in(c)
    match = SLOWED.search(r.content.decode())
    assert match is not None and 1 <= int(match.group(1)) <= 5
    # Refused without checking the password, and not counted.
    assert sign_in(WRONG, "198.51.100.21").status_code == 429
    assert (
        AccessFailureLog.objects.filter(username="coordinator").count() == settings.SIGNIN_NAME_FREE_FAILURES
    )
    # Other names are not concerned.
    assert sign_in({"username": "expert", "password": "pw-expert-123456"}, "198.51.100.20").status_code == 302
    # Once the wait has passed, the next try is checked.
    AccessFailureLog.objects.filter(username="coordinator").update(
        attempt_time=timezone.now() - settings.SIGNIN_NAME_FIRST_WAIT
    )
    r = sign_in(RIGHT, "198.51.100.20", client=c)
    assert r.status_code == 302 and signed_in(c)


def test_the_wait_grows_with_each_failure_and_is_capped(team) -> None:  # type: ignore[no-untyped-def]
    free = settings.SIGNIN_NAME_FREE_FAILURES
    fail_from_many_addresses(free - 1)
    last = AccessFailureLog.objects.filter(username="coordinator").latest("attempt_time").attempt_time
    assert signin.name_wait("coordinator", last) == 0
    waits = []
    for extra in range(10):
        AccessFailureLog.objects.create(
            username="coordinator", ip_address=f"192.0.2.{100 + extra}", user_agent="t"
        )
        AccessFailureLog.objects.filter(username="coordinator").update(attempt_time=last)  # auto_now_add
        waits.append(signin.name_wait("coordinator", last))
    assert waits == [5, 10, 20, 40, 80, 160, 300, 300, 300, 300]
    assert signin.name_wait("coordinator", last + timedelta(seconds=299)) == 1
    assert signin.name_wait("coordinator", last + timedelta(seconds=300)) == 0
    # Failures older than the window no longer count.
    assert signin.name_wait("coordinator", last + settings.SIGNIN_NAME_WINDOW + timedelta(seconds=1)) == 0


# --- password reset --------------------------------------------------------------------------


def reset(email: str, ip: str):  # type: ignore[no-untyped-def]
    return Client().post("/accounts/password_reset/", {"email": email}, REMOTE_ADDR=ip)


def test_reset_mails_are_limited_per_email(team) -> None:  # type: ignore[no-untyped-def]
    for i in range(settings.PASSWORD_RESET_MAILS_PER_EMAIL + 3):
        r = reset("Coordinator@Example.org", f"10.5.5.{i + 1}")
        assert r.status_code == 302 and r["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == settings.PASSWORD_RESET_MAILS_PER_EMAIL == 3
    assert all(m.to == ["coordinator@example.org"] for m in mail.outbox)
    # Someone else's reset still goes out; a forgotten request is forgotten.
    assert reset("expert@example.org", "10.5.5.1").status_code == 302 and len(mail.outbox) == 4
    PasswordResetRequest.objects.update(at=timezone.now() - timedelta(hours=1, seconds=1))
    reset("coordinator@example.org", "10.5.5.1")
    assert len(mail.outbox) == 5
    assert PasswordResetRequest.objects.count() == 1


def test_reset_mails_are_limited_per_address(team) -> None:  # type: ignore[no-untyped-def]
    limit = settings.PASSWORD_RESET_MAILS_PER_ADDRESS
    for i in range(limit + 2):
        User.objects.create_user(f"person{i}", f"person{i}@example.org", "pw-person-123456")
    for i in range(limit + 2):
        assert reset(f"person{i}@example.org", "10.6.6.6").status_code == 302
    assert len(mail.outbox) == limit
    reset(f"person{limit + 1}@example.org", "10.6.6.7")
    assert len(mail.outbox) == limit + 1


def test_the_reset_page_does_not_say_whether_an_account_exists(team) -> None:  # type: ignore[no-untyped-def]
    for email in ("coordinator@example.org", "nobody@example.org"):
        for _ in range(settings.PASSWORD_RESET_MAILS_PER_EMAIL + 1):
            r = reset(email, "10.7.7.7")
            assert r.status_code == 302 and r["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == settings.PASSWORD_RESET_MAILS_PER_EMAIL
    assert Client().get("/accounts/password_reset/done/").status_code == 200


# --- password rules ----------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["12345678", "password1", "newperson1", "new.person77"])
def test_the_sign_up_refuses_weak_passwords(team, password: str) -> None:  # type: ignore[no-untyped-def]
    services.invite(
        team["coordinator"],
        "new.person@example.org",
        Role.CONTRIBUTOR,
        city=City.objects.get(slug="hameenlinna"),
    )
    match = re.search(r"/accounts/invitations/([^/\s]+)/", str(mail.outbox[-1].body))
    assert match is not None
    r = Client().post(
        f"/accounts/invitations/{match.group(1)}/",
        {"username": "newperson", "password1": password, "password2": password},
    )
    assert r.status_code == 200 and 'class="error"' in r.content.decode()
    assert not User.objects.filter(username="newperson").exists()


def test_the_password_validators_are_on() -> None:
    user = User(username="kaisa.virtanen", email="kaisa@example.org")
    for password, reason in [
        ("12345678", "entirely numeric"),
        ("password1", "too common"),
        ("kaisa.virtanen1", "too similar"),
        ("short7", "too short"),
    ]:
        with pytest.raises(ValidationError) as refused:
            validate_password(password, user)
        assert any(reason in m for m in refused.value.messages), (password, refused.value.messages)
    validate_password("a sentence few would guess", user)
