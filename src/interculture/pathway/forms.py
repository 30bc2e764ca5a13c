from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from interculture.pathway.models import Action, Step


class ActionForm(forms.Form):
    """A new action: what, who, when, and the Index questions it should change, chosen per area
    (the choices come from the city's questionnaire, in the reader's language)."""

    recommendation = forms.TypedChoiceField(
        label=_("From the recommendation"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Accepted recommendations, by area."),
    )
    title = forms.CharField(label=_("Action"), max_length=200)
    owner_department = forms.CharField(label=_("Owner department"), max_length=120)
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput(attrs={"type": "date"}))
    budget_eur = forms.DecimalField(label=_("Budget (EUR)"), required=False, max_digits=12, decimal_places=2)
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100, initial=0)
    questions = forms.MultipleChoiceField(
        label=_("Index questions it targets"),
        required=False,
        help_text=_("Without a choice, an action from a report recommendation targets its question."),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        questions: list[tuple[str, list[tuple[str, str]]]],
        recommendations: list[tuple[Any, Any]],
    ) -> None:
        super().__init__(data)
        self.question_choices = questions
        cast(forms.ChoiceField, self.fields["questions"]).choices = questions
        cast(forms.ChoiceField, self.fields["recommendation"]).choices = recommendations

    def question_groups(self) -> list[tuple[str, list[tuple[str, str, bool]], bool]]:
        """Per area, each question with whether it is chosen (kept after an error), and whether
        any of the area's is."""
        chosen = set(self["questions"].value() or [])
        groups = []
        for area, group in self.question_choices:
            items = [(qid, text, qid in chosen) for qid, text in group]
            groups.append((area, items, any(c for _q, _t, c in items)))
        return groups


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Step"), choices=Step.Kind.choices)
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    members = forms.CharField(
        label=_("Working group members (one per line, with their department)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    document = forms.FileField(label=_("Document"), required=False)


class IndicatorForm(forms.Form):
    indicator = forms.ChoiceField(label=_("Indicator"))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    value = forms.FloatField(label=_("Value"))
    source = forms.CharField(
        label=_("Source"), max_length=300, help_text=_("A local survey, national statistics…")
    )


class ImportForm(forms.Form):
    file = forms.FileField(label=_("CSV or XLSX file of actions"))


class StrategyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    vision = forms.CharField(
        label=_("Vision (written by the city, Markdown)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    adopted_on = forms.DateField(
        label=_("Adopted on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class VisitForm(forms.Form):
    start = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("Last day"), widget=forms.DateInput(attrs={"type": "date"}))
    met = forms.CharField(
        label=_("Whom the expert met"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    findings = forms.CharField(label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict[str, object]:
        super().clean()
        data = self.cleaned_data
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError(_("The last day comes after the first."))
        return data


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due = forms.DateField(label=_("Due"), widget=forms.DateInput(attrs={"type": "date"}))
