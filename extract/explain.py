"""`extract explain`: the claims of one text as a readable table."""
from __future__ import annotations

from extract.write.cells import format_value

SHOW = ["value_text", "value", "unit", "family", "metric", "kind", "direction", "qualifier",
        "model", "benchmark", "baseline", "method", "rule"]


def explain(text: str, rules_dir: str | None = None) -> str:
    """The table extract_claims(text)[SHOW] prints with pandas (to_string, no index), made without
    importing pandas: its import is most of a one-sentence command's start-up time."""
    from extract import extract_records

    claims, _ = extract_records(text, rules_dir)
    if not claims:
        return "no claims"
    rows = [[_value(c.value) if k == "value" else _text(getattr(c, k)) for k in SHOW] for c in claims]
    return table(SHOW, rows)


def _value(v) -> str:
    return "" if v is None else format_value(float(v))


def _text(v) -> str:
    return "" if v is None else str(v)


_ESCAPES = str.maketrans({"\t": "\\t", "\n": "\\n", "\r": "\\r"})


def table(header: list[str], rows: list[list[str]]) -> str:
    """Text cells as pandas' DataFrame.to_string(index=False) lays them out: each column as wide as its
    widest cell or name, everything right-aligned, one space between columns, tabs and line ends escaped."""
    cols = [[h, *(r[i].translate(_ESCAPES) for r in rows)] for i, h in enumerate(header)]
    widths = [max(map(len, col)) for col in cols]
    return "\n".join(" ".join(col[j].rjust(w) for col, w in zip(cols, widths)) for j in range(len(rows) + 1))
