"""Small builders of what a database test needs, instead of the whole demo load.

Each returns what is already there when the session loaded the demo (the same slugs and
versions), so a test marked `factories` passes with or without the demo in its database.
"""

from __future__ import annotations

from typing import Any

from interculture.assessments.models import City, QuestionnaireVersion


def questionnaires() -> dict[str, QuestionnaireVersion]:
    """The bundled questionnaires (version -> stored version), imported when missing."""
    from interculture.assessments.services import sync_bundled_questionnaires

    stored = {q.version: q for q in QuestionnaireVersion.objects.all()}
    if "icc-2019" not in stored:
        stored = {q.version: q for q in sync_bundled_questionnaires()}
    return stored


def hameenlinna() -> City:
    """Hämeenlinna from its real data file (profile, rounds, answers, published rates), with the
    questionnaires it answers; no synthetic sample, practices or programme."""
    from interculture.assessments.services import import_city_file

    city = City.objects.filter(slug="hameenlinna").first()
    if city is None:
        questionnaires()
        city = import_city_file("hameenlinna.yaml")
    return city


def city(slug: str, **fields: Any) -> City:
    """A small test city (made when missing); `fields` override the defaults."""
    name = fields.pop("name", slug.title())
    defaults = {
        "name": name,
        "names": {"en": name},
        "country": "SE",
        "population": 50_000,
        "population_year": 2024,
        "population_source": "test fixture",
        "foreign_born_share": 12.0,
        "foreign_born_year": 2024,
        "foreign_born_source": "test fixture",
        **fields,
    }
    made, _ = City.objects.get_or_create(slug=slug, defaults=defaults)
    return made
