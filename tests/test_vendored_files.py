"""Every vendored front-end file is listed in vendor/PROVENANCE.md with the hash it has."""

import hashlib
import re
from pathlib import Path

VENDOR = Path(__file__).parents[1] / "src" / "interculture" / "static" / "interculture" / "vendor"


def test_every_vendored_script_and_style_is_listed_with_its_hash() -> None:
    listed = dict(
        re.findall(r"^\| `([^`]+)` \|.*\| `([0-9a-f]{64})` \|$", (VENDOR / "PROVENANCE.md").read_text(), re.M)
    )
    shipped = {str(f.relative_to(VENDOR)) for f in VENDOR.rglob("*") if f.suffix in (".js", ".css")}
    assert shipped == set(listed)
    for name, digest in listed.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
