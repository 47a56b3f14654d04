"""How the workbook's sheets read and print: column order, wrapped text, print setup, paper links.

The sheet builders (extract.write.leaderboard) decide which rows and columns a sheet holds; this
module decides how they are shown, whatever order the builder gives them in:

- columns in the order people read a claim: what was measured, by whom, where, the value; then the
  sentence that says so (evidence); then the ids that trace it (paper_id, title, link, offsets...);
- evidence, titles and reasons wrap in a capped width instead of running off the page;
- printed landscape, one page wide (as many tall as it takes), the header row on every page. The
  print area ends at ``paper_id``: the columns after it (titles, links, offsets, canonical names)
  are for the screen, and printing them would shrink every page to unreadable type;
- ``paper_id`` (and a ``link`` column, when a sheet has one) is a hyperlink to the paper: the
  corpus's ``source`` when that is a web address, else https://arxiv.org/abs/<id> for an arXiv id.
"""
from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd

# Per sheet, the columns in reading order; columns a sheet has that are not listed follow, as given.
ORDER = {
    # ranked within benchmark and metric, so those lead (and stay frozen at the left), then who, value
    "Leaderboard": ["benchmark", "metric", "better", "rank", "model", "method", "value", "unit", "qualifier",
                    "evidence", "paper_id", "title", "link", "baseline", "kind", "value_text"],
    "Claims": ["family", "metric", "kind", "direction", "model", "method", "baseline", "benchmark", "value",
               "unit", "qualifier", "evidence", "paper_id", "title", "value_text", "start", "end", "rule",
               "valid", "issues", "model_canonical", "benchmark_canonical"],
    "Compute": ["family", "metric", "kind", "direction", "model", "method", "baseline", "value", "unit",
                "qualifier", "evidence", "paper_id", "title", "value_text"],
    # the reasons first: this sheet is read to find out what is wrong
    "Validation": ["issues", "family", "metric", "kind", "model", "benchmark", "value", "unit", "qualifier",
                   "evidence", "paper_id", "title", "value_text", "rule"],
}
# Text that wraps, and the width (characters) it wraps at.
WRAP = {"evidence": 60, "title": 30, "issues": 40, "names as written": 30, "paper_ids": 30}
PRINT_ENDS_AT = "paper_id"
# Excel refuses a sheet with more hyperlinks than this; rows past it keep their text, without a link.
MAX_LINKS = 65_530
LINKED = ("paper_id", "link")

_ARXIV = re.compile(r"^(?:arxiv:)?(\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)$", re.I)
_WEB = re.compile(r"^https?://\S+$", re.I)


def arranged(table):
    """``table`` with its columns in reading order (a DataFrame or lazy ParquetRows alike)."""
    cols = [str(c) for c in table.df.columns]
    order = ORDER.get(table.title)
    if not order:
        return table
    want = [c for c in order if c in cols] + [c for c in cols if c not in order]
    if want == cols:
        return table
    df = table.df.with_columns(want) if hasattr(table.df, "with_columns") else table.df[want]
    return replace(table, df=df)


def width_cap(name: str, cap: int) -> int:
    return min(cap, WRAP[name]) if name in WRAP else cap


def wraps(name: str) -> bool:
    return name in WRAP


LINE_POINTS = 15    # a line of Calibri 11, as Excel spaces it
MAX_LINES = 27      # Excel's tallest row (409 points)


def row_heights(values: list[list], wrap: list[bool], widths: list[float]) -> list[float | None]:
    """Per row, the height (points) that shows all of its wrapped text, or None where one line does.
    Set explicitly: neither Excel nor LibreOffice grows a row to fit its text when opening a file."""
    cols = [(vals, w) for vals, flag, w in zip(values, wrap, widths) if flag]
    n = len(values[0]) if values else 0
    if not cols:
        return [None] * n
    out = []
    for i in range(n):
        lines = max(_lines(vals[i], w) for vals, w in cols)
        out.append(LINE_POINTS * min(lines, MAX_LINES) if lines > 1 else None)
    return out


def _lines(text, width: float) -> int:
    if not text:
        return 1
    # A width unit is one digit; running text averages narrower (about 1.4 characters a unit in
    # Calibri 11, as LibreOffice prints it), words break early: 1.15 leaves room for both.
    per_line = max(1, int(1.15 * (width - 1)))
    return -(-len(text) // per_line)


def print_setup(ws, columns: list[str], ref_rows: int) -> None:
    """Landscape, one page wide, header row on every page, the area up to paper_id."""
    from openpyxl.utils import get_column_letter

    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0            # as many pages tall as the rows need
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.print_options.gridLines = True        # rows of wrapped text stay apart on paper
    ws.oddFooter.center.text = "&A, page &P of &N"
    if columns:
        last = columns.index(PRINT_ENDS_AT) + 1 if PRINT_ENDS_AT in columns else len(columns)
        ws.print_area = f"A1:{get_column_letter(last)}{ref_rows}"


def paper_url(paper_id, source="") -> str:
    """The paper's page: its ``source`` when that is a web address, else arXiv's for an arXiv id, else ""."""
    if isinstance(source, str) and _WEB.match(source.strip()):
        return source.strip()
    m = _ARXIV.match(str(paper_id or "").strip())
    return f"https://arxiv.org/abs/{m.group(1)}" if m else ""


def urls(piece: pd.DataFrame, column: str) -> list[str]:
    """The link target of each row's ``column`` cell ("" for none)."""
    if column == "link":
        return [v.strip() if isinstance(v, str) and _WEB.match(v.strip()) else "" for v in piece[column]]
    source = piece["source"].tolist() if "source" in piece.columns else [""] * len(piece)
    # plain lists (iterating an Arrow-backed column is slow), and each paper's url made once: a paper
    # has a few claims in a row
    made: dict = {}
    out = []
    for p, s in zip(piece[column].tolist(), source):
        key = (p, s)
        url = made.get(key)
        if url is None:
            url = made[key] = paper_url(p, s)
        out.append(url)
    return out


def sheet_links(df, columns: list[str], lo: int, hi: int, first_row: int = 2) -> dict[tuple[int, int], str]:
    """{(sheet row, column number): url} for the linked columns of rows lo..hi (the sheet's first data
    row is ``first_row``), at most MAX_LINKS. Reads only the columns it needs."""
    linked = [c for c in LINKED if c in columns]
    if not linked:
        return {}
    need = linked + (["source"] if "source" in columns and "source" not in linked else [])
    out: dict[tuple[int, int], str] = {}
    for a, piece in _pieces(df, need, lo, hi):
        for c in linked:
            j = columns.index(c) + 1
            for i, url in enumerate(urls(piece, c)):
                if url:
                    out[(first_row + a - lo + i, j)] = url
                    if len(out) >= MAX_LINKS:
                        return out
    return out


def _pieces(df, columns: list[str], lo: int, hi: int, size: int = 100_000):
    if hasattr(df, "groups"):   # ParquetRows: a row group at a time, only these columns
        for g0, g in df.groups(columns):
            a, b = max(lo, g0), min(hi, g0 + len(g))
            if a < b:
                yield a, g.iloc[a - g0:b - g0].reset_index(drop=True)
        return
    for a in range(lo, hi, size):
        yield a, df[columns].iloc[a:min(a + size, hi)].reset_index(drop=True)


def add_links(ws, links: dict[tuple[int, int], str]) -> None:
    """Register the hyperlinks of a write-only sheet; openpyxl writes them (and their targets) when
    the sheet is closed, so this is done before its rows are spliced in."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.hyperlink import Hyperlink

    ws._hyperlinks.extend(Hyperlink(ref=f"{get_column_letter(j)}{r}", target=url)
                          for (r, j), url in sorted(links.items()))
