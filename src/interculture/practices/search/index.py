"""Text preparation: each language's stemmed text, and the SQLite full-text table."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

import snowballstemmer
from django.db import connection

from interculture.practices.models import Practice, PracticeText

LANGUAGES = ("en", "fi", "sv")


STEMMER_NAMES = {"en": "english", "fi": "finnish", "sv": "swedish"}


FTS_TABLE = "practices_fts"


WORD = re.compile(r"\w+", re.UNICODE)


@cache
def stemmer(language: str):  # type: ignore[no-untyped-def]
    return snowballstemmer.stemmer(STEMMER_NAMES[language])


def stem_text(text: str, language: str) -> str:
    words = [w.lower() for w in WORD.findall(text)]
    return " ".join(stemmer(language).stemWords(words)) if language in STEMMER_NAMES else " ".join(words)


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


def drop_from_index(sender: Any, instance: Practice, **kwargs: Any) -> None:
    """post_delete receiver: a deleted practice leaves the SQLite full-text table too."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [instance.pk])
