"""Time and memory of writing leaderboard.xlsx for a claims table of N rows.

    python bench/workbook.py 200000            # the claims of the bundled corpus, repeated to N rows
    python bench/workbook.py 1200000 --sheet-rows 1048575

The table is the bundled corpus's claims (extract_claims) repeated with unique paper ids, so the mix
of families, text lengths and empty cells is the real one. Prints rows, wall and CPU seconds, the peak
RSS of this process (table included), the file size and the sheets written.
"""
from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def table(n: int):
    import pandas as pd

    from extract import extract_claims

    papers = [json.loads(x) for x in (ROOT / "data" / "papers.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    base = extract_claims(papers, rules_dir=str(ROOT / "rules"))  # the rules of this checkout
    reps = -(-n // max(len(base), 1))
    df = pd.concat([base] * reps, ignore_index=True).iloc[:n]
    df["paper_id"] = [f"{p}-{i // len(base)}" for i, p in enumerate(df["paper_id"])]
    return df.reset_index(drop=True)


def main() -> None:
    from extract.write import leaderboard
    from extract.write.xlsx import SHEET_ROWS

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("rows", type=int)
    ap.add_argument("--sheet-rows", type=int, default=SHEET_ROWS)
    ap.add_argument("--max-rows", type=int, default=leaderboard.MAX_TABLE_ROWS)
    args = ap.parse_args()
    df = table(args.rows)
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "leaderboard.xlsx"
        w, c = time.perf_counter(), time.process_time()
        notes = leaderboard.write_workbook(df, {"claims": len(df)}, path, sheet_rows=args.sheet_rows,
                                           max_rows=args.max_rows)
        wall, cpu = time.perf_counter() - w, time.process_time() - c
        size = path.stat().st_size
        from openpyxl import load_workbook

        sheets = load_workbook(path, read_only=True).sheetnames
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"rows {len(df):,}  wall {wall:.1f} s  cpu {cpu:.1f} s  peak RSS {rss:.0f} MB  file {size / 1e6:.1f} MB")
    print(f"sheets {sheets}")
    for n in notes:
        print(f"note: {n}")


if __name__ == "__main__":
    main()
