"""Forms of the coordination pages: meetings with their decisions, follow-up, positions, peer
learning. They check the shape of what is posted; the rules are in services."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from interculture.assessments.models import City
from interculture.assessments.selectors import index_areas
from interculture.coordination.models import Decision, Level, PeerActivity, Stakeholder

DATE = forms.DateInput(attrs={"type": "date"})


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date of the meeting"), widget=DATE)
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(label=_("Minutes"), required=False, widget=forms.Textarea(attrs={"rows": 4}))


class DecisionForm(forms.Form):
    """One decision of a meeting; a row left empty is no decision."""

    text = forms.CharField(label=_("Decision"), required=False, max_length=2000)
    owner_level = forms.ChoiceField(
        label=_("Owner's level"), choices=[("", "—"), *Level.choices], required=False
    )
    owner = forms.ModelChoiceField(
        label=_("Owner"), queryset=Stakeholder.objects.all(), required=False, empty_label="—"
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("text") and not (data.get("owner_level") and data.get("deadline")):
            raise forms.ValidationError(_("A decision needs its owner's level and a deadline."))
        return data


DecisionFormSet = forms.formset_factory(DecisionForm, extra=3, max_num=20)


class FollowUpForm(forms.Form):
    decision = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(label=_("Status"), choices=Decision.Status.choices)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("What was done"), required=False, max_length=2000)


class PositionForm(forms.Form):
    city = forms.ModelChoiceField(label=_("Drafted by"), queryset=City.objects.none(), empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("The position"), widget=forms.Textarea(attrs={"rows": 5}))
    addressee = forms.CharField(
        label=_("Addressed to"), max_length=200, help_text=_("E.g. the Ministry of Justice.")
    )
    addressee_level = forms.ChoiceField(label=_("Level of the addressee"), choices=Level.choices)

    def __init__(self, *args: Any, cities: list[City], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["city"]).queryset = City.objects.filter(
            pk__in=[c.pk for c in cities]
        )


class PositionAnswerForm(forms.Form):
    sent_on = forms.DateField(label=_("Sent on"), widget=DATE, required=False)
    answered_on = forms.DateField(label=_("Answered on"), widget=DATE, required=False)
    answer = forms.CharField(
        label=_("The answer received"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class PeerActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("Activity"), choices=PeerActivity.Kind.choices)
    host = forms.ModelChoiceField(
        label=_("Host city (or mentor)"), queryset=City.objects.filter(synthetic=False)
    )
    guest = forms.ModelChoiceField(
        label=_("Visiting city (or mentee)"), queryset=City.objects.filter(synthetic=False)
    )
    area = forms.ChoiceField(label=_("Index area"))
    date = forms.DateField(label=_("Date"), widget=DATE)
    outcomes = forms.CharField(label=_("Outcomes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["area"]).choices = index_areas(language)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("host") and data.get("host") == data.get("guest"):
            raise forms.ValidationError(_("Peer learning is between two different cities."))
        return data
