"""The city workspace: rounds, areas with autosave, answer history, submission and review.

Views check nothing themselves beyond "may this person see this round": every change goes
through a service, which applies the permission rules of interculture.accounts.permissions.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from interculture.accounts import permissions
from interculture.accounts import services as accounts
from interculture.accounts.types import AuthedRequest
from interculture.assessments import selectors
from interculture.assessments.forms import (
    AnswerFieldError,
    InviteForm,
    OpenRoundForm,
    explain_refusal,
    posted_answer,
)
from interculture.assessments.models import AssessmentRound, City
from interculture.assessments.services import workflow
from interculture.assessments.services.answers import AnswerConflict, AnswersRejected
from interculture.assessments.services.questionnaires import engine_questionnaire
from interculture.conflict_pages import conflict_context
from interculture.engine.schema import Question
from interculture.i18n import current_language


def _city(request: HttpRequest, slug: str) -> City:
    city = get_object_or_404(City, slug=slug, synthetic=False)
    if not permissions.can_see_drafts(request.user, city):
        raise PermissionDenied(
            _("Only the city's members, its expert and the secretariat see its workspace.")
        )
    return city


def _round(request: HttpRequest, slug: str, year: int) -> AssessmentRound:
    city = _city(request, slug)
    return get_object_or_404(selectors.rounds_for(request.user), city=city, year=year)


@login_required
def city_workspace(request: AuthedRequest, slug: str) -> HttpResponse:
    city = _city(request, slug)
    open_form = OpenRoundForm(request.POST if "open_round" in request.POST else None)
    invite_form = InviteForm(request.POST if "invite" in request.POST else None)
    if request.method == "POST":
        try:
            if "open_round" in request.POST and open_form.is_valid():
                opened = workflow.open_round(
                    city,
                    open_form.cleaned_data["year"],
                    version=open_form.cleaned_data["questionnaire"],
                    user=request.user,
                    carry_over=open_form.cleaned_data["carry_over"],
                )
                messages.success(
                    request,
                    ngettext(
                        "Round %(year)d opened; %(n)d answer carried over.",
                        "Round %(year)d opened; %(n)d answers carried over.",
                        opened.carried_over,
                    )
                    % {"year": opened.round.year, "n": opened.carried_over},
                )
                return redirect("assessments:round", slug=city.slug, year=opened.round.year)
            if "invite" in request.POST and invite_form.is_valid():
                sent = accounts.invite(
                    request.user,
                    invite_form.cleaned_data["email"],
                    invite_form.cleaned_data["role"],
                    city=city,
                    department=invite_form.cleaned_data["department"],
                    base_url=request.build_absolute_uri("/").rstrip("/"),
                )
                messages.success(
                    request, _("Invitation sent to %(email)s.") % {"email": sent.invitation.email}
                )
                return redirect("assessments:city_workspace", slug=city.slug)
        except workflow.WorkflowError as exc:
            messages.error(request, str(exc))
    rounds = selectors.visible_rounds(request.user, city)
    return render(
        request,
        "assessments/workspace/city.html",
        {
            "city": city,
            "rounds": [(r, selectors.round_progress(r, request.user, current_language())) for r in rounds],
            "members": city.memberships.select_related("user"),
            "invitations": city.invitation_set.filter(accepted_at__isnull=True),
            "can_coordinate": permissions.can_coordinate(request.user, city),
            "can_manage_members": permissions.can_manage_members(request.user, city),
            "open_form": open_form,
            "invite_form": invite_form,
        },
    )


# Steps that ask for confirmation first: a page with a POST button, so it works without JavaScript.
CONFIRMED_STEPS = ("submit", "validate", "publish")
DONE_MESSAGES = {
    "submit": gettext_lazy("The round was submitted to the secretariat."),
    "validate": gettext_lazy("The round is validated."),
    "publish": gettext_lazy("The results are published."),
}


def _posted_step(request: HttpRequest) -> str:
    return "submit" if "submit" in request.POST else request.POST.get("action", "")


def _confirmed_step(
    request: AuthedRequest, round_: AssessmentRound, step: str, comments: dict[str, str], note: str
) -> HttpResponse:
    """Check the step; unconfirmed, the confirmation page (a form that posts again what was typed,
    with `confirmed`); confirmed, the step (with the review comments, as one transaction)."""
    workflow.check_step(round_, request.user, name=step)
    if request.POST.get("confirmed") != "1":
        carried = [
            (key, value)
            for key in request.POST
            if key not in ("csrfmiddlewaretoken", "confirmed")
            for value in request.POST.getlist(key)
            if value.strip()
        ]
        return render(
            request,
            "assessments/workspace/confirm.html",
            {
                "round": round_,
                "city": round_.city,
                "step": step,
                "carried": carried,
                "comments": sum(1 for text in comments.values() if text.strip()) + bool(note.strip()),
                "back": request.path,
            },
        )
    with transaction.atomic():  # comments and the step they came with stand or fall together
        if comments or note:
            workflow.comment_on_answers(round_, request.user, comments={**comments, "": note})
        if step == "submit":
            workflow.submit_round(round_, request.user)
        elif step == "validate":
            workflow.validate_round(round_, request.user, note=note)
        else:
            workflow.publish_round(round_, request.user, note=note)
    messages.success(request, str(DONE_MESSAGES[step]))
    return redirect(request.path)


@login_required
def round_overview(request: AuthedRequest, slug: str, year: int) -> HttpResponse:
    round_ = _round(request, slug, year)
    missing: list[Question] = []
    status = 200
    if request.method == "POST":
        try:
            step = _posted_step(request)
            if step in CONFIRMED_STEPS:
                return _confirmed_step(request, round_, step, {}, "")
            if "assign" in request.POST:
                users = {str(u.pk): u for u in get_user_model().objects.filter(memberships__city=round_.city)}
                wanted = {
                    ind_id: [users[pk] for pk in request.POST.getlist(f"assign-{ind_id}") if pk in users]
                    for ind_id in request.POST.getlist("areas")
                }
                n = workflow.assign_areas(round_, request.user, assignments=wanted)
                messages.success(
                    request,
                    ngettext("Areas assigned (%(n)d assignment).", "Areas assigned (%(n)d assignments).", n)
                    % {"n": n},
                )
                return redirect("assessments:round", slug=slug, year=year)
        except workflow.SubmissionRefused as exc:
            missing, status = exc.missing, 400
        except workflow.WorkflowError as exc:
            messages.error(request, str(exc))
            status = 409
    q = engine_questionnaire(round_.questionnaire)
    S = AssessmentRound.Status
    return render(
        request,
        "assessments/workspace/round.html",
        {
            "round": round_,
            "city": round_.city,
            "progress": selectors.round_progress(round_, request.user, current_language()),
            "missing": [
                {
                    "q": x,
                    "text": x.text.get(current_language()),
                    "area": q.indicator(x.indicator).name.get(current_language()),
                }
                for x in missing
            ],
            "contributors": round_.city.memberships.select_related("user").order_by("user__username"),
            "can_coordinate": permissions.can_coordinate(request.user, round_.city),
            "can_review": permissions.can_review(request.user, round_.city),
            "can_submit": permissions.can_coordinate(request.user, round_.city)
            and round_.status in (S.DRAFT, S.CHANGES_REQUESTED),
            "can_publish": permissions.can_validate(request.user) and round_.status == S.VALIDATED,
            "history": selectors.round_history(round_),
            "round_comments": round_.review_comments.filter(question_id="").select_related("author"),
            "commented": selectors.commented_questions(round_, current_language())
            if round_.status == S.CHANGES_REQUESTED
            else [],
        },
        status=status,
    )


@login_required
def area(request: AuthedRequest, slug: str, year: int, indicator: str) -> HttpResponse:
    round_ = _round(request, slug, year)
    q = engine_questionnaire(round_.questionnaire)
    try:
        ind = q.indicator(indicator)
    except KeyError as exc:
        raise Http404("No such area") from exc
    items = selectors.area_questions(round_, indicator, current_language())
    indicators = q.indicators
    position = [i.id for i in indicators].index(indicator)
    return render(
        request,
        "assessments/workspace/area.html",
        {
            "round": round_,
            "city": round_.city,
            "indicator": ind,
            "name": ind.name.get(current_language()),
            "purpose": ind.purpose.get(current_language()),
            "items": items,
            "can_edit": permissions.can_edit_area(request.user, round_, indicator),
            "progress": selectors.round_progress(round_, request.user, current_language()),
            "previous": _link(indicators[position - 1]) if position > 0 else None,
            "next": _link(indicators[position + 1]) if position + 1 < len(indicators) else None,
            "lang": current_language(),
        },
    )


def _link(ind: Any) -> dict[str, str]:
    return {"id": ind.id, "name": ind.name.get(current_language())}


def _save_one(request: HttpRequest, round_: AssessmentRound, question: Question) -> dict[str, Any] | None:
    """Save one posted answer. None when saved or unchanged; otherwise what went wrong."""
    try:
        posted = posted_answer(question, request.POST)
    except AnswerFieldError as exc:
        return {"error": str(exc)}
    try:
        workflow.edit_answer(
            round_,
            question.id,
            user=request.user,
            value=posted["value"],
            expected_version=posted["version"],
            comment=posted["comment"],
            evidence=posted["evidence"],
        )
    except AnswerConflict as exc:
        if not exc.clashing:  # the same edit as theirs (two people made it): nothing to choose
            return None
        return {"conflict": exc, "mine": posted}
    except AnswersRejected as exc:
        return {"error": "; ".join(explain_refusal(question, e) for e in exc.errors)}
    except workflow.WorkflowError as exc:
        return {"error": str(exc)}
    return None


def _answer_conflict(question: Question, exc: AnswerConflict, mine: dict[str, Any]) -> dict[str, Any]:
    """Both sides of a stale answer, field by field: a comment-only clash shows the two comments."""

    def show(field: str, value: Any) -> str:
        if field == "value":
            return selectors.value_label(question, value, current_language()) or "—"
        if field == "evidence":
            return "\n".join(value or []) or "—"
        return value or "—"

    labels = {"value": _("Answer"), "comment": _("Comment"), "evidence": _("Evidence")}
    resubmit = [
        (f"mine-{question.id}", json.dumps(mine["value"])),
        (f"their-version-{question.id}", exc.current_version),
    ]
    return conflict_context(exc, labels, show, resubmit, headings=(_("Their answer"), _("Your answer")))


@require_POST
def answer(request: HttpRequest, slug: str, year: int, question_id: str) -> HttpResponse:
    """Autosave of one answer (HTMX), or the choice made after a conflict."""
    if not request.user.is_authenticated:
        # An autosave must not follow a redirect to the sign-in page: the browser keeps the change.
        if request.headers.get("HX-Request"):
            return HttpResponse(status=401)
        return redirect_to_login(request.get_full_path())
    round_ = _round(request, slug, year)
    q = engine_questionnaire(round_.questionnaire)
    try:
        question = q.question(question_id)
    except KeyError as exc:
        raise Http404("No such question") from exc
    problem = None
    if request.POST.get("choice") != "theirs":
        problem = _save_one(request, round_, question)
    stored = round_.answers.filter(question_id=question_id).first()
    if not request.headers.get("HX-Request"):
        if problem:
            messages.error(request, _("Your answer to %(id)s was not saved.") % {"id": question_id})
        return redirect(
            reverse("assessments:area", args=[slug, year, question.indicator]) + f"#q-{question_id}"
        )
    comments = list(round_.review_comments.filter(question_id=question_id).select_related("author"))
    item = selectors.answer_context(question, stored, current_language(), comments)
    item["problem"] = problem
    if problem and "conflict" in problem:
        item["conflict"] = _answer_conflict(question, problem["conflict"], problem["mine"])
    # A choice after a conflict redraws the whole question; an autosave only its status line,
    # so that the field being typed in keeps its focus and caret.
    whole = request.POST.get("choice") in ("mine", "theirs") and not (problem and "conflict" in problem)
    return render(
        request,
        "assessments/workspace/_saved.html",
        {
            "item": item,
            "round": round_,
            "city": round_.city,
            "can_edit": permissions.can_edit_area(request.user, round_, question.indicator),
            "whole": whole,
            "lang": current_language(),
        },
        status=409 if problem and "conflict" in problem else 200,
    )


@login_required
def history(request: AuthedRequest, slug: str, year: int, question_id: str) -> HttpResponse:
    round_ = _round(request, slug, year)
    q = engine_questionnaire(round_.questionnaire)
    try:
        question = q.question(question_id)
    except KeyError as exc:
        raise Http404("No such question") from exc
    changes = [
        {
            "change": c,
            "old": selectors.value_label(question, c.old_value, current_language()),
            "new": selectors.value_label(question, c.new_value, current_language()),
        }
        for c in selectors.answer_history(round_, question_id)
    ]
    return render(
        request,
        "assessments/workspace/history.html",
        {
            "round": round_,
            "city": round_.city,
            "question": question,
            "text": question.text.get(current_language()),
            "area": q.indicator(question.indicator).name.get(current_language()),
            "changes": changes,
        },
    )


@login_required
def review_queue(request: AuthedRequest) -> HttpResponse:
    """The rounds waiting for review, across the cities this person reviews."""
    if not permissions.reviews_any_city(request.user):
        raise PermissionDenied(_("Only the secretariat and the cities' experts review rounds."))
    return render(
        request,
        "assessments/workspace/queue.html",
        {"rows": selectors.review_queue(request.user, current_language())},
    )


@login_required
def review(request: AuthedRequest, slug: str, year: int) -> HttpResponse:
    round_ = _round(request, slug, year)
    if not permissions.can_review(request.user, round_.city):
        raise PermissionDenied(_("Only the secretariat and the city's expert review a round."))
    status = 200
    only_changes = request.GET.get("changes") == "1"
    if request.method == "POST":
        posted = {
            key.removeprefix("review-"): request.POST.get(key, "")
            for key in request.POST
            if key.startswith("review-")
        }
        note = request.POST.get("note", "")
        action = request.POST.get("action", "")
        try:
            if action in CONFIRMED_STEPS:
                return _confirmed_step(request, round_, action, posted, note)
            with transaction.atomic():  # comments and the step they came with stand or fall together
                _review_action(request, round_, action, posted, note)
            return redirect(request.get_full_path())
        except workflow.WorkflowError as exc:
            messages.error(request, str(exc))
            status = 409
    return render(
        request,
        "assessments/workspace/review.html",
        {
            "round": round_,
            "city": round_.city,
            **selectors.review_areas(round_, request.user, current_language(), only_changes),
            "only_changes": only_changes,
            "can_validate": permissions.can_validate(request.user),
            "S": AssessmentRound.Status,
        },
        status=status,
    )


def _review_action(
    request: AuthedRequest, round_: AssessmentRound, action: str, comments: dict[str, str], note: str
) -> None:
    if action == "request_changes":
        workflow.request_changes(round_, request.user, comments=comments, note=note)
        messages.success(request, _("Changes requested from the city."))
    else:
        n = workflow.comment_on_answers(round_, request.user, comments={**comments, "": note})
        messages.success(request, ngettext("%(n)d comment saved.", "%(n)d comments saved.", n) % {"n": n})
