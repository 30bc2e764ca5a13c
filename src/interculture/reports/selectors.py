"""Reading published report versions and publication jobs, under the rounds' visibility rule."""

from __future__ import annotations

from dataclasses import replace
from uuid import UUID

from django.template.loader import render_to_string
from django.utils.translation import override

from interculture.accounts import permissions
from interculture.accounts.types import Visitor
from interculture.assessments import selectors
from interculture.assessments.models import AssessmentRound, City
from interculture.kept import kept
from interculture.practices.selectors import practices_fingerprint
from interculture.reports.builder import Report, build_report
from interculture.reports.models import ReportJob, ReportVersion


def version_for(user: Visitor, public_id: UUID) -> ReportVersion | None:
    """A published version, if `user` may see its round (else None: it does not exist for them)."""
    found = ReportVersion.objects.select_related("round__city").filter(public_id=public_id).first()
    if found is None or not permissions.can_view_round(user, found.round):
        return None
    return found


def first_versions(user: Visitor, city: City) -> list[ReportVersion]:
    """The first published version of each report (per round and language) that `user` may see."""
    visible = selectors.rounds_for(user).filter(city=city)
    return list(ReportVersion.objects.filter(round__in=visible, number=1).select_related("round"))


def job_for(user: Visitor, pk: UUID) -> ReportJob | None:
    """A publication job, for those who may edit the report of its round."""
    found = ReportJob.objects.select_related("round__city").filter(pk=pk).first()
    if found is None or not permissions.can_review(user, found.round.city):
        return None
    return found


def page_report(round_: AssessmentRound, language: str) -> tuple[Report, str | None]:
    """The report shown on the round's page, and for a published round its body as HTML (the
    same for every reader who does not edit it). A published round's are kept
    (interculture.kept) by a fingerprint of everything they are built from; any other round's
    report is built anew each time. The caller has applied the visibility rule
    (assessments.selectors.get_round): nothing here does."""
    if round_.status != AssessmentRound.Status.PUBLISHED:
        return build_report(round_, language), None
    fingerprint = (
        selectors.published_round_fingerprint(round_),
        language,
        list(round_.report_edits.filter(language=language).values_list("section", "basis", "updated_at")),
        practices_fingerprint(),
    )

    def build() -> tuple[Report, str]:
        report = build_report(round_, language)
        with override(language):
            return report, render_to_string("reports/_body.html", {"report": report, "show_diff": False})

    report, body = kept("page-report", fingerprint, build)
    return replace(report, round=round_), body  # the kept copy is shared: the caller's round
