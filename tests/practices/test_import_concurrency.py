"""A long practices import does not block other writers: while the CLI imports 1 500 fact
sheets into a real server's database, ten API clients keep saving answers, and every save
succeeds. Runs on SQLite and, with DATABASE_URL, on PostgreSQL (see scripts/test)."""

from __future__ import annotations

import subprocess
import threading
from pathlib import Path
from typing import Any

import pytest

from interculture import tabular
from interculture.practices import exchange, synthetic
from tests import live_server
from tests.assessments.test_concurrency import _call

pytestmark = pytest.mark.live_db

ROWS = 1_500
WRITERS = 10
SETUP = f"""
import json
from django.contrib.auth.models import User
from interculture.accounts import services as accounts
from interculture.assessments import services
from interculture.assessments.models import QuestionnaireVersion
services.sync_bundled_questionnaires()
city = services.import_city_file("hameenlinna.yaml")
version = QuestionnaireVersion.objects.get(version="icc-2019")
lead = User.objects.create_user("lead")
accounts.add_member(lead, city, "coordinator")
opened = services.open_round(city, 2025, version=version, user=lead)
questions = [x for x in services.engine_questionnaire(version).questions if x.options][:{WRITERS}]
writers = []
for n, q in enumerate(questions):
    w = User.objects.create_user(f"writer{{n:02d}}")
    accounts.add_member(w, city, "coordinator")
    writers.append([accounts.create_token(w, "import")[1], q.id, [o.id for o in q.options]])
print(json.dumps(writers))
"""


def _import_file(path: Path) -> None:
    """1 500 synthetic fact sheets as CSV (short texts keep the embeddings quick)."""
    rows: list[list[Any]] = [exchange.COLUMNS]
    for p, _population in synthetic.generate(ROWS, seed=7):
        short = p.model_copy(update={"objectives": p.objectives[:80]})
        record = exchange.to_row(short.model_dump(mode="json"))
        rows.append([record.get(c) for c in exchange.COLUMNS])
    path.write_bytes(tabular.write_csv(rows))


def test_answer_saves_succeed_while_a_long_import_runs(tmp_path: Path) -> None:
    env = live_server.installation(tmp_path, "tabular_import_lock")
    writers = live_server.shell_json(env, SETUP)
    source = tmp_path / "practices.csv"
    _import_file(source)
    with live_server.running_server(env, tmp_path / "server.log") as url:
        importer = subprocess.Popen(
            [live_server.CLI, "practices", "import", str(source), "--publish"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        outcomes: list[tuple[int, int, Any]] = []
        lock = threading.Lock()

        def writer(n: int, token: str, question: str, options: list[str]) -> None:
            answer_url = f"{url}/api/cities/hameenlinna/rounds/2025/answers/{question}"
            status, answers = _call(f"{url}/api/cities/hameenlinna/rounds/2025/answers", token)
            version = next(a["version"] for a in answers if a["question_id"] == question)
            saves = 0
            while importer.poll() is None or saves < 3:
                body = {
                    "value": options[saves % len(options)],
                    "version": version,
                    "comment": f"save {saves}",
                }
                status, reply = _call(answer_url, token, "PUT", body)
                with lock:
                    outcomes.append((n, status, reply))
                if status != 200:
                    return
                version = reply["version"]
                saves += 1

        threads = [threading.Thread(target=writer, args=(n, *w)) for n, w in enumerate(writers)]
        for t in threads:
            t.start()
        out, err = importer.communicate(timeout=1800)
        for t in threads:
            t.join(timeout=300)
    assert importer.returncode == 0, err
    assert f"imported {ROWS} practice(s)" in out
    failed = [o for o in outcomes if o[1] != 200]
    assert not failed, failed[:3]
    assert {n for n, _s, _r in outcomes} == set(range(WRITERS))
    print(f"{len(outcomes)} answer saves during the import, all 200")
