"""`scripts/serve`, the production stack: started for real on a fresh PostgreSQL database, with
a browser journey against it; and the systemd units, which run the same commands.

The live test needs PostgreSQL (DATABASE_URL, as in scripts/test's second pass).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import live_server
from tests.browser.conftest import SECRETARIAT

ROOT = Path(__file__).resolve().parents[1]
SERVE = ROOT / "scripts" / "serve"
UNITS = ROOT / "deploy" / "systemd"
INSTALL_DIR = "/opt/interculture"  # where the units expect the checkout
SAVED_QUESTION = "education.intercultural_projects"


def serve_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL" and not k.startswith("INTERCULTURE_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    # The environment running these tests; in a checkout set up by scripts/setup-venv it is .venv,
    # and scripts/serve then runs setup-venv itself (a no-op there).
    if Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        env["INTERCULTURE_VENV"] = sys.prefix
    env.update(extra)
    return env


def run_serve(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SERVE, *args], env=env, capture_output=True, text=True, timeout=60)


# --- refusals (no database needed) -----------------------------------------------------------


def test_serve_refuses_to_start_without_postgresql() -> None:
    done = run_serve(serve_env(INTERCULTURE_SECRET_KEY="k"))
    assert done.returncode == 2
    assert "DATABASE_URL is not set" in done.stderr and "scripts/run" in done.stderr
    done = run_serve(serve_env(INTERCULTURE_SECRET_KEY="k", DATABASE_URL="sqlite:///x.sqlite3"))
    assert done.returncode == 2 and "must name a PostgreSQL database" in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_refuses_to_start_without_a_secret_key_or_with_a_bad_count() -> None:
    pg = "postgres://nobody@127.0.0.1:1/none"
    done = run_serve(serve_env(DATABASE_URL=pg))
    assert done.returncode == 2 and "INTERCULTURE_SECRET_KEY is not set" in done.stderr
    done = run_serve(
        serve_env(DATABASE_URL=pg, INTERCULTURE_SECRET_KEY="k", INTERCULTURE_WEB_PROCESSES="lots")
    )
    assert done.returncode == 2 and "INTERCULTURE_WEB_PROCESSES must be a whole number" in done.stderr
    done = run_serve(serve_env(DATABASE_URL=pg, INTERCULTURE_SECRET_KEY="k"), "everything")
    assert done.returncode == 2 and "unknown part" in done.stderr


# --- the systemd units -------------------------------------------------------------------------


def unit_commands(unit: str) -> list[tuple[str, str]]:
    lines = (UNITS / unit).read_text().splitlines()
    return [tuple(line.split("=", 1)) for line in lines if line.startswith(("ExecStartPre=", "ExecStart="))]  # type: ignore[misc]


def test_the_units_run_the_parts_of_scripts_serve() -> None:
    """The units run `scripts/serve prepare`, `web` and `worker`: what `scripts/serve` itself runs
    (prepare, then web and each worker as `scripts/serve web|worker`; the live test below sees them)."""
    serve = f"{INSTALL_DIR}/scripts/serve"
    assert unit_commands("interculture-web.service") == [
        ("ExecStartPre", f"{serve} prepare"),
        ("ExecStart", f"{serve} web"),
    ]
    assert unit_commands("interculture-worker@.service") == [("ExecStart", f"{serve} worker")]
    script = SERVE.read_text()
    assert '"$SELF" web &' in script and '"$SELF" worker &' in script


@pytest.mark.skipif(
    shutil.which("systemd-analyze") is None, reason="systemd-analyze not installed (apt: systemd)"
)
def test_the_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    # This checkout stands in for /opt/interculture, so that verify finds the commands.
    for unit in UNITS.glob("*.service"):
        (tmp_path / unit.name).write_text(unit.read_text().replace(INSTALL_DIR, str(ROOT)))
    shutil.copy(tmp_path / "interculture-worker@.service", tmp_path / "interculture-worker@1.service")
    for name in ("interculture-web.service", "interculture-worker@1.service"):
        done = subprocess.run(
            ["systemd-analyze", "verify", "--man=no", str(tmp_path / name)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        # Unknown keys or bad values are only warnings (exit 0), so the output must be empty too.
        assert done.returncode == 0 and done.stdout + done.stderr == "", done.stdout + done.stderr


# --- the live stack ------------------------------------------------------------------------------


def children_of() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        tree.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    return tree


def descendants(pid: int) -> list[int]:
    tree, found, todo = children_of(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


OPEN_ROUND = f"""
from django.contrib.auth.models import User
from interculture.accounts.models import Role
from interculture.accounts.services import add_member
from interculture.assessments import services
from interculture.assessments.models import City, QuestionnaireVersion
# The signed-in user of the journey coordinates the city: only a coordinator opens a round and
# answers every area.
user = User.objects.get(username={SECRETARIAT[0]!r})
city = City.objects.get(slug="hameenlinna")
add_member(user, city, Role.COORDINATOR, "Integration services")
services.open_round(city, 2025, version=QuestionnaireVersion.objects.get(version="icc-2019"), user=user)
print("true")
"""


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes], Path]]:
    if not os.environ.get("DATABASE_URL"):
        pytest.skip("scripts/serve needs PostgreSQL: set DATABASE_URL (scripts/test's second pass does)")
    installation = live_server.installation(tmp_path, "interculture_serve_stack")
    live_server.manage(installation, "load_demo")
    live_server.manage(
        {**installation, "DJANGO_SUPERUSER_PASSWORD": SECRETARIAT[1]},
        *(
            "createsuperuser",
            "--no-input",
            "--username",
            SECRETARIAT[0],
            "--email",
            "secretariat@example.org",
        ),
    )
    live_server.shell_json(installation, OPEN_ROUND)  # a draft, where the journey saves an answer
    port = live_server._free_port()
    env = serve_env(
        DATABASE_URL=installation["DATABASE_URL"],
        INTERCULTURE_DATA_DIR=str(tmp_path),
        INTERCULTURE_SECRET_KEY="serve-test-only",
        INTERCULTURE_BIND=f"127.0.0.1:{port}",
        INTERCULTURE_WEB_PROCESSES="2",
        INTERCULTURE_WEB_THREADS="2",
        INTERCULTURE_JOB_WORKERS="2",
        PYTHONUNBUFFERED="1",
    )
    log = tmp_path / "serve.log"
    with log.open("w") as out:
        proc = subprocess.Popen([SERVE], env=env, stdout=out, stderr=out, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300  # setup, migrate, collectstatic, then five processes start
    while True:
        try:
            if get(url + "/healthz")[0] == 200:
                break
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"scripts/serve did not become healthy:\n{log.read_text()[-4000:]}")
        time.sleep(0.5)
    try:
        yield url, proc, log
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.mark.live_db
def test_scripts_serve_runs_the_production_stack(stack: tuple[str, subprocess.Popen[bytes], Path]) -> None:
    url, proc, log = stack

    status, headers, body = get(url + "/healthz", **{"X-Request-ID": "serve-test-1"})
    health = json.loads(body)
    assert status == 200 and health["status"] == "ok", health
    assert health["checks"]["worker"]["state"] == "fresh"
    assert health["checks"]["migrations"] == {"ok": True, "unapplied": 0}
    assert "serve-test" not in json.dumps(health["checks"])  # nothing but the checks' states

    # The parts: one gunicorn with its 2 processes, 2 job workers (each `scripts/serve web|worker`).
    children = [cmdline(pid) for pid in descendants(proc.pid)]
    masters = [c for c in children if "gunicorn interculture.wsgi:application" in c]
    assert len(masters) == 3, children  # the master and its two processes share the command line
    assert sum(c.rstrip().endswith("interculture worker") for c in children) == 2, children

    status, headers, home = get(url + "/")
    assert status == 200 and b"Traceback" not in home
    css = re.search(rb"/static/[\w/.-]+\.[0-9a-f]{12}\.css", home)
    assert css, "the page links a hashed stylesheet"
    status, headers, _ = get(url + css.group().decode(), **{"Accept-Encoding": "br, gzip"})
    assert status == 200
    assert headers["Content-Encoding"] in ("br", "gzip")
    assert "max-age=315360000" in headers["Cache-Control"] and "immutable" in headers["Cache-Control"]
    status, _, _ = get(url + "/static/interculture/no-such-file.css")
    assert status == 404

    status, headers, body = get(url + "/api/cities/hameenlinna/rounds")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert any(r["year"] == 2023 for r in json.loads(body))
    status, _, body = get(url + "/api/no-such-operation")
    assert status == 404 and json.loads(body)["detail"]

    browser_journey(url)

    # One JSON line per request, with the request id given.
    records = [json.loads(line) for line in log.read_text().splitlines() if line.startswith('{"time"')]
    (mine,) = [r for r in records if r["request_id"] == "serve-test-1"]
    assert mine["method"] == "GET" and mine["path"] == "/healthz" and mine["status"] == 200
    assert mine["user_id"] is None and mine["duration_ms"] >= 0
    (area,) = [r for r in records if r["path"] == "/workspace/hameenlinna/2023/areas/education/"]
    assert area["status"] == 200 and area["user_id"] is not None

    every = descendants(proc.pid)
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=120) == 0
    assert [pid for pid in every if alive(pid)] == []
    assert "Traceback" not in log.read_text()


def browser_journey(url: str) -> None:
    """Home page, a city's results, a practice search, a workspace area, an answer saved: styled,
    scripted, accessible, with INTERCULTURE_DEBUG=0 and every static file served by WhiteNoise."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, sign_in
    from tests.browser.test_accessibility import WCAG_21_AA

    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: scripts/test installs Debian's chromium package")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        responses: list[tuple[str, int]] = []
        page.on("response", lambda r: responses.append((r.url, r.status)))

        for path in ("/", "/cities/hameenlinna/"):
            response = page.goto(url + path)
            assert response is not None and response.status == 200
            results = Axe().run(page, options=WCAG_21_AA)
            assert results.violations_count == 0, results.generate_report()
        page.locator("a[href='/practices/']").first.click()
        page.fill("#q", "museum")
        page.click("form.search-form button[type=submit]")
        page.wait_for_load_state()
        assert "q=museum" in page.url
        assert page.locator("ol.hits li").count() > 0
        results = Axe().run(page, options=WCAG_21_AA)
        assert results.violations_count == 0, results.generate_report()
        assert page.evaluate("[...document.styleSheets].some(s => s.cssRules.length > 0)"), "the CSS applies"
        # Signed in, an area of the workspace: its scripts (htmx, autosave) run.
        sign_in(page, url)
        response = page.goto(url + "/workspace/hameenlinna/2023/areas/education/")
        assert response is not None and response.status == 200
        assert page.evaluate("typeof htmx") == "object"
        # An answer saved in a draft round (autosave), and there after a reload.
        page.goto(url + "/workspace/hameenlinna/2025/areas/education/")
        choice = page.locator(f'[id="q-{SAVED_QUESTION}"] input[value=none]')
        with page.expect_response(lambda r: "/answers/" in r.url and r.request.method == "POST") as saved:
            choice.check()
        assert saved.value.status == 200
        page.reload()
        assert page.locator(f'[id="q-{SAVED_QUESTION}"] input[value=none]').is_checked()
        browser.close()
    static = [r for r in responses if "/static/" in r[0]]
    assert any(u.endswith(".css") for u, _ in static) and any(u.endswith(".js") for u, _ in static), static
    assert all(status in (200, 304) for _, status in static), static
    assert [r for r in responses if r[1] >= 400] == []
