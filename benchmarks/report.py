"""Time the Index Report of the Hämeenlinna demo round: HTML, full PDF, and WeasyPrint alone.

Prints, per language, the median of `--repeat` runs of
- the HTML report, cold (first build in the process: embeddings of the suggestion queries and
  chart drawing) and warm (regenerated, as after an expert's edit);
- the full PDF (build + HTML + WeasyPrint);
- WeasyPrint alone on the same pre-rendered HTML (the baseline),
and the ratio full PDF / WeasyPrint alone. Goals (issue #5): PDF ≤ 3 s, HTML ≤ 300 ms,
PDF ≤ 1.3 × WeasyPrint alone. The comparison sample of the demo data is SYNTHETIC.

usage: .venv/bin/python benchmarks/report.py [--repeat 3] [--db PATH] [--lang en fi sv]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lang", nargs="+", default=["en", "fi", "sv"])
    parser.add_argument(
        "--db", default=str(Path(tempfile.gettempdir()) / "interculture-bench-report.sqlite3")
    )
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{args.db}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interculture.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from interculture.assessments import selectors
    from interculture.assessments.services import load_demo
    from interculture.reports import services
    from interculture.reports.builder import build_report

    call_command("migrate", verbosity=0)
    print("Loading the demo data (idempotent) ...", flush=True)
    load_demo()
    round_ = selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023)

    def timed(fn) -> float:  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        fn()
        return time.perf_counter() - started

    def median(fn) -> float:  # type: ignore[no-untyped-def]
        return statistics.median(timed(fn) for _ in range(args.repeat))

    def measure(lang: str) -> None:
        def html() -> str:
            return services.render_html(build_report(round_, lang), for_print=True)

        cold = timed(html)  # first build in this process: query embeddings, chart drawing
        warm = median(html)
        rendered = html()
        alone = median(lambda: services.render_pdf(rendered, "http://localhost/"))
        full = median(lambda: services.render_pdf(html(), "http://localhost/"))
        print(
            f"{lang:5} {cold * 1000:8.0f}ms {warm * 1000:8.0f}ms {full:8.2f}s {alone:10.2f}s {full / alone:5.2f}x"
        )

    print(f"{'lang':5} {'HTML cold':>10} {'HTML warm':>10} {'PDF full':>9} {'WeasyPrint':>11} {'ratio':>6}")
    for lang in args.lang:
        measure(lang)
    print("goals: HTML ≤ 300 ms, PDF ≤ 3 s, PDF ≤ 1.3 × WeasyPrint alone")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
