"""Backup and restore of a whole installation: the database and the uploaded documents.

A backup is one tar archive (gzip-compressed) holding
- `manifest.json`: format, format version, database engine, date, software version;
- the database: `database.sqlite3` (SQLite's online backup API, consistent while the app runs)
  or `database.pgdump` (`pg_dump --format=custom`);
- `media/…`: every file under MEDIA_ROOT (pathway documents and other uploads).

A restore checks the whole archive before it changes anything, then replaces the database
(`pg_restore --clean --if-exists`, or the SQLite backup API into the live file) and the media
folder, and rebuilds the practice search index.
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Mapping
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import connections

from interculture.practices.search import rebuild_index

FORMAT = "interculture-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


class BackupError(Exception):
    """A one-line reason why a backup or restore cannot be done; nothing was changed."""


def _engine() -> str:
    vendor = connections["default"].vendor
    if vendor not in DUMPS:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def _pg_tool(name: str) -> str:
    """A PostgreSQL client program: on PATH, else the newest under /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(Path(p).parts[4]))
    if not candidates:
        raise BackupError(f"{name} is not installed (the PostgreSQL client programs are needed)")
    return candidates[-1]


def _pg_env() -> dict[str, str]:
    db: Mapping[str, object] = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _run(args: list[str]) -> None:
    done = subprocess.run(args, env=_pg_env(), capture_output=True, text=True)
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise BackupError(f"{Path(args[0]).name}: {last}")


def _version() -> str:
    try:
        return version("interculture")
    except PackageNotFoundError:
        return "unknown"


def backup(target: Path) -> dict[str, Any]:
    """Write a backup archive to `target`; its manifest."""
    engine = _engine()
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / DUMPS[engine]
        if engine == "sqlite":
            source = sqlite3.connect(settings.DATABASES["default"]["NAME"])
            copy = sqlite3.connect(dump)
            try:
                source.backup(copy)  # page by page, consistent, while others keep writing
            finally:
                copy.close()
                source.close()
        else:
            db = settings.DATABASES["default"]
            _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={dump}", db["NAME"]])
        files = sorted(p for p in media.rglob("*") if p.is_file()) if media.is_dir() else []
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "engine": engine,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "software_version": _version(),
            "database": dump.name,
            "media_files": len(files),
        }
        (Path(tmp) / MANIFEST).write_text(json.dumps(manifest, indent=2))
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(Path(tmp) / MANIFEST, MANIFEST)
            archive.add(dump, dump.name)
            for f in files:
                archive.add(f, "media/" + f.relative_to(media).as_posix())
        partial.replace(target)  # a failed backup leaves no half-written file under the name
    return manifest


def _safe_member(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts


def _open_checked(source: Path, tmp: Path) -> tuple[dict[str, Any], Path, Path]:
    """Unpack the archive into `tmp` after checking it is one of ours; (manifest, dump, media)."""
    if not source.is_file():
        raise BackupError(f"{source}: no such file")
    try:
        archive = tarfile.open(source, "r:*")  # noqa: SIM115 (closed by the with below)
    except (tarfile.TarError, OSError) as exc:
        raise BackupError(f"{source} is not an Interculture backup (not a tar archive)") from exc
    with archive:
        try:
            members = archive.getmembers()
            names = {m.name for m in members}
            if MANIFEST not in names:
                raise BackupError(f"{source} is not an Interculture backup (no {MANIFEST})")
            extracted = archive.extractfile(MANIFEST)
            manifest = json.loads(extracted.read()) if extracted else None
        except (tarfile.TarError, OSError, ValueError) as exc:
            raise BackupError(f"{source} is not an Interculture backup (damaged archive)") from exc
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupError(f"{source} is not an Interculture backup (unknown manifest)")
        if manifest.get("format_version") != FORMAT_VERSION:
            raise BackupError(
                f"{source}: backup format version {manifest.get('format_version')} is not supported"
            )
        engine = _engine()
        if manifest.get("engine") != engine:
            raise BackupError(
                f"{source} is a backup of a {manifest.get('engine')} database; this installation uses {engine}"
            )
        if manifest.get("database") != DUMPS[engine] or DUMPS[engine] not in names:
            raise BackupError(f"{source}: the database dump is missing")
        unsafe = [m.name for m in members if not _safe_member(m.name) or not (m.isfile() or m.isdir())]
        if unsafe or any(
            m.name not in (MANIFEST, DUMPS[engine]) and not m.name.startswith("media/") for m in members
        ):
            raise BackupError(f"{source}: unexpected entries in the archive")
        try:
            archive.extractall(tmp, filter="data")  # refuses links, devices and paths leaving tmp
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"{source}: damaged archive ({exc})") from exc
    dump = tmp / DUMPS[engine]
    if engine == "sqlite":
        try:
            check = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
            ok = check.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            check.close()
        except sqlite3.DatabaseError:
            ok = False
        if not ok:
            raise BackupError(f"{source}: the database in the archive is damaged")
    else:
        _run([_pg_tool("pg_restore"), "--list", str(dump)])  # a readable custom-format dump
    return manifest, dump, tmp / "media"


def restore(source: Path) -> dict[str, Any]:
    """Replace the database and the uploaded documents by the backup's; its manifest."""
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp_name:
        manifest, dump, media_copy = _open_checked(source, Path(tmp_name))
        connections.close_all()
        if manifest["engine"] == "sqlite":
            backup_db = sqlite3.connect(dump)
            live = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=60)
            try:
                backup_db.backup(live)  # replaces every page of the live database, under its lock
            finally:
                live.close()
                backup_db.close()
        else:
            db = settings.DATABASES["default"]
            _run(
                [
                    _pg_tool("pg_restore"),
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--exit-on-error",
                    f"--dbname={db['NAME']}",
                    str(dump),
                ]
            )
        # The documents: the backup's folder replaces the current one.
        media.parent.mkdir(parents=True, exist_ok=True)
        old = media.with_name(media.name + ".before-restore")
        if old.exists():
            shutil.rmtree(old)
        if media.exists():
            media.rename(old)
        if media_copy.is_dir():
            shutil.move(str(media_copy), media)
        else:
            media.mkdir()
        if old.exists():
            shutil.rmtree(old)
    manifest["indexed_practices"] = rebuild_index()
    return manifest
