"""How long validation takes on big claims tables (issue 4: a million rows in seconds, not minutes).

    .venv/bin/python bench/validate_bench.py            # 100k and 1M rows
    .venv/bin/python bench/validate_bench.py --rows 1000000 --gx --csv

Measures: the Great Expectations import (in a fresh interpreter), `validate.flag` (the vectorised
row flags the pipeline uses), optionally the GX suite run over the same table (--gx), and
`extract validate` on a CSV file (--csv: reading included). About 1% of the rows are planted
implausible; the script checks flag() finds exactly those.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

from extract.records import ALL_COLUMNS
from extract.table import typed

# (family, kind, direction, unit, low, high, metric): plausible claims to sample from
TEMPLATES = [
    ("score", "absolute", "", "%", 0, 100, "accuracy"),
    ("score", "delta", "up", "%", 0.1, 30, "accuracy"),
    ("score", "delta", "up", "points", 0.1, 20, "bleu"),
    ("perplexity", "absolute", "", "", 2, 60, "perplexity"),
    ("speedup", "ratio", "up", "x", 1.1, 20, "speedup"),
    ("memory", "delta", "down", "%", 5, 90, "memory"),
    ("parameters", "absolute", "", "params", 1e8, 1e12, "parameters"),
    ("compute", "absolute", "", "GPU-hours", 10, 1e6, "gpu hours"),
    ("data", "absolute", "", "tokens", 1e6, 1e13, "tokens"),
]


def make_table(n: int, bad_share: float = 0.01, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    """n claim rows, as extract.table.typed gives them; returns (table, mask of planted bad rows)."""
    rng = np.random.default_rng(seed)
    t = rng.integers(len(TEMPLATES), size=n)
    fam, kind, dirn, unit, lo, hi, metric = (np.array(col, dtype=object) for col in zip(*TEMPLATES))
    value = lo[t].astype(float) + rng.random(n) * (hi[t] - lo[t]).astype(float)
    bad = rng.random(n) < bad_share
    value[bad] += 1e17  # above every template's upper bound
    vt = [f"{v:.4g}" for v in value]
    value = np.array([float(x) for x in vt])  # the value the text says (value_reads_back reads it back)
    paper = np.char.add("p", (np.arange(n) // 5).astype(str))  # five claims a paper
    start = (np.arange(n) % 5) * 40 + 4
    df = pd.DataFrame({
        "paper_id": paper, "title": "A title", "family": fam[t], "metric": metric[t], "kind": kind[t],
        "direction": dirn[t], "value": value, "unit": unit[t], "qualifier": "exact", "value_text": vt,
        "model": "LLaMA-2-7B", "benchmark": "GSM8K", "baseline": "", "method": "",
        "evidence": [f"We report {x} on the task." for x in vt],
        "start": start, "end": start + np.fromiter(map(len, vt), dtype=np.int64, count=n),
        "rule": "bench", "valid": True, "issues": "",
    })
    return typed(df.reindex(columns=ALL_COLUMNS, fill_value="")), bad


def gx_import_seconds() -> float:
    code = "import time; t=time.perf_counter(); import extract.check.gxsuite; print(time.perf_counter()-t)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def timed(fn, *args):
    t = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--gx", action="store_true", help="also time the Great Expectations suite run")
    ap.add_argument("--csv", action="store_true", help="also time `extract validate` on a written claims.csv")
    args = ap.parse_args()

    from extract.check import validate

    print(f"GX import (fresh interpreter, incl. pandas): {gx_import_seconds():.2f} s")
    for n in args.rows:
        df, bad = make_table(n)
        (flagged, counts), secs = timed(validate.flag, df)
        assert ((~flagged["valid"]).to_numpy() == bad).all(), "flag() missed or invented planted rows"
        print(f"{n:>9,} rows: flag() {secs:.2f} s, {int(bad.sum()):,} planted bad rows found, "
              f"{len(counts)} expectations")
        if args.gx:
            from extract.check import gxsuite

            (result, _), secs = timed(gxsuite.run, flagged)
            agree = gxsuite.unexpected_counts(result, n) == counts
            print(f"{n:>9,} rows: GX suite run {secs:.2f} s (counts agree with flag(): {agree})")
        if args.csv:
            from extract.write.writers import write_csv

            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "claims.csv"
                write_csv(flagged, path)
                (_, ok), secs = timed(validate.check_file, path)
                read_secs = timed(validate.read_table, path)[1]
            print(f"{n:>9,} rows: `extract validate` {secs:.2f} s, of which reading the CSV {read_secs:.2f} s")


if __name__ == "__main__":
    main()
