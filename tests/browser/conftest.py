"""Browser tests: the real app in its own server process, driven by Debian's headless Chromium.

The server runs on its own SQLite file loaded with the demo data, so browser tests never
touch the test database of the other tests (and run only in the SQLite pass).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = os.environ.get("INTERCULTURE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).parents[2] / "screenshots"
CLI = Path(sys.executable).with_name("interculture")
SECRETARIAT = ("secretariat", "browser-test-password-1")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data_dir = tmp_path_factory.mktemp("server")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env["INTERCULTURE_DATA_DIR"] = str(data_dir)
    subprocess.run([CLI, "migrate", "--no-input", "-v0"], env=env, check=True)
    subprocess.run([CLI, "load_demo"], env=env, check=True, capture_output=True)
    subprocess.run(
        [
            CLI,
            "createsuperuser",
            "--no-input",
            "--username",
            SECRETARIAT[0],
            "--email",
            "secretariat@example.org",
        ],
        env={**env, "DJANGO_SUPERUSER_PASSWORD": SECRETARIAT[1]},
        check=True,
        capture_output=True,
    )
    port = _free_port()
    log = (data_dir / "server.log").open("w")
    proc = subprocess.Popen(
        [CLI, "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"], env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/", timeout=2)
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"server did not start; see {data_dir / 'server.log'}") from None
            time.sleep(0.2)
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: scripts/test installs Debian's chromium package")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    yield pg
    context.close()


def sign_in(page: Page, server: str, user: tuple[str, str] = SECRETARIAT) -> None:
    page.goto(server + "/accounts/login/")
    page.fill("#id_username", user[0])
    page.fill("#id_password", user[1])
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
