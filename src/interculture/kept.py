"""Values derived from published content, kept in the shared cache by a fingerprint of their inputs.

The caller passes a fingerprint that changes whenever an input changes (counts and sums of row
versions, latest change times); the code and bundled data of this installation are part of every
key, so an upgrade computes everything anew. A value is kept in the process too (a page may ask
for it several times) and in Django's cache, shared by every process and machine (the database
by default). Only published content goes through here: never a draft, which only some may see.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.cache import cache

KEEP_SECONDS = 7 * 24 * 3600
_PACKAGE = Path(__file__).resolve().parent
_CODE = hashlib.sha256(
    b"".join(
        p.read_bytes()
        for p in sorted([*_PACKAGE.rglob("*.py"), *_PACKAGE.joinpath("data").rglob("*.yaml")])
        if "migrations" not in p.parts
    )
).hexdigest()[:16]
_here: dict[str, Any] = {}


def kept[T](name: str, fingerprint: object, compute: Callable[[], T]) -> T:
    """`compute()`, or the value it gave for the same `name` and `fingerprint` before."""
    named = json.dumps([name, _CODE, fingerprint], sort_keys=True, default=str)
    key = f"kept:{name}:" + hashlib.sha256(named.encode()).hexdigest()
    if key in _here:
        return _here[key]  # type: ignore[no-any-return]
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, timeout=KEEP_SECONDS)
    if len(_here) > 256:
        _here.clear()
    _here[key] = value
    return value  # type: ignore[no-any-return]
