"""Forms of the workspace, and reading one answer back from posted fields."""

from __future__ import annotations

import json
from typing import Any, cast

from django import forms
from django.core.exceptions import BadRequest
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from interculture.accounts.models import Role
from interculture.assessments.models import QuestionnaireVersion
from interculture.assessments.selectors import versions_of_kind
from interculture.engine.schema import Question, QuestionType
from interculture.engine.scoring import InvalidAnswer, latest_year
from interculture.errors import Invalid
from interculture.params import posted_int


class OpenRoundForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2008)
    questionnaire = forms.ModelChoiceField(
        label=_("Questionnaire version"), queryset=QuestionnaireVersion.objects.all(), empty_label=None
    )
    carry_over = forms.BooleanField(
        label=_("Start from the answers of the previous round"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.now().year
        self.fields["year"].widget.attrs["max"] = latest_year()

        # Index rounds only: surveys (e.g. the authorities' survey) are answered elsewhere.
        index = [v.pk for v in versions_of_kind("index")]
        questionnaire = cast(forms.ModelChoiceField, self.fields["questionnaire"])
        questionnaire.queryset = QuestionnaireVersion.objects.filter(pk__in=index)
        latest = questionnaire.queryset.order_by("-version").first()
        if latest is not None:
            self.fields["questionnaire"].initial = latest.pk

    def clean_year(self) -> int:
        year = int(self.cleaned_data["year"])
        if year > latest_year():
            raise forms.ValidationError(
                _("A round's year cannot be after next year (%(year)d).") % {"year": latest_year()}
            )
        return year


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(r.value, r.label) for r in (Role.CONTRIBUTOR, Role.COORDINATOR, Role.EXPERT)],
    )
    department = forms.CharField(label=_("Department"), required=False, max_length=120)


class AnswerFieldError(Invalid):
    """A posted field that is not a value at all (e.g. "abc" for a number); `typed` is what the
    person entered, for the form to show it back."""

    def __init__(self, message: str | Promise, typed: Any = None) -> None:
        super().__init__(str(message))
        self.typed = typed


def explain_refusal(question: Question, exc: InvalidAnswer) -> str:
    """Why the engine refused an answer, in the person's language."""
    if exc.code == "out_of_range":
        if question.type is QuestionType.PERCENTAGE:
            return gettext("Enter a percentage from 0 to 100.")
        return gettext("Enter a number, 0 or more.")
    if exc.code == "year":
        return gettext("Enter a year, no later than %(year)d.") % {"year": latest_year()}
    if exc.code == "scale" and question.scale is not None:
        return gettext("Ratings are whole numbers from %(low)d to %(high)d.") % {
            "low": question.scale.min,
            "high": question.scale.max,
        }
    if exc.code == "none_with_others":
        return gettext("“None of these” cannot be ticked together with other options.")
    return exc.message


def posted_answer(question: Question, data: QueryDict, key: str | None = None) -> dict[str, Any]:
    """One question's fields from a workspace form: value, comment, evidence and base version.

    Field names carry the question id (or `key`, e.g. a question of one fact sheet), so one form
    can hold a whole area.
    """
    qid = key or question.id
    t = question.type
    if data.get("choice") == "mine":  # "use my answer" after a conflict: the value as JSON
        try:
            value: Any = json.loads(data.get(f"mine-{qid}") or "")
        except (ValueError, RecursionError) as exc:  # the page always sends it; another client may not
            raise BadRequest(_("Your answer after the conflict is missing or not readable.")) from exc
    elif t is QuestionType.MULTIPLE_CHOICE:
        value = data.getlist(f"value-{qid}")
    elif t is QuestionType.RATING:
        assert question.scale is not None
        typed = {o.id: data.get(f"rate-{qid}-{o.id}", "").strip() for o in question.options}
        typed = {oid: r for oid, r in typed.items() if r}  # an option left empty is not rated
        if not all(r.isascii() and r.isdigit() and len(r) < 6 for r in typed.values()):
            raise AnswerFieldError(
                _("Ratings are whole numbers from %(low)d to %(high)d.")
                % {"low": question.scale.min, "high": question.scale.max},
                typed,
            )
        value = {oid: int(r) for oid, r in typed.items()}  # ties stay ties: 1, 1, 3 is kept
    elif t in (QuestionType.NUMBER, QuestionType.PERCENTAGE):
        entered = data.get(f"value-{qid}", "").strip()
        raw = entered.replace(",", ".").replace(" ", "").replace("\u00a0", "")
        try:
            value = None if raw == "" else (int(raw) if raw.lstrip("-").isdigit() else float(raw))
        except ValueError as exc:
            raise AnswerFieldError(_("Enter a number."), entered) from exc
    else:
        value = data.get(f"value-{qid}") or None
    evidence = [line for line in data.get(f"evidence-{qid}", "").splitlines() if line.strip()]
    # After a conflict, "use my answer" is based on the version the other person saved.
    version_field = f"their-version-{qid}" if data.get("choice") == "mine" else f"version-{qid}"
    version = posted_int(data, version_field, 0)
    return {
        "value": value,
        "comment": data.get(f"comment-{qid}", "").strip(),
        "evidence": evidence,
        "version": version,
    }
