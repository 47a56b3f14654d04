"""Stream a DataFrame into an openpyxl write-only workbook as a sheet people can sort and filter.

Each sheet gets a bold frozen header, an autofilter, column widths that fit the text, numbers stored as
numbers with a readable format (85.3, 7B, 1,200; the unit is shown once, in its own column beside the
value), and text that a spreadsheet would run as a formula ("=...", "+...", "-...", "@...") stored as
plain text. Tables longer than Excel's row limit go on as many sheets as they need ("Claims",
"Claims (2)", ...). Column order, wrapped text, print setup and links to papers: extract.write.layout.
"""
from __future__ import annotations

import contextvars
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

# The cells themselves (styles, text kept as text, the header): extract.write.cells.
from extract.write.cells import (  # noqa: F401 -- re-exported: callers and tests import them from here
    ILLEGAL, FORMULA_START, ILLEGAL_CHARS, MAX_CELL_CHARS, TRUNCATED, column_cells, header_cell, Styles,
    text_cell,
)

EXCEL_MAX_ROWS = 1_048_576          # rows per sheet, header included
SHEET_ROWS = EXCEL_MAX_ROWS - 1     # data rows per sheet

# Display suffixes for values whose unit is a symbol; other units sit in their own column.
SUFFIX = {"%": '"%"', "x": '"×"'}
PREFIX = {"USD": '"$"'}
# Short scale for big counts (7B parameters, 1.3T tokens): each "," after the digits divides by 1,000.
SCALES = ((1e12, ",,,,", "T"), (1e9, ",,,", "B"), (1e6, ",,", "M"))


@dataclass
class Table:
    """A sheet to write: the frame, how to show its numbers, and how wide its text may grow."""

    title: str
    df: pd.DataFrame            # or rows read a slice at a time (extract.parquet_rows.ParquetRows)
    units: dict[str, str | None] = field(default_factory=dict)  # number column -> column of its units (None: no unit)
    counts: tuple[str, ...] = ()        # integer columns shown with thousands separators
    max_width: dict[str, int] = field(default_factory=dict)
    freeze: str = "A2"
    center: tuple[str, ...] = ()        # short columns (ranks) centred so they do not run into the next


def decimals(v: np.ndarray, most: int = 6) -> np.ndarray:
    """The fewest decimals (0..most) that show each value exactly; most + 1 where none does."""
    out = np.full(v.shape, most + 1, dtype=np.int8)
    todo = np.isfinite(v)
    for d in range(most + 1):
        hit = todo & np.isclose(np.round(v, d), v, rtol=1e-12, atol=0)
        out[hit] = d
        todo &= ~hit
    return out


def number_formats(values, units=None) -> list[str | None]:
    """An Excel number format per value: exact, readable, and sortable because the cell stays a number.

    85.3 with unit % -> 85.3%, 2.5 with unit x -> 2.5×, 7e9 -> 7B, 1.3e12 -> 1.3T, 52000 -> 52,000,
    3.1e23 -> 3.1E+23. None for values that are not finite numbers (the cell is left empty).
    """
    v = np.asarray(values, dtype="float64")
    n = len(v)
    units = [""] * n if units is None else list(units)
    plain = decimals(v)
    scaled = {s: decimals(v / s, 3) for s, _, _ in SCALES}
    with np.errstate(all="ignore"):   # NaN and inf get no format below
        mag = np.where(np.isfinite(v) & (v != 0), np.abs(v), 1.0)
        sci = decimals(v / 10.0 ** np.floor(np.log10(mag)), 3)
    out: list[str | None] = []
    for i in range(n):
        x = v[i]
        if not math.isfinite(x):
            out.append(None)
            continue
        suffix = SUFFIX.get(units[i] or "", "")
        prefix = PREFIX.get(units[i] or "", "")
        ax = abs(x)
        fmt = None
        if ax >= 1e15:
            fmt = _digits("0", min(int(sci[i]), 3)) + "E+00"
        elif ax >= 1e6 and not suffix:
            for s, commas, letter in SCALES:
                if ax >= s and scaled[s][i] <= 3:
                    fmt = _digits("0", int(scaled[s][i])) + commas + f'"{letter}"'
                    break
        if fmt is None:
            fmt = "General" if plain[i] > 6 else _digits("#,##0", int(plain[i]))
        out.append(prefix + fmt + suffix if fmt != "General" else fmt)
    return out


def _digits(base: str, d: int) -> str:
    return base + ("." + "0" * d if d else "")


def clean_text(s: pd.Series) -> list:
    """Column values as cell text: empty -> None, characters XML cannot hold removed, over-long text cut."""
    vals = [None if v is None or v == "" else (v if isinstance(v, str) else str(v))
            for v in s.astype(object).where(s.notna(), None).tolist()]
    present = [v for v in vals if v is not None]
    if not present:
        return vals
    # One search over the whole column (C speed); per-cell work only in the rare column that needs it.
    if ILLEGAL.search("\n".join(present)):
        vals = [None if v is None else (ILLEGAL.sub("", v) or None) for v in vals]
    if max(map(len, present)) > MAX_CELL_CHARS:
        vals = [v[: MAX_CELL_CHARS - len(TRUNCATED)] + TRUNCATED if v is not None and len(v) > MAX_CELL_CHARS
                else v for v in vals]
    return vals


CHUNK = 50_000   # rows converted to cells at a time, so memory stays flat however long the table


def write_table(wb, table: Table, sheet_rows: int = SHEET_ROWS, helper=None) -> list[str]:
    """Write ``table`` to ``wb`` (a write-only Workbook) on one or more sheets; return their names.

    ``helper``: an executor (a process pool) that builds the second half of each long sheet's rows
    from a Parquet file while this process builds the first, when the table is read from one."""
    from openpyxl.utils import get_column_letter

    from extract.write import layout, xlsx_rows

    helper = helper if helper is not None else HELPER.get()
    table = layout.arranged(table)
    df = table.df   # a DataFrame, or rows read a slice at a time (extract.parquet_rows.ParquetRows)
    n = len(df)
    columns = [str(c) for c in df.columns]
    kinds = [_kind(table, c, t) for c, t in zip(df.columns, df.dtypes)]
    is_text = [k == "text" for k in kinds]
    step = max(1, n // 20_000)   # widths from a sample of rows: enough to fit, cheap on a million
    sample = _convert(table, df.every(step) if hasattr(df, "every") else df.iloc[::step], kinds)
    widths = [_width(name, vals, not text, layout.width_cap(name, table.max_width.get(name, 60)))
              for name, (vals, _), text in zip(columns, sample, is_text)]
    wrap = [text and layout.wraps(name) for name, text in zip(columns, is_text)]

    names = []
    starts = range(0, n, sheet_rows) if n else [0]
    for k, lo in enumerate(starts):
        hi = min(lo + sheet_rows, n)
        name = table.title if k == 0 else f"{table.title} ({k + 1})"
        ws = wb.create_sheet(name)
        names.append(name)
        for j, w in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(j)].width = w
        if n and table.freeze:
            ws.freeze_panes = table.freeze
        layout.print_setup(ws, columns, hi - lo + 1)
        if columns:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{hi - lo + 1}"
        ws.append([header_cell(ws, h, numeric=not text and h not in table.center)
                   for h, text in zip(columns, is_text)])
        links = layout.sheet_links(df, columns, lo, hi)
        look = (is_text, wrap, links, widths)
        if USE_FAST_ROWS and xlsx_rows.available():
            letters = [get_column_letter(j) for j in range(1, len(columns) + 1)]
            styles = Styles(ws)
            layout.add_links(ws, links)   # written when the sheet closes, before its rows are spliced in
            if helper is not None and hi - lo >= SPLIT_ROWS and not table.center and hasattr(df, "path"):
                rows = _split_rows(helper, styles, table, kinds, columns, look, lo, hi, letters)
            else:
                rows = _rows_xml(styles, table, df, kinds, columns, look, lo, hi, letters, lo)
            xlsx_rows.splice(ws, rows)
        else:
            for a, piece in _slices(df, lo, hi):
                part = _convert(table, piece, kinds)
                cells = [column_cells(ws, vals, fmt, text, name in table.center, w,
                                       _linked(links, a - lo + 2, len(vals), j))
                         for j, (name, (vals, fmt), text, w) in enumerate(zip(columns, part, is_text, wrap), 1)]
                heights = layout.row_heights([vals for vals, _ in part], wrap, widths)
                for r, (row, h) in enumerate(zip(zip(*cells), heights), a - lo + 2):
                    if h:
                        ws.row_dimensions[r].height = h
                    ws.append(row)
                _written(len(piece))
    return names


USE_FAST_ROWS = True   # rows as XML text (extract.xlsx_rows) when this openpyxl allows; False: ws.append


SPLIT_ROWS = 200_000   # a sheet at least this long is shared with the helper, when one is given (and free)
# The helper write_table uses when none is passed (pipeline.run sets it around the workbook step).
HELPER: contextvars.ContextVar = contextvars.ContextVar("xlsx_helper", default=None)
# Told the number of rows each time a chunk of them is written (the run's progress display), or None.
ROWS_WRITTEN: contextvars.ContextVar = contextvars.ContextVar("xlsx_rows_written", default=None)


def _rows_xml(styles, table, df, kinds, columns, look, lo, hi, letters, sheet_lo):
    """The data rows lo..hi of ``df`` (on a sheet whose first row is ``sheet_lo``) as XML, a chunk at a
    time. ``look``: per column whether it is text and wraps, and the sheet's links {(row, col): url}."""
    from extract.write import layout, xlsx_rows

    is_text, wrap, links, widths = look
    for a, piece in _slices(df, lo, hi):
        part = _convert(table, piece, kinds)
        first = a - sheet_lo + 2
        ids = [styles.column(vals, fmt, text, name in table.center, w, _linked(links, first, len(vals), j))
               for j, (name, (vals, fmt), text, w) in enumerate(zip(columns, part, is_text, wrap), 1)]
        values = [vals for vals, _ in part]
        yield from xlsx_rows.rows_xml(first, values, ids, letters, heights=layout.row_heights(values, wrap, widths))
        _written(len(piece))


def _written(n: int) -> None:
    report = ROWS_WRITTEN.get()
    if report is not None:
        report(n)


def _linked(links: dict, first: int, n: int, col: int) -> list[str | None] | None:
    """The link target of each of the rows first..first+n-1 of column ``col`` (None: no link; the
    whole list None when the sheet has no links)."""
    if not links:
        return None
    return [links.get((r, col)) for r in range(first, first + n)]


def _split_rows(helper, styles, table, kinds, columns, look, lo, hi, letters):
    """The rows lo..hi as XML, built a row group at a time by this process from the front and by
    ``helper`` from the back, each taking the next piece when it is free: a helper still busy (the run's
    Data Docs) is never waited for, and one that is free early takes a larger share. The helper cannot
    add styles to this workbook, so every style the table can need is registered here first; a piece it
    fails on (a style it lacked, a lost helper) is built here. The rows are the same whoever builds them."""
    _register_styles(styles, table, kinds, columns, look)
    pieces = _pieces(table.df, lo, hi)
    front, back, jobs = 0, len(pieces), {}
    while front < back:
        # one piece for the helper, the last one left, when it has nothing else to do
        if back - 1 > front and _idle(helper, jobs.values()):
            back -= 1
            jobs[back] = helper.submit(rows_xml_file, table, kinds, columns, look, *pieces[back], letters, lo,
                                       dict(styles.cache))
        a, b = pieces[front]
        front += 1
        yield from _rows_xml(styles, table, table.df, kinds, columns, look, a, b, letters, lo)
    for i in range(back, len(pieces)):
        yield from _helper_piece(jobs[i], styles, table, kinds, columns, look, *pieces[i], letters, lo)


def _pieces(df, lo: int, hi: int) -> list[tuple[int, int]]:
    """[lo, hi) cut at the row groups of ``df`` (ParquetRows), so that no group is read by both processes."""
    cuts = [int(x) for x in getattr(df, "_starts", []) if lo < x < hi]
    edges = [lo, *cuts, hi]
    return list(zip(edges, edges[1:]))


def _idle(helper, jobs) -> bool:
    """Whether ``helper`` has nothing to do: none of ``jobs`` is pending, nor anything else it was given
    (a helper that can tell: ``idle()``)."""
    if not all(j.done() for j in jobs):
        return False
    idle = getattr(helper, "idle", None)
    return idle() if idle is not None else True


def _helper_piece(job, styles, table, kinds, columns, look, a, b, letters, sheet_lo):
    """The XML of rows a..b that ``job`` wrote to a file, streamed; built here if the job failed."""
    import os

    try:
        path = job.result()
    except Exception:  # noqa: BLE001 -- a style it lacked, or a lost helper: the same rows, built here
        yield from _rows_xml(styles, table, table.df, kinds, columns, look, a, b, letters, sheet_lo)
        return
    try:
        with open(path, encoding="utf-8", newline="") as f:
            while block := f.read(1 << 22):
                yield block
        _written(b - a)
    finally:
        os.unlink(path)


def rows_xml_file(table, kinds, columns, look, lo, hi, letters, sheet_lo, style_ids) -> str:
    """(In a helper process) _rows_xml of rows lo..hi written to a temporary file; returns its path.
    Raises KeyError on a style not in ``style_ids``."""
    import os
    import tempfile

    styles = Styles(None, style_ids)
    fd, path = tempfile.mkstemp(prefix="extract-rows-", suffix=".xml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            for chunk in _rows_xml(styles, table, table.df, kinds, columns, look, lo, hi, letters, sheet_lo):
                f.write(chunk)
    except BaseException:
        os.unlink(path)
        raise
    return path


def _register_styles(styles, table, kinds, columns, look) -> None:
    """Every style the rows of ``table`` can use (no centred columns): its number formats, quoted,
    wrapped and linked text."""
    import pandas as pd

    _, wrap, links, _ = look
    styles.id(quote=True)
    for w in set(wrap):
        styles.id(wrap=w)
        styles.id(quote=True, wrap=w)
    if links:
        styles.id(link=True)
        styles.id(quote=True, link=True)
    for name, kind in zip(columns, kinds):
        if kind == "count":
            styles.id("#,##0")
        if kind != "number":
            continue
        d = table.df.select([name], lambda d: np.ones(len(d), dtype=bool)).drop_duplicates()
        v = pd.to_numeric(d[name], errors="coerce").astype("float64").to_numpy()
        for f in set(number_formats(v)):
            if f is not None and f != "General":
                styles.id(f)


def _slices(df, lo: int, hi: int):
    """(first row, frame) of rows lo..hi, CHUNK rows at a time, from a DataFrame or lazy rows."""
    if hasattr(df, "slices"):
        yield from df.slices(lo, hi, CHUNK)
        return
    for a in range(lo, hi, CHUNK):
        yield a, df.iloc[a:min(a + CHUNK, hi)]


def _kind(table: Table, name, dtype) -> str:
    if name in table.units:
        return "number"
    if pd.api.types.is_bool_dtype(dtype):
        return "bool"
    if pd.api.types.is_numeric_dtype(dtype):
        return "count" if name in table.counts else "int"
    return "text"


_FORMATS: dict[str, str] = {}   # one string object per distinct format, however many cells share it


def _convert(table: Table, df: pd.DataFrame, kinds: list[str]) -> list[tuple[list, list | None]]:
    """Each column of ``df`` as (cell values, number formats or None)."""
    out = []
    for c, kind in zip(df.columns, kinds):
        s = df[c]
        if kind == "number":
            # No unit in the number's format: the unit column beside it shows it (once).
            v = pd.to_numeric(s, errors="coerce").astype("float64").to_numpy()
            fmts = [f if f is None else _FORMATS.setdefault(f, f) for f in number_formats(v)]
            out.append(([float(x) if math.isfinite(x) else None for x in v], fmts))
        elif kind == "bool":
            out.append(([None if x is None else bool(x) for x in _objects(s)], None))
        elif kind in ("int", "count"):
            vals = [x if x is not None and x not in (math.inf, -math.inf) else None for x in _objects(s)]
            out.append((vals, ["#,##0"] * len(vals) if kind == "count" else None))
        else:
            out.append((clean_text(s), None))
    return out


def _objects(s: pd.Series) -> list:
    """Plain Python values, None for every kind of missing (NaN, NA, None)."""
    return s.astype(object).where(s.notna(), None).tolist()


def _width(header: str, vals: list, numeric: bool, cap: int, sample: int = 20_000) -> float:
    """Fit the header (with room for the filter button) and most values, within ``cap`` characters."""
    head = len(header) + 4
    if numeric:
        return float(max(head, 12))
    step = max(1, len(vals) // sample)
    lengths = sorted(len(v) for v in vals[::step] if v)
    if not lengths:
        return float(min(max(head, 8), cap))
    typical = lengths[min(len(lengths) - 1, int(len(lengths) * 0.95))]
    return float(min(cap, max(head, typical + 2, 6)))
