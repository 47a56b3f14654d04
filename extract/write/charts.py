"""The workbook's Charts sheet: native Excel charts (openpyxl.chart), the first "show me" of a leaderboard.

- claims per family (the whole run);
- for the benchmarks with the most Leaderboard results (at most TOP_BENCHMARKS), a bar chart of the
  best result of each model or method, best first, under the benchmark's most reported metric and
  unit (one chart has one scale).

Each chart reads a small table written beside it on the same sheet, so the charts are live: edit or
filter those cells and they redraw, in Excel and LibreOffice alike. The sheet never fails the
workbook: a chart that cannot be made is noted in the About sheet instead.
"""
from __future__ import annotations

import pandas as pd

TITLE = "Charts"
DESCRIPTION = ("claims per family, and for the benchmarks with the most Leaderboard results the best result "
               "of each model or method (charts read the tables beside them)")
TOP_BENCHMARKS = 6
BARS = 12                # systems per chart: the best ones
BLOCK_ROWS = 18          # sheet rows per chart: its table, and the chart's height beside it
CHART_COLUMN = "D"


def best_per_system(leaderboard: pd.DataFrame, top: int = TOP_BENCHMARKS, bars: int = BARS) -> list[dict]:
    """Per chart: {"title", "axis", "better", "rows": [(system, best value), ...]} best first, for the
    ``top`` benchmarks with the most results. A system is the model, else the method."""
    d = leaderboard
    if d is None or len(d) == 0 or not {"benchmark", "metric", "value"} <= set(d.columns):
        return []
    d = d[pd.to_numeric(d["value"], errors="coerce").notna()].copy()
    d["system"] = _column(d, "model").where(_column(d, "model") != "", _column(d, "method"))
    d = d[d["system"] != ""]
    if d.empty:
        return []
    d["unit"] = _column(d, "unit")
    d["lower"] = _column(d, "better") == "lower"
    d["_bench"] = d["benchmark"].astype(str).str.casefold()
    out = []
    for bench in d["_bench"].value_counts(sort=True).index[:top]:
        b = d[d["_bench"] == bench]
        # the benchmark's most reported (metric, unit): a chart has one scale
        (metric, unit), = b.groupby(["metric", "unit"], sort=False).size().sort_values(
            ascending=False, kind="stable").index[:1]
        g = b[(b["metric"] == metric) & (b["unit"] == unit)]
        lower = bool(g["lower"].iloc[0])
        best = g.groupby("system", sort=False)["value"].agg("min" if lower else "max")
        best = best.sort_values(ascending=lower, kind="stable").iloc[:bars]
        out.append({"title": f"{b['benchmark'].iloc[0]}: best {metric} per model or method",
                    "axis": f"{metric} ({unit})" if unit else str(metric),
                    "better": "lower" if lower else "higher",
                    "rows": [(str(s), float(v)) for s, v in best.items()]})
    return out


def _column(d: pd.DataFrame, name: str) -> pd.Series:
    return d[name].fillna("").astype(str) if name in d.columns else pd.Series("", index=d.index)


def family_counts(run: dict, rows) -> dict[str, int]:
    """Claims per family: the run's count (run.json), else counted from ``rows`` (frame or ParquetRows)."""
    counts = run.get("claims_per_family") if isinstance(run, dict) else None
    if counts:
        return {str(k): int(v) for k, v in counts.items()}
    if rows is None:
        return {}
    fam = rows["family"] if isinstance(rows, pd.DataFrame) else rows.select(["family"], lambda f: [True] * len(f))[
        "family"]
    return {str(k): int(v) for k, v in fam.value_counts().items()}


def add_sheet(wb, leaderboard: pd.DataFrame, run: dict, rows=None) -> list[str]:
    """Write the Charts sheet into the write-only workbook ``wb``; return notes (empty when all went well)."""
    try:
        _write(wb.create_sheet(TITLE), best_per_system(leaderboard), family_counts(run, rows))
    except Exception as e:  # noqa: BLE001 -- the charts are a view; the tables are complete without them
        return [f"{TITLE}: not written ({type(e).__name__}: {e})."]
    return []


def _write(ws, charts: list[dict], families: dict[str, int]) -> None:
    from openpyxl.styles import Font

    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 14
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True   # printed: each table with its chart, one page wide
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    bold = Font(name="Calibri", size=11, bold=True)
    row = 1
    blocks = []
    if families:
        blocks.append(("Claims per family", "family", "claims", sorted(families.items(), key=lambda kv: -kv[1]),
                       "claims", "higher", "#,##0"))
    for c in charts:
        blocks.append((c["title"], "model or method", c["axis"], c["rows"], c["axis"], c["better"], "General"))
    if not blocks:
        ws.append(["No claims to chart."])
        return
    for title, label, value, data, axis, better, fmt in blocks:
        ws.append([_bold(ws, title, bold)])
        ws.append([_bold(ws, label, bold), _bold(ws, value, bold)])
        first = row + 2
        for name, v in data:
            ws.append([_text(ws, name), _number(ws, v, fmt)])
        last = first + len(data) - 1
        ws.add_chart(_bar_chart(ws, title, axis, better, first, last), f"{CHART_COLUMN}{row}")
        used = 2 + len(data)
        for _ in range(BLOCK_ROWS - used):
            ws.append([])
        row += max(BLOCK_ROWS, used)


def _bar_chart(ws, title: str, axis: str, better: str, first: int, last: int):
    from openpyxl.chart import BarChart, Reference

    from extract.write.cells import ILLEGAL

    title, axis = ILLEGAL.sub("", title), ILLEGAL.sub("", axis)   # chart XML takes no control characters
    chart = BarChart()
    chart.type = "bar"                       # horizontal: long model names stay readable
    chart.title = title
    chart.style = 10
    chart.legend = None
    chart.y_axis.title = f"{axis}, {better} is better"
    chart.x_axis.scaling.orientation = "maxMin"   # the first row (the best) at the top
    chart.x_axis.delete = chart.y_axis.delete = False  # openpyxl 3.1 hides the axes otherwise
    chart.add_data(Reference(ws, min_col=2, min_row=first - 1, max_row=last), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=1, min_row=first, max_row=last))
    chart.height = 0.5 * (BLOCK_ROWS - 1)    # cm: the block's rows (about 0.5 cm each)
    chart.width = 18
    return chart


def _bold(ws, text: str, font):
    c = _text(ws, text)
    c.font = font
    return c


def _text(ws, text: str):
    from extract.write.xlsx import text_cell

    return text_cell(ws, str(text))


def _number(ws, v: float, fmt: str):
    from openpyxl.cell import WriteOnlyCell

    c = WriteOnlyCell(ws, v)
    if fmt != "General":
        c.number_format = fmt
    return c
