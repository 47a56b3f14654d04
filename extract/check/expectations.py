"""The plausibility suite as data (validation/*.yaml), and each expectation as a vectorised row check.

One :class:`Spec` per expectation. :func:`failing` answers, for a whole table at once, which rows
an expectation rejects -- the same rows Great Expectations reports as unexpected for the
expectation that :mod:`extract.gxsuite` builds from the same Spec (tests/test_validate.py checks
that they agree). Nothing here imports Great Expectations, so flagging a table stays cheap.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from extract import records
from extract.errors import RuleError

FILES = ("schema.yaml", "bounds.yaml", "context.yaml", "readback.yaml")  # suite order = file order, then entry order
CHECKS = {
    # check: keys it needs (besides name, reason)
    "columns_exist": (),
    "dtype": ("column", "dtype"),
    "in_set": ("column", "values"),
    "not_blank": ("column",),
    "not_null": ("column",),
    "between": ("column",),
    "a_greater_than_b": ("column_a", "column_b"),
    "a_in_b": ("column_a", "column_b"),
    "a_not_near_b": ("column_a", "column_b", "near"),
    "unique": ("columns",),
    "reads_back": ("columns",),  # (text, value, unit): extract/check/readback.py
}
KEYS = {"name", "check", "reason", "column", "columns", "column_a", "column_b", "values", "values_from",
        "min", "max", "strict_min", "strict_max", "dtype", "where", "near"}
# Table-level checks: when they fail, every row of the table carries the failure.
TABLE_CHECKS = ("columns_exist", "dtype")


@dataclass(frozen=True)
class Spec:
    """One expectation: what it checks, on which rows (``where``), and why (``reason``)."""

    name: str
    check: str
    reason: str
    source: str = ""
    column: str | None = None
    columns: tuple = ()
    column_a: str | None = None
    column_b: str | None = None
    values: tuple = ()
    min: float | None = None
    max: float | None = None
    strict_min: bool = False
    strict_max: bool = False
    dtype: str | None = None
    near: str | None = None  # a_not_near_b: a regex over column_b, "{a}" standing for column_a as written
    where: tuple = ()  # ((column, value or tuple of values), ...)

    @property
    def table_level(self) -> bool:
        return self.check in TABLE_CHECKS

    def describe(self) -> str:
        """The check in words, e.g. "value in [0, 100] where kind is absolute and unit is %"."""
        c = self.check
        if c == "columns_exist":
            text = "columns " + ", ".join(self.columns) + " exist"
        elif c == "dtype":
            text = f"{self.column} has dtype {self.dtype}"
        elif c == "in_set":
            text = (f"{self.column} is {self.values[0]!r}" if len(self.values) == 1
                    else f"{self.column} is one of " + ", ".join(repr(v) for v in self.values))
        elif c == "not_blank":
            text = f"{self.column} is not empty"
        elif c == "not_null":
            text = f"{self.column} is a number"
        elif c == "between":
            lo, hi = "(" if self.strict_min else "[", ")" if self.strict_max else "]"
            if self.max is None:
                text = f"{self.column} {'>' if self.strict_min else '>='} {_fmt(self.min)}"
            elif self.min is None:
                text = f"{self.column} {'<' if self.strict_max else '<='} {_fmt(self.max)}"
            else:
                text = f"{self.column} in {lo}{_fmt(self.min)}, {_fmt(self.max)}{hi}"
        elif c == "a_greater_than_b":
            text = f"{self.column_a} > {self.column_b}"
        elif c == "a_in_b":
            text = f"{self.column_a} occurs in {self.column_b}"
        elif c == "a_not_near_b":
            text = f"{self.column_b} does not match {self.near!r} around {self.column_a}"
        elif c == "reads_back":
            text = f"{self.columns[1]} is what quantulum3 reads in {self.columns[0]} (where it reads its form)"
        else:
            text = "(" + ", ".join(self.columns) + ") is unique"
        if self.where:
            conds = [f"{col} is {' or '.join(map(repr, v)) if isinstance(v, tuple) else repr(v)}"
                     for col, v in self.where]
            text += " where " + " and ".join(conds)
        return text

    def columns_used(self) -> list[str]:
        cols = [c for c in (self.column, self.column_a, self.column_b) if c] + list(self.columns)
        return cols + [c for c, _ in self.where]


def text_dtype() -> str:
    """The dtype name pandas gives ``astype(str)`` columns: "str" on pandas 3, "object" before."""
    return str(pd.Series([""]).astype(str).dtype)


@functools.lru_cache(maxsize=4)
def load(directory: str | None = None) -> tuple[Spec, ...]:
    """Every expectation of the suite, in order: the bundled validation/*.yaml, or those in ``directory``.

    All problems in all files are raised together as one RuleError.
    """
    specs, problems = [], []
    base = Path(directory) if directory else resources.files("extract.validation")
    for fname in FILES:
        try:
            doc = yaml.safe_load(base.joinpath(fname).read_text(encoding="utf-8")) or {}
            if not isinstance(doc, dict):
                raise ValueError("expected a mapping with 'expectations' or 'bounds'")
        except (OSError, ValueError, yaml.YAMLError) as e:
            problems.append(f"validation/{fname}: cannot read: {e}")
            continue
        # a bound is a between check on value: those keys are filled in
        entries = [(e, {}) for e in doc.get("expectations") or []]
        entries += [(b, {"check": "between", "column": "value"}) for b in doc.get("bounds") or []]
        for i, (entry, defaults) in enumerate(entries, 1):
            if not isinstance(entry, dict):
                problems.append(f"validation/{fname}: entry {i}: expected a mapping, found {entry!r}")
                continue
            try:
                specs.extend(_specs({**defaults, **entry}, f"validation/{fname}"))
            except (ValueError, TypeError, KeyError, AttributeError) as e:
                problems.append(f"validation/{fname}: entry {i} ({entry.get('name', '?')!r}): {e}")
    names = [s.name for s in specs]
    problems += [f"expectation name {n!r} is used twice" for n in sorted({n for n in names if names.count(n) > 1})]
    if problems:
        raise RuleError(problems)
    return tuple(specs)


def _specs(e: dict, source: str) -> list[Spec]:
    unknown = set(e) - KEYS
    if unknown:
        raise ValueError(f"unknown keys {sorted(unknown)}")
    check = e.get("check")
    if check not in CHECKS:
        raise ValueError(f"check must be one of {sorted(CHECKS)}, not {check!r}")
    if not e.get("name") or not e.get("reason"):
        raise ValueError("every expectation needs a name and a one-line reason")
    if "values_from" in e:
        e = {**e, "values": list(getattr(records, e["values_from"]))}
    missing = [k for k in CHECKS[check] if k not in e]
    if missing:
        raise ValueError(f"check {check} needs {missing}")
    if check == "reads_back" and len(e["columns"]) != 3:
        raise ValueError("reads_back needs columns [text, value, unit]")
    if check == "between" and e.get("min") is None and e.get("max") is None:
        raise ValueError("a between check needs min or max")
    where = tuple((c, tuple(v) if isinstance(v, list) else v) for c, v in (e.get("where") or {}).items())
    common = dict(check=check, reason=str(e["reason"]), source=source,
                  column_a=e.get("column_a"), column_b=e.get("column_b"),
                  columns=tuple(e.get("columns", ())), values=tuple(e.get("values", ())),
                  min=_num(e.get("min")), max=_num(e.get("max")),
                  strict_min=bool(e.get("strict_min", False)), strict_max=bool(e.get("strict_max", False)),
                  dtype=e.get("dtype"), where=where, near=e.get("near"))
    if check == "columns_exist":
        common["columns"] = tuple(records.COLUMNS)
    cols = e.get("column")
    if isinstance(cols, list):
        if "{column}" not in e["name"]:
            raise ValueError("a list of columns needs '{column}' in the name")
        out = [Spec(name=e["name"].format(column=c), column=c, **common) for c in cols]
    else:
        out = [Spec(name=e["name"], column=cols, **common)]
    unknown = sorted({c for s in out for c in s.columns_used() if c not in records.ALL_COLUMNS})
    if unknown:
        raise ValueError(f"no such claims column: {', '.join(map(str, unknown))}")
    return out


def _fmt(x) -> str:
    return str(int(x)) if float(x).is_integer() and abs(x) < 1e6 else f"{x:g}"


def _num(x):
    return None if x is None else float(x)


# --- row checks (pandas, vectorised) -----------------------------------------------------------


class Codes:
    """Each ``where`` column factorised once, so the many conditions compare small integers."""

    def __init__(self, df: pd.DataFrame):
        self.df, self._codes = df, {}

    def equals(self, col: str, want) -> np.ndarray:
        if col not in self._codes:
            self._codes[col] = pd.factorize(self.df[col], use_na_sentinel=True)
        codes, uniques = self._codes[col]
        wanted = want if isinstance(want, tuple) else (want,)
        hits = np.flatnonzero(pd.Index(uniques).isin(wanted))
        return np.isin(codes, hits)


@functools.lru_cache(maxsize=64)
def _near_parts(near: str) -> tuple[str, str]:
    before, _, after = near.partition("{a}")
    return before, after


def near_hit(near: str, a, b) -> bool:
    """Does text ``b`` match ``near`` with ``{a}`` standing for ``a`` as written (a_not_near_b)?
    "95%" in "a 95% confidence interval" with near "{a}\\s*confidence" is a hit."""
    if not (isinstance(a, str) and isinstance(b, str) and a and a in b):
        return False
    return _near_pattern(near, a).search(b) is not None


@functools.lru_cache(maxsize=16_384)
def _near_pattern(near: str, a: str) -> re.Pattern:
    # one compile per (check, value text): re's own cache (512 entries) thrashes over a large table's texts
    before, after = _near_parts(near)
    return re.compile(before + re.escape(a) + after)


def rows_where(df: pd.DataFrame, spec: Spec, codes: Codes | None = None) -> np.ndarray:
    """Boolean mask of the rows a check applies to (its ``where``)."""
    codes = codes or Codes(df)
    mask = np.ones(len(df), dtype=bool)
    for col, want in spec.where:
        mask &= codes.equals(col, want)
    return mask


def failing(df: pd.DataFrame, spec: Spec, codes: Codes | None = None) -> np.ndarray:
    """Boolean mask of the rows that fail ``spec`` (a table-level failure marks every row).

    Null handling follows Great Expectations: a value check skips null cells (only ``not_null``
    reports them), and a pair check skips a row only when both cells are null.
    """
    n = len(df)
    c = spec.check
    if c == "columns_exist":
        return np.full(n, bool(missing_columns(df, spec.columns)))
    if c == "dtype":
        want = text_dtype() if spec.dtype == "text" else spec.dtype
        return np.full(n, str(df[spec.column].dtype) != want)
    if c == "reads_back":
        from extract.check import readback

        text, value, unit = (df[col] for col in spec.columns)
        return rows_where(df, spec, codes) & readback.disagreeing(text, value, unit)
    if c == "unique":
        bad = df.duplicated(subset=list(spec.columns), keep=False).to_numpy()
        return bad & ~df[list(spec.columns)].isna().all(axis=1).to_numpy()
    scope = rows_where(df, spec, codes)
    if c in ("a_greater_than_b", "a_in_b", "a_not_near_b"):
        a, b = df[spec.column_a], df[spec.column_b]
        both_null = (a.isna() & b.isna()).to_numpy()
        if c == "a_not_near_b":
            # a regex search per row: only the rows the check applies to (a third of them, for the
            # score checks) are searched; the others cannot fail it whatever they hold
            where = np.flatnonzero(scope)
            ok = np.ones(n, dtype=bool)
            xs, ys = a.iloc[where].to_numpy(dtype=object), b.iloc[where].to_numpy(dtype=object)
            ok[where] = np.fromiter((not near_hit(spec.near, x, y) for x, y in zip(xs, ys)), dtype=bool,
                                    count=len(where))
        elif c == "a_greater_than_b":
            ok = (a > b).to_numpy(dtype=bool, na_value=False)
        else:
            # plain Python objects: iterating an Arrow-backed column directly is 6x slower
            ok = np.fromiter((isinstance(x, str) and isinstance(y, str) and x in y
                              for x, y in zip(a.to_numpy(dtype=object), b.to_numpy(dtype=object))),
                             dtype=bool, count=n)
        return scope & ~both_null & ~ok
    s = df[spec.column]
    notnull = s.notna().to_numpy()
    if c == "not_null":
        return scope & ~notnull
    if c == "in_set":
        ok = s.isin(spec.values).to_numpy()
    elif c == "not_blank":
        # GX's test is regex \S; only cells that strip to nothing can fail it, so test just those.
        text = s.astype(str)
        ok = np.ones(n, dtype=bool)
        maybe = np.flatnonzero((text.str.lstrip() == "").to_numpy(dtype=bool, na_value=False))
        if len(maybe):
            ok[maybe] = text.iloc[maybe].str.contains(r"\S", regex=True).to_numpy(dtype=bool, na_value=True)
    elif c == "between":
        v = pd.to_numeric(s, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        ok = np.ones(n, dtype=bool)
        with np.errstate(invalid="ignore"):
            if spec.min is not None:
                ok &= (v > spec.min) if spec.strict_min else (v >= spec.min)
            if spec.max is not None:
                ok &= (v < spec.max) if spec.strict_max else (v <= spec.max)
    else:  # pragma: no cover - load() rejects unknown checks
        raise ValueError(f"unknown check {c!r}")
    return scope & notnull & ~ok


def missing_columns(df: pd.DataFrame, columns=None) -> list[str]:
    return [c for c in (columns or records.COLUMNS) if c not in df.columns]
