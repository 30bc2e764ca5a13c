"""The reader's language and localized texts: one place for what every views module needs."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import get_language


def current_language() -> str:
    """The language of the request being served ("en" outside a request)."""
    return get_language() or "en"


def pick(text: Mapping[str, object] | object, language: str | None = None) -> str:
    """A localized text in the language, else in English; a plain value as it is."""
    if isinstance(text, Mapping):
        return str(text.get(language or current_language()) or text["en"])
    return str(text)
