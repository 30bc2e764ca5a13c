"""The platform's source documents, cited by their titles (data/reference/sources.yaml).

The data files cite a source document by its number ("002, METHODOLOGY"); a reader sees its
title instead: `cite("002, METHODOLOGY")` is "Hämeenlinna: Intercultural Cities Index Analysis
2024, METHODOLOGY". Pages use the `cite` template filter (a builtin, see settings.TEMPLATES),
the report builder calls `cite` itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from django import template

from interculture.engine import content

# A document number where a source names one: "002, …", "(001, Appendix A)", "seed 000:",
# "beyond 002". Not inside a number ("8,000", "8 000", "1.002") nor a longer word.
_NUMBER = re.compile(r"(?<![\w.,])(?<!\d\s)(?:[Ss]eeds?\s+)?(00[0-4])(?![\w])(?!,\d)")


@dataclass(frozen=True)
class Document:
    number: str
    title: str
    publisher: str
    year: int
    provenance: str


@cache
def documents() -> dict[str, Document]:
    return {
        str(number): Document(number=str(number), **entry)
        for number, entry in dict(content.read_content_data("reference/sources.yaml", content.Sources))[
            "documents"
        ].items()
    }


def cite(source: object) -> str:
    """`source` with every document number replaced by the document's title."""
    if source is None:
        return ""
    known = documents()
    return _NUMBER.sub(lambda m: known[m.group(1)].title if m.group(1) in known else m.group(0), str(source))


register = template.Library()
register.filter("cite", cite)
