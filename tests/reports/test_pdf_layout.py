"""The PDF as a publication: cover with the headline index, contents with page numbers, links
absolute to INTERCULTURE_BASE_URL, charts as wide as the text, no forced break before each area."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from interculture.assessments import selectors
from interculture.reports import services
from interculture.reports.builder import build_report

pytestmark = pytest.mark.django_db


def test_cover_contents_and_links(settings) -> None:  # type: ignore[no-untyped-def]
    settings.INTERCULTURE_BASE_URL = "https://interculture.example.org/"
    round_ = selectors.get_round(selectors.OPERATOR, "hameenlinna", 2023)
    report = build_report(round_, "en", base_url=services.base_url())
    pdf = pypdf.PdfReader(
        io.BytesIO(services.render_pdf(services.render_html(report, for_print=True), services.base_url()))
    )
    cover = pdf.pages[0].extract_text()
    assert "Hämeenlinna" in cover and "2023" in cover and "51" in cover
    contents = pdf.pages[1].extract_text()
    numbers = [int(n) for n in re.findall(r"(\d+)\s*$", contents, re.M)]
    assert len(numbers) >= len(report.sections) - 1 and numbers == sorted(numbers)
    uris = {
        a.get_object()["/A"]["/URI"]
        for page in pdf.pages
        for a in page.get("/Annots") or []
        if "/URI" in (a.get_object().get("/A") or {})
    }
    assert uris and all(u.startswith("https://interculture.example.org/") for u in uris)
    css = services._css()
    assert "page-break-before: always" not in css and "target-counter" in css
    assert "figure.chart svg { width: 100%" in css
