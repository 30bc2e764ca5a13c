"""The local integration strategy and the Good Relations values the city records."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from interculture.accounts.types import Visitor
from interculture.assessments.models import City
from interculture.errors import Invalid
from interculture.pathway.models import (
    IndicatorValue,
)
from interculture.pathway.selectors import indicator_ids
from interculture.pathway.services.actions import check_write


def record_indicator(
    city: City, user: Visitor, *, indicator_id: str, year: int, value: float, source: str
) -> IndicatorValue:
    check_write(user, city)
    if indicator_id not in indicator_ids():
        raise Invalid(_("No Good Relations indicator %(id)s.") % {"id": indicator_id})
    if not source.strip():
        raise Invalid(_("Say where the value comes from (a local survey, national statistics…)."))
    obj, _created = IndicatorValue.objects.update_or_create(
        city=city, indicator_id=indicator_id, year=year, defaults={"value": value, "source": source.strip()}
    )
    return obj


def save_strategy(city: City, user: Visitor, *, title: str, vision: str, adopted_on: date | None) -> Any:
    from interculture.pathway.models import Strategy

    check_write(user, city)
    strategy = city.strategies.first() or Strategy(city=city)
    strategy.title, strategy.vision, strategy.adopted_on = title.strip() or strategy.title, vision, adopted_on
    strategy.save()
    return strategy
