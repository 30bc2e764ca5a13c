"""Time the Index Report of the Hämeenlinna demo round, and print its agreement with seed 002.

Prints, side by side in one run:
- whole processes: `interculture report … -o r.html` against `interculture score --city …`
  (the baseline: the same start-up, the questionnaire and one round read), first with the shared
  chart cache emptied, then as any later process finds it; goal: report ≤ 3 × score;
- the build alone, first in a fresh process (cold) and again in that process (warm, as after an
  expert's edit); goal: cold ≤ 1 s;
- per language, the full PDF (build + HTML + WeasyPrint) against WeasyPrint alone on the same
  HTML; goals: PDF ≤ 3 s and ≤ 1.3 × WeasyPrint alone;
- the item-by-item agreement with 002 (figures, examples by area, ✓/✗ items, recommendations).
The comparison sample of the demo data is SYNTHETIC.

usage: .venv/bin/python benchmarks/report.py [--repeat 3] [--db PATH] [--lang en fi sv]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLI = Path(sys.executable).with_name("interculture")
BUILD_IN_FRESH_PROCESS = """
import time, django
django.setup()
from interculture.assessments import selectors
from interculture.reports.builder import build_report
round_ = selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023)
started = time.perf_counter(); build_report(round_, "{lang}"); cold = time.perf_counter() - started
started = time.perf_counter(); build_report(round_, "{lang}"); warm = time.perf_counter() - started
print(cold, warm)
"""


def _process_seconds(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([str(CLI), *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - started


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
    from django.core.cache import cache
    from django.core.management import call_command

    from interculture.assessments import selectors
    from interculture.assessments.services import load_demo
    from interculture.reports import services
    from interculture.reports.agreement import compare, load_reference
    from interculture.reports.builder import build_report

    call_command("migrate", verbosity=0)
    print("Loading the demo data (idempotent) ...", flush=True)
    load_demo()
    round_ = selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023)
    env = dict(os.environ)
    out = str(Path(tempfile.gettempdir()) / "interculture-bench-report.html")

    def median(fn) -> float:  # type: ignore[no-untyped-def]
        return statistics.median(fn() for _ in range(args.repeat))

    report_cmd = ["report", "hameenlinna", "--round", "2023", "-o", out]
    score_cmd = ["score", "--city", "hameenlinna", "--round", "2023", "--json"]
    cache.clear()
    first = _process_seconds(report_cmd, env)
    later = median(lambda: _process_seconds(report_cmd, env))
    score = median(lambda: _process_seconds(score_cmd, env))
    print(f"\n{'process':38} {'seconds':>8} {'× score':>8}")
    print(f"{'score --city (baseline)':38} {score:8.2f} {1:8.2f}")
    print(f"{'report -o r.html, chart cache empty':38} {first:8.2f} {first / score:8.2f}")
    print(f"{'report -o r.html, later processes':38} {later:8.2f} {later / score:8.2f}")
    print("goal: report ≤ 3 × score")

    print(
        f"\n{'lang':5} {'new charts':>11} {'build cold':>11} {'build warm':>11} {'PDF full':>9} "
        f"{'WeasyPrint':>11} {'ratio':>6}"
    )
    for lang in args.lang:
        code = BUILD_IN_FRESH_PROCESS.format(lang=lang)

        def fresh_process(code: str = code) -> tuple[float, float]:
            done = subprocess.run(
                [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
            )
            cold, warm = (float(x) for x in done.stdout.split()[-2:])
            return cold, warm

        cache.clear()
        new_charts, _ = fresh_process()  # no process has drawn this report's charts yet
        cold, warm = fresh_process()  # a fresh process, the charts drawn by an earlier one

        def html(lang: str = lang) -> str:
            return services.render_html(build_report(round_, lang), for_print=True)

        def pdf_alone(rendered: str = html()) -> float:
            started = time.perf_counter()
            services.render_pdf(rendered, "")
            return time.perf_counter() - started

        def pdf_full(lang: str = lang) -> float:
            started = time.perf_counter()
            services.render_pdf(html(lang), "")
            return time.perf_counter() - started

        alone, full = median(pdf_alone), median(pdf_full)
        print(
            f"{lang:5} {new_charts * 1000:9.0f}ms {cold * 1000:9.0f}ms {warm * 1000:9.0f}ms {full:8.2f}s "
            f"{alone:10.2f}s {full / alone:5.2f}x"
        )
    print("goals: build cold ≤ 1 s (warm was 113 ms), PDF ≤ 3 s, PDF ≤ 1.3 × WeasyPrint alone")

    print("\nAgreement of the generated report with 002 (the hand-written analysis):")
    agreement = compare(build_report(round_, "en"), load_reference())
    print(agreement.table(only_disagreements=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
