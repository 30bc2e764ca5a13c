"""Expert visits and their recommendations, and the expert registry entry of a signed-in expert."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from interculture.accounts import permissions
from interculture.accounts.types import User, Visitor
from interculture.assessments.models import City
from interculture.errors import Forbidden
from interculture.pathway.models import (
    Recommendation,
)


@transaction.atomic
def record_visit(
    city: City,
    user: Visitor,
    *,
    expert: Any,
    start: date,
    end: date,
    met: str,
    findings: str,
    recommendations: list[tuple[str, str]],
) -> Any:
    """An expert visit and its recommendations (area id, text), which join the report's own."""
    from interculture.pathway.models import Visit

    if not permissions.can_record_visit(user, city):
        raise Forbidden(_("Only the city's expert and the secretariat record visits."))
    visit = Visit.objects.create(city=city, expert=expert, start=start, end=end, met=met, findings=findings)
    expert.cities.add(city)
    for indicator_id, text in recommendations:
        if text.strip():
            Recommendation.objects.create(
                city=city,
                source=Recommendation.Source.VISIT,
                visit=visit,
                indicator_id=indicator_id,
                text=text.strip(),
            )
    return visit


def expert_for(user: User) -> Any:
    """The registry entry of a signed-in expert (made on first use from their account)."""
    from interculture.pathway.models import Expert

    expert, _created = Expert.objects.get_or_create(
        user=user, defaults={"name": user.get_full_name() or user.get_username()}
    )
    return expert
