"""Production settings pass `interculture check --deploy` cleanly; the mail check names what is missing."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from interculture import checks

CLI = Path(sys.executable).with_name("interculture")
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def production_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("INTERCULTURE_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        INTERCULTURE_DATA_DIR=str(data_dir),
        INTERCULTURE_DEBUG="0",
        INTERCULTURE_SECRET_KEY=secrets.token_urlsafe(64),
        INTERCULTURE_HTTPS="1",
        INTERCULTURE_EMAIL_BACKEND=SMTP,
        INTERCULTURE_EMAIL_HOST="smtp.example.org",
        INTERCULTURE_EMAIL_PORT="587",
        INTERCULTURE_EMAIL_USE_TLS="1",
    )
    env.update(extra)
    return env


def deploy_check(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [CLI, "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    done = deploy_check(production_env(tmp_path))
    assert done.returncode == 0, done.stdout + done.stderr
    output = done.stdout + done.stderr
    assert "no issues" in output and "WARNING" not in output and "ERROR" not in output


def test_the_deploy_check_refuses_the_console_mail_backend(tmp_path: Path) -> None:
    done = deploy_check(
        production_env(tmp_path, INTERCULTURE_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
    )
    assert done.returncode != 0
    assert "(interculture.E001) Mail is not sent" in done.stderr
    assert "Traceback" not in done.stderr


def test_without_https_the_deploy_check_asks_for_it(tmp_path: Path) -> None:
    done = deploy_check(production_env(tmp_path, INTERCULTURE_HTTPS="0"))
    assert done.returncode != 0
    assert "security.W008" in done.stderr and "security.W004" in done.stderr


def ids(**mailer: object) -> list[str]:
    with override_settings(DEBUG=False, MAILERS={"default": mailer}):
        return [m.id or "" for m in checks.check_production_mail()]


@pytest.mark.parametrize("backend", sorted(checks.DEVELOPMENT_BACKENDS))
def test_development_mail_backends_are_errors_in_production(backend: str) -> None:
    assert ids(BACKEND=backend) == ["interculture.E001"]


def test_smtp_needs_a_server_and_a_numeric_port() -> None:
    assert ids(BACKEND=SMTP) == ["interculture.E002"]
    assert ids(OPTIONS={"host": "smtp.example.org"}) == []  # SMTP is the default backend
    assert ids(BACKEND=SMTP, OPTIONS={"host": "smtp.example.org", "port": "abc"}) == ["interculture.E003"]
    assert ids(BACKEND=SMTP, OPTIONS={"host": "smtp.example.org", "port": 587, "use_tls": True}) == []


def test_the_mail_check_is_quiet_in_development() -> None:
    with override_settings(
        DEBUG=True, MAILERS={"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    ):
        assert checks.check_production_mail() == []
