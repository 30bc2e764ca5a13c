"""Full-text ranks on PostgreSQL (text-search configurations) and SQLite (FTS5), and the
matches inside compound words."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection

from interculture.practices.models import Practice, PracticeText
from interculture.practices.search.index import (
    FTS_TABLE,
    LANGUAGES,
    WORD,
    stemmer,
)

PG_VECTOR = (
    "to_tsvector('english', t.text_en) || to_tsvector('finnish', t.text_fi) || "
    "to_tsvector('swedish', t.text_sv) || to_tsvector('simple', t.text_other)"
)


PG_QUERY = (
    "(to_tsquery('english', %s) || to_tsquery('finnish', %s) || "
    "to_tsquery('swedish', %s) || to_tsquery('simple', %s))"
)


def _pg_tsquery(query: str) -> str:
    """A to_tsquery text: the words ORed, each as a stemmed prefix (as the SQLite side does)."""
    words = [w.lower() for w in WORD.findall(query)]
    return " | ".join(f"{w}:*" for w in words)  # none: the empty query, which matches nothing


def _fts_match_expression(query: str) -> str | None:
    """An FTS5 query: each word, stemmed per language column, ORed; None if nothing to search.

    Stems match as prefixes, so a stem also finds derived words and Finnish or Swedish
    compounds ("entrepreneur" finds "entrepreneurship", "syrjintä" finds "syrjintätilanne").
    """
    words = [w.lower() for w in WORD.findall(query)]
    if not words:
        return None
    parts = []
    for word in words:
        variants = {f'{lang} : "{stemmer(lang).stemWord(word)}"*' for lang in LANGUAGES}
        variants.add(f'other : "{word}"*')
        parts.append("(" + " OR ".join(sorted(variants)) + ")")
    return " OR ".join(parts)


def full_text_ranks(query: str, where: str = "1 = 1", params: Sequence[Any] = ()) -> dict[int, float]:
    """Practice id -> full-text relevance (higher is better) among practices `p` meeting `where`."""
    sql, sql_params = full_text_sql(query, where, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)
        return {pk: float(rank) for pk, rank in cursor.fetchall()}


def full_text_sql(query: str, where: str, params: Sequence[Any]) -> tuple[str, list[Any]]:
    """SQL of (id, rank) for the practices `p` matching `query` and meeting `where`."""
    practice = Practice._meta.db_table
    if connection.vendor == "sqlite":
        expression = _fts_match_expression(query) or '""'
        # MATERIALIZED runs the MATCH once; CROSS JOIN keeps the order: from the matches to
        # the practices. Left to itself, SQLite may push the filter into the FTS5 table and
        # run the MATCH once per candidate row.
        return (
            f"WITH fts AS MATERIALIZED (SELECT rowid AS id, -bm25({FTS_TABLE}) AS rank FROM {FTS_TABLE} "
            f"WHERE {FTS_TABLE} MATCH %s) "
            f"SELECT fts.id AS id, fts.rank AS rank FROM fts CROSS JOIN {practice} p WHERE p.id = fts.id AND {where}",
            [expression, *params],
        )
    return (
        f"SELECT t.practice_id AS id, ts_rank_cd({PG_VECTOR}, {PG_QUERY}) AS rank "
        f"FROM {PracticeText._meta.db_table} t JOIN {practice} p ON p.id = t.practice_id "
        f"WHERE {PG_VECTOR} @@ {PG_QUERY} AND {where}",
        [_pg_tsquery(query)] * 8 + list(params),
    )


def _fragments(word: str) -> dict[str, str]:
    """Per text column, the part of `word` looked for inside the text: its stem in that
    language, cut to leave room for inflection (Finnish "asuminen" -> "asumi" finds "asumisen")."""
    found = {}
    for language in LANGUAGES:
        stem = stemmer(language).stemWord(word)
        found[language] = stem[: max(5, len(stem) - 2)]
    found["other"] = word
    return found


def compound_matches(query: str, candidates: Sequence[int]) -> dict[int, float]:
    """Practice id -> share of the query's words found inside its words (compounds included).

    A word found in more than a quarter of the candidates tells them apart no more than a
    common word does in full text ("city", "for"): it is not counted."""
    words = [w.lower() for w in WORD.findall(query)]
    words = [w for w in words if len(w) >= 4] or words
    if not words or not candidates:
        return {}
    looked_for = [_fragments(w) for w in words]
    columns = ("text_en", "text_fi", "text_sv", "text_other")
    found: dict[int, list[int]] = {}
    for pk, *texts in PracticeText.objects.filter(practice_id__in=list(candidates)).values_list(
        "practice_id", *columns
    ):
        lowered = dict(zip(("en", "fi", "sv", "other"), (t.lower() for t in texts), strict=True))
        found[pk] = [
            n for n, frags in enumerate(looked_for) if any(f in lowered[k] for k, f in frags.items())
        ]
    limit = max(3, len(candidates) / 4)  # among a few filtered candidates, no word is common
    common = {n for n in range(len(words)) if sum(n in hits for hits in found.values()) > limit}
    shares = {pk: len(set(hits) - common) / len(words) for pk, hits in found.items()}
    return {pk: share for pk, share in shares.items() if share}
