"""The real app in its own server process, on its own database, for browser and concurrency tests.

SQLite by default (a file in a temporary folder); with `database_url`, a PostgreSQL database
that is created afresh. Nothing touches the test database of the other tests.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

CLI = Path(sys.executable).with_name("interculture")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fresh_postgres_database(database_url: str, name: str) -> str:
    """Drop and create database `name` on the server of `database_url`; its URL. Under
    pytest-xdist the name carries the worker's id: two workers may run tests of one module."""
    import psycopg

    name = f"{name}_{os.environ['PYTEST_XDIST_WORKER']}" if os.environ.get("PYTEST_XDIST_WORKER") else name

    parts = urlsplit(database_url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


def server_env(data_dir: Path, database_url: str | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["INTERCULTURE_DATA_DIR"] = str(data_dir)
    env["INTERCULTURE_DEBUG"] = "0"
    env["PYTHONUNBUFFERED"] = "1"  # the console mail backend writes invitations to the log
    env["INTERCULTURE_SECRET_KEY"] = "test-server-only"
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([CLI, *args], env=env, capture_output=True, text=True)
    if done.returncode:  # the command's own error, not just its exit status
        raise AssertionError(f"interculture {args[0]} exited {done.returncode}:\n{done.stderr[-3000:]}")
    return done.stdout


def installation(data_dir: Path, database_name: str, **settings: str) -> dict[str, str]:
    """The environment of an installation on its own migrated database: a SQLite file in
    `data_dir`, or, when DATABASE_URL names a PostgreSQL server, a fresh database there."""
    database_url = os.environ.get("DATABASE_URL")
    if database_url:
        database_url = fresh_postgres_database(database_url, database_name)
    env = {**server_env(data_dir, database_url), **settings}
    manage(env, "migrate", "--no-input", "-v0")
    return env


def shell_json(env: dict[str, str], code: str) -> Any:
    """Run Python in the installation (`interculture shell -c`); the JSON its last line prints."""
    return json.loads(manage(env, "shell", "-c", code).strip().splitlines()[-1])


_COLLECTED: list[Path] = []


def collect_static(env: dict[str, str]) -> None:
    """The static files WhiteNoise serves, hashed and compressed as in production: collected once
    per test run (compressing takes seconds), then shared by every server's data folder."""
    static_root = Path(env["INTERCULTURE_DATA_DIR"]) / "static"
    if static_root.exists():
        return
    if _COLLECTED and _COLLECTED[0].is_dir():
        static_root.symlink_to(_COLLECTED[0], target_is_directory=True)
        return
    manage(env, "collectstatic", "--no-input", "-v0")
    _COLLECTED[:] = [static_root]


@contextmanager
def running_server(env: dict[str, str], log: Path) -> Iterator[str]:
    port = _free_port()
    collect_static(env)
    with log.open("w") as out:
        proc = subprocess.Popen(
            [CLI, "runserver", f"127.0.0.1:{port}", "--noreload"], env=env, stdout=out, stderr=out
        )
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url + "/api/openapi.json", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    proc.kill()
                    raise RuntimeError(f"server did not start; see {log}") from None
                time.sleep(0.2)
        try:
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=10)
