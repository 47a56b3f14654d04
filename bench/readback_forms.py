"""Which forms of value_text quantulum3 reads right: the measurement behind the readback gate.

    .venv/bin/python bench/readback_forms.py OUT/claims.csv [MORE/claims.csv ...] [--cases DIR]

Reads every distinct value_text of the claims tables (with the value and unit each row gives it)
and, with --cases, the bare-number surfaces of quantulum3's own test cases (quantities*.jsonl,
spellout.jsonl, with their expected values). Each text is put in the gate form that takes it
(validation/readback.yaml), or, when none does, in a descriptive class; quantulum3 reads every one
(gate or not), and a reading is right when it is one number spanning the whole text that agrees
with the value as the check compares them. A form belongs in the gate when it has no wrong reading.
Prints a Markdown table per form, and the wrong readings.
"""
from __future__ import annotations

import argparse
import json
import re
from collections import defaultdict
from pathlib import Path

import numpy as np
import pandas as pd

from extract.check import readback
from extract.table import read_claims_csv

# What the texts the gate does not send look like (for the table only).
OTHER = [
    ("ML magnitude (7B, 100M, 16K, 1.3T)", r"[+\-]?\d[\d,.]*\s?[KkMmBbTt]\b.*"),
    ("percentage points (pp, pts)", r".*\d\s?(?:pp|pts?|points?)\b.*"),
    ("fold", r".*fold\b.*"),
    ("fraction / multiple word (half, twice, doubles)", r"(?i).*\b(?:half|halve[sd]?|quarter|third|twice|double[sd]?|triple[sd]?)\b.*"),
    ("scientific / power of ten", r".*(?:\d[eE][+\-]?\d|\^|10\{).*"),
    ("with a unit word", r".*\d.*[A-Za-z]{2,}.*"),
]


def classify(text: str) -> str:
    f = readback.form(text)
    if f is not None:
        return f
    t = readback.plain(text)
    return next((name for name, p in OTHER if re.fullmatch(p, t)), "other")


def quantulum_value(text: str) -> float | None:
    """What quantulum3 reads, gate or not: one number spanning the whole (plain) text, else None."""
    t = readback.plain(text)
    try:
        found = readback.quantities(t)
    except Exception:  # noqa: BLE001
        return None
    return float(found[0].value) if len(found) == 1 and found[0].surface.strip() == t else None


def texts_from(paths, cases: Path | None) -> dict[str, set]:
    """{text: {(value, unit), ...}} from claims tables and quantulum3's cases."""
    out: dict[str, set] = defaultdict(set)
    for p in paths:
        df = read_claims_csv(p)
        for t, v, u in df[["value_text", "value", "unit"]].itertuples(index=False):
            out[t].add((float(v), u))
    if cases:
        for name in ("quantities.jsonl", "quantities_ambiguity.jsonl"):
            for line in (cases / name).read_text(encoding="utf-8").splitlines():
                for q in json.loads(line)["expected"]:
                    out[q["surface"]].add((float(q["value"]), ""))
        for line in (cases / "spellout.jsonl").read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            if len(d["expected_values"]) == 1:
                out[d["text"]].add((float(d["expected_values"][0]), ""))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("claims", nargs="+")
    ap.add_argument("--cases", type=Path, help="quantulum3's test cases (../shared/eval/quantulum3)")
    args = ap.parse_args()
    texts = texts_from(args.claims, args.cases)
    tally: dict[str, list] = defaultdict(lambda: [0, 0, 0, []])  # right, wrong, unread, wrong examples
    for t, values in texts.items():
        cls = classify(t)
        read = quantulum_value(t)
        row = tally[cls]
        if read is None:
            row[2] += 1
            continue
        vals = [v for v, _ in values]
        units = [u for _, u in values]
        bad = readback.disagreeing(pd.Series([t] * len(vals)), pd.Series(vals), pd.Series(units)) \
            if readback.form(t) else np.array([not np.isclose(abs(read), abs(v), rtol=1e-9, atol=0) for v in vals])
        if bad.any():
            row[1] += 1
            row[3].append(f"{t!r} read {read:g}, value {sorted(set(vals))[0]:g}")
        else:
            row[0] += 1
    gate = list(readback.gate().forms)
    print("| form | sent | texts | read right | read wrong | not read as one number |")
    print("|---|---|---:|---:|---:|---:|")
    for cls in gate + [n for n, _ in OTHER] + ["other"]:
        if cls in tally:
            r, w, u, _ = tally[cls]
            print(f"| {cls} | {'yes' if cls in gate else 'no'} | {r + w + u} | {r} | {w} | {u} |")
    for cls, (_, _, _, examples) in tally.items():
        for e in examples[:8]:
            print(f"- {cls}: {e}")


if __name__ == "__main__":
    main()
