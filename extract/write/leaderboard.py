"""The Excel workbook people open: Leaderboard, Claims, Models, Compute, Validation, About.

The sheets are views of the claims table built with pandas; extract.xlsx streams them to disk
(write-only openpyxl), so a large table costs time but not memory.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd

from extract.context.metric import is_generic, metric_info
from extract.records import ALL_COLUMNS
from extract.write import ranking as R
from extract.write import charts
from extract.write import models as M
from extract.write.models import label as _label
from extract.files import atomic_path
from extract.write.xlsx import HELPER, SHEET_ROWS, Table, text_cell, write_table

# Metrics where a smaller number is the better result (matched as words in the metric name).
LOWER_IS_BETTER = re.compile(
    r"\b(perplexity|ppl|latency|error|errors|err|wer|cer|ter|loss|memory|cost|costs|price|time|runtime|"
    r"hallucination|hallucinations|toxicity|fid|mae|mse|rmse|bpc|bpb|eer|ece|gpu hours|flops)\b")
LOWER_FAMILIES = ("perplexity", "memory", "compute")
LOWER_UNITS = ("ms", "s", "hours", "GPU-hours", "USD", "FLOPs", "GB", "MB")

# The most rows one table may put in the workbook (split over sheets of SHEET_ROWS); a longer table is
# left to claims.csv / claims.parquet with a note, so that the workbook is always written, and quickly.
MAX_TABLE_ROWS = 2 * SHEET_ROWS

# In the workbook the evidence sits right after the value it supports.
CLAIMS_SHEET_COLUMNS = [
    "paper_id", "title", "family", "metric", "kind", "direction", "qualifier", "value", "unit",
    "value_text", "evidence", "model", "benchmark", "baseline", "method", "start", "end", "rule",
    "valid", "issues",
]
TEXT_WIDTH = {"evidence": 100, "title": 40, "issues": 60, "paper_ids": 40, "names": 40}

SHEETS = {
    "Leaderboard": "absolute scores and perplexities of a named model or method on a named benchmark under a "
                   "named metric (valid rows, one per result), best first per benchmark, metric and unit; "
                   "'better' says whether higher or lower wins",
    "Claims": "every claim, valid or not (the same rows as claims.csv)",
    "Models": "each model named in a valid claim: its parameter count, the papers that use it",
    "Compute": "GPU hours, FLOPs, costs, wall-clock time and data sizes, per paper and model (valid rows)",
    "Validation": "rows that failed a plausibility check, and why",
    "Charts": charts.DESCRIPTION,
    "About": "this run (run.json)",
}


def lower_is_better(family: str, metric: str, unit: str = "") -> bool:
    """Whether a smaller value is the better result: from the metric's lexicon entry where it has one
    (WER, FID, MAE: lower; accuracy, BLEU: higher), else perplexity, latency, error rates, memory, cost."""
    if family in LOWER_FAMILIES or unit in LOWER_UNITS:
        return True
    info = metric_info(metric) if metric and metric != family else None
    if info:
        return info[1] == "lower"
    return bool(LOWER_IS_BETTER.search((metric or "").lower()))


def _conform(df: pd.DataFrame) -> pd.DataFrame:
    """The claims table with every contract column present and typed (older or partial frames still
    write). Cheap on a table that already conforms: only what is off is converted."""
    if not isinstance(df.index, pd.RangeIndex) or df.index.start != 0 or df.index.step != 1:
        df = df.reset_index(drop=True)
    fixes = {}
    for c in ALL_COLUMNS:
        s = df.get(c)
        if c == "valid":
            if s is None:
                fixes[c] = True
            elif not pd.api.types.is_bool_dtype(s):
                fixes[c] = s.map(lambda b: b if isinstance(b, bool) else str(b).strip().lower() in ("true", "1"))
        elif c == "value":
            if s is None or s.dtype != "float64":
                fixes[c] = float("nan") if s is None else pd.to_numeric(s, errors="coerce").astype("float64")
        elif c in ("start", "end"):
            if s is None:
                fixes[c] = 0
        elif s is None:
            fixes[c] = ""
        elif not pd.api.types.is_string_dtype(s) or s.hasnans:
            fixes[c] = s.fillna("").astype(str)
    return df.assign(**fixes) if fixes else df


LEADERBOARD_COLUMNS = ["benchmark", "metric", "better", "rank", "model", "method", "value", "unit", "qualifier",
                       "kind", "baseline", "paper_id", "title", "link", "evidence", "value_text"]


def leaderboard(df: pd.DataFrame) -> pd.DataFrame:
    """Absolute results per benchmark, metric and unit, best first, with a rank (ties share it).
    Which claims are results: extract/write/ranking.py."""
    df = _conform(df)
    d = df.assign(benchmark=_label(df, "benchmark"), model=_label(df, "model"))
    d = R.one_row_each(d[R.result_rows(d, is_generic, metric_info)])
    if d.empty:
        return pd.DataFrame(columns=LEADERBOARD_COLUMNS)
    lower = [lower_is_better(f, m, u) for f, m, u in zip(d["family"], d["metric"], d["unit"])]
    d = d.assign(
        better=["lower" if x else "higher" for x in lower],
        link=d["paper_id"].map(R.arxiv_link),
        _key=d["value"].where(lower, -d["value"]),
        _bench=d["benchmark"].str.casefold(),
        _metric=[_metric_key(m) for m in d["metric"]],
    )
    # One spelling per benchmark group, the first seen, so "GSM8K" and "gsm8k" rank together.
    d["benchmark"] = d.groupby("_bench")["benchmark"].transform("first")
    d = d.sort_values(["_bench", "_metric", "unit", "_key"], kind="stable")
    d["rank"] = d.groupby(["_bench", "_metric", "unit"])["_key"].rank(method="min").astype("int64")
    return d[LEADERBOARD_COLUMNS].reset_index(drop=True)


def _metric_key(metric: str) -> str:
    """The canonical name a metric ranks under ("word error rate" with "WER", "acc" with "accuracy")."""
    info = metric_info(metric)
    return info[0] if info else (metric or "").casefold()


def models(df: pd.DataFrame) -> pd.DataFrame:
    """One row per model named in a valid claim: parameter count, papers, names as written (extract.write.models)."""
    return M.models(_conform(df))


def compute(df: pd.DataFrame) -> pd.DataFrame:
    """GPU hours, FLOPs, costs and data sizes (valid rows), paper by paper as in the corpus."""
    cols = ["paper_id", "model", "family", "metric", "kind", "direction", "qualifier", "value", "unit",
            "value_text", "evidence", "method", "baseline", "title"]
    df = _conform(df)
    d = df[df["valid"] & df["family"].isin(["compute", "data"])]
    return d.assign(model=_label(d, "model"))[cols].reset_index(drop=True)


def validation(df: pd.DataFrame) -> pd.DataFrame:
    """Rows that failed a plausibility check, the reasons first."""
    cols = ["paper_id", "issues", "family", "metric", "kind", "qualifier", "value", "unit", "value_text",
            "evidence", "model", "benchmark", "rule", "title"]
    df = _conform(df)
    return df[~df["valid"]][cols].reset_index(drop=True)


def claims(df: pd.DataFrame) -> pd.DataFrame:
    df = _conform(df)
    rest = [c for c in df.columns if c not in CLAIMS_SHEET_COLUMNS]
    return df[CLAIMS_SHEET_COLUMNS + rest]


# What each sheet reads of a claims.parquet: the columns, and which rows it can use (a superset of
# the rows it shows), so that the workbook of a million claims never holds the whole table.
_RANKED_COLUMNS = ["benchmark", "benchmark_canonical", "metric", "model", "model_canonical", "value", "unit",
                   "qualifier", "evidence", "method", "baseline", "value_text", "paper_id", "title", "family", "kind",
                   "valid"]
_COMPUTE_COLUMNS = ["paper_id", "model", "model_canonical", "family", "metric", "kind", "direction", "qualifier",
                    "value", "unit", "value_text", "evidence", "method", "baseline", "title", "valid"]
_VALIDATION_COLUMNS = ["paper_id", "issues", "family", "metric", "kind", "qualifier", "value", "unit",
                       "value_text", "evidence", "model", "benchmark", "rule", "title", "valid"]


def _ranked_rows(d: pd.DataFrame):
    """The Leaderboard's result rows of one row group (ranking.result_rows is row-local): the group
    keeps only them, so a million claims never sit in memory as candidates (leaderboard() checks again)."""
    import numpy as np

    cheap = (d["valid"] & (d["kind"] == "absolute") & d["family"].isin(R.RESULT_FAMILIES) & d["value"].notna()
             & d["unit"].isin(R.RESULT_UNITS) & (d["qualifier"] != "range")).to_numpy(dtype=bool)
    keep = np.zeros(len(d), dtype=bool)
    c = d[cheap]
    if len(c):
        c = c.assign(benchmark=_label(c, "benchmark"), model=_label(c, "model"))
        keep[np.flatnonzero(cheap)] = R.result_rows(c, is_generic, metric_info).to_numpy(dtype=bool)
    return keep


def _compute_rows(d: pd.DataFrame):
    return d["valid"] & d["family"].isin(["compute", "data"])


def _sheet_builders(rows):
    """Per sheet, how to build its table from ``rows``: a conformed DataFrame, or ParquetRows."""
    from extract.write.parquet_rows import MappedRows

    if isinstance(rows, pd.DataFrame):
        return {"Leaderboard": lambda: leaderboard(rows), "Claims": lambda: claims(rows),
                "Models": lambda: models(rows), "Compute": lambda: compute(rows),
                "Validation": lambda: validation(rows)}
    # The Models sheet is an aggregate the helper can make whole while this process builds the sheets
    # before it: then it is not made here alone at the end, with the helper idle.
    models_job = M.start_models(HELPER.get(), rows)
    return {
        "Leaderboard": lambda: leaderboard(rows.select(_RANKED_COLUMNS, _ranked_rows)),
        "Claims": lambda: rows.with_columns(
            CLAIMS_SHEET_COLUMNS + [c for c in rows.columns if c not in CLAIMS_SHEET_COLUMNS]),
        "Models": lambda: M.finish_models(models_job, rows),
        # row-local sheets, as long as the table's share of computes or failures: never a frame
        "Compute": lambda: MappedRows(rows.with_columns(_COMPUTE_COLUMNS), _compute_rows, ["valid", "family"], compute),
        "Validation": lambda: MappedRows(rows.with_columns(_VALIDATION_COLUMNS), lambda d: ~d["valid"], ["valid"],
                                         validation),
    }


def write_workbook(df, run: dict, path: Path, *, sheet_rows: int = SHEET_ROWS,
                   max_rows: int = MAX_TABLE_ROWS) -> list[str]:
    """Write the workbook to ``path`` (atomically); return the notes it carries about tables left out or split.

    ``df``: the claims table, or the path of a claims.parquet, read a row group at a time (the Claims
    sheet streamed, the other sheets built from the few columns and rows they use).
    A table longer than ``sheet_rows`` continues on "Name (2)", ...; one longer than ``max_rows`` is
    replaced by a note pointing to claims.csv / claims.parquet. The workbook is always written.
    """
    from openpyxl import Workbook

    if isinstance(df, pd.DataFrame):
        rows = _conform(df)
    else:
        from extract.write.parquet_rows import ParquetRows

        rows = df if isinstance(df, ParquetRows) else ParquetRows(df)
    build = _sheet_builders(rows)
    by_value = {"value": "unit"}
    sheets = [  # title, how to show it
        ("Leaderboard", dict(units=by_value, freeze="C2", center=("better", "rank"))),
        ("Claims", dict(units=by_value, freeze="B2")),
        ("Models", dict(units={"parameters": None}, counts=("papers", "claims"), freeze="B2",
                        center=("papers", "claims"))),
        ("Compute", dict(units=by_value, freeze="B2")),
        ("Validation", dict(units=by_value, freeze="B2")),
    ]
    from extract.write.packing import Packer

    wb = Workbook(write_only=True)
    notes = []
    packer = Packer(ZIP_LEVEL)
    try:
        _write_sheets(wb, sheets, build, rows, run, notes, packer, sheet_rows, max_rows)
        _about(wb, run, notes)
        with atomic_path(path) as tmp:
            _save(wb, tmp, packer)
    finally:
        packer.close()
    return notes


ZIP_LEVEL = 1  # fast Deflate: a million claims' sheets compress in a third of the time of zlib's default


def _write_sheets(wb, sheets, build, rows, run, notes, packer, sheet_rows, max_rows) -> None:
    for title, show in sheets:
        # The workbook is a view of claims.csv/claims.parquet: a sheet that cannot be made is noted,
        # never allowed to lose the run's other outputs at the end of a long run.
        try:
            table = Table(title, build[title](), max_width=TEXT_WIDTH, **show)
            n = len(table.df)
            if n > max_rows:
                note = (f"{title}: {n:,} rows, more than this workbook holds ({max_rows:,}); "
                        f"the full table is in claims.csv and claims.parquet.")
                _note_sheet(wb, title, note)
                notes.append(note)
                continue
            names = write_table(wb, table, sheet_rows=sheet_rows)
            for name in names:  # a sheet whose rows are all written is compressed now, beside the next ones
                ws = wb[name]
                if getattr(ws, "closed", False) and os.path.isfile(getattr(getattr(ws, "_writer", None), "out", "")):
                    packer.start(ws._writer.out)
            if title == "Leaderboard":   # the charts of its results, on the sheet after it
                notes += charts.add_sheet(wb, table.df, run, rows)
        except Exception as e:  # noqa: BLE001
            note = f"{title}: not written ({type(e).__name__}: {e}); the claims are in claims.csv and claims.parquet."
            if title not in wb.sheetnames:
                _note_sheet(wb, title, note)
            notes.append(note)
            continue
        if len(names) > 1:
            notes.append(f"{title}: {n:,} rows, more than one sheet holds ({sheet_rows:,}); "
                         f"split over sheets {', '.join(names)}.")


def _save(wb, path: Path, packer=None) -> None:
    """``wb.save(path)`` with fast Deflate (level 1): the sheets of a million claims compress in a
    third of the time of zlib's default level, into a slightly larger file. Sheets ``packer`` has
    compressed already are copied into the archive as they are (extract.write.packing)."""
    from zipfile import ZIP_DEFLATED

    from extract.write.packing import Archive

    try:
        from openpyxl.writer.excel import ExcelWriter
    except ImportError:  # another openpyxl: its own save
        wb.save(path)
        return
    import datetime

    wb.properties.modified = datetime.datetime.now(tz=datetime.timezone.utc).replace(tzinfo=None)
    with Archive(path, "w", ZIP_DEFLATED, allowZip64=True, compresslevel=ZIP_LEVEL) as archive:
        archive.packer = packer
        ExcelWriter(wb, archive).save()


def _note_sheet(wb, title: str, note: str) -> None:
    from openpyxl.styles import Font

    ws = wb.create_sheet(title)
    ws.column_dimensions["A"].width = max(40, min(len(note) + 2, 160))
    c = text_cell(ws, note)
    c.font = Font(name="Calibri", size=11, bold=True)
    ws.append([c])


def _about(wb, run: dict, notes: list[str]) -> None:
    """run.json as two readable columns; nested entries indented under their heading."""
    from openpyxl.styles import Alignment, Font

    ws = wb.create_sheet("About")
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 100
    bold = Font(name="Calibri", size=11, bold=True)
    left = Alignment(horizontal="left", vertical="top", wrap_text=True)
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0

    def heading(text):
        c = text_cell(ws, text)
        c.font = bold
        ws.append([c])

    def item(key, value, indent=0):
        label = text_cell(ws, "    " * indent + _readable(key))
        if isinstance(value, bool) or value is None:
            value = "" if value is None else str(value).lower()
        if isinstance(value, (int, float)):
            cell = _number_cell(ws, value)
        else:
            cell = text_cell(ws, _clip(str(value)))
        cell.alignment = left
        ws.append([label, cell])

    heading("Run")
    for key, value in run.items():
        if isinstance(value, dict):
            item(key, "" if value else "(none)")
            for k, v in value.items():
                item(k, v if not isinstance(v, (dict, list)) else _compact(v), indent=1)
        elif isinstance(value, list):
            item(key, len(value) if value else "(none)")
            for k, v in enumerate(value[:ABOUT_LIST_MAX], 1):
                item(k, _compact(v), indent=1)
            if len(value) > ABOUT_LIST_MAX:
                item("...", f"{len(value) - ABOUT_LIST_MAX:,} more (see run.json / errors.jsonl)", indent=1)
        else:
            item(key, value)
    ws.append([])
    heading("Workbook")
    for note in notes or ["every table is complete on its sheet"]:
        item("note", note)
    for name, what in SHEETS.items():
        item(name, what)


ABOUT_LIST_MAX = 200


def _number_cell(ws, value):
    from openpyxl.cell import WriteOnlyCell

    c = WriteOnlyCell(ws, value)
    c.number_format = "#,##0" if float(value).is_integer() else "#,##0.0##"
    return c


def _readable(key) -> str:
    """run.json keys as words: "timings_s" -> "timings (s)", "papers_read" -> "papers read"."""
    key = str(key)
    if key.endswith("_s"):
        key = key[:-2] + " (s)"
    return key.replace("_", " ")


def _compact(v) -> str:
    if isinstance(v, dict):
        return ", ".join(f"{k}: {_compact(x)}" for k, x in v.items())
    if isinstance(v, list):
        return "; ".join(_compact(x) for x in v)
    return str(v)


def _clip(s: str, n: int = 2000) -> str:
    return s if len(s) <= n else s[: n - 1] + "…"
