"""The claims table every stage shares: claims -> a typed pandas DataFrame with the contract's columns, in
order, and a claims.csv read back to the same table."""
from __future__ import annotations

import operator
from pathlib import Path
from typing import Iterable

import pandas as pd

from extract.records import ALL_COLUMNS, Claim

# Text that a spreadsheet would run as a formula: claims.csv prefixes it with ' (read_claims_csv undoes it).
# A text starting with one of these gets a leading apostrophe in claims.csv (OWASP CSV injection), and
# loses it when read back: the full-width signs (U+FF1D ＝ ...) too, which spreadsheets also run; "\n"
# because a "\r" is written as "\n"; and "'" itself, so a title that really starts with "'=" reads back so.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "'", "\uff1d", "\uff0b", "\uff0d", "\uff20")
INT_COLUMNS = ("start", "end")
FLOAT_COLUMNS = ("value",)
BOOL_COLUMNS = ("valid",)


FIELDS = operator.attrgetter(*ALL_COLUMNS)  # a claim's values in column order


def to_frame(claims: Iterable[Claim]) -> pd.DataFrame:
    # Column lists from attribute tuples: a third of the time of a dict per row (workers do this per batch).
    rows = [FIELDS(c) for c in claims]
    cols = zip(*rows) if rows else ([] for _ in ALL_COLUMNS)
    return frame_of_columns(list(map(list, cols)))


def frame_of_columns(cols: list[list]) -> pd.DataFrame:
    """The typed table of one list of values per column of ALL_COLUMNS."""
    return typed(pd.DataFrame(dict(zip(ALL_COLUMNS, cols)), columns=ALL_COLUMNS))


def typed(df: pd.DataFrame) -> pd.DataFrame:
    """Fix each column's dtype, so CSV and Parquet round-trip to the same values."""
    df = df.reindex(columns=[c for c in ALL_COLUMNS] + [c for c in df.columns if c not in ALL_COLUMNS])
    for c in df.columns:
        if c in INT_COLUMNS:
            df[c] = pd.to_numeric(df[c]).fillna(0).astype("int64")
        elif c in FLOAT_COLUMNS:
            df[c] = pd.to_numeric(df[c], errors="coerce").astype("float64")
        elif c in BOOL_COLUMNS:
            col = df[c]
            if col.dtype == bool:
                continue
            if col.dtype == object or str(col.dtype).startswith(("str", "string")):
                # vectorised _as_bool: "true"/"1"/"yes" is True, other text False, a missing cell True
                low = col.fillna("").astype(str).str.strip().str.lower()
                df[c] = (low.isin(("true", "1", "yes")) | col.isna()).astype("bool")
            else:
                df[c] = col.map(_as_bool).astype("bool")
        else:
            df[c] = df[c].fillna("").astype(str)
    return df


def _as_bool(x) -> bool:
    if isinstance(x, str):
        return x.strip().lower() in ("true", "1", "yes")
    return bool(x) if x == x else True


def read_claims_csv(path: Path) -> pd.DataFrame:
    """Read a claims.csv back to the typed table (undoing the formula defusing)."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for c in df.columns:
        col = df[c]
        # vectorised: one Python call per cell made a million-row table take half a minute
        defused = col.str.startswith("'") & col.str[1:2].isin(FORMULA_START)
        if defused.any():
            df[c] = col.where(~defused, col.str[1:])
    return typed(df)
