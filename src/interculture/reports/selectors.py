"""Reading published report versions and publication jobs, under the rounds' visibility rule."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from interculture.accounts import permissions
from interculture.assessments import selectors
from interculture.assessments.models import City
from interculture.reports.models import ReportJob, ReportVersion


def version_for(user: Any, public_id: UUID) -> ReportVersion | None:
    """A published version, if `user` may see its round (else None: it does not exist for them)."""
    found = ReportVersion.objects.select_related("round__city").filter(public_id=public_id).first()
    if found is None or not permissions.can_view_round(user, found.round):
        return None
    return found


def first_versions(user: Any, city: City) -> list[ReportVersion]:
    """The first published version of each report (per round and language) that `user` may see."""
    visible = selectors.rounds_for(user).filter(city=city)
    return list(ReportVersion.objects.filter(round__in=visible, number=1).select_related("round"))


def job_for(user: Any, pk: UUID) -> ReportJob | None:
    """A publication job, for those who may edit the report of its round."""
    found = ReportJob.objects.select_related("round__city").filter(pk=pk).first()
    if found is None or not permissions.can_review(user, found.round.city):
        return None
    return found
