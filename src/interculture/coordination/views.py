from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from interculture import tabular
from interculture.accounts import permissions
from interculture.accounts.types import AuthedRequest, User
from interculture.assessments.forms import AnswerFieldError, posted_answer
from interculture.assessments.models import City, QuestionnaireVersion
from interculture.assessments.selectors import index_areas, value_label
from interculture.assessments.selectors import surveys as survey_versions
from interculture.conflict_pages import BASED_ON, conflict_context
from interculture.coordination import selectors, services
from interculture.coordination.forms import (
    DecisionFormSet,
    FollowUpForm,
    MeetingForm,
    PeerActivityForm,
    PositionAnswerForm,
    PositionForm,
)
from interculture.coordination.models import (
    Body,
    Decision,
    Level,
    PeerActivity,
    Position,
    Stakeholder,
    SurveyItem,
    SurveyResponse,
)
from interculture.countries import country_name
from interculture.engine.survey import appendix_number
from interculture.errors import DomainError, Invalid
from interculture.params import posted_int
from interculture.practices.services import PracticeInvalid


def _lang() -> str:
    return get_language() or "en"


def _coordinated(user: User) -> list[City]:
    return [m.city for m in user.memberships.select_related("city") if m.role == "coordinator"]


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    """The mechanism at a glance: commitments, bodies, positions, peer learning, the survey,
    competences, stakeholders and networks. Coordinators draft positions and record peer
    learning here."""
    country = request.GET.get("country", "FI").upper()
    lang = _lang()
    mine = _coordinated(request.user)
    position_form = PositionForm(request.POST if "draft_position" in request.POST else None, cities=mine)
    activity_form = PeerActivityForm(
        request.POST if "record_activity" in request.POST else None, language=lang
    )
    status = 200
    if request.method == "POST":
        try:
            if "draft_position" in request.POST and position_form.is_valid():
                return _draft_position(request, position_form)
            if "record_activity" in request.POST and activity_form.is_valid():
                return _record_activity(request, activity_form)
        except (PermissionDenied, DomainError) as exc:
            messages.error(request, str(exc))
        status = 400
    return render(
        request,
        "coordination/home.html",
        {
            "country": country,
            **_mechanism(country, lang),
            "position_form": position_form if mine else None,
            "activity_form": activity_form if mine or permissions.is_secretariat(request.user) else None,
            "surveys": survey_versions(lang),
        },
        status=status,
    )


def _mechanism(country: str, lang: str) -> dict[str, Any]:
    """The country's coordination at a glance, in the reader's language: stakeholders by level,
    the competence matrix, bodies, positions, networks, open commitments and peer learning."""
    levels = [("national", _("National")), ("regional", _("Regional")), ("local", _("Local"))]
    labels = dict(Level.choices)
    areas = dict(index_areas(lang))
    matrix = selectors.competence_matrix(country, lang)

    def text(value: dict[str, str]) -> str:
        return value.get(lang) or value.get("en", "")

    return {
        "stakeholders": [
            (
                label,
                [
                    (text(s.name), s.get_type_display(), [areas.get(t, t) for t in s.themes])
                    for s in Stakeholder.objects.filter(level=value)
                ],
            )
            for value, label in Level.choices
        ],
        "matrix": matrix["rows"],
        "levels": matrix["levels"] or levels,
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
            for level, c in selectors.open_commitments(country).items()
        ],
        "activities": [
            (a, areas.get(a.area, a.area)) for a in PeerActivity.objects.select_related("host", "guest")
        ],
    }


def _draft_position(request: AuthedRequest, form: PositionForm) -> HttpResponse:
    d = form.cleaned_data
    made = services.draft_position(
        d["city"],
        request.user,
        title=d["title"],
        text=d["text"],
        addressee=d["addressee"],
        addressee_level=d["addressee_level"],
    )
    messages.success(request, _("Position drafted and signed for %(city)s.") % {"city": d["city"].name})
    return redirect("coordination:position", pk=made.pk)


def _record_activity(request: HttpRequest, form: PeerActivityForm) -> HttpResponse:
    d = form.cleaned_data
    services.record_peer_activity(
        request.user,
        kind=d["kind"],
        host=d["host"],
        guest=d["guest"],
        area=d["area"],
        when=d["date"],
        outcomes=d["outcomes"],
    )
    messages.success(request, _("Peer-learning activity recorded."))
    return redirect(reverse("coordination:home") + "#peer-title")


@login_required
def body(request: AuthedRequest, slug: str) -> HttpResponse:
    """A body's meetings, agendas, minutes and decisions; its secretaries record meetings and
    follow decisions up (status, progress, what was done; every change kept)."""
    found = get_object_or_404(Body, slug=slug)
    meeting_form = MeetingForm(request.POST if "record_meeting" in request.POST else None)
    decisions = DecisionFormSet(request.POST if "record_meeting" in request.POST else None, prefix="decision")
    status, conflict = 200, None
    if request.method == "POST":
        try:
            if "record_meeting" in request.POST:
                done = _record_meeting(request, found, meeting_form, decisions)
            else:
                done = _follow_up(request, found)
            if done is not None:
                return done
            status = 400
        except services.DecisionConflict as exc:
            messages.error(
                request,
                _("Not saved: %(why)s Its status is now “%(status)s”; check it and record again.")
                % {"why": str(exc), "status": exc.decision.get_status_display()},
            )
            conflict = _decision_conflict(exc, slug, request.POST.get("note", ""))
            status = 409
        except (PermissionDenied, DomainError) as exc:
            messages.error(request, str(exc))
            status = 403 if isinstance(exc, PermissionDenied) else 400
    return render(
        request,
        "coordination/body.html",
        {
            "body": found,
            "meetings": found.meetings.prefetch_related("decisions__owner", "decisions__changes__changed_by"),
            "can_record": services.can_record(request.user, found),
            "statuses": Decision.Status.choices,
            "today": date.today(),
            "meeting_form": meeting_form,
            "decisions": decisions,
            "conflict": conflict,
        },
        status=status,
    )


def _record_meeting(
    request: HttpRequest, found: Body, meeting_form: MeetingForm, decisions: Any
) -> HttpResponse | None:
    """A meeting and its decisions; None when the forms have errors (shown on the page)."""
    if not (meeting_form.is_valid() and decisions.is_valid()):
        return None
    d = meeting_form.cleaned_data
    rows = [row for row in decisions.cleaned_data if row.get("text")]
    services.record_meeting(
        found, request.user, when=d["date"], agenda=d["agenda"], minutes=d["minutes"], decisions=rows
    )
    messages.success(
        request,
        ngettext(
            "Meeting recorded with %(n)d decision.",
            "Meeting recorded with %(n)d decisions.",
            len(rows),
        )
        % {"n": len(rows)},
    )
    return redirect("coordination:body", slug=found.slug)


def _follow_up(request: HttpRequest, found: Body) -> HttpResponse:
    """A decision's status, progress and what was done (a stale one: DecisionConflict)."""
    follow = FollowUpForm(request.POST)
    if not follow.is_valid():
        raise Invalid(_("Give a status and a progress from 0 to 100."))
    d = follow.cleaned_data
    decision = get_object_or_404(Decision, pk=d["decision"], meeting__body=found)
    services.update_decision(
        decision,
        request.user,
        expected_version=posted_int(request.POST, BASED_ON, 0) or d["version"],
        status=d["status"],
        progress=d["progress"],
        note=d["note"],
    )
    messages.success(request, _("Follow-up recorded."))
    return redirect(reverse("coordination:body", args=[found.slug]) + f"#d-{decision.pk}")


def _decision_conflict(exc: services.DecisionConflict, slug: str, note: str) -> dict[str, Any]:
    """Both sides of a stale follow-up; "keep mine" records my status, progress and note again."""
    statuses = dict(Decision.Status.choices)

    def show(field: str, value: Any) -> str:
        if field == "follow_up":
            return str(value or "—")
        return str(statuses.get(value, value)) if field == "status" else f"{value} %"

    mine = [("decision", exc.decision.pk), ("version", exc.expected_version), ("note", note)]
    mine += [(f, exc.yours[f]) for f in ("status", "progress")]
    url = reverse("coordination:body", args=[slug]) + f"#d-{exc.decision.pk}"
    labels = {"status": _("Status"), "progress": _("Progress")}
    if note.strip():  # theirs: the follow-up log as it is now; mine: the note I added
        exc.yours["follow_up"] = note.strip()
        labels["follow_up"] = _("What was done")
    return {"pk": exc.decision.pk} | conflict_context(exc, labels, show, mine, url)


def _record_answer(request: HttpRequest, found: Position, answer_form: PositionAnswerForm) -> None:
    """When the position was sent, and the answer it received."""
    if not answer_form.is_valid():
        raise Invalid(_("Dates are written YYYY-MM-DD."))
    d = answer_form.cleaned_data
    if d["sent_on"]:
        services.mark_position_sent(found, request.user, sent_on=d["sent_on"])
    if d["answered_on"]:
        services.record_position_answer(found, request.user, answer=d["answer"], answered_on=d["answered_on"])
    messages.success(request, _("Recorded."))


def _co_sign(request: AuthedRequest, found: Position) -> None:
    city = get_object_or_404(City, pk=request.POST.get("city"))
    services.co_sign(found, city=city, user=request.user)
    messages.success(request, _("%(city)s has signed.") % {"city": city.name})


@login_required
def position(request: AuthedRequest, pk: int) -> HttpResponse:
    """A shared position: its text, who signed, when it was sent and the answer it received."""
    found = get_object_or_404(Position.objects.select_related("drafted_by"), pk=pk)
    answer_form = PositionAnswerForm(
        request.POST if "record_answer" in request.POST else None,
        initial={"sent_on": found.sent_on, "answered_on": found.answered_on, "answer": found.answer},
    )
    if request.method == "POST":
        try:
            if "record_answer" in request.POST:
                _record_answer(request, found, answer_form)
            else:
                _co_sign(request, found)
        except (PermissionDenied, DomainError) as exc:
            messages.error(request, str(exc))
        return redirect("coordination:position", pk=pk)
    signed = set(found.signatures.values_list("city_id", flat=True))
    can_answer = permissions.is_secretariat(request.user) or permissions.can_coordinate(
        request.user, found.drafted_by
    )
    return render(
        request,
        "coordination/position.html",
        {
            "position": found,
            "signatures": found.signatures.select_related("city"),
            "can_sign": []
            if found.answered_on
            else [c for c in _coordinated(request.user) if c.pk not in signed],
            "answer_form": answer_form if can_answer else None,
        },
    )


def _survey(version: str) -> QuestionnaireVersion:
    found = get_object_or_404(QuestionnaireVersion, version=version)
    try:
        services.survey_questionnaire(found)
    except services.SurveyError as exc:
        raise Http404(str(exc)) from exc
    return found


@login_required
def survey(request: AuthedRequest, version: str) -> HttpResponse:
    """The survey's aggregate tables (seed 001, Tables 3.1–3.5), computed from the responses."""
    found = _survey(version)
    real_only = request.GET.get("responses") == "real"
    results = selectors.survey_results(found, include_synthetic=not real_only)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return _table_file(selectors.survey_rows(results, _lang()), f"{version}-tables", fmt)
    lang = _lang()
    labels = {x.id: {o.id: o.label.get(lang) for o in x.options} for x in results["questionnaire"].questions}
    published = results["published"] or {}
    tables = []
    for t in results["tables"]:
        qid = t.question.id
        said = (published.get("yes_no") or {}).get(qid)
        # 001's figure for a rating question: its higher-priority shares, or its finding's order
        figure = (published.get("higher_priority") or {}).get(qid) or (published.get("findings") or {}).get(
            qid
        )
        shares = (figure or {}).get("shares") or {}
        tables.append(
            {
                "id": qid,
                "number": appendix_number(qid) or qid,
                "text": t.question.text.get(lang),
                "table": t,
                "options": [(labels[qid].get(o.option, o.option), o) for o in t.options],
                "ratings": [
                    (labels[qid].get(r.option, r.option), r, shares.get(r.option)) for r in t.ratings
                ],
                "scale": t.question.scale,
                "figure": figure,
                "finding": [labels[qid].get(o, o) for o in (figure or {}).get("order", [])],
                # 001's own figures for this question: [table, yes, no, no answer]
                "published": dict(zip(["table", "yes", "no", "no_answer"], said, strict=True))
                if said
                else None,
            }
        )
    per_country = {
        c: {"responses": v[0], "items": v[1]} for c, v in (published.get("per_country") or {}).items()
    }
    return render(
        request,
        "coordination/survey.html",
        {
            "version": found,
            "title": results["questionnaire"].title.get(lang),
            "results": results,
            "tables": tables,
            "countries": [
                (c, _country_name(c.country), per_country.get(c.country)) for c in results["countries"]
            ],
            "published": published,
            "real_only": real_only,
        },
    )


def _country_name(code: str) -> str:
    return country_name(code) or "—"


def _table_file(rows: list[list[Any]], name: str, fmt: str) -> HttpResponse:
    return tabular.download(tabular.write_table(rows, fmt, "tables"), fmt, f"{name}.{fmt}")


# --- answering the survey -------------------------------------------------------------------


@login_required
def survey_responses(request: AuthedRequest, version: str) -> HttpResponse:
    """A person's responses to the survey, and where they start one: for a city they answer for,
    or for their own authority (a region, a ministry) that is not on the platform."""
    found = _survey(version)
    answerable = [
        m.city
        for m in request.user.memberships.select_related("city")
        if permissions.can_answer_for(request.user, m.city)
    ]
    status = 200
    if request.method == "POST":
        raw = request.POST.get("city", "").strip()
        city = None
        if raw.isascii() and raw.isdigit() and len(raw) < 19:  # an id the database can hold
            city = City.objects.filter(pk=int(raw), synthetic=False).first()
        if raw and city is None:  # not a city the form offered
            messages.error(request, _("Choose one of the cities you answer for, or your own authority."))
            status = 400
        else:
            response = services.start_response(found, request.user, city=city)
            return redirect("coordination:survey_response", version=version, pk=response.pk)
    responses = selectors.visible_responses(request.user, found)
    answered = {r.city_id for r in responses}
    return render(
        request,
        "coordination/survey_responses.html",
        {
            "version": found,
            "title": services.survey_questionnaire(found).title.get(_lang()),
            "responses": responses,
            "cities": sorted({c for c in answerable if c.pk not in answered}, key=lambda c: c.name),
        },
        status=status,
    )


def _response(request: HttpRequest, version: str, pk: int) -> SurveyResponse:
    found = get_object_or_404(
        SurveyResponse.objects.select_related("questionnaire", "city"), pk=pk, questionnaire__version=version
    )
    if not permissions.can_read_response(request.user, found):
        raise Http404("No such response")  # another authority's answers: not even their existence
    return found


@login_required
def survey_response(request: AuthedRequest, version: str, pk: int) -> HttpResponse:
    response = _response(request, version, pk)
    if request.method == "POST":
        try:
            _response_action(request, response)
        except (services.SurveyError, PracticeInvalid) as exc:
            messages.error(request, str(exc))
        return redirect("coordination:survey_response", version=version, pk=pk)
    sections = selectors.survey_progress(response, _lang())
    repeatable = [s for s in sections if s["repeatable"]]
    return render(
        request,
        "coordination/survey_response.html",
        {
            "response": response,
            "title": services.survey_questionnaire(response.questionnaire).title.get(_lang()),
            "sections": sections,
            "item_sections": [
                (s, response.items.filter(section=s["id"]).select_related("practice")) for s in repeatable
            ],
            "can_edit": permissions.can_edit_response(request.user, response),
        },
    )


def _response_action(request: HttpRequest, response: SurveyResponse) -> None:
    user, post = request.user, request.POST
    if "submit" in post:
        services.submit_response(response, user)
        messages.success(request, _("The response is submitted and counted in the survey's tables."))
    elif "reopen" in post:
        services.reopen_response(response, user)
        messages.success(request, _("The response is open again; it is not counted until it is submitted."))
    elif "add_item" in post:
        item = services.add_item(response, user, section=post["add_item"])
        messages.success(request, _("Fact sheet %(n)d added.") % {"n": item.number})
    elif "remove_item" in post:
        item = get_object_or_404(SurveyItem, pk=posted_int(post, "remove_item"), response=response)
        services.remove_item(item, user)
        messages.success(request, _("Fact sheet %(n)d removed.") % {"n": item.number})
    elif "propose" in post:
        item = get_object_or_404(SurveyItem, pk=posted_int(post, "propose"), response=response)
        practice = services.propose_practice(item, user)
        messages.success(
            request,
            _("“%(title)s” is in the practice base, waiting for the secretariat's review.")
            % {"title": practice.title},
        )


def _posted_answers(
    request: HttpRequest, page: dict[str, Any]
) -> tuple[list[tuple[str, Any, Any, int]], dict[str, str], dict[str, Any]]:
    """The section's answers as sent: (question, item, value, version) to save, the fields
    refused with why, and every value as the person entered it (field key -> value)."""
    posted, problems, mine = [], {}, {}
    for f in page["fields"] + [f for i in page["items"] for f in i["fields"]]:
        if f"version-{f['key']}" not in request.POST:
            continue  # not on the form that was sent (e.g. a fact sheet added since in another tab)
        try:
            value = posted_answer(f["q"], request.POST, f["key"])
        except AnswerFieldError as exc:
            problems[f["key"]] = str(exc)
            mine[f["key"]] = exc.typed  # shown back as typed
            continue
        posted.append((f["q"].id, f["item"], value["value"], value["version"]))
        mine[f["key"]] = value["value"]
    return posted, problems, mine


@login_required
def survey_section(request: AuthedRequest, version: str, pk: int, section: str) -> HttpResponse:
    """One section of a response as one form. A value the engine refuses, or an answer someone
    else changed meanwhile, is shown again with the person's value kept in the form."""
    response = _response(request, version, pk)
    q = services.survey_questionnaire(response.questionnaire)
    try:
        page = selectors.survey_page(response, section, _lang())
    except KeyError as exc:
        raise Http404("No such section") from exc
    can_edit = permissions.can_edit_response(request.user, response)
    status = 200
    if request.method == "POST":
        posted, problems, mine = _posted_answers(request, page)
        try:
            saved = services.save_section(response, request.user, posted=posted)
        except services.SurveyError as exc:
            messages.error(request, str(exc))
            return redirect("coordination:survey_response", version=version, pk=pk)
        problems.update(saved.errors)
        if not problems and not saved.conflicts:
            messages.success(
                request,
                ngettext("%(n)d answer saved.", "%(n)d answers saved.", saved.saved) % {"n": saved.saved},
            )
            url = reverse("coordination:survey_section", args=[version, pk, section])
            return redirect(url + "?saved=1")  # the page then forgets what the browser kept
        page = selectors.survey_page(response, section, _lang())  # the stored state, then the person's values
        for f in page["fields"] + [f for i in page["items"] for f in i["fields"]]:
            if f["key"] in saved.conflicts:
                f["their_label"] = value_label(f["q"], saved.conflicts[f["key"]], _lang())
            if f["key"] in problems or f["key"] in saved.conflicts:
                f["problem"] = problems.get(f["key"])
                f["conflict"] = f["key"] in saved.conflicts
                selectors.show_value(f, mine.get(f["key"]))
        messages.warning(
            request, _("Some answers were not saved; they are marked below, with what you entered.")
        )
        status = 409 if saved.conflicts else 400
    indicators = q.indicators
    position = [i.id for i in indicators].index(section)
    return render(
        request,
        "coordination/survey_section.html",
        {
            "response": response,
            "page": page,
            "can_edit": can_edit,
            "saved": request.method == "GET" and "saved" in request.GET,
            "previous": _part(indicators[position - 1]) if position > 0 else None,
            "next": _part(indicators[position + 1]) if position + 1 < len(indicators) else None,
        },
        status=status,
    )


def _part(indicator: Any) -> dict[str, str]:
    return {"id": indicator.id, "name": indicator.name.get(_lang())}
