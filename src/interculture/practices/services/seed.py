"""The seed content: the bundled practice files, and bulk loads of generated sets."""

from __future__ import annotations

from importlib import resources

from django.db import transaction
from pydantic import ValidationError

from interculture.engine.loader import read_yaml
from interculture.practices import schema
from interculture.practices.models import Practice, PracticeFacet, PracticeText, PracticeVersion
from interculture.practices.search import (
    embed_passages,
    index_texts,
    pack_facets,
)
from interculture.practices.services.prepared import (
    facet_pairs,
    parse_start_year,
    search_texts,
)
from interculture.practices.services.saving import save
from interculture.practices.services.validation import FieldError, PracticeInvalid, icc_area_ids

DATA = resources.files("interculture.data")


# --- seed content ------------------------------------------------------------------------------
def seed_files() -> list[str]:
    folder = DATA.joinpath("practices")
    return sorted(f.name for f in folder.iterdir() if f.name.endswith(".yaml"))


def load_seed_practices() -> int:
    """Load (or update) every practice of the seed files as published. Idempotent."""
    count = 0
    areas = icc_area_ids()
    for name in seed_files():
        doc = read_yaml(DATA.joinpath("practices", name).read_text(encoding="utf-8"))
        try:
            parsed = schema.PracticeFile.model_validate(doc)
        except ValidationError as exc:
            raise PracticeInvalid(
                [FieldError(f"{name}: " + ".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()]
            ) from exc
        embeddings = embed_passages(
            [f"{p.title.en}. {p.summary.en} {p.objectives}" for p in parsed.practices]
        )
        for n, p in enumerate(parsed.practices):
            p.check_areas(areas)
            practice = save(p, state=Practice.State.PUBLISHED, comment=f"Seed content: {name}", embed=False)
            if embeddings is not None and practice.embedding != embeddings[n]:
                Practice.objects.filter(pk=practice.pk).update(embedding=embeddings[n])
            count += 1
    return count


@transaction.atomic
def bulk_create(items: list[tuple[schema.Practice, int | None]], comment: str = "Bulk load") -> int:
    """Create many new published practices at once, each with its population (for the size band).

    For generated sets (synthetic load tests): it trusts the given coordinates and does not look
    places up nor compute embeddings, which `save` does one record at a time.
    """
    practices = Practice.objects.bulk_create(
        [
            Practice(
                slug=p.slug,
                state=Practice.State.PUBLISHED,
                data=p.model_dump(mode="json", exclude_defaults=True),
                title=p.title.en[:300],
                city=p.place.city or "",
                region=p.place.region or "",
                country=p.place.country,
                latitude=p.place.latitude,
                longitude=p.place.longitude,
                population=population,
                place_source="fact sheet",
                start_year=parse_start_year(p.start),
                synthetic=p.synthetic,
                facet_values=pack_facets(facet_pairs(p, population)),
            )
            for p, population in items
        ],
        batch_size=2000,
    )
    PracticeVersion.objects.bulk_create(
        [
            PracticeVersion(
                practice=row,
                version=1,
                changes={"state": [None, row.state]},
                data=row.data,
                state=row.state,
                note=comment,
            )
            for row in practices
        ],
        batch_size=2000,
    )
    PracticeFacet.objects.bulk_create(
        [
            PracticeFacet(practice=row, key=k, value=v)
            for row, (p, population) in zip(practices, items, strict=True)
            for k, v in facet_pairs(p, population)
        ],
        batch_size=5000,
    )
    texts = PracticeText.objects.bulk_create(
        [PracticeText(practice=row, **search_texts(p)) for row, (p, _) in zip(practices, items, strict=True)],
        batch_size=2000,
    )
    index_texts(texts)
    return len(practices)
