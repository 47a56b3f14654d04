"""What value_reads_back (quantulum3 reading every value_text again) costs a run.

    .venv/bin/python bench/readback.py [--rows 100000] [--md bench/readback.md]

Measures, in one run (the machine is shared: compare the figures of one run with each other):
- the import, in fresh interpreters: quantulum3 as the check imports it (inflect without typeguard's
  instrumentation), and inflect as a plain `import inflect` would load it;
- `validate.flag` on the bundled corpus's claims, without the check and with it (cold cache);
- the check alone (and `validate.flag`, the whole suite) on synthetic tables of N claims: (a) value texts drawn from the bundled claims, so
  they repeat as a corpus's do; (b) the same forms with every digit redrawn, so nearly every text is
  new: the most parses N claims can cost.
"""
from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent


def fresh(code: str) -> float:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


IMPORT_OURS = ("import time; from extract.check import readback; t=time.perf_counter(); readback._parser(); "
               "readback.quantities('1'); print(time.perf_counter()-t)")
IMPORT_PLAIN = ("import time, warnings; warnings.simplefilter('ignore'); t=time.perf_counter(); import inflect; "
                "from quantulum3 import parser; parser.parse('1'); print(time.perf_counter()-t)")


def bundled_claims() -> pd.DataFrame:
    import json

    from extract import extract_claims
    from extract.table import typed

    papers = [json.loads(line) for line in (ROOT / "data" / "papers.jsonl").read_text(encoding="utf-8").splitlines()]
    return typed(extract_claims(papers))


def redraw_digits(texts: pd.Series, seed: int = 0) -> tuple[list, list]:
    """Each text with every digit redrawn (first digit non-zero), and the value that text says."""
    from extract.check import readback

    rng = random.Random(seed)
    out_t, out_v = [], []
    for t in texts:
        new = re.sub(r"\d", lambda m: str(rng.randrange(10)), t)
        new = re.sub(r"(?<![\d.])0(?=\d)", lambda m: str(rng.randrange(1, 10)), new)
        out_t.append(new)
        out_v.append(readback.reading(new) if readback.sendable(new) else 1.0)
    return out_t, out_v


def timed_flag(df: pd.DataFrame, with_readback: bool) -> float:
    from extract.check import readback, validate
    from extract.check.expectations import load

    specs = load() if with_readback else tuple(s for s in load() if s.check != "reads_back")
    readback.reading.cache_clear()
    t = time.perf_counter()
    validate.row_failures(df, specs)
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--md", type=Path, help="append the results to this Markdown file")
    args = ap.parse_args()
    from extract.check import readback

    lines = [f"## value_reads_back cost ({time.strftime('%Y-%m-%d %H:%M')}, load before {_load():.2f})", ""]
    ours, plain = fresh(IMPORT_OURS), fresh(IMPORT_PLAIN)
    lines += [f"- quantulum3 import and first parse, fresh interpreter: {ours:.2f} s as the check imports it; "
              f"{plain:.2f} s with inflect's typeguard instrumentation ({plain / ours:.1f}x)"]
    readback._parser()
    base = bundled_claims()
    sent = base["value_text"].map(readback.sendable)
    lines += [f"- bundled corpus: {len(base)} claims, {base['value_text'].nunique()} distinct texts, "
              f"{base.loc[sent, 'value_text'].nunique()} sent ({sent.mean():.0%} of claims), "
              f"flagged {int(readback.disagreeing(base['value_text'], base['value'], base['unit']).sum())}"]
    without, with_ = timed_flag(base, False), timed_flag(base, True)
    lines += [f"- bundled corpus, flag(): {without:.3f} s without the check, {with_:.3f} s with it "
              f"(+{with_ - without:.3f} s, import excluded)", ""]
    lines += ["| table | claims | distinct sent texts (parses) | the check, cold cache | us per parse | "
              "again, cached | flag(), whole suite |", "|---|---:|---:|---:|---:|---:|---:|"]
    rng = random.Random(1)
    rows = base.iloc[[rng.randrange(len(base)) for _ in range(args.rows)]].reset_index(drop=True)
    texts, values = redraw_digits(rows["value_text"])
    new = rows.assign(value_text=texts, value=values, evidence=[f"We report {t} here." for t in texts])
    for name, df in (("drawn from the bundled claims", rows), ("digits redrawn (nearly all new)", new)):
        parses = df.loc[df["value_text"].map(readback.sendable), "value_text"].nunique()
        readback.reading.cache_clear()
        cold = _timed(readback.disagreeing, df["value_text"], df["value"], df["unit"])
        warm = _timed(readback.disagreeing, df["value_text"], df["value"], df["unit"])
        whole = timed_flag(df, True)
        lines.append(f"| {name} | {len(df):,} | {parses:,} | {cold:.2f} s | {cold / max(parses, 1) * 1e6:.0f} | "
                     f"{warm:.2f} s | {whole:.2f} s |")
        assert not readback.disagreeing(df["value_text"], df["value"], df["unit"]).any(), name
    text = "\n".join(lines) + "\n"
    print(text)
    if args.md:
        with open(args.md, "a", encoding="utf-8") as f:
            f.write("\n" + text)


def _timed(fn, *args) -> float:
    t = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t


def _load() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except OSError:
        return float("nan")


if __name__ == "__main__":
    main()
