"""Shared positions (drafted, co-signed, sent and answered) and peer-learning activities."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from interculture.accounts import permissions
from interculture.accounts.types import User, Visitor
from interculture.assessments.models import City
from interculture.coordination.models import (
    Level,
    PeerActivity,
    Position,
    Signature,
)
from interculture.errors import Forbidden, Invalid


def co_sign(position: Position, *, city: City, user: User) -> Signature:
    """A city's coordinator signs a shared position on its behalf."""
    if not permissions.can_coordinate(user, city):
        raise Forbidden(_("Only the city's coordinator signs on its behalf."))
    if position.answered_on is not None:
        raise Invalid(_("The position has been answered; it can no longer be signed."))
    signature, _created = Signature.objects.get_or_create(
        position=position, city=city, defaults={"signed_by": user}
    )
    return signature


def draft_position(
    city: City, user: User, *, title: str, text: str, addressee: str, addressee_level: str
) -> Position:
    """A city drafts a shared position; its coordinator signs it first."""
    if not permissions.can_coordinate(user, city):
        raise Forbidden(_("Only the city's coordinator drafts a position on its behalf."))
    if not (title.strip() and text.strip() and addressee.strip()) or addressee_level not in Level.values:
        raise Invalid(_("A position needs a title, a text, an addressee and its level."))
    position = Position.objects.create(
        title=title.strip(),
        text=text.strip(),
        addressee=addressee.strip(),
        addressee_level=addressee_level,
        drafted_by=city,
    )
    Signature.objects.create(position=position, city=city, signed_by=user)
    return position


def mark_position_sent(position: Position, user: Visitor, *, sent_on: date) -> Position:
    if not (permissions.is_secretariat(user) or permissions.can_coordinate(user, position.drafted_by)):
        raise Forbidden(_("The drafting city's coordinator or the secretariat sends the position."))
    position.sent_on = sent_on
    position.save(update_fields=["sent_on"])
    return position


def record_position_answer(position: Position, user: Visitor, *, answer: str, answered_on: date) -> Position:
    if not (permissions.is_secretariat(user) or permissions.can_coordinate(user, position.drafted_by)):
        raise Forbidden(_("The drafting city's coordinator or the secretariat records the answer."))
    position.answer, position.answered_on = answer.strip(), answered_on
    position.save(update_fields=["answer", "answered_on"])
    return position


def record_peer_activity(
    user: Visitor, *, kind: str, host: City, guest: City, area: str, when: date, outcomes: str
) -> PeerActivity:
    if not (
        permissions.can_coordinate(user, host)
        or permissions.can_coordinate(user, guest)
        or permissions.is_secretariat(user)
    ):
        raise Forbidden(_("A coordinator of one of the two cities records the activity."))
    return PeerActivity.objects.create(
        kind=kind, host=host, guest=guest, area=area, date=when, outcomes=outcomes
    )
