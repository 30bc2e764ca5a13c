"""Readers' labels for the practice base's coded values, in the reader's language.

Facet values, fact-sheet field names and evaluation terms are stored as codes (`socio_economic`,
`refugees_asylum_seekers`, `FI`); pages show them through these labels. Country names come from
pycountry's ISO 3166 translations.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from interculture import countries
from interculture.engine.loader import load_questionnaire

VALUE_LABELS: dict[str, dict[str, Promise]] = {
    "level": {
        "municipal": _("Municipal"),
        "regional": _("Regional"),
        "national": _("National"),
        "eu": _("European Union"),
    },
    "dimension": {
        "political_legal": _("Political and legal"),
        "socio_economic": _("Socio-economic"),
        "cultural": _("Cultural"),
    },
    "subcategory": {
        "civic_political_representation": _("Civic and political representation"),
        "reception_legal_support": _("Reception and legal support"),
        "employment": _("Employment"),
        "education_training": _("Education and training"),
        "housing_health": _("Housing and health"),
        "anti_racism_dialogue": _("Anti-racism and intercultural dialogue"),
        "language_training": _("Language training"),
        "adapting_public_services": _("Adapting public services"),
    },
    "target_group": {
        "third_country_nationals": _("Third-country nationals"),
        "migrants": _("Migrants"),
        "refugees_asylum_seekers": _("Refugees and asylum seekers"),
        "newcomers": _("Newcomers"),
        "women": _("Women"),
        "children_youth": _("Children and young people"),
        "parents": _("Parents"),
        "elderly": _("Older people"),
        "roma_minorities": _("Roma and other minorities"),
        "job_seekers": _("Job seekers"),
        "entrepreneurs": _("Entrepreneurs"),
        "students": _("Students"),
        "migrant_organisations": _("Migrant organisations"),
        "public_staff": _("Public-sector staff"),
        "employers": _("Employers"),
        "general_public": _("The general public"),
    },
    "funding": {
        "local": _("Local"),
        "regional": _("Regional"),
        "national": _("National"),
        "eu": _("European Union"),
        "private": _("Private"),
        "other": _("Other"),
    },
    "status": {"ongoing": _("Ongoing"), "ended": _("Ended"), "unknown": _("Not known")},
    "evaluated": {"yes": _("Evaluated"), "no": _("Not evaluated")},
    "size_band": {
        "<100k": _("Under 100,000 inhabitants"),
        "100k-200k": _("100,000–200,000 inhabitants"),
        "200k-500k": _("200,000–500,000 inhabitants"),
        ">500k": _("Over 500,000 inhabitants"),
        "unknown": _("Population not known"),
    },
    "rating": {
        "high": _("High"),
        "medium": _("Medium"),
        "low": _("Low"),
        "not_evaluated": _("Not evaluated"),
    },
    "criterion": {
        "relevance": _("Relevance"),
        "effectiveness": _("Effectiveness"),
        "efficiency": _("Efficiency"),
        "impact": _("Impact"),
        "sustainability": _("Sustainability"),
    },
}

# The 16 fields of the fact sheet (schema.FACT_SHEET_FIELDS), as readers see them.
FIELD_LABELS: dict[str, Promise] = {
    "title": _("Title"),
    "country": _("Country"),
    "organiser": _("Organiser/initiator"),
    "start": _("Start"),
    "finish": _("Finish"),
    "type": _("Type"),
    "introduction": _("Introduction and context"),
    "policy_challenges": _("Policy challenges"),
    "objectives": _("Objectives and target groups"),
    "budget_text": _("Budget"),
    "activities": _("Main activities"),
    "relations": _("Relations with other initiatives and partners"),
    "outcomes": _("Outcomes"),
    "replication": _("Scope for replication"),
    "evaluation_text": _("Internal/external evaluation"),
    "contact": _("Contact"),
}

SORT_LABELS: dict[str, Promise] = {
    "relevance": _("Relevance"),
    "title": _("Title (A–Z)"),
    "-start": _("Newest first"),
    "start": _("Oldest first"),
    "country": _("Country"),
}


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in `language` (the one helper, interculture.countries)."""
    return countries.country_name(code, language)


def area_name(area: str, language: str | None = None) -> str:
    names = {i.id: i.name.get(language or get_language() or "en") for i in load_questionnaire().indicators}
    return names.get(area, area)


def value_label(key: str, value: str) -> str:
    """A reader's label for a facet value (a country name, an ICC area name, a word for a code)."""
    if key == "country":
        return country_name(value)
    if key == "icc_area":
        return area_name(value)
    label = VALUE_LABELS.get(key, {}).get(value)
    return str(label) if label is not None else value.replace("_", " ").capitalize()
