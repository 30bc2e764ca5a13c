"""The fact-sheet form: every field of the schema, multilingual title and summary."""

from __future__ import annotations

from typing import Any

import pycountry
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from interculture import countries
from interculture.engine.loader import load_questionnaire
from interculture.practices import labels, schema

COUNTRY_CHOICES: list[tuple[str, str]] = sorted(
    ((c.alpha_2, c.name) for c in pycountry.countries), key=lambda choice: choice[1]
)


def _choices(values: Any) -> list[tuple[str, str]]:
    return [(v, str(v).replace("_", " ").capitalize()) for v in values]


SUBCATEGORY_CHOICES = [
    (sub, f"{dim.value.replace('_', '-')}: {sub.replace('_', ' ')}")
    for dim, subs in schema.SUBCATEGORIES.items()
    for sub in subs
]


class FactSheetForm(forms.Form):
    slug = forms.SlugField(max_length=80, help_text=_("Short identifier, e.g. bergen-inclusion-centre."))
    title_en = forms.CharField(label=_("Title (English)"), max_length=300)
    title_fi = forms.CharField(label=_("Title (Finnish)"), max_length=300, required=False)
    title_sv = forms.CharField(label=_("Title (Swedish)"), max_length=300, required=False)
    original_title = forms.CharField(
        label=_("Title in the original language"), max_length=300, required=False
    )
    summary_en = forms.CharField(label=_("Summary (English)"), widget=forms.Textarea(attrs={"rows": 3}))
    summary_fi = forms.CharField(
        label=_("Summary (Finnish)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    summary_sv = forms.CharField(
        label=_("Summary (Swedish)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    source_language = forms.CharField(
        label=_("Language of the original record (ISO code)"), max_length=2, initial="en"
    )
    country = forms.ChoiceField(
        label=_("Country"),
        choices=COUNTRY_CHOICES,
    )
    city = forms.CharField(label=_("City"), max_length=120, required=False)
    region = forms.CharField(label=_("Region"), max_length=120, required=False)
    organiser = forms.CharField(label=_("Organiser/initiator"), max_length=300)
    start = forms.CharField(label=_("Start"), max_length=40, required=False)
    finish = forms.CharField(label=_("Finish"), max_length=40, required=False)
    type = forms.CharField(label=_("Type"), max_length=200, required=False)
    introduction = forms.CharField(
        label=_("Introduction and context"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    policy_challenges = forms.CharField(
        label=_("Policy challenges"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    objectives = forms.CharField(
        label=_("Objectives and target groups"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    budget_text = forms.CharField(label=_("Budget"), max_length=500, required=False)
    activities = forms.CharField(
        label=_("Main activities"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    relations = forms.CharField(
        label=_("Relations with other initiatives and partners"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    outcomes = forms.CharField(label=_("Outcomes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    replication = forms.CharField(
        label=_("Scope for replication"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    evaluation_text = forms.CharField(
        label=_("Internal/external evaluation"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    contact_name = forms.CharField(label=_("Contact person"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    level = forms.ChoiceField(label=_("Level"), choices=_choices(schema.Level))
    dimension = forms.ChoiceField(label=_("Dimension"), choices=_choices(schema.Dimension))
    subcategory = forms.ChoiceField(label=_("Sub-category"), choices=SUBCATEGORY_CHOICES)
    icc_areas = forms.MultipleChoiceField(
        label=_("ICC Index areas"), widget=forms.CheckboxSelectMultiple, choices=()
    )
    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        widget=forms.CheckboxSelectMultiple,
        choices=_choices(schema.TARGET_GROUPS),
        required=False,
    )
    funding = forms.MultipleChoiceField(
        label=_("Funding sources"),
        widget=forms.CheckboxSelectMultiple,
        choices=_choices(schema.Funding),
        required=False,
    )
    status = forms.ChoiceField(label=_("Status"), choices=_choices(schema.Status))
    transferability = forms.CharField(
        label=_("Transferability"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    source = forms.CharField(
        label=_("Source of this information"),
        max_length=300,
        help_text=_("Document and section, or 'submitted by the city'."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Choices in the reader's language, built per form since the language is the request's.
        language = get_language() or "en"
        for name, key in (
            ("level", "level"),
            ("dimension", "dimension"),
            ("target_groups", "target_group"),
            ("funding", "funding"),
            ("status", "status"),
        ):
            field = self.fields[name]
            field.choices = [(v, labels.value_label(key, v)) for v, _ in field.choices]  # type: ignore[attr-defined]
        self.fields["subcategory"].choices = [  # type: ignore[attr-defined]
            (sub, f"{labels.value_label('dimension', dim.value)}: {labels.value_label('subcategory', sub)}")
            for dim, subs in schema.SUBCATEGORIES.items()
            for sub in subs
        ]
        self.fields["country"].choices = countries.country_choices(language)  # type: ignore[attr-defined]
        q = load_questionnaire()
        self.fields["icc_areas"].choices = [(i.id, i.name.get(language)) for i in q.indicators]  # type: ignore[attr-defined]

    def fact_sheet(self) -> dict[str, Any]:
        """The cleaned form as a fact sheet for the schema (which validates it once more)."""
        c = self.cleaned_data
        texts = {
            name: {lang: c[f"{name}_{lang}"] for lang in ("en", "fi", "sv") if c.get(f"{name}_{lang}")}
            for name in ("title", "summary")
        }
        data: dict[str, Any] = {
            "slug": c["slug"],
            **texts,
            "source_language": c["source_language"].lower(),
            "translation_status": {
                lang: "submitted" for lang in ("en", "fi", "sv") if c.get(f"title_{lang}")
            },
            "place": {
                k: v
                for k, v in {"country": c["country"], "city": c["city"], "region": c["region"]}.items()
                if v
            },
            "level": c["level"],
            "dimension": c["dimension"],
            "subcategory": c["subcategory"],
            "icc_areas": c["icc_areas"],
            "target_groups": c["target_groups"],
            "funding": c["funding"],
            "status": c["status"],
            "transferability": c["transferability"],
            "provenance": {"source": c["source"], "reconstructed": False},
        }
        for name in schema.TEXT_FIELDS:
            data[name] = c[name]
        if c.get("original_title"):
            data["original_title"] = c["original_title"]
        if c.get("contact_name") or c.get("contact_email"):
            data["contact"] = {"name": c["contact_name"], "email": c["contact_email"]}
        return data

    @classmethod
    def initial_from(cls, data: dict[str, Any]) -> dict[str, Any]:
        p = schema.Practice.model_validate(data)
        initial: dict[str, Any] = {
            "slug": p.slug, "original_title": p.original_title or "", "source_language": p.source_language,
            "country": p.place.country, "city": p.place.city or "", "region": p.place.region or "",
            "level": p.level.value, "dimension": p.dimension.value, "subcategory": p.subcategory,
            "icc_areas": p.icc_areas, "target_groups": p.target_groups, "funding": [f.value for f in p.funding],
            "status": p.status.value, "transferability": p.transferability, "source": p.provenance.source,
        }  # fmt: skip
        for lang in ("en", "fi", "sv"):
            initial[f"title_{lang}"] = getattr(p.title, lang) or ""
            initial[f"summary_{lang}"] = getattr(p.summary, lang) or ""
        for name in schema.TEXT_FIELDS:
            initial[name] = getattr(p, name)
        if p.contact:
            initial.update(contact_name=p.contact.name, contact_email=p.contact.email)
        return initial
