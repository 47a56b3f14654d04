"""A second, independent reading of every value: quantulum3 reads ``value_text`` again.

The check ``value_reads_back`` (validation/readback.yaml) fails a row whose ``value`` is another
number than quantulum3 reads in its ``value_text``. Only texts of the forms quantulum3 reads right
are sent (the gate, :func:`sendable`); the others -- ML magnitudes such as "175B" above all -- are
not read, and pass. Readings are cached by distinct text for the whole process, so a million
claims cost as many parses as they have distinct value texts (the pipeline flags every chunk in
the parent process; the report's helper is forked from it, cache and all).
"""
from __future__ import annotations

import functools
import logging
import math
import re
import warnings
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from extract.errors import RuleError

FILE = "readback.yaml"


@dataclass(frozen=True)
class Gate:
    forms: dict           # name -> compiled pattern, matched against the whole text
    send_as: tuple        # (compiled pattern, replacement), applied in order before matching and reading
    max_digits: int
    max_chars: int
    scales: dict          # unit -> factors the value may be the reading times
    rel_tol: float


@functools.lru_cache(maxsize=1)
def gate() -> Gate:
    """The forms sent to quantulum3, and how readings are compared: validation/readback.yaml."""
    try:
        doc = (yaml.safe_load(resources.files("extract.validation").joinpath(FILE).read_text(encoding="utf-8")) or {})["readback"]
        number = f"(?:{doc['number']})"
        word = "(?:" + "|".join(map(re.escape, doc["words"])) + ")"
        words = f"(?:{word}(?:(?:\\s|-|\\sand\\s){word})*)"
        forms = {name: re.compile(p.replace("{number}", number).replace("{words}", words), re.I)
                 for name, p in doc["forms"].items()}
        send_as = tuple((re.compile(p), str(r)) for p, r in (doc.get("send_as") or {}).items())
        scales = {str(u): tuple(float(f) for f in fs) for u, fs in (doc.get("scales") or {}).items()}
        return Gate(forms, send_as, int(doc["max_digits"]), int(doc["max_chars"]), scales,
                    float(doc.get("rel_tol", 1e-9)))
    except (OSError, KeyError, TypeError, AttributeError, re.error, yaml.YAMLError) as e:
        raise RuleError([f"validation/{FILE}: cannot read the readback gate: {e!r}"]) from e


def plain(text: str, g: Gate | None = None) -> str:
    """``text`` as it is sent to quantulum3: stripped, its spellings rewritten ("12.2\\%" -> "12.2%",
    "2.5x" -> "2.5 times")."""
    for pattern, replacement in (g or gate()).send_as:
        text = pattern.sub(replacement, text)
    return text.strip()


def form(text, g: Gate | None = None) -> str | None:
    """The name of the gate form ``text`` is written in, or None when it is not sent to quantulum3."""
    if not isinstance(text, str):
        return None
    g = g or gate()
    if len(text) > g.max_chars or sum(c.isdigit() for c in text) > g.max_digits:
        return None
    t = plain(text, g)
    return next((name for name, p in g.forms.items() if p.fullmatch(t)), None)


def sendable(text) -> bool:
    return form(text) is not None


@functools.lru_cache(maxsize=None)
def _parser():
    """quantulum3's parser, imported on first use. Its number words come from inflect, whose 23
    methods typeguard instruments at import (1.4 s of the 1.7 s quantulum3 costs a run): inflect is
    imported with typeguard's decorator as a no-op. quantulum3 calls inflect with the right types,
    so only the checking of those calls goes (bench/readback.py measures both imports)."""
    with warnings.catch_warnings():
        # without scikit-learn it says it disambiguates units by rules: true, and no matter for numbers
        warnings.simplefilter("ignore")
        try:
            _import_inflect_unchecked()
            from quantulum3 import parser
        except ImportError as e:
            raise RuleError(["value_reads_back needs quantulum3: pip install 'quantulum3>=0.9'"]) from e
    return parser


def _import_inflect_unchecked() -> None:
    import sys

    if "inflect" in sys.modules:
        return
    try:
        import typeguard
    except ImportError:  # an inflect without typeguard: nothing to skip
        return
    checked = typeguard.typechecked
    typeguard.typechecked = _no_check
    try:
        import inflect  # noqa: F401
    finally:
        typeguard.typechecked = checked


def _no_check(target=None, **_):
    return target if target is not None else (lambda f: f)


def quantities(text: str) -> list:
    """quantulum3's quantities in ``text``. Its parse calls logging.basicConfig, which would give
    this process's root logger a stderr handler (GX's log lines would then print): a NullHandler
    stands in for the call when the root has none."""
    parser = _parser()
    root = logging.getLogger()
    guard = None if root.handlers else logging.NullHandler()
    if guard is not None:
        root.addHandler(guard)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return parser.parse(text)
    finally:
        if guard is not None:
            root.removeHandler(guard)


@functools.lru_cache(maxsize=1 << 18)
def reading(text: str) -> float | None:
    """quantulum3's value for ``text`` (a gate form), or None: not sent, or not read as one number
    spanning the whole text."""
    g = gate()
    if form(text, g) is None:
        return None
    t = plain(text, g)
    try:
        found = quantities(t)
    except RuleError:
        raise
    except Exception:  # noqa: BLE001 - a parser bug on one text is no reading, never a failed run
        return None
    if len(found) != 1 or found[0].surface.strip() != t:
        return None
    v = float(found[0].value)
    return v if math.isfinite(v) else None


def disagreeing(text: pd.Series, value: pd.Series, unit: pd.Series) -> np.ndarray:
    """Mask of rows whose value disagrees with quantulum3's reading of their text (vectorised by
    distinct text: each is read once, and only texts of a gate form). Magnitudes are compared (a
    change's sign is its direction); in a count unit the value may carry a scale written once for
    several numbers, and a time is converted to its unit."""
    n = len(text)
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    reads = np.array([_read_or_nan(t) for t in uniques], dtype=float)
    r = np.full(n, np.nan)
    has = codes >= 0
    r[has] = reads[codes[has]]
    v = pd.to_numeric(value, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    g = gate()
    r, v = np.abs(r), np.abs(v)
    with np.errstate(invalid="ignore", over="ignore"):
        ok = _close(r, v, g.rel_tol)
        units = pd.Series(unit, dtype=object).fillna("").to_numpy()
        for u, factors in g.scales.items():
            these = np.flatnonzero((units == u) & ~ok)
            for f in factors:
                ok[these] |= _close(r[these] * f, v[these], g.rel_tol)
    # a row without a reading, or without a value (not_null reports that one), passes
    return ~np.isnan(r) & ~np.isnan(v) & ~(ok & np.isfinite(v))


def _close(a: np.ndarray, b: np.ndarray, rel_tol: float) -> np.ndarray:
    """math.isclose, vectorised: relative to the larger magnitude."""
    return np.abs(a - b) <= rel_tol * np.maximum(np.abs(a), np.abs(b))


def _read_or_nan(text) -> float:
    got = reading(text) if isinstance(text, str) else None
    return np.nan if got is None else got
