"""Who may do what: city memberships (coordinator, contributor, expert), viewer scopes,
invitations, API tokens and the password-reset requests that limit reset mails.

The secretariat is the Django group "secretariat" (or a superuser); the public is everyone else.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("City coordinator")
    CONTRIBUTOR = "contributor", _("City contributor")
    EXPERT = "expert", _("Expert")
    VIEWER = "viewer", _("National or regional viewer")


class CityMembership(models.Model):
    """A person's role in one city: coordinator, contributor (one department) or assigned expert."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    city = models.ForeignKey("assessments.City", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(
        max_length=12,
        choices=[(r.value, r.label) for r in (Role.COORDINATOR, Role.CONTRIBUTOR, Role.EXPERT)],
    )
    department = models.CharField(max_length=120, blank=True, help_text=_("E.g. education, housing, HR."))
    since = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["city__name", "role", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "city", "role"], name="one_membership_per_role")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} of {self.city}"


class ViewerScope(models.Model):
    """A national (whole country) or regional viewer: reads published results of those cities."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="viewer_scopes")
    country = models.CharField(max_length=2, help_text=_("ISO 3166-1 alpha-2 code."))
    region = models.CharField(max_length=120, blank=True, help_text=_("Empty: the whole country."))

    class Meta:
        ordering = ["country", "region"]
        constraints = [
            models.UniqueConstraint(fields=["user", "country", "region"], name="one_scope_per_area")
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.country} {self.region}".strip()


class Invitation(models.Model):
    """An invitation sent by email; the link carries a secret whose hash is stored here."""

    email = models.EmailField()
    role = models.CharField(max_length=12, choices=Role.choices)
    city = models.ForeignKey("assessments.City", null=True, blank=True, on_delete=models.CASCADE)
    department = models.CharField(max_length=120, blank=True)
    country = models.CharField(max_length=2, blank=True, help_text=_("For viewers."))
    region = models.CharField(max_length=120, blank=True, help_text=_("For regional viewers."))
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} as {self.get_role_display()}"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once, when made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    prefix = models.CharField(max_length=8, help_text=_("The token's first characters, to recognise it."))
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class PasswordResetRequest(models.Model):
    """One request for a password-reset mail; recent ones limit further mails (and `sent` says
    whether this one went out). Kept for settings.PASSWORD_RESET_WINDOW."""

    email = models.EmailField(db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent = models.BooleanField()

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.email} from {self.ip} at {self.at:%Y-%m-%d %H:%M}"
