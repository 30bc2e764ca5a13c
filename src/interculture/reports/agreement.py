"""How far a generated report agrees with a hand-written reference report, item by item.

The reference (data/reports/reference/*.yaml, extracted from seed 002 with provenance) lists
the figures it prints, the other cities' examples by area, the items of its ✓/✗ table and its
recommendation sentences. The report is never built from it: this module only reads both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.template.defaultfilters import floatformat

from interculture.engine import content
from interculture.reports.builder import Report
from interculture.reports.sections.common import Line


@dataclass
class Item:
    kind: str  # figures, examples, conclusions, recommendations
    area: str
    what: str
    expected: str
    found: str
    agrees: bool
    source: str = ""


@dataclass
class Agreement:
    items: list[Item] = field(default_factory=list)

    def counts(self) -> dict[str, tuple[int, int]]:
        out: dict[str, tuple[int, int]] = {}
        for kind in ("figures", "examples", "conclusions", "recommendations"):
            mine = [i for i in self.items if i.kind == kind]
            out[kind] = (sum(i.agrees for i in mine), len(mine))
        return out

    @property
    def complete(self) -> bool:
        return all(i.agrees for i in self.items)

    def table(self, only_disagreements: bool = False) -> str:
        """A plain-text table: every item (or the disagreements), then the counts."""
        rows = [i for i in self.items if not (only_disagreements and i.agrees)]
        widths = (15, 22, 34, 30)
        lines = [
            f"{'kind':<{widths[0]}} {'area':<{widths[1]}} {'item':<{widths[2]}} {'002':<{widths[3]}} report",
            "-" * 130,
        ]
        for i in rows:
            mark = "✓" if i.agrees else "✗"
            lines.append(
                f"{i.kind:<{widths[0]}} {i.area[: widths[1]]:<{widths[1]}} {i.what[: widths[2]]:<{widths[2]}} "
                f"{i.expected[: widths[3]]:<{widths[3]}} {mark} {i.found[:60]}"
            )
        lines.append("-" * 130)
        for kind, (ok, total) in self.counts().items():
            lines.append(f"{kind:<16} {ok:>3} of {total:<3} agree")
        return "\n".join(lines)


@cache
def load_reference(name: str = "icc-002-hameenlinna") -> dict[str, Any]:
    return dict(content.read_content_data(f"reports/reference/{name}.yaml", content.ReportReference))


def _has(line: Line, keywords: list[str]) -> bool:
    text = f"{line.text} {line.comment}".lower()
    return all(k.lower() in text for k in keywords)


def compare(report: Report, reference: dict[str, Any] | None = None) -> Agreement:
    ref = reference or load_reference()
    result = Agreement()
    areas = {s.id.split(":", 1)[1]: s.context for s in report.sections if s.kind == "area"}
    recs = next(s for s in report.sections if s.id == "recommendations").context["areas"]
    recs_by_area = {r["id"]: r["lines"] for r in recs}
    for fig in ref["figures"]:
        value = report.numbers.get(fig["key"])
        shown = "—" if value is None else str(floatformat(value, 0))
        result.items.append(
            Item(
                "figures", "", fig["key"], str(fig["value"]), shown, shown == str(fig["value"]), fig["source"]
            )
        )
    for area, examples in ref["examples"].items():
        listed = [p["id"] for p in areas.get(area, {}).get("practices", [])]
        for n, ex in enumerate(examples):
            at = listed.index(ex["practice"]) if ex["practice"] in listed else None
            found = "absent" if at is None else f"#{at + 1} of {len(listed)}"
            # In the area where 002 gives it, among 002's own examples (first).
            ok = at is not None and at < len(examples)
            result.items.append(Item("examples", area, ex["city"], f"#{n + 1}", found, ok))
    for c in ref["conclusions"]:
        column = areas.get(c["area"], {}).get(c["column"], [])
        hits = [
            line for line in column if line.question == c["question"] and _has(line, c.get("keywords", []))
        ]
        other = "does_not" if c["column"] == "does" else "does"
        misplaced = [
            line for line in areas.get(c["area"], {}).get(other, []) if line.question == c["question"]
        ]
        found = hits[0].text if hits else ("in the other column" if misplaced else "absent")
        mark = "✓" if c["column"] == "does" else "✗"
        result.items.append(
            Item("conclusions", c["area"], f"{mark} {c['question']}", c["text"], found, bool(hits))
        )
    for r in ref["recommendations"]:
        lines = recs_by_area.get(r["area"], [])
        hits = [
            line for line in lines if line.question == r["question"] and _has(line, r.get("keywords", []))
        ]
        found = hits[0].text if hits else "absent"
        result.items.append(Item("recommendations", r["area"], r["question"], r["text"], found, bool(hits)))
    return result
