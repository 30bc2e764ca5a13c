"""The queries that suggestions ask, derived from a questionnaire: one per question (its text and
recommendation) and one per area (its purpose). Their embeddings are made once per questionnaire
version and stored (TopicEmbedding), so that a report or a results page, even the first in a new
process, asks the embedding model nothing: a round's topic is the mean of its unmet questions'
vectors."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import IntegrityError, transaction

from interculture.assessments.models import QuestionnaireVersion
from interculture.assessments.services import engine_questionnaire
from interculture.practices.models import TopicEmbedding
from interculture.practices.search import embed_queries, embeddings_available, similarity_to

# Embedding cost grows with text length; a question's first words carry its topic well enough.
TOPIC_CHARACTERS = 600


def topic_texts(version: QuestionnaireVersion) -> dict[str, str]:
    """topic -> the query text: question ids, and "purpose:<area>" for each area."""
    q = engine_questionnaire(version)
    if q.kind != "index":
        return {}
    texts = {
        x.id: f"{x.text.en} {x.recommendation.en if x.recommendation else ''}".strip()[:TOPIC_CHARACTERS]
        for x in q.questions
        if x.scored
    }
    texts.update({f"purpose:{i.id}": i.purpose.en[:TOPIC_CHARACTERS] for i in q.indicators})
    return texts


def _keys(version: QuestionnaireVersion) -> dict[str, tuple[str, str]]:
    """topic -> (stored key, text); the key carries a hash of the text, so that a questionnaire
    whose wording changes gets new vectors rather than stale ones."""
    return {
        topic: (f"{topic}#{hashlib.sha256(text.encode()).hexdigest()[:16]}", text)
        for topic, text in topic_texts(version).items()
    }


def embed_topics(version: QuestionnaireVersion) -> int:
    """Make and store the embeddings this version lacks (at questionnaire import and demo load).
    Idempotent; the number made."""
    if not embeddings_available():
        return 0
    keys = _keys(version)
    have = set(TopicEmbedding.objects.filter(questionnaire=version).values_list("key", flat=True))
    missing = [key for key, _ in keys.values() if key not in have]
    texts = dict(keys.values())
    vectors = embed_queries([texts[k] for k in missing]) or []
    try:
        with transaction.atomic():
            TopicEmbedding.objects.bulk_create(
                [
                    TopicEmbedding(questionnaire=version, key=k, vector=v)
                    for k, v in zip(missing, vectors, strict=True)
                ],
                ignore_conflicts=True,  # another process stored them meanwhile: the same vectors
            )
    except IntegrityError:
        pass
    return len(missing)


def topic_vector(version: QuestionnaireVersion, topics: list[str]) -> Any:
    """The normalised mean of the stored vectors of `topics` (made first if they are missing)."""
    # Lazy: numpy loads only when topics are computed from embeddings.
    import numpy as np

    all_keys = _keys(version)
    keys = [all_keys[t][0] for t in topics if t in all_keys]

    def stored() -> dict[str, bytes | memoryview]:  # memoryview on PostgreSQL
        return dict(
            TopicEmbedding.objects.filter(questionnaire=version, key__in=keys).values_list("key", "vector")
        )

    rows = stored()
    if len(rows) < len(set(keys)):
        embed_topics(version)
        rows = stored()
    vectors = [np.frombuffer(bytes(rows[k]), dtype=np.float32) for k in keys if k in rows]
    mean = np.mean(vectors, axis=0)
    return mean / (np.linalg.norm(mean) + 1e-9)


def topic_scores(
    version: QuestionnaireVersion, unmet: list[str], area: str, candidates: list[int]
) -> dict[int, float]:
    """Practice id -> similarity to the unmet questions (to the area's purpose when all are met)."""
    return similarity_to(topic_vector(version, unmet or [f"purpose:{area}"]), candidates)


def embed_on_save(sender: Any, instance: QuestionnaireVersion, **kwargs: Any) -> None:
    embed_topics(instance)
