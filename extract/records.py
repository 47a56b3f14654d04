"""The claim record and the column contract of claims.csv."""
from __future__ import annotations

from dataclasses import dataclass, field, fields

# The contract's leading columns, in order (../shared/spec/claims.md and issue 2).
COLUMNS = [
    "paper_id", "title", "family", "metric", "kind", "direction", "value", "unit",
    "qualifier", "value_text", "model", "benchmark", "baseline", "method",
    "evidence", "start", "end", "rule", "valid", "issues",
]
# Columns after the contract's.
EXTRA_COLUMNS = ["model_canonical", "benchmark_canonical"]
ALL_COLUMNS = COLUMNS + EXTRA_COLUMNS

FAMILIES = ("score", "perplexity", "speedup", "memory", "parameters", "compute", "data")
KINDS = ("absolute", "delta", "ratio")
DIRECTIONS = ("", "up", "down")
QUALIFIERS = ("exact", "up_to", "at_least", "at_most", "approx", "range", "average")
UNITS = ("", "%", "points", "x", "params", "tokens", "examples", "GPU-hours", "hours",
         "USD", "FLOPs", "GB", "MB", "ms", "s", "tokens/s")


@dataclass(frozen=True, slots=True)
class Claim:
    """One reported number with its context; ``abstract[start:end] == value_text``."""

    paper_id: str
    title: str
    family: str
    metric: str
    kind: str
    direction: str
    value: float
    unit: str
    qualifier: str
    value_text: str
    model: str = ""
    benchmark: str = ""
    baseline: str = ""
    method: str = ""
    evidence: str = ""
    start: int = 0
    end: int = 0
    rule: str = ""
    valid: bool = True
    issues: str = ""
    model_canonical: str = ""
    benchmark_canonical: str = ""

    def as_row(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(slots=True)
class Paper:
    """One input paper. ``line`` is its 1-based line in the corpus file (0 when built in memory)."""

    id: str
    title: str
    abstract: str
    line: int = 0
    extra: dict = field(default_factory=dict)
