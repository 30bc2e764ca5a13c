"""Faceted full-text search over 100 000 SYNTHETIC fact sheets, in a database of their own.

Prints p50 and p95 of complete faceted searches (count, first page, facet counts) and of the
raw full-text query alone (first page of matches from the index, no filter, no facets), and
their ratio. Full text only: embeddings are not computed for synthetic records.

usage: .venv/bin/python benchmarks/practice_search.py [--records 100000] [--queries 200] [--db PATH]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--db", default=str(Path(tempfile.gettempdir()) / "interculture-bench-practices.sqlite3")
    )
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{args.db}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interculture.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from interculture.practices import search as practice_search
    from interculture.practices.models import Practice
    from interculture.practices.services import bulk_create
    from interculture.practices.synthetic import AREAS, generate, word_pools

    call_command("migrate", verbosity=0)
    if Practice.objects.filter(synthetic=True).count() != args.records:
        print(
            f"Generating {args.records} SYNTHETIC fact sheets into {os.environ['DATABASE_URL']} ...",
            flush=True,
        )
        started = time.perf_counter()
        Practice.objects.all().delete()
        batch: list = []
        for item in generate(args.records, seed=1):
            batch.append(item)
            if len(batch) == 10_000:
                bulk_create(batch, comment="SYNTHETIC benchmark data")
                batch = []
        if batch:
            bulk_create(batch, comment="SYNTHETIC benchmark data")
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO practices_fts(practices_fts) VALUES ('optimize')")
                cursor.execute("ANALYZE")
        print(f"  generated in {time.perf_counter() - started:.1f} s", flush=True)

    rng = random.Random(7)
    vocabulary = [w for w in set(word_pools()["en"]) if len(w) > 4]
    workload = []
    for _ in range(args.queries):
        query = " ".join(rng.sample(vocabulary, rng.choice([1, 2])))
        keys = rng.sample(
            ["country", "dimension", "icc_area", "level", "status", "size_band"], rng.choice([1, 2])
        )
        values = {
            "country": ["FI", "SE", "DE", "ES", "IT"],
            "dimension": ["cultural", "socio_economic", "political_legal"],
            "icc_area": list(AREAS),
            "level": ["municipal", "regional"],
            "status": ["ongoing", "ended"],
            "size_band": ["<100k", "100k-200k", ">500k"],
        }
        workload.append((query, {k: [rng.choice(values[k])] for k in keys}))

    def raw(query: str) -> None:
        sql, params = practice_search._full_text_sql(query, "1 = 1", [])
        if connection.vendor == "sqlite":  # the index alone, not even the id filter
            sql = (
                "SELECT rowid, -bm25(practices_fts) AS rank FROM practices_fts WHERE practices_fts MATCH %s "
                "ORDER BY rank DESC LIMIT 20"
            )
            params = [practice_search._fts_match_expression(query)]
        else:
            sql += " ORDER BY rank DESC LIMIT 20"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            cursor.fetchall()

    def faceted(query: str, filters: dict[str, list[str]]) -> int:
        result = practice_search.search(query, filters, semantic=False, synthetic=None)
        return result.total

    for query, filters in workload[:10]:  # warm-up: page cache and statement cache
        raw(query)
        faceted(query, filters)
    raw_times, full_times, totals = [], [], []
    for query, filters in workload:
        t = time.perf_counter()
        raw(query)
        raw_times.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        totals.append(faceted(query, filters))
        full_times.append((time.perf_counter() - t) * 1000)
    print(
        f"database: {connection.vendor}; fact sheets: {Practice.objects.count()} SYNTHETIC; queries: {len(workload)}"
    )
    print(f"matches per faceted query: median {statistics.median(totals):.0f}, max {max(totals)}")
    print(
        f"raw full-text query alone:  p50 {percentile(raw_times, 0.5):6.1f} ms   p95 {percentile(raw_times, 0.95):6.1f} ms"
    )
    print(
        f"faceted full-text search:   p50 {percentile(full_times, 0.5):6.1f} ms   p95 {percentile(full_times, 0.95):6.1f} ms"
    )
    print(
        f"ratio faceted / raw: p50 {percentile(full_times, 0.5) / percentile(raw_times, 0.5):.2f}x   "
        f"p95 {percentile(full_times, 0.95) / percentile(raw_times, 0.95):.2f}x   (goal: p95 <= 30 ms, <= 2x)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
