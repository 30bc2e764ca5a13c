"""002's "The city through an intercultural lens"."""

from __future__ import annotations

from interculture.reports.sections.common import (
    ReportContext,
    format_line,
    localized_line,
    percent,
)
from interculture.sources import cite


def add_lens(ctx: ReportContext) -> None:
    """002's "The city through an intercultural lens": the lens beside the model city's."""
    w, language, score = ctx.wording, ctx.language, ctx.score
    L = w.sections.lens
    sample = ctx.numbers["sample:lens"]
    source = ""
    lens = ctx.published.get("lens")
    if lens and lens.sample_rate is not None and L.published_source:
        source = L.published_source.get(language).format(source=cite(lens.source))
    body = localized_line(L.body, language)
    sentence = None
    if score.lens is not None and sample is not None:
        sentence = format_line(
            L.sentence or L.title,
            language,
            city=ctx.name,
            comparison=w.compare(round(score.lens), round(sample), language),
            rate=percent(score.lens),
            sample=percent(sample),
            source=source,
        )
    ctx.add(
        "lens",
        "lens",
        L.title.get(language),
        {"body": body, "sentence": sentence, "rate": score.lens, "sample": sample},
        {"lens": score.lens, "sample": sample},
        "\n\n".join(x.text for x in (body, sentence) if x),
    )
