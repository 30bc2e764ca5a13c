from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from interculture.accounts import permissions
from interculture.assessments.models import City
from interculture.coordination import selectors, services
from interculture.coordination.models import Body, Decision, Level, Position, Stakeholder


def _lang() -> str:
    return get_language() or "en"


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The mechanism at a glance: stakeholders by level, competences, bodies, positions, networks."""
    country = request.GET.get("country", "FI").upper()
    lang = _lang()
    levels = [("national", _("National")), ("regional", _("Regional")), ("local", _("Local"))]
    labels = dict(Level.choices)

    def text(value: dict[str, str]) -> str:
        return value.get(lang) or value.get("en", "")

    return render(
        request,
        "coordination/home.html",
        {
            "country": country,
            "stakeholders": [
                (
                    label,
                    [(text(s.name), s.get_type_display()) for s in Stakeholder.objects.filter(level=value)],
                )
                for value, label in Level.choices
            ],
            "matrix": [
                {
                    "field": row["field"],
                    "levels": [row["levels"].get(i, "—") for i, _l in levels],
                    "note": row.get("note", ""),
                }
                for row in services.competences(country).values()
            ],
            "levels": levels,
            "bodies": Body.objects.filter(country=country).prefetch_related("meetings"),
            "positions": Position.objects.select_related("drafted_by").prefetch_related("signatures__city"),
            "networks": [
                {
                    "name": text(n["name"]),
                    "aims": text(n.get("aims", {})),
                    "lra": n.get("local_regional_authorities"),
                    "source": n.get("source", ""),
                }
                for n in selectors.networks()
            ],
            "commitments": [
                (labels.get(level, level), c["open"], c["overdue"])
                for level, c in services.open_commitments(country).items()
            ],
        },
    )


@login_required
def body(request: HttpRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Body, slug=slug)
    if request.method == "POST":
        decision = get_object_or_404(Decision, pk=request.POST.get("decision"), meeting__body=found)
        try:
            services.update_decision(
                decision, request.user, request.POST.get("status", ""), request.POST.get("follow_up", "")
            )
            messages.success(request, _("Follow-up recorded."))
        except ValueError as exc:
            messages.error(request, str(exc))
        return redirect("coordination:body", slug=slug)
    return render(
        request,
        "coordination/body.html",
        {
            "body": found,
            "meetings": found.meetings.prefetch_related("decisions__owner"),
            "can_record": services.can_record(request.user, found),
            "statuses": Decision.Status.choices,
            "today": date.today(),
        },
    )


@login_required
def position(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(Position.objects.select_related("drafted_by"), pk=pk)
    my_cities = [m.city for m in request.user.memberships.select_related("city") if m.role == "coordinator"]
    if request.method == "POST":
        city = get_object_or_404(City, pk=request.POST.get("city"))
        try:
            services.co_sign(found, city, request.user)
            messages.success(request, _("%(city)s has signed.") % {"city": city.name})
        except ValueError as exc:
            messages.error(request, str(exc))
        return redirect("coordination:position", pk=pk)
    signed = set(found.signatures.values_list("city_id", flat=True))
    return render(
        request,
        "coordination/position.html",
        {
            "position": found,
            "signatures": found.signatures.select_related("city"),
            "can_sign": [c for c in my_cities if c.pk not in signed],
        },
    )


def require_reader(request: HttpRequest, city: City) -> None:
    if not permissions.can_read_pathway(request.user, city):
        raise PermissionDenied


@login_required
def survey(request: HttpRequest, version: str) -> HttpResponse:
    """The survey's aggregate tables (seed 001, Tables 3.1–3.5), computed from the raw responses."""
    import csv
    import io

    from interculture.assessments.models import QuestionnaireVersion

    found = get_object_or_404(QuestionnaireVersion, version=version)
    results = selectors.survey_results(found)
    if results["questionnaire"].kind != "survey":
        raise PermissionDenied(_("Not a survey."))
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        rows = selectors.survey_rows(results, _lang())
        if fmt == "csv":
            out = io.StringIO()
            csv.writer(out).writerows(rows)
            response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv")
        else:
            from openpyxl import Workbook

            book = Workbook()
            for row in rows:
                book.active.append(row)
            buffer = io.BytesIO()
            book.save(buffer)
            response = HttpResponse(
                buffer.getvalue(),
                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        response["Content-Disposition"] = f'attachment; filename="{version}-tables.{fmt}"'
        return response
    labels = {
        x.id: {o.id: o.label.get(_lang()) for o in x.options} for x in results["questionnaire"].questions
    }
    tables = [
        {
            "id": t.question.id,
            "text": t.question.text.get(_lang()),
            "answered": t.answered,
            "options": [(labels[t.question.id].get(o.option, o.option), o.count, o.share) for o in t.options],
            "ranks": [
                (labels[t.question.id].get(r.option, r.option), r.first, r.first_share, r.mean_rank)
                for r in t.ranks
            ],
        }
        for t in results["tables"]
    ]
    return render(
        request,
        "coordination/survey.html",
        {
            "version": found,
            "title": results["questionnaire"].title.get(_lang()),
            "results": results,
            "tables": tables,
        },
    )
