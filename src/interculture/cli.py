"""The `interculture` command.

Its own subcommands (questionnaire, score, benchmark) come first; any other subcommand is a
Django management command (runserver, migrate, load_demo, createsuperuser...), so the one
entry point also serves as manage.py.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import django
import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.core.management import call_command, execute_from_command_line

from interculture.engine import loader
from interculture.engine.scoring import InvalidAnswer, Score, best_answers, score, worst_answers

OWN_COMMANDS = (
    "questionnaire",
    "score",
    "benchmark",
    "practices",
    "report",
    "report-agreement",
    "worker",
    "peers",
)
SYNTHETIC_NOTE = "synthetic comparison sample: generated cities, not real data"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in (*OWN_COMMANDS, "-h", "--help"):
        return _django(args)
    parser = _parser()
    ns = parser.parse_args(args)
    try:
        return int(ns.handler(ns))
    except KeyError as exc:  # its str() would quote the message
        print(f"interculture: error: {exc.args[0] if exc.args else exc}", file=sys.stderr)
        return 1
    except OSError as exc:  # a missing file, a folder, no permission
        print(
            f"interculture: error: {exc.strerror or exc}: {exc.filename or ''}".rstrip(": "), file=sys.stderr
        )
        return 1
    except (InvalidAnswer, ValueError, ObjectDoesNotExist, yaml.YAMLError) as exc:
        print(f"interculture: error: {' '.join(str(exc).split())}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="interculture",
        description="Intercultural Cities Index tools. Other subcommands are Django management commands.",
    )
    sub = p.add_subparsers(required=True)
    _questionnaire_commands(sub)
    _index_commands(sub)
    wk = sub.add_parser("worker", help="run background jobs (with INTERCULTURE_TASKS=database)")
    wk.add_argument("--batch", action="store_true", help="stop when no job is left")
    wk.set_defaults(handler=_worker)
    _practices_commands(sub)
    return p


Subcommands = argparse._SubParsersAction  # what add_subparsers() returns


def _questionnaire_commands(sub: Subcommands) -> None:
    q = sub.add_parser("questionnaire", help="validate, show or template a questionnaire")
    qsub = q.add_subparsers(required=True)
    v = qsub.add_parser("validate", help="check a questionnaire file against the schema")
    v.add_argument("file")
    v.set_defaults(handler=_validate)
    s = qsub.add_parser("show", help="indicators and questions of a version")
    s.add_argument("version", nargs="?", default=loader.DEFAULT_VERSION)
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=_show)
    t = qsub.add_parser("template", help="print an answers file to fill in")
    t.add_argument("version", nargs="?", default=loader.DEFAULT_VERSION)
    t.add_argument("--fill", choices=["best", "worst"])
    t.set_defaults(handler=_template)


def _index_commands(sub: Subcommands) -> None:
    """Scores, benchmarks, reports and peers of a city's round."""
    sc = sub.add_parser("score", help="score an answers file or a city's round")
    sc.add_argument("answers_file", nargs="?")
    sc.add_argument("--questionnaire", help="version (default: the file's, else icc-2019)")
    sc.add_argument("--city", help="city slug (reads the database)")
    sc.add_argument("--round", type=int, help="round year (default: latest)")
    sc.add_argument("--json", action="store_true")
    _reader_option(sc)
    sc.set_defaults(handler=_score)

    b = sub.add_parser("benchmark", help="a city's round against the sample and its bands")
    b.add_argument("city")
    b.add_argument("--round", type=int)
    b.add_argument("--json", action="store_true")
    _reader_option(b)
    b.set_defaults(handler=_benchmark)

    rp = sub.add_parser("report", help="a city's Index Report as HTML or tagged PDF")
    rp.add_argument("city")
    rp.add_argument("--round", type=int, help="year of the round (default: the latest)")
    rp.add_argument("--lang", default="en", choices=["en", "fi", "sv"])
    rp.add_argument("--format", default=None, choices=["html", "pdf"], help="default: from the file name")
    rp.add_argument("-o", "--output", required=True, help="file to write")
    _reader_option(rp)
    rp.set_defaults(handler=_report)

    ag = sub.add_parser("report-agreement", help="the generated report against the hand-written one (002)")
    ag.add_argument("city")
    ag.add_argument("--round", type=int)
    ag.add_argument(
        "--reference", default="icc-002-hameenlinna", help="reference file in data/reports/reference"
    )
    ag.add_argument("--disagreements", action="store_true", help="list only the items that disagree")
    _reader_option(ag)
    ag.set_defaults(handler=_report_agreement)

    pe = sub.add_parser("peers", help="cities strong in an area and like this city, with their practices")
    pe.add_argument("city")
    pe.add_argument("area")
    pe.add_argument("--round", type=int)
    pe.add_argument("-n", type=int, default=5)
    pe.add_argument("--json", action="store_true")
    _reader_option(pe)
    pe.set_defaults(handler=_peers)


def _practices_commands(sub: Subcommands) -> None:
    pr = sub.add_parser("practices", help="search, suggest, import and export practices")
    prsub = pr.add_subparsers(required=True)
    ps = prsub.add_parser("search", help="full-text, faceted and cross-lingual search")
    ps.add_argument("query")
    ps.add_argument("--lang", default="en", choices=["en", "fi", "sv"], help="language of the titles shown")
    ps.add_argument("--facet", action="append", default=[], metavar="KEY=VALUE", help="filter, repeatable")
    ps.add_argument("--limit", type=int, default=10)
    ps.add_argument("--json", action="store_true")
    ps.set_defaults(handler=_practices_search)
    sg = prsub.add_parser("suggest", help="practices for the questions a city has not met in an area")
    sg.add_argument("city")
    sg.add_argument("area")
    sg.add_argument("--limit", type=int, default=3)
    sg.add_argument("--json", action="store_true")
    _reader_option(sg)
    sg.set_defaults(handler=_practices_suggest)
    im = prsub.add_parser("import", help="import fact sheets (all rows or none)")
    im.add_argument("file")
    im.add_argument("--format", choices=["csv", "xlsx", "json"], help="default: the file's extension")
    im.add_argument(
        "--publish", action="store_true", help="publish at once (default: a JSON record's state, else draft)"
    )
    im.set_defaults(handler=_practices_import)
    ex = prsub.add_parser("export", help="export published fact sheets")
    ex.add_argument("-o", "--output", required=True)
    ex.add_argument("--format", choices=["csv", "xlsx", "json"], help="default: the file's extension")
    ex.add_argument("--include-contacts", action="store_true", help="include contact details (personal data)")
    ex.set_defaults(handler=_practices_export)


def _validate(ns: argparse.Namespace) -> int:
    try:
        q = loader.load_questionnaire_file(ns.file)
    except loader.QuestionnaireFileError as exc:
        for err in exc.errors:
            print(f"{ns.file}:{err.line or '?'}: {err.field}: {err.message}", file=sys.stderr)
        print(f"{ns.file}: {len(exc.errors)} error(s)", file=sys.stderr)
        return 1
    mandatory = sum(x.mandatory for x in q.questions)
    print(
        f"{ns.file}: valid — {q.version}: {len(q.indicators)} indicators, "
        f"{len(q.questions)} questions ({mandatory} mandatory)"
    )
    return 0


def _show(ns: argparse.Namespace) -> int:
    q = loader.load_questionnaire(ns.version)
    data = {
        "version": q.version,
        "indicators": [
            {"id": i.id, "name": i.name.en, "group": i.group.value if i.group else None, "core": i.core}
            for i in q.indicators
        ],
        "questions": [
            {
                "id": x.id,
                "indicator": x.indicator,
                "mandatory": x.mandatory,
                "core": x.core,
                "type": x.type.value,
            }
            for x in q.questions
        ],
    }
    if ns.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    print(
        f"{q.title.en} ({q.version}): {len(q.questions)} questions, "
        f"{sum(x.mandatory for x in q.questions)} mandatory, {sum(x.core for x in q.questions)} core"
    )
    for ind in q.indicators:
        tag = " [lens]" if ind.group else ("" if ind.core else " [2019]")
        print(f"\n{ind.name.en}{tag}")
        for x in q.questions_of(ind.id):
            flags = ("*" if x.mandatory else " ") + ("" if x.core else " (extended)")
            print(f"  {flags} {x.id}: {x.text.en}")
    return 0


def _template(ns: argparse.Namespace) -> int:
    q = loader.load_questionnaire(ns.version)
    values: dict[str, Any]
    if ns.fill == "best":
        values = best_answers(q)
    elif ns.fill == "worst":
        values = worst_answers(q)
    else:
        values = {x.id: None for x in q.questions}
    lines = [f"# Answers to {q.version}. Each value: an option id, a list of option ids, a number or text."]
    lines += [yaml.safe_dump({"questionnaire": q.version}, allow_unicode=True).strip(), "answers:"]
    for x in q.questions:
        lines.append(f"  # {x.text.en}{'' if x.mandatory else ' (optional)'}")
        if x.options:
            lines.append("  # options: " + ", ".join(f"{o.id} ({o.points:g})" for o in x.options))
        if x.bands:
            lines.append("  # " + x.type.value)
        entry = yaml.safe_dump({x.id: values[x.id]}, allow_unicode=True, default_flow_style=True, width=1000)
        lines.append("  " + entry.strip().removeprefix("{").removesuffix("}"))
    print("\n".join(lines))
    return 0


def _reader_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        metavar="USER",
        help="read as this user (default: as the public, i.e. published rounds only)",
    )


def _reader(ns: argparse.Namespace) -> Any:
    """Who the command reads as: the public unless --as names a user (the same rule as the web)."""
    # Lazy: the apps' modules import models, which need Django set up first (_setup_django).
    from django.contrib.auth.models import AnonymousUser

    if not ns.as_user:
        return AnonymousUser()
    user = get_user_model().objects.filter(username=ns.as_user, is_active=True).first()
    if user is None:
        raise ValueError(f"no active user {ns.as_user!r}")
    return user


def _score(ns: argparse.Namespace) -> int:
    if ns.city:
        _setup_django()
        # Lazy: the apps' modules import models, which need Django set up first (_setup_django).
        from interculture.assessments import selectors

        round_ = selectors.get_round(_reader(ns), ns.city, ns.round)
        result = selectors.round_score(round_)
        synthetic = round_.city.synthetic
    elif ns.answers_file:
        doc = loader.load_answers_file(ns.answers_file)
        q = loader.load_questionnaire(ns.questionnaire or doc.get("questionnaire") or loader.DEFAULT_VERSION)
        result = score(q, loader.answer_values(doc["answers"]))
        synthetic = bool(doc.get("synthetic", False))
    else:
        raise ValueError("give an answers file or --city SLUG")
    out = result.as_dict()
    if synthetic:
        out["synthetic"] = True
    if ns.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    else:
        _print_score(result, synthetic)
    return 0


def _print_score(result: Score, synthetic: bool) -> None:
    if synthetic:
        print(f"SYNTHETIC: {SYNTHETIC_NOTE}")
    for k in result.indicators:
        rate = result.rate(k)
        print(f"{k:24} {'—' if rate is None else f'{rate:5.1f}'}")
    for label, v in (
        ("lens", result.lens),
        ("core index", result.core_index),
        ("extended index", result.extended_index),
    ):
        print(f"{label:24} {'—' if v is None else f'{v:5.1f}'}")
    if not result.complete:
        print(
            f"INCOMPLETE: {len(result.missing)} mandatory question(s) unanswered: {', '.join(result.missing)}"
        )


def _benchmark(ns: argparse.Namespace) -> int:
    _setup_django()
    # Lazy: the apps' modules import models, which need Django set up first (_setup_django).
    from interculture.assessments import selectors

    round_ = selectors.get_round(_reader(ns), ns.city, ns.round)
    bench = selectors.benchmark_round(round_)
    out = bench.as_dict()
    out["year"] = round_.year
    if bench.synthetic_in_sample:
        out["synthetic_note"] = f"{bench.synthetic_in_sample} of {bench.sample_size} cities: {SYNTHETIC_NOTE}"
    if ns.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    if bench.synthetic_in_sample:
        print(f"SYNTHETIC: {out['synthetic_note']}")
    print(
        f"{round_.city.name} {round_.year}: size band {bench.size_band}, diversity band {bench.diversity_band}"
    )
    size_key, div_key = f"size:{bench.size_band}", f"diversity:{bench.diversity_band}"
    print(f"{'measure':24} {'city':>6} {'mean':>6} {'rank':>9} {'size':>6} {'div.':>6}")
    for m, groups in bench.measures.items():
        rate = bench.rates.get(m)
        s = groups["sample"]
        print(
            f"{m:24} {_fmt(rate):>6} {_fmt(s.stats.mean):>6} {f'{s.rank}/{s.stats.n}' if s.rank else '—':>9} "
            f"{_fmt(groups[size_key].stats.mean):>6} {_fmt(groups[div_key].stats.mean):>6}"
        )
    return 0


def _practices_search(ns: argparse.Namespace) -> int:
    _setup_django()
    # Lazy: the apps' modules import models, which need Django set up first (_setup_django).
    from interculture.practices.search import search

    filters: dict[str, list[str]] = {}
    for item in ns.facet:
        key, sep, value = item.partition("=")
        if not sep or not value:
            raise ValueError(f"--facet takes KEY=VALUE, not {item!r}")
        filters.setdefault(key, []).append(value)
    result = search(ns.query, filters, per_page=ns.limit, with_facets=False)
    hits = [
        {"id": h["id"], "title": h["title"].get(ns.lang) or h["title"]["en"], "city": h["city"],
         "country": h["country"], "score": h["score"]}
        for h in result.hits
    ]  # fmt: skip
    if result.notice:
        print(f"notice: {result.notice}", file=sys.stderr)
    if ns.json:
        print(json.dumps(hits, ensure_ascii=False, indent=2))
        return 0
    print(f"{result.total} match(es), {result.mode}")
    for h in hits:
        print(f"{h['score']:.3f}  {h['title']} ({h['city']}, {h['country']})  [{h['id']}]")
    return 0


def _practices_suggest(ns: argparse.Namespace) -> int:
    _setup_django()
    # Lazy: the apps' modules import models, which need Django set up first (_setup_django).
    from interculture.assessments import selectors
    from interculture.practices.selectors import suggest

    round_ = selectors.get_round(_reader(ns), ns.city)
    found = [s.as_dict() for s in suggest(round_, ns.area, ns.limit)]
    if ns.json:
        print(json.dumps(found, ensure_ascii=False, indent=2))
        return 0
    for s in found:
        print(f"{s['score']:.3f}  {s['title']} ({s['city']}, {s['country']})  [{s['id']}]")
        for reason in s["reasons"]:
            print(f"       - {reason}")
    return 0


def _format_of(path: str, given: str | None) -> str:
    fmt = given or path.rsplit(".", 1)[-1].lower()
    if fmt not in ("csv", "xlsx", "json"):
        raise ValueError(f"cannot tell the format of {path!r}: use --format csv|xlsx|json")
    return fmt


def _practices_import(ns: argparse.Namespace) -> int:
    _setup_django()
    # Lazy: the apps' modules import models, which need Django set up first (_setup_django).
    from interculture.practices.exchange import ImportRejected, check_upload, import_file

    fmt = _format_of(ns.file, ns.format)
    try:
        check_upload(Path(ns.file).stat().st_size, fmt)  # before reading it
        saved = import_file(Path(ns.file).read_bytes(), fmt, state="published" if ns.publish else None)
    except ImportRejected as exc:
        for err in exc.errors:
            print(f"{ns.file}: {err}", file=sys.stderr)
        print(f"{ns.file}: {len(exc.errors)} error(s); nothing was imported", file=sys.stderr)
        return 1
    print(f"imported {len(saved)} practice(s)")
    return 0


def _practices_export(ns: argparse.Namespace) -> int:
    _setup_django()
    # Lazy: the apps' modules import models, which need Django set up first (_setup_django).
    from interculture.practices.exchange import export
    from interculture.practices.models import Practice

    published = Practice.objects.filter(state=Practice.State.PUBLISHED, synthetic=False).order_by("slug")
    Path(ns.output).write_bytes(export(published, _format_of(ns.output, ns.format), ns.include_contacts))
    print(f"exported {published.count()} practice(s) to {ns.output}")
    return 0


def _report(ns: argparse.Namespace) -> int:
    _setup_django()
    # Lazy: the apps' modules import models, which need Django set up first (_setup_django).
    from interculture.assessments import selectors
    from interculture.reports import services
    from interculture.reports.builder import build_report

    fmt = ns.format or ("pdf" if ns.output.lower().endswith(".pdf") else "html")
    round_ = selectors.get_round(_reader(ns), ns.city, ns.round)
    report = build_report(round_, ns.lang, base_url=services.base_url())
    html = services.render_html(report, for_print=True)
    if fmt == "pdf":
        Path(ns.output).write_bytes(services.render_pdf(html, services.base_url()))
    else:
        Path(ns.output).write_text(html, encoding="utf-8")
    print(f"{round_.city.name} {round_.year} ({ns.lang}): {len(report.sections)} sections → {ns.output}")
    return 0


def _report_agreement(ns: argparse.Namespace) -> int:
    _setup_django()
    # Lazy: the apps' modules import models, which need Django set up first (_setup_django).
    from interculture.assessments import selectors
    from interculture.reports.agreement import compare, load_reference
    from interculture.reports.builder import build_report

    round_ = selectors.get_round(_reader(ns), ns.city, ns.round)
    agreement = compare(build_report(round_, "en"), load_reference(ns.reference))
    print(agreement.table(only_disagreements=ns.disagreements))
    return 0 if agreement.complete else 2


def _peers(ns: argparse.Namespace) -> int:
    _setup_django()
    # Lazy: the apps' modules import models, which need Django set up first (_setup_django).
    from interculture.assessments import selectors
    from interculture.coordination.selectors import city_peers

    round_ = selectors.get_round(_reader(ns), ns.city, ns.round)
    if ns.area not in selectors.measures_of(round_.questionnaire):
        raise KeyError(f"unknown area {ns.area!r}")
    found = city_peers(round_, ns.area, ns.n)
    if ns.json:
        print(
            json.dumps(
                {"city": ns.city, "area": ns.area, "year": round_.year, "peers": found},
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    for p in found:
        mark = " (SYNTHETIC)" if p["synthetic"] else ""
        print(
            f"{p['name']}{mark} {p['country']}: {p['rate']} (+{p['gap']}), alike in {', '.join(p['shared'])}; "
            f"{len(p['practices'])} practice(s)"
        )
    return 0


def _worker(ns: argparse.Namespace) -> int:
    """The database task worker, plus a watch that queues again the jobs of a worker that died
    and queues the periodic jobs (daily reminders of overdue actions) when they are due."""
    _setup_django()

    # Lazy: the apps' modules import models, which need Django set up first (_setup_django).
    from interculture.health import heartbeat_every, record_heartbeat
    from interculture.pathway.services import claim_periodic
    from interculture.pathway.tasks import remind_overdue_actions
    from interculture.reports.services import requeue_stalled

    if "django_tasks_db" not in settings.INSTALLED_APPS:
        raise ValueError("set INTERCULTURE_TASKS=database to run a worker (the default runs jobs at once)")

    def watch() -> None:
        while True:
            try:
                record_heartbeat()  # /healthz: a worker is running
                requeue_stalled()
                if claim_periodic("overdue_reminders", timedelta(days=1)):
                    remind_overdue_actions.enqueue()
            except Exception as exc:  # the watch must outlive a database hiccup
                print(f"interculture worker: watch: {exc}", file=sys.stderr)
            time.sleep(heartbeat_every())

    threading.Thread(target=watch, daemon=True).start()
    # The id each job result records (DBTaskResult.worker_ids): which machine and process ran it.
    worker_id = os.environ.get("INTERCULTURE_WORKER_ID") or f"{socket.gethostname()}:{os.getpid()}"
    batch = ["--batch"] if ns.batch else []
    call_command("db_worker", "--interval", "0.5", "--worker-id", worker_id[:64], *batch)
    return 0


def _fmt(v: float | None) -> str:
    return "—" if v is None else f"{v:.1f}"


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interculture.settings")

    django.setup()


def _django(args: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "interculture.settings")

    execute_from_command_line(["interculture", *args])
    return 0


if __name__ == "__main__":
    sys.exit(main())
