"""Forms of the workspace, and reading one answer back from posted fields."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import BadRequest
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from interculture.accounts.models import Role
from interculture.assessments.models import QuestionnaireVersion
from interculture.engine.schema import Question, QuestionType
from interculture.params import posted_int


class OpenRoundForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2008, max_value=2100)
    questionnaire = forms.ModelChoiceField(
        label=_("Questionnaire version"), queryset=QuestionnaireVersion.objects.all(), empty_label=None
    )
    carry_over = forms.BooleanField(
        label=_("Start from the answers of the previous round"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.now().year
        from interculture.assessments.selectors import versions_of_kind

        # Index rounds only: surveys (e.g. the authorities' survey) are answered elsewhere.
        index = [v.pk for v in versions_of_kind("index")]
        self.fields["questionnaire"].queryset = QuestionnaireVersion.objects.filter(pk__in=index)
        latest = self.fields["questionnaire"].queryset.order_by("-version").first()
        if latest is not None:
            self.fields["questionnaire"].initial = latest.pk


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[(r.value, r.label) for r in (Role.CONTRIBUTOR, Role.COORDINATOR, Role.EXPERT)],
    )
    department = forms.CharField(label=_("Department"), required=False, max_length=120)


class AnswerFieldError(ValueError):
    pass


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
    elif t is QuestionType.RANKING:
        ranks = {o.id: data.get(f"rank-{qid}-{o.id}", "").strip() for o in question.options}
        try:
            ranked = sorted((int(r), oid) for oid, r in ranks.items() if r)
        except ValueError as exc:
            raise AnswerFieldError(_("Ranks are whole numbers.")) from exc
        value = [oid for _rank, oid in ranked]
    elif t in (QuestionType.NUMBER, QuestionType.PERCENTAGE):
        raw = data.get(f"value-{qid}", "").strip().replace(",", ".").replace(" ", "")
        try:
            value = None if raw == "" else (int(raw) if raw.lstrip("-").isdigit() else float(raw))
        except ValueError as exc:
            raise AnswerFieldError(_("Enter a number.")) from exc
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
