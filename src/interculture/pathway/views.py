from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language, get_language_info, ngettext
from django.utils.translation import gettext as _

from interculture import charts, tabular
from interculture.accounts import permissions
from interculture.accounts.types import AuthedRequest
from interculture.assessments import selectors
from interculture.assessments.models import City
from interculture.assessments.selectors import index_areas
from interculture.conflict_pages import BASED_ON, conflict_context
from interculture.coordination.models import Level
from interculture.coordination.selectors import open_commitments
from interculture.errors import DomainError
from interculture.params import posted_int
from interculture.pathway import selectors as pathway
from interculture.pathway import services
from interculture.pathway.forms import (
    ActionForm,
    ImportForm,
    IndicatorForm,
    MilestoneForm,
    StepForm,
    StrategyForm,
    VisitForm,
)
from interculture.pathway.models import Action, Expert, Milestone, Programme, Step, StepDocument
from interculture.reports.services import render_pdf


def _lang() -> str:
    return get_language() or "en"


@dataclass
class CityForms:
    """The forms of a city's pathway page, each bound to the POST only when it is the one sent;
    what a refused stale edit shows, and the page's status."""

    indicator: IndicatorForm
    action: ActionForm
    step: StepForm
    visit: VisitForm
    conflict: dict[str, Any] | None = None
    status: int = 200


Handler = Callable[[AuthedRequest, City, CityForms], HttpResponse | None]


def _city_forms(request: AuthedRequest, city: City) -> CityForms:
    post = request.POST
    indicator_form = IndicatorForm(post if "indicator" in post else None)
    cast(forms.ChoiceField, indicator_form.fields["indicator"]).choices = [
        (
            i["id"],
            f"{area['name'].get(_lang()) or area['name']['en']}: {i['name'].get(_lang()) or i['name']['en']}",
        )
        for area in pathway.good_relations()["areas"]
        for i in area["indicators"]
    ]
    return CityForms(
        indicator=indicator_form,
        action=ActionForm(
            post if "add_action" in post else None,
            questions=pathway.question_choices(city, _lang()),
            recommendations=pathway.recommendation_choices(city, _lang()),
        ),
        step=StepForm(post if "add_step" in post else None, request.FILES or None),
        visit=VisitForm(post if "add_visit" in post else None),
    )


def _back(city: City) -> HttpResponse:
    return redirect("pathway:city", slug=city.slug)


def _add_visit(request: AuthedRequest, city: City, forms: CityForms) -> HttpResponse | None:
    if not permissions.can_record_visit(request.user, city):
        raise PermissionDenied(_("Only the city's expert and the secretariat record visits."))
    if not forms.visit.is_valid():
        return None
    d = forms.visit.cleaned_data
    services.record_visit(
        city,
        request.user,
        expert=services.expert_for(request.user),
        start=d["start"],
        end=d["end"],
        met=d["met"],
        findings=d["findings"],
        recommendations=list(
            zip(request.POST.getlist("rec_area"), request.POST.getlist("rec_text"), strict=False)
        ),
    )
    messages.success(request, _("Visit recorded."))
    return _back(city)


def _add_milestone(request: AuthedRequest, city: City, forms: CityForms) -> HttpResponse | None:
    action = get_object_or_404(Action, pk=posted_int(request.POST, "add_milestone"), city=city)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        services.add_milestone(
            action, request.user, title=form.cleaned_data["title"], due=form.cleaned_data["due"]
        )
        messages.success(request, _("Milestone added."))
    return _back(city)


def _toggle_milestone(request: AuthedRequest, city: City, forms: CityForms) -> HttpResponse | None:
    milestone = get_object_or_404(Milestone, pk=posted_int(request.POST, "milestone_done"), action__city=city)
    services.set_milestone_done(milestone, request.user, done=not milestone.done)
    return _back(city)


def _add_action(request: AuthedRequest, city: City, forms: CityForms) -> HttpResponse | None:
    if not forms.action.is_valid():
        return None
    fields = dict(forms.action.cleaned_data)
    rec = city.recommendations.filter(pk=fields.pop("recommendation") or 0).first()
    try:
        services.create_action(city, request.user, recommendation=rec, **fields)
    except DomainError as exc:  # shown on the form, which keeps what was typed
        forms.action.add_error(None, str(exc))
        return None
    messages.success(request, _("Action added."))
    return _back(city)


def _decide(request: AuthedRequest, city: City, accept: bool) -> HttpResponse:
    verb = "accept_recommendation" if accept else "decline_recommendation"
    rec = get_object_or_404(city.recommendations, pk=posted_int(request.POST, verb))
    services.decide_recommendation(rec, request.user, accept=accept, reason=request.POST.get("reason", ""))
    messages.success(request, _("Recommendation accepted.") if accept else _("Recommendation declined."))
    # back to the recommendation, its area open
    return redirect(f"{reverse('pathway:city', args=[city.slug])}?area={rec.indicator_id}#rec-{rec.pk}")


def _accept(request: AuthedRequest, city: City, forms: CityForms) -> HttpResponse | None:
    return _decide(request, city, True)


def _decline(request: AuthedRequest, city: City, forms: CityForms) -> HttpResponse | None:
    return _decide(request, city, False)


def _update_action(request: AuthedRequest, city: City, forms: CityForms) -> HttpResponse | None:
    action = get_object_or_404(Action, pk=posted_int(request.POST, "update_action"), city=city)
    services.update_action(
        action,
        request.user,
        expected_version=posted_int(request.POST, BASED_ON, 0) or posted_int(request.POST, "version", 0),
        status=request.POST.get("status", action.status),
        progress=posted_int(request.POST, "progress", action.progress),
    )
    messages.success(request, _("Action updated."))
    return _back(city)


def _add_step(request: AuthedRequest, city: City, forms: CityForms) -> HttpResponse | None:
    if not forms.step.is_valid():
        return None
    d = forms.step.cleaned_data
    services.record_step(
        city,
        request.user,
        kind=d["kind"],
        on=d["date"],
        note=d["note"],
        members=d["members"],
        document=d.get("document"),
    )
    messages.success(request, _("Step recorded."))
    return _back(city)


def _record_indicator(request: AuthedRequest, city: City, forms: CityForms) -> HttpResponse | None:
    if not forms.indicator.is_valid():
        return None
    d = forms.indicator.cleaned_data
    services.record_indicator(
        city,
        request.user,
        indicator_id=d["indicator"],
        year=d["year"],
        value=d["value"],
        source=d["source"],
    )
    messages.success(request, _("Indicator value recorded."))
    return _back(city)


def _import(request: AuthedRequest, city: City, forms: CityForms) -> HttpResponse | None:
    upload = request.FILES.get("file")
    if upload is None:
        raise services.ImportRejected([(0, _("choose a file"))])
    services.check_upload(upload.size or 0)  # before reading it
    n = services.import_actions(city, request.user, data=upload.read(), filename=upload.name or "")
    messages.success(request, ngettext("%(n)d action imported.", "%(n)d actions imported.", n) % {"n": n})
    return _back(city)


def _from_report(request: AuthedRequest, city: City, forms: CityForms) -> HttpResponse | None:
    latest = selectors.latest_round(request.user, city, statuses=["validated", "published"])
    n = services.recommendations_from_report(latest) if latest else 0
    messages.success(
        request,
        ngettext(
            "%(n)d recommendation taken from the report.",
            "%(n)d recommendations taken from the report.",
            n,
        )
        % {"n": n},
    )
    return _back(city)


# The page's forms that change the pathway, by the name of their submit button, in the order
# they are looked for.
WRITES: dict[str, Handler] = {
    "add_milestone": _add_milestone,
    "milestone_done": _toggle_milestone,
    "add_action": _add_action,
    "accept_recommendation": _accept,
    "decline_recommendation": _decline,
    "update_action": _update_action,
    "add_step": _add_step,
    "indicator": _record_indicator,
    "import": _import,
    "from_report": _from_report,
}


def _post(request: AuthedRequest, city: City, forms: CityForms) -> HttpResponse | None:
    """Carry out the form that was sent: a redirect, or None to show the page again (with the
    form's errors, a message, or both sides of a stale edit)."""
    if "add_visit" in request.POST:
        return _add_visit(request, city, forms)
    if not permissions.can_write_pathway(request.user, city):
        raise PermissionDenied(_("Viewers read the pathway; they do not change it."))
    handler = next((h for name, h in WRITES.items() if name in request.POST), None)
    if handler is None:
        return None
    try:
        return handler(request, city, forms)
    except services.ImportRejected as exc:
        messages.error(
            request,
            _("Nothing was imported. ")
            + "; ".join(_("row %(n)d: %(m)s") % {"n": n, "m": m} if n else m for n, m in exc.errors),
        )
    except services.ActionConflict as exc:
        forms.conflict, forms.status = _action_conflict(exc, city.slug), 409
    except DomainError as exc:
        messages.error(request, str(exc))
    return None


@login_required
def city_pathway(request: AuthedRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    if not permissions.can_read_pathway(request.user, city):
        raise PermissionDenied(
            _("The pathway is for the city's people, the secretariat and its national or regional viewers.")
        )
    forms = _city_forms(request, city)
    if request.method == "POST":
        done = _post(request, city, forms)
        if done is not None:
            return done
    return render(request, "pathway/city.html", _city_context(request, city, forms), status=forms.status)


def _city_context(request: AuthedRequest, city: City, forms: CityForms) -> dict[str, Any]:
    events = pathway.timeline(city, request.user)
    reached = pathway.steps_reached(city, request.user, events)
    texts = pathway.question_texts(city, _lang())
    actions = list(city.actions.prefetch_related("milestones"))
    for a in actions:
        a.target_texts = [texts.get(qid, qid) for qid in a.questions]  # type: ignore[attr-defined]
    return {
        "city": city,
        "can_write": permissions.can_write_pathway(request.user, city),
        "events": events,
        "steps": [(kind, label, kind in reached, reached.get(kind)) for kind, label in Step.Kind.choices],
        "recommendation_groups": pathway.recommendations_by_area(city, _lang()),
        "open_area": request.GET.get("area", ""),
        "actions": actions,
        "progress": pathway.measured_progress(city, request.user, _lang()),
        "trend_chart": charts.index_trend_chart(selectors.round_trend(request.user, city, _lang())),
        "good_relations": pathway.good_relations_table(city, _lang()),
        "action_form": forms.action,
        "step_form": forms.step,
        "indicator_form": forms.indicator,
        "import_form": ImportForm(),
        "statuses": Action.Status.choices,
        "visit_form": forms.visit,
        "can_visit": permissions.can_record_visit(request.user, city),
        "visits": city.visits.select_related("expert").prefetch_related("recommendations"),
        "areas": _areas(city),
        "conflict": forms.conflict,
    }


def _action_conflict(exc: services.ActionConflict, slug: str) -> dict[str, Any]:
    """Both sides of a stale status/progress edit, and my edit ready to be sent again."""
    statuses = dict(Action.Status.choices)

    def show(field: str, value: Any) -> str:
        return str(statuses.get(value, value)) if field == "status" else f"{value} %"

    mine = [("update_action", exc.action.pk), *exc.yours.items()]
    url = reverse("pathway:city", args=[slug]) + f"#action-{exc.action.pk}"
    return {"pk": exc.action.pk} | conflict_context(
        exc, {"status": _("Status"), "progress": _("Progress")}, show, mine, url
    )


@login_required
def export(request: AuthedRequest, slug: str, fmt: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    if not permissions.can_read_pathway(request.user, city):
        raise PermissionDenied
    return tabular.download(services.export_actions(city, fmt), fmt, f"{slug}-actions.{fmt}")


@login_required
def programme(request: AuthedRequest, slug: str) -> HttpResponse:
    found = get_object_or_404(Programme, slug=slug)
    rows = pathway.programme_overview(found, request.user)
    for row in rows:
        row["name"] = row["city"].localized_name(_lang())
    if not rows and not permissions.is_secretariat(request.user):
        raise PermissionDenied
    labels = dict(Level.choices)
    commitments = [
        (labels.get(k, k), v["open"], v["overdue"]) for k, v in open_commitments(found.country).items()
    ]
    return render(
        request,
        "pathway/programme.html",
        {
            "programme": found,
            "name": found.name.get(_lang()) or found.name.get("en"),
            "rows": rows,
            "kinds": Step.Kind.choices,
            # per area, each municipality's rate in the rows' order (None: no published round)
            "areas": [(label, [r["areas"].get(i) for r in rows]) for i, label in index_areas(_lang())],
            "commitments": commitments,
        },
    )


@login_required
def strategy(request: AuthedRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    if not permissions.can_read_pathway(request.user, city):
        raise PermissionDenied
    can_write = permissions.can_write_pathway(request.user, city)
    current = city.strategies.first()
    form = StrategyForm(
        request.POST or None,
        initial={
            "title": current.title
            if current
            else _("Local integration strategy of %(city)s") % {"city": city.name},
            "vision": current.vision if current else "",
            "adopted_on": current.adopted_on if current else None,
        },
    )
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        if form.is_valid():
            d = form.cleaned_data
            services.save_strategy(
                city, request.user, title=d["title"], vision=d["vision"], adopted_on=d["adopted_on"]
            )
            messages.success(request, _("Strategy saved."))
            return redirect("pathway:strategy", slug=slug)
    doc = pathway.strategy_document(city, _lang())
    if request.GET.get("format") == "pdf":
        html = render_to_string("pathway/strategy_document.html", {**doc, "lang": _lang()}, request=request)
        response = HttpResponse(
            render_pdf(html, request.build_absolute_uri("/")), content_type="application/pdf"
        )
        response["Content-Disposition"] = f'inline; filename="{slug}-strategy.pdf"'
        return response
    return render(request, "pathway/strategy.html", {**doc, "form": form, "can_write": can_write})


def _areas(city: City) -> list[tuple[str, str]]:
    q = pathway.city_questionnaire(city)
    return [(i.id, i.name.get(_lang())) for i in q.indicators] if q else []


@login_required
def experts(request: AuthedRequest) -> HttpResponse:
    """The expert registry: languages, themes, cities worked with, trainings."""
    areas = dict(index_areas(_lang()))
    rows = [
        {
            "expert": e,
            "languages": [_language_name(code) for code in e.languages],
            "themes": [areas.get(t, t) for t in e.themes],
            "cities": [c.localized_name(_lang()) for c in e.cities.all()],
        }
        for e in Expert.objects.prefetch_related("cities", "trainings")
    ]
    return render(request, "pathway/experts.html", {"rows": rows})


def _language_name(code: str) -> str:
    """A language code's name in the reader's language (Django's own translations)."""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


@login_required
def document(request: AuthedRequest, pk: int) -> FileResponse:
    """A step's document, for the people who may read the city's pathway."""
    found = get_object_or_404(StepDocument.objects.select_related("step__city"), pk=pk)
    if not permissions.can_read_pathway(request.user, found.step.city):
        raise PermissionDenied
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.title)
