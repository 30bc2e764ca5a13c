"""What saving a fact sheet writes, computed before any write: place, facets, search text,
embedding."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from interculture.engine.benchmarking import size_band
from interculture.practices import schema
from interculture.practices.search import (
    embed_passages,
    pack_facets,
    stemmed,
)
from interculture.practices.services.places import place_columns


def parse_start_year(text: str) -> int | None:
    match = re.search(r"(19|20)\d{2}", text)
    return int(match.group()) if match else None


def facet_pairs(p: schema.Practice, population: int | None) -> list[tuple[str, str]]:
    pairs = [
        ("country", p.place.country),
        ("level", p.level.value),
        ("dimension", p.dimension.value),
        ("subcategory", p.subcategory),
        ("status", p.status.value),
        ("evaluated", "yes" if p.evaluation.evaluated else "no"),
        ("size_band", size_band(population) if population else "unknown"),
    ]
    pairs += [("icc_area", a) for a in p.icc_areas]
    pairs += [("target_group", g) for g in p.target_groups]
    pairs += [("funding", f.value) for f in p.funding]
    return sorted(set(pairs))


def search_texts(p: schema.Practice) -> dict[str, str]:
    body = " ".join(
        [
            p.title.en,
            p.summary.en,
            p.organiser,
            p.type,
            p.introduction,
            p.policy_challenges,
            p.objectives,
            p.activities,
            p.outcomes,
            p.replication,
            p.transferability,
            p.place.city or "",
            p.place.region or "",
        ]
    )
    return {
        "text_en": body,
        "text_fi": " ".join(filter(None, [p.title.fi, p.summary.fi])),
        "text_sv": " ".join(filter(None, [p.title.sv, p.summary.sv])),
        "text_other": " ".join(filter(None, [p.original_title, p.place.city, p.place.region])),
    }


# --- saving ----------------------------------------------------------------------------------
@dataclass
class Prepared:
    """What saving a fact sheet writes, computed without writing: place lookups, facets, the
    searchable and stemmed text, the embedding. A bulk import prepares every record first, so
    its write transaction holds the database only for the inserts."""

    sheet: schema.Practice
    stored: dict[str, Any]
    columns: dict[str, Any]
    facets: list[tuple[str, str]]
    texts: dict[str, str]
    stemmed: tuple[str, str, str, str]
    embedding: bytes | None = None

    def fields(self, state: str) -> dict[str, Any]:
        p = self.sheet
        return {
            "data": self.stored,
            "title": p.title.en[:300],
            "state": state,
            "start_year": parse_start_year(p.start),
            "synthetic": p.synthetic,
            "facet_values": pack_facets(self.facets),
            **self.columns,
        }


def embedding_text(p: schema.Practice) -> str:
    return f"{p.title.en}. {p.summary.en} {p.objectives}"


def prepare(sheets: list[schema.Practice], embed: bool = True) -> list[Prepared]:
    """Everything slow about saving these fact sheets, done before any write (embeddings in one
    batch)."""
    vectors = embed_passages([embedding_text(p) for p in sheets]) if embed else None
    prepared = []
    for n, p in enumerate(sheets):
        columns = place_columns(p)
        texts = search_texts(p)
        prepared.append(
            Prepared(
                sheet=p,
                stored=p.model_dump(mode="json", exclude_defaults=True),
                columns=columns,
                facets=facet_pairs(p, columns["population"]),
                texts=texts,
                stemmed=stemmed(texts),
                embedding=vectors[n] if vectors else None,
            )
        )
    return prepared
