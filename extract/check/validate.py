"""Plausibility validation of a claims table: flag failing rows, write Data Docs, check a file.

The suite is data (validation/*.yaml, loaded by :mod:`extract.expectations`). :func:`flag` runs it
as vectorised pandas checks -- a million rows in seconds, without importing Great Expectations --
and :func:`build_docs` runs the same suite through Great Expectations for the HTML report.
Rows that fail are kept: ``valid`` is false and ``issues`` names the failed expectations.
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from extract.errors import InputError, OutputError, ValidationFailed
from extract.check.expectations import Codes, Spec, failing, load, missing_columns

SEP = "; "


def row_failures(df: pd.DataFrame, specs=None) -> list[tuple[Spec, np.ndarray]]:
    """(spec, mask of failing rows) for every expectation of the suite, in suite order."""
    specs = specs or load()
    missing = missing_columns(df)
    if missing:
        raise ValidationFailed(f"the claims table lacks the contract columns {', '.join(missing)}")
    out, codes = [], Codes(df)
    for spec in specs:
        try:
            mask = failing(df, spec, codes)
        except (TypeError, ValueError):
            # A column of the wrong type: GX raises on it too, and counts the whole table as failed.
            mask = np.ones(len(df), dtype=bool)
        out.append((spec, mask))
    return out


def counts(df: pd.DataFrame, specs=None) -> dict[str, int]:
    """{expectation name: number of failing rows}, for every expectation (0 when it passes)."""
    return {spec.name: int(mask.sum()) for spec, mask in row_failures(df, specs)}


def flag(df: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Return the table with ``valid``/``issues`` set, and counts of failing rows per expectation."""
    results = row_failures(df)
    names = np.array([spec.name for spec, _ in results], dtype=object)
    rows, which = [], []
    for i, (_, mask) in enumerate(results):
        hit = np.flatnonzero(mask)
        rows.append(hit)
        which.append(np.full(len(hit), i))
    rows, which = np.concatenate(rows or [np.array([], int)]), np.concatenate(which or [np.array([], int)])
    issues = np.full(len(df), "", dtype=object)
    if len(rows):
        order = np.lexsort((which, rows))  # by row, then in suite order
        joined = pd.Series(names[which[order]]).groupby(rows[order], sort=False).agg(SEP.join)
        issues[joined.index.to_numpy()] = joined.to_numpy()
    out = df.copy()
    out["valid"] = issues == ""
    out["issues"] = pd.Series(issues, index=df.index).astype(str)
    return out, {spec.name: int(mask.sum()) for spec, mask in results}


def build_docs(df: pd.DataFrame, outdir, corpus: str | None = None, run_time=None) -> str:
    """Run the suite through Great Expectations and write its Data Docs (HTML) under ``outdir``.

    ``corpus`` (its file name) names the data asset, and with ``run_time`` (a datetime; default now)
    the run. The pages load their scripts, styles and fonts from the report itself (works offline).
    Returns the path of the Data Docs index page. Warns if GX and :func:`flag` disagree.
    """
    from extract.check import gxsuite, offline

    outdir = Path(outdir)
    asset, run_name, run_time = docs_names(corpus, run_time)
    # Built beside, then swapped in: the report shows this run only, never a half-built site.
    try:
        outdir.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{outdir.name}.{os.getpid()}.", suffix=".part", dir=outdir.parent))
        # mkdtemp makes it private (0700); a report is for sharing, as any directory the umask allows
        os.chmod(tmp, 0o777 & ~_umask())
    except OSError as e:
        raise OutputError(f"cannot write to {outdir.parent}: {e.strerror or e}") from e
    try:
        result, _ = gxsuite.run(df, docs_dir=tmp, asset=asset, run_name=run_name, run_time=run_time)
        left = offline.make_offline(tmp)
        if left:
            warnings.warn("the validation report still loads from the network: " + "; ".join(left), stacklevel=2)
        old = None
        if outdir.exists():
            old = outdir.with_name(f".{outdir.name}.{os.getpid()}.old.part")
            os.replace(outdir, old)
        os.replace(tmp, outdir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except OSError as e:
        raise OutputError(f"cannot write the validation report to {outdir}: {e.strerror or e}") from e
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    ours, theirs = counts(df), gxsuite.unexpected_counts(result, len(df))
    differ = {k: (ours.get(k), theirs.get(k)) for k in ours.keys() | theirs.keys() if ours.get(k) != theirs.get(k)}
    if differ:
        warnings.warn(f"row flags and Great Expectations disagree (flags, GX): {differ}", stacklevel=2)
    return str(outdir.resolve() / "index.html")


def docs_names(corpus: str | None, run_time=None) -> tuple[str, str, object]:
    """(data asset, run name, run time) for the report: the corpus's file name, and that name with
    the run's UTC time. Kept to letters, digits and ``._-``: both become file names in the report,
    which may be copied to a FAT-formatted USB stick."""
    from datetime import datetime, timezone

    run_time = (run_time or datetime.now(timezone.utc)).astimezone(timezone.utc)
    asset = re.sub(r"[^\w.-]+", "_", Path(str(corpus)).name if corpus else "claims").strip("_") or "claims"
    return asset, f"{asset}_{run_time:%Y%m%dT%H%M%SZ}", run_time


def _umask() -> int:
    # Read, not set and reset: setting it would briefly change it for every thread of the process.
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            return next(int(line.split()[1], 8) for line in f if line.startswith("Umask:"))
    except (OSError, StopIteration, ValueError):
        mask = os.umask(0o022)
        os.umask(mask)
        return mask


# --- `extract validate FILE` -------------------------------------------------------------------


def read_table(path) -> pd.DataFrame:
    """Read claims.csv (or .parquet) to the typed table; a clear InputError when it cannot be."""
    from extract.table import typed
    from extract.table import read_claims_csv

    path = Path(path)
    if not path.is_file():
        raise InputError("no such file" if not path.exists() else "not a file", str(path))
    try:
        if path.suffix.lower() == ".parquet":
            raw = pd.read_parquet(path)
        else:
            raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8", nrows=0)
    except UnicodeDecodeError as e:
        raise InputError(f"not UTF-8 text ({e.reason} at byte {e.start})", str(path)) from e
    except pd.errors.EmptyDataError as e:
        raise InputError("empty file: expected a claims.csv header line", str(path)) from e
    except (OSError, ValueError, pd.errors.ParserError) as e:
        raise InputError(f"cannot read: {e}", str(path)) from e
    missing = missing_columns(raw)
    if missing:
        from extract.records import COLUMNS

        raise InputError(f"missing columns {', '.join(missing)} (a claims table has {', '.join(COLUMNS)})",
                         str(path))
    if path.suffix.lower() == ".parquet":
        return typed(raw)
    try:
        return read_claims_csv(path)
    except UnicodeDecodeError as e:
        raise InputError(f"not UTF-8 text ({e.reason} at byte {e.start})", str(path)) from e
    except pd.errors.ParserError as e:
        raise InputError(f"cannot read: {e}", str(path)) from e
    except ValueError as e:
        raise _bad_cell(path) or InputError(f"cannot read: {e}", str(path)) from e


def _bad_cell(path: Path) -> InputError | None:
    """Name the first offset cell that is not a whole number (typed() cannot read it)."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for col in ("start", "end"):
        s = raw[col].str.strip()
        bad = (s != "") & pd.to_numeric(s, errors="coerce").isna()
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            return InputError(f"row {i + 1}: column {col} must be a whole number, not {raw[col].iloc[i]!r}",
                              str(path))
    return None


def check_file(path, docs=None, max_rows: int = 20) -> tuple[str, bool]:
    """Validate a claims file. Returns (a report naming failed expectations and rows, passed?)."""
    df = read_table(path)
    results = row_failures(df)
    failed = [(spec, mask) for spec, mask in results if mask.any()]
    bad_rows = int(np.logical_or.reduce([m for _, m in failed]).sum()) if failed else 0
    lines = []
    if failed:
        lines.append(f"{path}: {bad_rows} of {len(df)} rows fail {len(failed)} of {len(results)} expectations "
                     f"(rows are numbered from 1 after the header)")
    else:
        lines.append(f"{path}: all {len(df)} rows pass all {len(results)} expectations")
    cols = ["paper_id", "start", "value_text"]
    for spec, mask in failed:
        idx = np.flatnonzero(mask)
        lines.append(f"FAIL {spec.name} ({len(idx)} rows): {spec.reason}")
        shown = idx if max_rows <= 0 else idx[:max_rows]
        for i, rec in zip(shown, df[cols].iloc[shown].itertuples(index=False)):
            lines.append(f"  row {i + 1}: paper_id={rec.paper_id} start={rec.start} value_text={rec.value_text!r}")
        if len(shown) < len(idx):
            lines.append(f"  ... and {len(idx) - len(shown)} more rows")
    if docs:
        lines.append(f"Data Docs: {build_docs(df, docs, corpus=path)}")
    return "\n".join(lines), not failed
