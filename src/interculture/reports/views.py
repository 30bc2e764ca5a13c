from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from interculture.accounts import permissions
from interculture.accounts.types import AuthedRequest
from interculture.assessments import selectors
from interculture.assessments.models import AssessmentRound
from interculture.reports import selectors as selectors_
from interculture.reports import services
from interculture.reports.builder import build_report


def _round(request: HttpRequest, slug: str, year: int) -> AssessmentRound:
    try:
        return selectors.get_round(request.user, slug, year)
    except AssessmentRound.DoesNotExist as exc:
        raise Http404("No such round") from exc


def _language(request: HttpRequest) -> str:
    lang = request.GET.get("lang") or request.POST.get("lang") or get_language() or "en"
    return lang if lang in services.LANGUAGES else "en"


def report(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    round_ = _round(request, slug, year)
    language = _language(request)
    built, body = selectors_.page_report(round_, language)
    can_edit = services.can_edit_report(request.user, round_)
    return render(
        request,
        "reports/report_page.html",
        {
            "report": built,
            "body": None if can_edit else body,  # editors see the differences from the generated text
            "round": round_,
            "can_edit": can_edit,
            "can_publish": permissions.can_publish_report(request.user),
            "languages": settings.LANGUAGES,
            "stale_count": sum(s.stale for s in built.sections),
            "jobs": round_.report_jobs.filter(language=language)[:3] if can_edit else [],
            "versions": round_.report_versions.all(),
            # A published round's page names its version, never "draft".
            "published_version": (
                round_.report_versions.filter(language=language).order_by("-number").first()
                if round_.status == AssessmentRound.Status.PUBLISHED
                else None
            ),
            "show_diff": can_edit,
        },
    )


def pdf(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """The current draft as a PDF, made on request (publishing goes through the job)."""
    round_ = _round(request, slug, year)
    language = _language(request)
    base = services.base_url(request)
    html = services.render_html(build_report(round_, language, base_url=base), for_print=True)
    response = HttpResponse(services.render_pdf(html, base), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{slug}-{year}-{language}-draft.pdf"'
    return response


@login_required
@require_POST
def publish(request: AuthedRequest, slug: str, year: int) -> HttpResponse:
    round_ = _round(request, slug, year)
    language = _language(request)
    job = services.request_publication(round_, language, request.user)
    messages.success(request, _("The PDF is being made; this page shows its progress."))
    return redirect(f"/reports/{slug}/{year}/?lang={language}#job-{job.pk}")


@login_required
def job(request: AuthedRequest, pk: UUID) -> HttpResponse:
    found = selectors_.job_for(request.user, pk)
    if found is None:
        raise Http404("No such job")
    return render(request, "reports/_job.html", {"job": found})


def version(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A published version, as published, for whoever may see its round."""
    found = selectors_.version_for(request.user, public_id)
    if found is None:
        raise Http404("No such report version")
    response = HttpResponse(bytes(found.pdf), content_type="application/pdf")
    name = f"{found.round.city.slug}-{found.round.year}-{found.language}-v{found.number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def edit(request: AuthedRequest, slug: str, year: int) -> HttpResponse:
    round_ = _round(request, slug, year)
    if not services.can_edit_report(request.user, round_):
        raise PermissionDenied(_("Only the city's expert and the secretariat edit its report."))
    language = _language(request)
    if request.method == "POST":
        section = request.POST.get("section", "")
        services.save_edit(
            round_,
            request.user,
            section=section,
            language=language,
            markdown=request.POST.get("markdown", ""),
        )
        messages.success(request, _("Section saved."))
        return redirect(f"/reports/{slug}/{year}/edit/?lang={language}#edit-{section.replace(':', '-')}")
    built = build_report(round_, language)
    return render(request, "reports/edit.html", {"report": built, "round": round_, "language": language})
