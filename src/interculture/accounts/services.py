"""Invitations, API tokens, password-reset limits and the demo accounts."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from interculture.accounts import permissions
from interculture.accounts.models import (
    ApiToken,
    CityMembership,
    Invitation,
    PasswordResetRequest,
    Role,
    ViewerScope,
)
from interculture.accounts.types import User

INVITATION_DAYS = 14


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# --- invitations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SentInvitation:
    invitation: Invitation
    link: str


def invite(
    inviter: User,
    email: str,
    role: str,
    *,
    city: Any = None,
    department: str = "",
    country: str = "",
    region: str = "",
    base_url: str = "",
) -> SentInvitation:
    """Invite someone by email. Coordinators invite to their own city; the secretariat to any role."""
    if role not in Role.values:
        raise ValidationError(_("Unknown role %(role)s.") % {"role": role})
    if role == Role.VIEWER:
        if not permissions.is_secretariat(inviter):
            raise PermissionDenied(_("Only the secretariat invites viewers."))
        if not country:
            raise ValidationError(_("A viewer needs a country."))
    else:
        if city is None:
            raise ValidationError(_("This role needs a city."))
        allowed = permissions.is_secretariat(inviter) or (
            permissions.can_coordinate(inviter, city) and role in (Role.CONTRIBUTOR, Role.COORDINATOR)
        )
        if not allowed:
            raise PermissionDenied(_("You cannot invite people to this city in that role."))
    secret = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        email=email.strip().lower(),
        role=role,
        city=city if role != Role.VIEWER else None,
        department=department,
        country=country.upper(),
        region=region,
        token_hash=_hash(secret),
        invited_by=inviter,
        expires_at=timezone.now() + timedelta(days=INVITATION_DAYS),
    )
    link = f"{base_url}/accounts/invitations/{secret}/"
    where = city.name if city is not None and role != Role.VIEWER else country.upper()
    send_mail(
        subject=_("Invitation to Interculture"),
        message=_(
            "%(inviter)s invites you to Interculture as %(role)s (%(where)s).\n\n"
            "Accept within %(days)d days: %(link)s\n"
        )
        % {
            "inviter": inviter.get_full_name() or inviter.get_username(),
            "role": invitation.get_role_display(),
            "where": where,
            "days": INVITATION_DAYS,
            "link": link,
        },
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[invitation.email],
    )
    return SentInvitation(invitation, link)


def open_invitation(secret: str) -> Invitation:
    """The invitation behind a link, if it is still open (raises Invitation.DoesNotExist)."""
    return Invitation.objects.select_related("city").get(
        token_hash=_hash(secret), accepted_at__isnull=True, expires_at__gt=timezone.now()
    )


@transaction.atomic
def accept_invitation(secret: str, user: User) -> Invitation:
    """Give `user` the invited role. The link works once."""
    invitation = open_invitation(secret)
    if invitation.role == Role.VIEWER:
        ViewerScope.objects.get_or_create(user=user, country=invitation.country, region=invitation.region)
    else:
        CityMembership.objects.update_or_create(
            user=user,
            city=invitation.city,
            role=invitation.role,
            defaults={"department": invitation.department},
        )
    updated = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=user
    )
    if not updated:
        raise Invitation.DoesNotExist("the invitation was just used")
    return invitation


def create_user(username: str, email: str, password: str) -> User:
    return User.objects.create_user(username=username, email=email, password=password)


def add_member(user: User, city: Any, role: str, department: str = "") -> CityMembership:
    membership, _created = CityMembership.objects.update_or_create(
        user=user, city=city, role=role, defaults={"department": department}
    )
    return membership


def make_secretariat(user: User) -> None:
    group, _created = Group.objects.get_or_create(name=permissions.SECRETARIAT_GROUP)
    user.groups.add(group)


# --- API tokens -----------------------------------------------------------------------------


def create_token(user: User, name: str) -> tuple[ApiToken, str]:
    """A new token; the secret is returned once and never stored."""
    secret = "ic_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name or "API", prefix=secret[:8], key_hash=_hash(secret))
    return token, secret


def user_for_token(secret: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=_hash(secret)).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


# --- password reset ------------------------------------------------------------------------
# Sign-in throttling is django-axes (settings.AXES_*, accounts/signin.py).


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, for the sign-in throttle and the reset limits.

    REMOTE_ADDR, unless settings.TRUSTED_PROXIES (INTERCULTURE_TRUSTED_PROXIES) says how many
    reverse proxies of ours stand in front: then the address the outermost one saw, read from the
    right of X-Forwarded-For (the entries left of it are whatever the client sent).
    """
    if request is None:
        return None
    proxies = settings.TRUSTED_PROXIES
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


def allow_password_reset_mail(email: str, ip: str | None) -> bool:
    """Whether a reset mail may go to `email` now (recorded either way).

    At most settings.PASSWORD_RESET_MAILS_PER_EMAIL per email and ..._PER_ADDRESS per client
    address within settings.PASSWORD_RESET_WINDOW; requests older than that are forgotten.
    """
    email = email.strip().lower()[:254]
    since = timezone.now() - settings.PASSWORD_RESET_WINDOW
    PasswordResetRequest.objects.filter(at__lt=since).delete()
    sent = PasswordResetRequest.objects.filter(at__gte=since, sent=True)
    allowed = sent.filter(email=email).count() < settings.PASSWORD_RESET_MAILS_PER_EMAIL and (
        ip is None or sent.filter(ip=ip).count() < settings.PASSWORD_RESET_MAILS_PER_ADDRESS
    )
    PasswordResetRequest.objects.create(email=email, ip=ip, sent=allowed)
    return allowed


# --- demo accounts --------------------------------------------------------------------------

DEMO_PASSWORD = "interculture-demo"  # printed by load_demo; created only when DEBUG is on
DEMO_USERS = [
    # (user name, role, department, country of a viewer)
    ("demo-secretariat", "secretariat", "", ""),
    ("demo-coordinator", Role.COORDINATOR, "Integration services", ""),
    ("demo-education", Role.CONTRIBUTOR, "Education", ""),
    ("demo-housing", Role.CONTRIBUTOR, "Housing", ""),
    ("demo-expert", Role.EXPERT, "", ""),
    ("demo-viewer", Role.VIEWER, "", "FI"),
]


def load_demo_users(city: Any) -> list[str]:
    """Demo accounts around one city, each role once, all with DEMO_PASSWORD. Idempotent."""
    user_model = get_user_model()
    names = []
    for username, role, department, country in DEMO_USERS:
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.org"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        if role == "secretariat":
            make_secretariat(user)
            user.is_staff = True  # the secretariat manages questionnaires, cities and users in the admin
            user.save(update_fields=["is_staff"])
            perms = Permission.objects.filter(
                content_type__app_label__in=["assessments", "accounts", "practices", "auth"]
            )
            Group.objects.get(name=permissions.SECRETARIAT_GROUP).permissions.add(*perms)
        elif role == Role.VIEWER:
            ViewerScope.objects.get_or_create(user=user, country=country, region="")
        else:
            add_member(user, city, role, department)
        names.append(username)
    return names
