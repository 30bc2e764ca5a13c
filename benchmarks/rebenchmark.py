"""Re-benchmark 10 000 synthetic assessments (86 answers each) loaded from the database.

Prints the wall time of scoring every round and benchmarking one city against the whole
sample and its bands, and its ratio to a raw read of the same answer rows (the baseline).
The assessments are SYNTHETIC (seeded generator) and live in a database of their own.

usage: .venv/bin/python benchmarks/rebenchmark.py [--rounds 10000] [--repeat 5] [--db PATH]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--db", default=str(Path(tempfile.gettempdir()) / "interculture-bench-assessments.sqlite3")
    )
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        os.environ["DATABASE_URL"] = f"sqlite:///{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interculture.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from interculture.assessments import selectors
    from interculture.assessments.models import Answer, AssessmentRound, City, QuestionnaireVersion
    from interculture.assessments.services import engine_questionnaire, sync_bundled_questionnaires
    from interculture.engine.benchmarking import benchmark
    from interculture.engine.synthetic import SampleSpec, generate

    call_command("migrate", verbosity=0)
    sync_bundled_questionnaires()
    version = QuestionnaireVersion.objects.get(version="icc-2019")
    q = engine_questionnaire(version)
    if AssessmentRound.objects.filter(city__synthetic=True).count() != args.rounds:
        print(
            f"Generating {args.rounds} SYNTHETIC assessments into {os.environ['DATABASE_URL']} ...",
            flush=True,
        )
        started = time.perf_counter()
        City.objects.all().delete()
        quarter = args.rounds // 4
        bands = {
            "<100k": quarter,
            "100k-200k": quarter,
            "200k-500k": quarter,
            ">500k": args.rounds - 3 * quarter,
        }
        diversity = {"<10%": quarter, "10-15%": quarter, "15-20%": quarter, ">20%": args.rounds - 3 * quarter}
        # No calibration targets: calibrating 10 000 cities is slow and adds nothing to a timing.
        spec = SampleSpec(args.rounds, {}, bands, diversity, extended_answered=args.rounds, seed=1)
        cities = generate(q, spec)
        made = City.objects.bulk_create(
            [
                City(
                    slug=c.slug,
                    name=c.name,
                    country=c.country,
                    population=c.population,
                    population_year=c.year,
                    population_source="synthetic (benchmark)",
                    foreign_born_share=c.foreign_born_share,
                    foreign_born_year=c.year,
                    foreign_born_source="synthetic (benchmark)",
                    synthetic=True,
                )
                for c in cities
            ],
            batch_size=2000,
        )
        rounds = AssessmentRound.objects.bulk_create(
            [
                AssessmentRound(city=m, year=c.year, questionnaire=version, status="published")
                for m, c in zip(made, cities, strict=True)
            ],
            batch_size=2000,
        )
        Answer.objects.bulk_create(
            (
                Answer(round=r, question_id=k, value=v)
                for r, c in zip(rounds, cities, strict=True)
                for k, v in c.answers.items()
            ),
            batch_size=5000,
        )
        print(f"  generated in {time.perf_counter() - started:.1f} s", flush=True)

    n_answers = Answer.objects.count()
    target_city = City.objects.order_by("pk").first()
    assert target_city is not None

    def raw_read() -> int:
        return sum(1 for _ in selectors._raw_answer_rows(version))

    def rebenchmark() -> None:
        sample = selectors.sample_results(version)
        benchmark(target_city.slug, sample, selectors.measures_of(version))

    raw_times, full_times = [], []
    for _ in range(args.repeat):
        connection.close()  # no warm cursor advantage for either side
        t = time.perf_counter()
        rows = raw_read()
        raw_times.append(time.perf_counter() - t)
        t = time.perf_counter()
        rebenchmark()
        full_times.append(time.perf_counter() - t)
    raw, full = statistics.median(raw_times), statistics.median(full_times)
    print(
        f"database: {connection.vendor}; assessments: {args.rounds} SYNTHETIC; answer rows: {n_answers} (read {rows})"
    )
    print(f"baseline, raw read of the answer rows (median of {args.repeat}): {raw * 1000:8.1f} ms")
    print(f"re-benchmark: read + score every round + benchmark one city:  {full * 1000:8.1f} ms")
    print(f"ratio to the raw read: {full / raw:.2f}x   (goal: <= 1 s and <= 2x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
