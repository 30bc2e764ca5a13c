"""No English interface string reaches a Finnish or Swedish page.

Every page of the accessibility list (public and signed-in), plus the pathway, coordination and
workspace pages, is rendered in fi and sv through Django's test client as a person who may see
it. An interface string is a msgid of the catalogue whose translation differs from it; the test
fails when such an English msgid is a whole text node of the page. Text marked as another
language (`lang="en"`: user content and data shown untranslated) and code are not interface.
"""

from __future__ import annotations

import gettext
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.browser.test_accessibility import PAGES, SIGNED_IN_PAGES

pytestmark = pytest.mark.django_db

LOCALE = Path(__file__).parents[1] / "src" / "interculture" / "locale"
MORE_PAGES = {  # name: (who, path)
    "city-without-results": ("public", "/cities/kuopio/"),
    "not-found": ("public", "/no/such/page/"),
    "workspace-coordinator": ("coordinator", "/workspace/hameenlinna/"),
    "workspace-round-draft": ("coordinator", "/workspace/hameenlinna/2025/"),
    "workspace-area-draft": ("coordinator", "/workspace/hameenlinna/2025/areas/education/"),
    "workspace-review-draft": ("secretariat", "/workspace/hameenlinna/2025/review/"),
    "pathway-coordinator": ("coordinator", "/pathway/hameenlinna/"),
    "coordination-coordinator": ("coordinator", "/coordination/"),
    "results-viewer": ("viewer", "/cities/hameenlinna/"),
}
# Pages whose own app still shows English in fi/sv: none now; an entry is a page name -> strings.
KNOWN_LEAKS: dict[str, set[str]] = {}
SKIPPED = {"script", "style", "code", "pre", "kbd", "samp", "svg"}


@cache
def interface_strings(language: str) -> frozenset[str]:
    """The English msgids of `language`'s catalogue that have a different translation. Strings
    that are only names or symbols (no space, short) would match data too, so they are left out
    unless they are at least two words or a capitalised word of 4+ letters."""
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as mo:
        catalogue: dict[Any, str] = gettext.GNUTranslations(mo)._catalog  # type: ignore[attr-defined]
    translations = {m.strip() for m in catalogue.values() if isinstance(m, str)}
    found = set()
    for msgid, msgstr in catalogue.items():
        text = msgid[0] if isinstance(msgid, tuple) else msgid
        if not isinstance(text, str) or not text or "%(" in text or "{" in text:
            continue
        if "\x04" in text:  # a context: "context\x04msgid"
            text = text.split("\x04", 1)[1]
        if msgstr.strip() == text.strip() or not any(c.isalpha() for c in text):
            continue
        if text.strip() in translations:  # also a word of the language ("Filter" in Swedish)
            continue
        if " " in text.strip() or (len(text) >= 4 and text[0].isupper()):
            found.add(text.strip())
    return frozenset(found)


class TextNodes(HTMLParser):
    """The page's text nodes, without those inside code, scripts or another language."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, inside something that is not interface)
        self.texts: list[str] = []

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        lang = dict(attrs).get("lang")
        outside = bool(self.stack and self.stack[-1][1])
        other_language = lang is not None and not lang.startswith(self.language)
        self.stack.append((tag, outside or other_language or tag in SKIPPED))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1][1]) and data.strip():
            self.texts.append(" ".join(data.split()))


def english_on(html: str, language: str) -> set[str]:
    parser = TextNodes(language)
    parser.feed(html)
    strings = interface_strings(language)
    return {t for t in parser.texts if t in strings or t.rstrip(":") in strings}


def _signed_in(team: dict[str, Any], who: str, language: str) -> Client:
    client = Client()
    client.force_login(team[who])
    client.cookies["django_language"] = language
    return client


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_no_english_interface_string_on_a_finnish_or_swedish_page(
    team: dict[str, Any], draft_round: Any, language: str
) -> None:
    public = Client()
    public.cookies["django_language"] = language
    clients = {"public": public} | {
        who: _signed_in(team, who, language) for who in ("secretariat", "coordinator", "viewer")
    }
    pages = [(public, name, path) for name, path in PAGES.items()]
    pages += [(clients["secretariat"], name, path) for name, path in SIGNED_IN_PAGES.items()]
    pages += [(clients[who], name, path) for name, (who, path) in MORE_PAGES.items()]
    leaks = {}
    for client, name, path in pages:
        response = client.get(path)
        assert response.status_code in (200, 404), (name, response.status_code)
        assert response["Content-Language"] == language, name
        found = english_on(response.content.decode(), language) - KNOWN_LEAKS.get(name, set())
        if found:
            leaks[name] = sorted(found)
    assert not leaks, leaks


def test_the_check_finds_an_english_string() -> None:
    html = '<main><h1>Page not found</h1><p lang="en">Page not found</p><code>Menu</code></main>'
    assert english_on(html, "fi") == {"Page not found"}
