"""Write a sheet's data rows as XML text, spliced into the sheet openpyxl has written.

openpyxl turns every value into a Cell object and serialises it cell by cell (about 8 µs a cell with
lxml); a million claims are some 15 million cells. Here openpyxl writes everything about the sheet
(columns, frozen pane, filter, page setup, the styled header row) and closes it; then the data rows,
as plain markup (inline strings, numbers as "%.16g", booleans; styles by the ids openpyxl gave them),
are put in before ``</sheetData>`` of the file openpyxl keeps for the sheet until it zips the workbook.

This relies on one private attribute of openpyxl's write-only sheet: ``_writer.out``, the path of that
file. ``available()`` checks, once, that it is there and holds what we expect; extract.xlsx uses
openpyxl's own ``append`` when it is not.
"""
from __future__ import annotations

import os
from functools import lru_cache
from typing import Iterable, Iterator

END = "</sheetData>"


@lru_cache(maxsize=1)
def available() -> bool:
    try:
        from openpyxl import Workbook

        ws = Workbook(write_only=True).create_sheet("probe")
        ws.append(["x"])
        ws.close()
        with open(ws._writer.out, encoding="utf-8") as f:
            ok = f.read().count(END) == 1
        os.unlink(ws._writer.out)
        return ok
    except Exception:   # any other openpyxl: fall back to its public API
        return False


def splice(ws, chunks: Iterable[str]) -> None:
    """Close the write-only sheet ``ws`` and add the rows' XML (``chunks``) after the rows it has."""
    ws.close()
    out = ws._writer.out
    with open(out, encoding="utf-8") as f:
        xml = f.read()                       # the sheet without its data: a few kilobytes
    cut = xml.rindex(END)                    # cell text is escaped, so this tag is the real one
    tmp = out + ".rows"
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        f.write(xml[:cut])
        for chunk in chunks:
            f.write(chunk)
        f.write(xml[cut:])
    os.replace(tmp, out)


def rows_xml(first: int, values: list[list], styles: list[list], letters: list[str],
             batch: int = 2000, heights: list | None = None) -> Iterator[str]:
    """The XML of rows ``first``, ``first + 1``, ..., ``batch`` rows a string (``values`` and ``styles``
    are per column; ``heights``: per row, points or None for the default)."""
    parts: list[str] = []
    add = parts.append
    heights = heights or [None] * (len(values[0]) if values else 0)
    for i, (row, sids, h) in enumerate(zip(zip(*values), zip(*styles), heights), first):
        if (i - first) % batch == 0 and parts:
            yield "".join(parts)
            parts.clear()
        r = str(i)
        add(f'<row r="{r}" ht="{h:g}" customHeight="1">' if h else f'<row r="{r}">')
        for letter, v, s in zip(letters, row, sids):
            if v is None:
                continue
            sa = f' s="{s}"' if s else ""
            if isinstance(v, str):
                space = ' xml:space="preserve"' if v[:1].isspace() or v[-1:].isspace() else ""
                add(f'<c r="{letter}{r}"{sa} t="inlineStr"><is><t{space}>{escape(v)}</t></is></c>')
            elif isinstance(v, bool):
                add(f'<c r="{letter}{r}"{sa} t="b"><v>{1 if v else 0}</v></c>')
            else:
                add(f'<c r="{letter}{r}"{sa} t="n"><v>{"%.16g" % v}</v></c>')
        add("</row>")
    if parts:
        yield "".join(parts)


def escape(s: str) -> str:
    """Text for an XML text node; a carriage return as a reference, since XML readers turn it into \\n."""
    if "&" in s:
        s = s.replace("&", "&amp;")
    if "<" in s:
        s = s.replace("<", "&lt;")
    if ">" in s:
        s = s.replace(">", "&gt;")
    if "\r" in s:
        s = s.replace("\r", "&#13;")
    return s
