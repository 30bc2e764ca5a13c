"""The demo loader: it wires every app's bundled data together, so it sits above them all."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from interculture.accounts.services import load_demo_users
from interculture.assessments.services.cities import generate_synthetic_sample, import_city_file
from interculture.assessments.services.questionnaires import sync_bundled_questionnaires
from interculture.coordination.services import load_stakeholders, load_synthetic_survey
from interculture.pathway.models import Expert
from interculture.pathway.services import load_programme
from interculture.practices.services import load_seed_practices


def load_demo() -> dict[str, Any]:
    """The demo data: questionnaires, Hämeenlinna (real), the synthetic sample and the practices.

    Idempotent: a second run changes nothing.
    """
    versions = sync_bundled_questionnaires()
    city = import_city_file("hameenlinna.yaml")
    generated = generate_synthetic_sample()
    practices = load_seed_practices()
    load_programme()
    load_stakeholders()
    load_synthetic_survey()
    # Demo accounts only on a development set-up: their password is public.
    users = load_demo_users(city) if settings.DEBUG else []
    if users:
        expert, _created = Expert.objects.get_or_create(
            user=city.memberships.get(user__username="demo-expert").user,
            defaults={
                "name": "demo-expert (demo account)",
                "languages": ["en", "fi"],
                "themes": ["education"],
            },
        )
        expert.cities.add(city)
    return {
        "demo_users": users,
        "questionnaires": len(versions),
        "real_cities": 1,
        "synthetic_cities": generated,
        "practices": practices,
    }
