"""System checks of the deployment (`interculture check --deploy`).

Mail: invitations, password resets and reminders must reach people in production. Django's own
mail.E001 names a development backend; this check also says which variables to set, and
catches an SMTP backend left without a server.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
DEVELOPMENT_BACKENDS = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}
SET_SMTP = (
    f"Set INTERCULTURE_EMAIL_BACKEND={SMTP_BACKEND} and INTERCULTURE_EMAIL_HOST (and, as the server "
    "needs, INTERCULTURE_EMAIL_PORT, INTERCULTURE_EMAIL_USER, INTERCULTURE_EMAIL_PASSWORD, "
    "INTERCULTURE_EMAIL_USE_TLS=1)."
)


@register(Tags.mail, deploy=True)
def check_production_mail(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if settings.DEBUG:
        return []
    mailer = getattr(settings, "MAILERS", {}).get("default", {})
    backend = mailer.get("BACKEND", SMTP_BACKEND)
    options = mailer.get("OPTIONS", {})
    if backend in DEVELOPMENT_BACKENDS:
        return [
            Error(
                f"Mail is not sent: the mail backend is {backend}, for development only.",
                hint=SET_SMTP,
                id="interculture.E001",
            )
        ]
    errors: list[CheckMessage] = []
    if backend == SMTP_BACKEND and not options.get("host"):
        errors.append(Error("The SMTP mail backend has no server.", hint=SET_SMTP, id="interculture.E002"))
    if not isinstance(options.get("port", 0), int):
        errors.append(
            Error(
                f"INTERCULTURE_EMAIL_PORT is not a number: {options['port']!r}.",
                hint="E.g. 587 (STARTTLS) or 465.",
                id="interculture.E003",
            )
        )
    return errors
