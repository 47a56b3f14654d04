"""`extract explain`: the claims of one text as a readable table."""
from __future__ import annotations

from extract import extract_claims

SHOW = ["value_text", "value", "unit", "family", "metric", "kind", "direction", "qualifier",
        "model", "benchmark", "baseline", "method", "rule"]


def explain(text: str, rules_dir: str | None = None) -> str:
    df = extract_claims(text, rules_dir)
    if df.empty:
        return "no claims"
    from extract.write.writers import format_value

    df = df[SHOW].copy()
    df["value"] = df["value"].map(format_value)
    return df.to_string(index=False)
