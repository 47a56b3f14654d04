"""Cells of the workbook's sheets: styles by id for the fast row writer, the same looks as openpyxl
cells for its fallback, text that stays text, and the header row. Used by extract.write.xlsx."""
from __future__ import annotations

import re

MAX_CELL_CHARS = 32_767             # Excel's limit on the text of one cell
FORMULA_START = ("=", "+", "-", "@")
ILLEGAL_CHARS = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"  # not allowed in XML 1.0 / UTF-8
TRUNCATED = " …[truncated]"
ILLEGAL = re.compile(ILLEGAL_CHARS)


def format_value(v: float) -> str:
    """A plain number for CSV: 7000000000, 12.2 (no exponent, no separators)."""
    if v != v:
        return ""
    if float(v).is_integer() and abs(v) < 1e21:
        return str(int(v))
    s = f"{v:.12f}".rstrip("0").rstrip(".")
    return s if float(s) == v else repr(v)


class Styles:
    """Style ids (as the XML wants them) for the fast path, registered once per workbook and look."""

    def __init__(self, ws, fixed: dict | None = None):
        self.ws = ws
        # fixed: the ids registered by the process that owns the workbook (in a helper, which has none)
        self.cache = fixed if fixed is not None else ws.parent.__dict__.setdefault("_extract_style_ids", {})

    def id(self, number_format=None, center=False, quote=False, wrap=False, link=False):
        key = (number_format, center, quote, wrap, link)
        sid = self.cache.get(key)
        if sid is None:
            if self.ws is None:
                raise KeyError(f"style {key} not registered by the workbook's process")
            from openpyxl.cell import WriteOnlyCell

            c = WriteOnlyCell(self.ws, 0)
            if number_format:
                c.number_format = number_format
            look(c, center, quote, wrap, link)
            sid = self.cache[key] = str(c.style_id) if c.has_style else ""
        return sid

    def column(self, vals, fmt, text, center, wrap=False, linked=None):
        if wrap or linked:
            linked = linked or [None] * len(vals)
            return [None if v is None else self.id(None, False, isinstance(v, str) and v.startswith(FORMULA_START),
                                                   wrap, k is not None) for v, k in zip(vals, linked)]
        if center:
            fmt = fmt or [None] * len(vals)
            return [self.id(f if v is not None and f != "General" else None, True,
                            isinstance(v, str) and v.startswith(FORMULA_START)) for v, f in zip(vals, fmt)]
        if fmt is not None:
            return [None if v is None or f is None or f == "General" else self.id(f) for v, f in zip(vals, fmt)]
        if text:
            quote = self.id(quote=True)
            return [quote if v is not None and v.startswith(FORMULA_START) else None for v in vals]
        return [None] * len(vals)


def look(c, center=False, quote=False, wrap=False, link=False) -> None:
    """Alignment, quote prefix and link font of a cell (the same for both ways rows are written)."""
    from openpyxl.styles import Alignment, Font

    if center or wrap:
        c.alignment = Alignment(horizontal="center" if center else None, wrap_text=wrap or None)
    if quote:
        c.quotePrefix = True
    if link:
        c.font = Font(color="0563C1", underline="single")   # Excel's Hyperlink style


def column_cells(ws, vals, fmt, text, center=False, wrap=False, linked=None):
    """The cells of one column: plain values where that suffices, styled cells otherwise."""
    from openpyxl.cell import WriteOnlyCell as make

    if wrap or linked:
        for v, url in zip(vals, linked or [None] * len(vals)):
            if v is None:
                yield v
                continue
            quote = v.startswith(FORMULA_START)
            c = text_cell(ws, v, make) if quote else make(ws, v)
            look(c, False, quote, wrap, url is not None)
            if url is not None:
                c.hyperlink = url
            yield c
    elif center:
        from openpyxl.styles import Alignment

        middle = Alignment(horizontal="center")
        for v, f in zip(vals, fmt or [None] * len(vals)):
            c = text_cell(ws, v, make) if isinstance(v, str) and v.startswith(FORMULA_START) else make(ws, v)
            c.alignment = middle
            if v is not None and f and f != "General":
                c.number_format = f
            yield c
    elif fmt is not None:
        for v, f in zip(vals, fmt):
            if v is None or f is None or f == "General":
                yield v
            else:
                c = make(ws, v)
                c.number_format = f
                yield c
    elif text:
        for v in vals:
            if v is not None and v.startswith(FORMULA_START):
                yield text_cell(ws, v, make)
            else:
                yield v
    else:
        yield from vals


def text_cell(ws, s: str, make=None):
    """A cell that holds ``s`` as text even when it looks like a formula ("=1+1" stays "=1+1")."""
    if make is None:
        from openpyxl.cell import WriteOnlyCell as make
    if ILLEGAL.search(s):
        s = ILLEGAL.sub("", s)
    if len(s) > MAX_CELL_CHARS:
        s = s[: MAX_CELL_CHARS - len(TRUNCATED)] + TRUNCATED
    c = make(ws, s)
    c.data_type = "s"        # openpyxl would otherwise store "=..." as a formula
    c.quotePrefix = True     # and Excel/LibreOffice keep it text when the cell is edited
    return c


def header_cell(ws, name: str, numeric: bool = False):
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    c = WriteOnlyCell(ws, name)
    if name.startswith(FORMULA_START):
        c.data_type = "s"
    c.font = Font(name="Calibri", size=11, bold=True)   # the body's font; LibreOffice would pick a serif
    c.fill = PatternFill("solid", fgColor="DDE4EE")
    c.border = Border(bottom=Side(style="thin", color="7F8FA6"))
    c.alignment = Alignment(horizontal="right" if numeric else "left", vertical="center")
    return c


