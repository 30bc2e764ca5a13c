"""The seed list of stakeholder types and the coordination mechanism they form (seed 000)."""

from __future__ import annotations

from typing import Any

from interculture.coordination.models import (
    Body,
    Level,
    Stakeholder,
)
from interculture.engine import content


def _data(name: str) -> dict[str, Any]:
    return dict(content.read_content_data(f"coordination/{name}", content.Stakeholders))


def load_stakeholders(filename: str = "stakeholders-fi.yaml") -> int:
    """The seed list of stakeholder types (seed 000's target groups). Idempotent."""
    data = _data(filename)
    for s in data["stakeholders"]:
        Stakeholder.objects.update_or_create(
            slug=s["slug"],
            defaults={
                "name": s["name"],
                "level": s["level"],
                "type": s["type"],
                "themes": s.get("themes", []),
                "country": data.get("country", ""),
                "source": s.get("source", "")[:300],
            },
        )
    mechanism = data.get("mechanism")
    if mechanism:  # seed 000's coordination mechanism, with every stakeholder of the list as member
        body, _created = Body.objects.update_or_create(
            slug=f"{data['country'].lower()}-coordination-mechanism",
            defaults={"name": mechanism["name"]["en"], "level": Level.NATIONAL, "country": data["country"]},
        )
        body.members.set(Stakeholder.objects.filter(slug__in=[s["slug"] for s in data["stakeholders"]]))
    return len(data["stakeholders"])
