"""`interculture backup` and `interculture restore` through the CLI, each on its own database:
the demo with a published report and an uploaded document, backed up, restored into a fresh
empty installation, gives back the same report PDFs, documents and search rankings. A file
that is not a backup changes nothing. SQLite, and PostgreSQL with DATABASE_URL."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests import live_server

pytestmark = pytest.mark.live_db

QUERIES = ("language course for mothers", "kielikurssi äideille", "anti-rumour", "festival")
PUBLISH = """
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from interculture.assessments.models import AssessmentRound, City
from interculture.pathway.models import Step, StepDocument
from interculture.reports.services import request_publication
admin = User.objects.create_superuser("backup-admin", "a@example.org", "pw-backup-123456")
round_ = AssessmentRound.objects.get(city__slug="hameenlinna", year=2023)
request_publication(round_, "en", admin)  # jobs run at once by default
step = Step.objects.create(city=round_.city, kind="working_group", date="2024-02-01", responsible=admin)
StepDocument.objects.create(step=step, title="decision.bin", uploaded_by=admin,
                            file=ContentFile(bytes(range(256)) * 40, name="decision.bin"))
"""
STATE = """
import hashlib, json
from django.conf import settings
from pathlib import Path
from interculture.pathway.models import StepDocument
from interculture.reports.models import ReportVersion
print(json.dumps({
    "pdfs": [[v.number, v.language, hashlib.sha256(bytes(v.pdf)).hexdigest()] for v in ReportVersion.objects.order_by("id")],
    "documents": [[d.file.name, hashlib.sha256((Path(settings.MEDIA_ROOT) / d.file.name).read_bytes()).hexdigest()]
                  for d in StepDocument.objects.order_by("id")],
}))
"""


def _state(env: dict[str, str]) -> dict[str, object]:
    state = live_server.shell_json(env, STATE)
    state["rankings"] = [
        [h["id"] for h in json.loads(live_server.manage(env, "practices", "search", q, "--json"))]
        for q in QUERIES
    ]
    return state


def _installation(tmp: Path, name: str) -> dict[str, str]:
    return live_server.installation(tmp / name, f"tabular_backup_{name}")


def test_backup_then_restore_into_a_fresh_installation(tmp_path: Path) -> None:
    source = _installation(tmp_path, "a")
    live_server.manage(source, "load_demo")
    live_server.manage(source, "shell", "-c", PUBLISH)
    before = _state(source)
    assert len(before["pdfs"]) == 1 and len(before["documents"]) == 1  # type: ignore[arg-type]
    assert all(before["rankings"])  # type: ignore[arg-type]
    archive = tmp_path / "backup.tar.gz"
    assert "1 document(s)" in live_server.manage(source, "backup", str(archive))

    target = _installation(tmp_path, "b")
    # Not a backup: one clear line, nothing changed.
    for bad in (tmp_path / "junk.tar.gz", tmp_path / "a" / "interculture.sqlite3", archive.with_name("none")):
        if bad.name == "junk.tar.gz":
            bad.write_bytes(b"not an archive")
        done = subprocess.run(
            [live_server.CLI, "restore", str(bad)], env=target, capture_output=True, text=True
        )
        assert done.returncode != 0
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "not an Interculture backup" in done.stderr or "no such file" in done.stderr
    assert json.loads(live_server.manage(target, "practices", "search", "festival", "--json")) == []

    out = live_server.manage(target, "restore", str(archive))
    assert "72 practice(s) indexed" in out
    assert _state(target) == before
