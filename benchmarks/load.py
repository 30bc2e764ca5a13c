"""50 concurrent clients against the production stack (`scripts/serve`: gunicorn, WhiteNoise,
PostgreSQL, INTERCULTURE_DEBUG=0), on loopback only, bounded in time and in requests.

Each client loops over the kinds below, starting at its own place in the list: the public pages
(home, a city's results, the Index Report, a practice search, the practice map), an answer
saved through the API with a token (each client its own question, so no save is a conflict),
and a static file from the same server, which is the floor: what the server, the clients and
the machine cost without any of the app's work. Printed per kind: count, p50, p95, max, errors;
then the goals (pages p95 ≤ 300 ms, saves p95 ≤ 50 ms, 0 errors, pages p95 ≤ 10 × the floor).

The database is DATABASE_URL (PostgreSQL); the demo data, a coordinator with a token and an
open round are added to it if missing. The server is started and stopped by this script.

usage: DATABASE_URL=postgres://... .venv/bin/python benchmarks/load.py [--clients 50] [--seconds 30]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CLI = Path(sys.executable).with_name("interculture")
PAGES = {
    "home": "/",
    "results": "/cities/hameenlinna/",
    "report": "/reports/hameenlinna/2023/",
    "search": "/practices/?q=museum",
    "map": "/practices/map/",
}
YEAR = 2025
SETUP = f"""
import json
from django.contrib.auth.models import User
from interculture.accounts import services as accounts
from interculture.assessments import services
from interculture.assessments.models import AssessmentRound, City, QuestionnaireVersion
from interculture.engine.loader import load_questionnaire
city = City.objects.get(slug="hameenlinna")
user, _ = User.objects.get_or_create(username="load-benchmark")
if not city.memberships.filter(user=user).exists():
    accounts.add_member(user, city, "coordinator")
version = QuestionnaireVersion.objects.get(version="icc-2019")
if not AssessmentRound.objects.filter(city=city, year={YEAR}).exists():
    services.open_round(city, {YEAR}, version=version, user=user)
stored = dict(AssessmentRound.objects.get(city=city, year={YEAR}).answers.values_list("question_id", "version"))
questions = [
    [q.id, [o.id for o in q.options], stored.get(q.id, 0)]
    for q in load_questionnaire("icc-2019").questions
    if str(q.type) in ("single_choice", "yes_no")
]
print(json.dumps({{"token": accounts.create_token(user, "load benchmark")[1], "questions": questions}}))
"""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([CLI, *args], env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"interculture {args[0]} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def create_database(database_url: str) -> None:
    """Create the database of DATABASE_URL when the server does not have it yet."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


class Client(threading.Thread):
    """One client: a kept-alive connection, one request at a time, until the stop time."""

    def __init__(
        self, n: int, port: int, kinds: list[str], save: dict[str, object], until: float, budget: list[int]
    ):
        super().__init__(daemon=True)
        self.n, self.port, self.kinds, self.save, self.until, self.budget = (
            n,
            port,
            kinds,
            save,
            until,
            budget,
        )
        self.timings: dict[str, list[float]] = {kind: [] for kind in kinds}
        self.errors: dict[str, list[str]] = {kind: [] for kind in kinds}
        self.version = int(save["version"])  # type: ignore[call-overload]
        self.wall = 0.0
        self.value = 0

    def connection(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)

    def run(self) -> None:
        conn = self.connection()
        turn = self.n
        while time.monotonic() < self.until:
            with LOCK:
                if self.budget[0] <= 0:
                    return
                self.budget[0] -= 1
            kind = self.kinds[turn % len(self.kinds)]
            turn += 1
            started = time.perf_counter()
            try:
                status, body = self.request(conn, kind)
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                conn = self.connection()
                self.errors[kind].append(type(exc).__name__)
                continue
            elapsed = (time.perf_counter() - started) * 1000
            if status != 200:
                self.errors[kind].append(f"HTTP {status}: {body[:120]!r}")
                continue
            self.timings[kind].append(elapsed)
        conn.close()

    def request(self, conn: http.client.HTTPConnection, kind: str) -> tuple[int, bytes]:
        if kind == "save":
            question, options = self.save["question"], self.save["options"]
            self.value += 1
            body = json.dumps({"value": options[self.value % 2], "version": self.version})  # type: ignore[index]
            headers = {"Authorization": f"Bearer {self.save['token']}", "Content-Type": "application/json"}
            conn.request("PUT", f"/api/cities/hameenlinna/rounds/{YEAR}/answers/{question}", body, headers)
        else:
            path = self.save["static"] if kind == "static" else PAGES[kind]
            conn.request("GET", str(path), headers={"Accept-Encoding": "gzip, br"})
        response = conn.getresponse()
        data = response.read()
        if kind == "save" and response.status == 200:
            self.version = json.loads(data)["version"]
        return response.status, data


LOCK = threading.Lock()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the clients are measured")
    parser.add_argument(
        "--warm-up",
        type=float,
        default=20.0,
        help="seconds of the same load first, not counted: every server process loads its code and caches",
    )
    parser.add_argument("--max-requests", type=int, default=50_000, help="stop after this many in all")
    ns = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        print(
            "benchmarks/load.py: set DATABASE_URL to a PostgreSQL database (the production stack)",
            file=sys.stderr,
        )
        return 2
    if not 1 <= ns.clients <= 200 or not 1 <= ns.seconds <= 600 or not 0 <= ns.warm_up <= 300:
        print(
            "benchmarks/load.py: 1-200 clients for 1-600 seconds, after 0-300 s of warm-up", file=sys.stderr
        )
        return 2

    data_dir = Path(tempfile.mkdtemp(prefix="interculture-load-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("INTERCULTURE_")}
    env.update(
        INTERCULTURE_DATA_DIR=str(data_dir),
        INTERCULTURE_SECRET_KEY="load-benchmark-only",
        INTERCULTURE_DEBUG="0",
        INTERCULTURE_TASKS="database",
        INTERCULTURE_VENV=sys.prefix,  # this environment; scripts/serve then skips setup-venv
        PYTHONUNBUFFERED="1",
    )
    create_database(database_url)
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_demo")
    setup = json.loads(manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])

    port = free_port()
    log = data_dir / "serve.log"
    serve_env = {**env, "INTERCULTURE_BIND": f"127.0.0.1:{port}"}
    with log.open("w") as out:
        server = subprocess.Popen(
            [ROOT / "scripts" / "serve"], env=serve_env, stdout=out, stderr=out, start_new_session=True
        )
    try:
        return run(ns, port, setup, server, log)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def load(
    ns: argparse.Namespace,
    port: int,
    setup: dict[str, object],
    static: str,
    kinds: list[str],
    seconds: float,
    max_requests: int,
    versions: list[int] | None = None,
) -> list[Client]:
    """`ns.clients` clients at once for `seconds` (or `max_requests` in all); they, when done."""
    questions = setup["questions"]  # type: ignore[index]
    until = time.monotonic() + seconds
    budget = [max_requests]
    clients = []
    for n in range(ns.clients):
        question, options, version = questions[n % len(questions)]  # type: ignore[index]
        save = {"token": setup["token"], "question": question, "options": options, "static": static}
        save["version"] = versions[n] if versions else version
        clients.append(Client(n, port, kinds, save, until, budget))
    started = time.monotonic()
    for c in clients:
        c.start()
    for c in clients:
        c.join(timeout=seconds + 120)
        c.wall = time.monotonic() - started
    if any(c.is_alive() for c in clients):
        print("some clients did not finish in time", file=sys.stderr)
    return clients


def run(
    ns: argparse.Namespace, port: int, setup: dict[str, object], server: subprocess.Popen[bytes], log: Path
) -> int:
    deadline = time.monotonic() + 300
    while True:
        try:
            if get(port, "/healthz")[0] == 200:
                break
        except OSError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            print(f"scripts/serve did not start:\n{log.read_text()[-3000:]}", file=sys.stderr)
            return 1
        time.sleep(0.5)
    status, home = get(port, "/")
    static = re.search(rb"/static/[\w/.-]+\.[0-9a-f]{12}\.css", home)
    if status != 200 or not static:
        print("the home page did not load, or links no hashed stylesheet", file=sys.stderr)
        return 1
    # One visit of each page first: what a running site has already drawn (charts) and loaded.
    for path in PAGES.values():
        get(port, path)

    kinds = [*PAGES, "save", "static"]
    if ns.warm_up:
        clients = load(ns, port, setup, static.group().decode(), kinds, ns.warm_up, ns.max_requests)
        versions = [c.version for c in clients]
    else:
        versions = []
    clients = load(ns, port, setup, static.group().decode(), kinds, ns.seconds, ns.max_requests, versions)
    wall = max(c.wall for c in clients)
    timings = {k: [t for c in clients for t in c.timings[k]] for k in kinds}
    errors = {k: [e for c in clients for e in c.errors[k]] for k in kinds}
    pages = [t for k in PAGES for t in timings[k]]
    print(
        f"{ns.clients} clients for {wall:.0f} s against scripts/serve on PostgreSQL ({os.cpu_count()} cores)"
    )
    print(f"{'kind':<10}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'errors':>8}")
    rows = [(k, timings[k], len(errors[k])) for k in kinds]
    rows.insert(len(PAGES), ("pages", pages, sum(len(errors[k]) for k in PAGES)))
    for kind, values, failed in rows:
        if values:
            print(
                f"{kind:<10}{len(values):>7}{statistics.median(values):>9.0f}{percentile(values, 95):>9.0f}"
                f"{max(values):>9.0f}{failed:>8}"
            )
        else:
            print(f"{kind:<10}{0:>7}{'—':>9}{'—':>9}{'—':>9}{failed:>8}")
    for kind in kinds:
        for message in sorted(set(errors[kind]))[:3]:
            print(f"  {kind} error: {message}")
    total = sum(len(v) for v in timings.values())
    print(f"throughput: {total / wall:.0f} requests/s")
    if not pages or not timings["save"] or not timings["static"]:
        return 1
    pages_p95, saves_p95 = percentile(pages, 95), percentile(timings["save"], 95)
    floor = percentile(timings["static"], 95)
    failures = sum(len(e) for e in errors.values())
    goals = [
        (f"pages p95 {pages_p95:.0f} ms ≤ 300 ms", pages_p95 <= 300),
        (f"saves p95 {saves_p95:.0f} ms ≤ 50 ms", saves_p95 <= 50),
        (f"errors {failures} = 0", failures == 0),
        (
            f"pages p95 {pages_p95 / floor:.1f} × the static floor (p95 {floor:.0f} ms) ≤ 10 ×",
            pages_p95 <= 10 * floor,
        ),
    ]
    for text, met in goals:
        print(f"{'met' if met else 'NOT MET'}: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
