"""The interface translations: complete, and the committed .mo files built from the .po files."""

import subprocess
from pathlib import Path

import pytest

LOCALE = Path(__file__).parents[1] / "src" / "interculture" / "locale"


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_catalogue_is_complete_and_compiled(language: str, tmp_path: Path) -> None:
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    built = tmp_path / "django.mo"
    stats = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(built), str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, stats
    committed = po.with_suffix(".mo").read_bytes()
    assert committed == built.read_bytes(), (
        f"run: interculture compilemessages ({language}.mo is out of date)"
    )
