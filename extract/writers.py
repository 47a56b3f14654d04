"""Write claims.csv, claims.parquet and run.json: atomically, with spreadsheet formulas defused."""
from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path

import pandas as pd

from .errors import OutputError

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defuse(s: str) -> str:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe (OWASP CSV injection)."""
    return "'" + s if isinstance(s, str) and s.startswith(FORMULA_START) else s


def format_value(v: float) -> str:
    """A plain number for CSV: 7000000000, 12.2 (no exponent, no separators)."""
    if v != v:
        return ""
    if float(v).is_integer() and abs(v) < 1e21:
        return str(int(v))
    s = f"{v:.12f}".rstrip("0").rstrip(".")
    return s if float(s) == v else repr(v)


@contextlib.contextmanager
def atomic_path(path: Path):
    """Yield a temporary path beside ``path``; rename it over ``path`` only when the block succeeds."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        os.close(fd)
    except OSError as e:
        raise OutputError(f"cannot write to {path.parent}: {e.strerror or e}") from e
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def csv_frame(df: pd.DataFrame) -> pd.DataFrame:
    """The table as CSV text cells: numbers plain, text defused."""
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or str(out[c].dtype).startswith(("string", "str")):
            out[c] = out[c].map(defuse)
    out["value"] = out["value"].map(format_value)
    out["valid"] = df["valid"].map(lambda b: "true" if b else "false")
    return out


def write_csv(df: pd.DataFrame, path: Path) -> None:
    with atomic_path(path) as tmp:
        csv_frame(df).to_csv(tmp, index=False, encoding="utf-8")


def write_parquet(df: pd.DataFrame, path: Path) -> None:
    with atomic_path(path) as tmp:
        df.to_parquet(tmp, index=False)


def write_json(obj: dict, path: Path) -> None:
    with atomic_path(path) as tmp:
        tmp.write_text(json.dumps(obj, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


def read_claims_csv(path: Path) -> pd.DataFrame:
    """Read a claims.csv back to the typed table (undoing the formula defusing)."""
    from .table import typed

    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for c in df.columns:
        df[c] = df[c].map(lambda s: s[1:] if isinstance(s, str) and s.startswith("'") and s[1:2] in FORMULA_START else s)
    return typed(df)
