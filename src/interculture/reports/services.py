"""Rendering reports (HTML, tagged PDF), expert edits, and publication through a background job."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import cache
from importlib import resources
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from interculture.accounts import permissions
from interculture.accounts.types import User, Visitor
from interculture.assessments.models import AssessmentRound
from interculture.errors import Invalid
from interculture.reports.builder import Report, build_report
from interculture.reports.models import ReportJob, ReportVersion, SectionEdit

log = logging.getLogger(__name__)
LANGUAGES = ("en", "fi", "sv")


def render_html(report: Report, *, for_print: bool = False) -> str:
    """The report as one self-contained HTML document (its style inline), for print and PDF."""
    with override(report.language):
        return render_to_string(
            "reports/document.html", {"report": report, "for_print": for_print, "css": _css()}
        )


@cache
def _css() -> str:
    return (resources.files("interculture") / "static" / "interculture" / "report.css").read_text(
        encoding="utf-8"
    )


def base_url(request: Any = None) -> str:
    """The site's public address for links in PDFs: INTERCULTURE_BASE_URL, else the request's."""
    configured = str(getattr(settings, "INTERCULTURE_BASE_URL", "") or "").rstrip("/")
    if configured or request is None:
        return configured
    return str(request.build_absolute_uri("/")).rstrip("/")


def render_pdf(html: str, base_url: str) -> bytes:
    """A tagged PDF (PDF/UA-1 variant: structure tree, language, title) for screen readers."""
    # Lazy: WeasyPrint takes seconds to import and only the PDFs need it.
    from weasyprint import HTML

    pdf: bytes = HTML(string=html, base_url=base_url or None).write_pdf(pdf_variant="pdf/ua-1")
    return pdf


def can_edit_report(user: Visitor, round_: AssessmentRound) -> bool:
    """The expert assigned to the city, and the secretariat."""
    return permissions.can_review(user, round_.city)


def save_edit(
    round_: AssessmentRound, user: User, *, section: str, language: str, markdown: str
) -> SectionEdit | None:
    """Keep an expert's text for a section (empty text: back to the generated one)."""
    if not can_edit_report(user, round_):
        raise PermissionDenied(_("Only the city's expert and the secretariat edit its report."))
    report = build_report(round_, language)
    current = next((s for s in report.sections if s.id == section), None)
    if current is None:
        raise Invalid(f"no section {section!r} in the report")
    if not markdown.strip():
        SectionEdit.objects.filter(round=round_, section=section, language=language).delete()
        return None
    edit, _created = SectionEdit.objects.update_or_create(
        round=round_,
        section=section,
        language=language,
        defaults={"markdown": markdown, "basis": current.basis, "author": user},
    )
    return edit


# --- publication as a background job --------------------------------------------------------


def request_publication(round_: AssessmentRound, language: str, user: User) -> ReportJob:
    """Queue the making of the PDF and the publication of a new report version."""
    if not permissions.can_publish_report(user):
        raise PermissionDenied(_("Only the secretariat publishes a report."))
    if round_.status not in (AssessmentRound.Status.VALIDATED, AssessmentRound.Status.PUBLISHED):
        raise PermissionDenied(_("A report is published from a validated round."))
    job = ReportJob.objects.create(round=round_, language=language, requested_by=user)
    enqueue(job)
    return job


def enqueue(job: ReportJob) -> None:
    # Lazy: breaks the cycle (reports.tasks imports this module).
    from interculture.reports.tasks import publish_report

    # After the commit, so that a worker on another machine finds the job row.
    transaction.on_commit(lambda: publish_report.enqueue(str(job.pk)))


def _progress(job: ReportJob, percent: int, step: str) -> None:
    # Also the job's heartbeat: a running job whose row stops moving has lost its worker.
    ReportJob.objects.filter(pk=job.pk).update(progress=percent, step=step, updated_at=timezone.now())


@contextmanager
def _heartbeat(job: ReportJob) -> Iterator[None]:
    """Touch the job row every few seconds while it runs, so a long step is not taken for a
    dead worker; when the process dies, the heartbeat stops with it."""
    stop = threading.Event()
    every = max(0.5, settings.INTERCULTURE_JOB_STALL_SECONDS / 3)

    def beat() -> None:
        try:
            while not stop.wait(every):
                ReportJob.objects.filter(pk=job.pk, status=ReportJob.Status.RUNNING).update(
                    updated_at=timezone.now()
                )
        finally:
            connection.close()

    thread = threading.Thread(target=beat, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def run_publication(job_id: str) -> str:
    """The job itself. Safe to run again after a crash: a job publishes at most one version."""
    job = ReportJob.objects.select_related("round__city", "round__questionnaire").get(pk=job_id)
    if job.status == ReportJob.Status.DONE:
        return "already done"
    ReportJob.objects.filter(pk=job.pk).update(
        status=ReportJob.Status.RUNNING, attempts=job.attempts + 1, updated_at=timezone.now()
    )
    try:
        with _heartbeat(job):
            _publish(job)
    except Exception as exc:
        log.exception("report job %s failed", job.pk)
        ReportJob.objects.filter(pk=job.pk).update(status=ReportJob.Status.FAILED, error=str(exc))
        raise
    return "published"


def _publish(job: ReportJob) -> None:
    _progress(job, 10, "Building the report")
    site = base_url()
    report = build_report(job.round, job.language, base_url=site)
    _progress(job, 30, "Rendering the HTML")
    html = render_html(report, for_print=True)
    _progress(job, 50, "Making the tagged PDF")
    pdf = render_pdf(html, site)
    _progress(job, 90, "Publishing")
    with transaction.atomic():
        locked = ReportJob.objects.select_for_update().get(pk=job.pk)
        if not ReportVersion.objects.filter(job=locked).exists():
            number = (
                ReportVersion.objects.filter(round=job.round, language=job.language).aggregate(
                    n=Max("number")
                )["n"]
                or 0
            ) + 1
            ReportVersion.objects.create(
                round=job.round,
                number=number,
                language=job.language,
                html=html,
                pdf=pdf,
                published_by=job.requested_by,
                job=locked,
            )
        ReportJob.objects.filter(pk=job.pk).update(
            status=ReportJob.Status.DONE, progress=100, step="Published"
        )


def requeue_stalled(older_than: timedelta | None = None) -> int:
    """Queue again the jobs whose worker died mid-way (running, but silent for too long)."""
    if older_than is None:
        older_than = timedelta(seconds=getattr(settings, "INTERCULTURE_JOB_STALL_SECONDS", 120))
    cutoff = timezone.now() - older_than
    stalled = list(ReportJob.objects.filter(status=ReportJob.Status.RUNNING, updated_at__lt=cutoff))
    for job in stalled:
        ReportJob.objects.filter(pk=job.pk, status=ReportJob.Status.RUNNING).update(
            status=ReportJob.Status.QUEUED, step="Retrying after a worker stopped", updated_at=timezone.now()
        )
        enqueue(job)
    return len(stalled)
