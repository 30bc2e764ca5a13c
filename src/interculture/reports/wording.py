"""The report's wording (data/reports/*.yaml): section texts, comparative words and thresholds."""

from __future__ import annotations

from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict

from interculture.engine.loader import read_yaml
from interculture.engine.schema import Provenance, Text


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Threshold(_Strict):
    key: str
    min_gap: float


class Degrees(_Strict):
    considerably: Text
    slightly: Text
    marginally: Text


class Words(_Strict):
    higher: Degrees
    lower: Degrees
    equal: Text


class Comparison(_Strict):
    thresholds: list[Threshold]
    equal_below: float
    evidence: list[dict[str, object]]
    doubts: list[str] = []
    words: Words
    sentence: Text
    band_sentence: Text


class Titled(_Strict):
    title: Text
    body: Text | None = None
    subtitle: Text | None = None
    intro: Text | None = None
    met: Text | None = None
    not_met: Text | None = None
    gain: Text | None = None
    sentence: Text | None = None
    sources: Text | None = None
    # methodology
    weights_equal: Text | None = None
    weights_set: Text | None = None
    extended_sentence: Text | None = None
    headline: Text | None = None
    headline_table: Text | None = None
    synthetic_columns: Text | None = None
    synthetic_marker: Text | None = None
    # lens
    published_source: Text | None = None
    # recommendations
    beyond: Text | None = None
    full_score: Text | None = None


class AreaWording(_Strict):
    rate_title: Text
    charts_caption: Text
    does: Text
    does_not: Text
    evidence: Text
    comment: Text
    suggestions: Text
    suggestions_intro: Text
    footnote_extended: Text
    band_synthetic: Text
    footnote_derived: Text
    full_score: Text
    suggestions_met: Text
    example_reference: Text
    example_platform: Text
    city_sources: Text


class Sections(_Strict):
    cover: Titled
    contents: Titled
    introduction: Titled
    definition: Titled
    methodology: Titled
    city_overview: Titled
    lens: Titled
    area: AreaWording
    conclusions: Titled
    recommendations: Titled
    improvement_path: Titled
    fallback_note: Text
    draft_translation: Text


class Wording(_Strict):
    version: str
    provenance: Provenance
    comparison: Comparison
    sections: Sections

    def compare(self, rate: float, sample: float, language: str) -> str:
        """ "considerably higher than", "marginally lower than", "the same as"…"""
        gap = rate - sample
        if abs(gap) < self.comparison.equal_below:
            return self.comparison.words.equal.get(language)
        side = self.comparison.words.higher if gap > 0 else self.comparison.words.lower
        for t in sorted(self.comparison.thresholds, key=lambda t: -t.min_gap):
            if abs(gap) >= t.min_gap:
                return getattr(side, t.key).get(language)
        return side.marginally.get(language)


@cache
def load_wording(name: str = "icc-report") -> Wording:
    text = (
        resources.files("interculture.data").joinpath("reports", f"{name}.yaml").read_text(encoding="utf-8")
    )
    return Wording.model_validate(read_yaml(text))
