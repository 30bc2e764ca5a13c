"""The facets of a practice, packed on its row, and their counts over a set of hits."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import connection

from interculture.practices.models import Practice

FACET_KEYS = (
    "country",
    "level",
    "dimension",
    "subcategory",
    "icc_area",
    "target_group",
    "funding",
    "status",
    "evaluated",
    "size_band",
)


def pack_facets(pairs: Iterable[tuple[str, str]]) -> str:
    return "\n".join(f"{k}={v}" for k, v in pairs)


def facet_counts(ids_sql: str, params: Sequence[Any]) -> dict[str, list[tuple[str, int]]]:
    """Counts per facet value over the practices `ids_sql` selects, from their packed facet values."""
    tally: Counter[str] = Counter()
    with connection.cursor() as cursor:
        # CROSS JOIN keeps SQLite's join order: from the matched ids to the practices.
        cursor.execute(
            f"SELECT p.facet_values FROM ({ids_sql}) m CROSS JOIN {Practice._meta.db_table} p WHERE p.id = m.id",
            list(params),
        )
        for (packed,) in cursor.fetchall():
            tally.update(packed.split("\n"))
    return _sorted_counts(tally)


def _sorted_counts(tally: Mapping[str, int]) -> dict[str, list[tuple[str, int]]]:
    counts: dict[str, list[tuple[str, int]]] = {k: [] for k in FACET_KEYS}
    for pair, n in sorted(tally.items(), key=lambda kv: (kv[0].partition("=")[0], -kv[1], kv[0])):
        key, _, value = pair.partition("=")
        if value:
            counts.setdefault(key, []).append((value, n))
    return counts


def python_facet_counts(ids: list[int]) -> dict[str, list[tuple[str, int]]]:
    tally: Counter[str] = Counter()
    for start in range(0, len(ids), 500):
        for packed in Practice.objects.filter(pk__in=ids[start : start + 500]).values_list(
            "facet_values", flat=True
        ):
            tally.update(packed.split("\n"))
    return _sorted_counts(tally)
