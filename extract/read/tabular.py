"""CSV and TSV files with a header row: title and abstract columns (an id column optional).

Columns are found by name (case-insensitive), either the ones given or the usual names below.
Other non-empty columns are kept on the paper.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import Iterator

from extract.read.lines import Rejected
from extract.errors import InputError
from extract.records import Paper
from extract.read.common import collapse, damage_of, open_text, peek_text, text_encoding, title_id

ALIASES = {
    "title": ("title", "paper_title", "name"),
    "abstract": ("abstract", "summary", "abstract_text", "paper_abstract"),
    "id": ("id", "paper_id", "arxiv_id", "paperid"),
}

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # abstracts of several MB are legal fields


def delimiter_for(path: Path, head: str, fmt: str | None = None) -> str:
    """Tab for TSV; for CSV (or unknown), whichever of , ; | tab the header line has most of."""
    name = path.name.lower().removesuffix(".gz")
    if fmt == "tsv" or (fmt is None and name.endswith((".tsv", ".tab"))):
        return "\t"
    first = head.splitlines()[0] if head else ""
    best = max(",;|\t", key=first.count)
    return best if first.count(best) else ","


def _column(header: list[str], wanted: str | None, role: str, path: Path, notes: list) -> int | None:
    names = [h.strip().lower() for h in header]
    for alias in ([wanted.strip().lower()] if wanted else ALIASES[role]):
        if alias in names:
            at = [i for i, n in enumerate(names) if n == alias]
            if len(at) > 1:
                notes.append({"line": 1, "id": "", "reason": f"{path.name}: {len(at)} columns named {header[at[0]]!r} "
                              f"(columns {', '.join(str(i + 1) for i in at)}); the {role} is read from column {at[0] + 1}"})
            return at[0]
    if wanted:
        raise InputError(f"no column {wanted!r} for the {role}; the columns are: {', '.join(header)}", str(path), 1)
    return None


def _swallowed_rows(row: list[str], delimiter: str, width: int) -> int:
    """How many lines inside the fields of ``row`` read as whole rows (``width`` fields): the sign of an
    unclosed quote, which runs the rows after it into one field."""
    if width < 2:
        return 0
    inner = [line for field in row if "\n" in field for line in field.splitlines()[1:]
             if line.count(delimiter) >= width - 1]
    return sum(1 for r in csv.reader(inner, delimiter=delimiter) if len(r) == width)


def read(path: Path, title_col: str | None = None, abstract_col: str | None = None,
         id_col: str | None = None, fmt: str | None = None, encoding: str | None = None,
         notes: list | None = None, **_) -> Iterator[Paper | Rejected]:
    """Papers of one table, a row each; ``line`` is the line the row starts on. ``notes`` gets a warning
    (line, id, reason) for each choice made for the reader: the encoding when not UTF-8, a repeated
    column name, a NUL in a header name."""
    notes = notes if notes is not None else []
    head = peek_text(path)
    enc = text_encoding(path, encoding)
    if enc != "utf-8-sig":
        notes.append({"line": 1, "id": "", "reason": f"{path.name}: not UTF-8; read as {enc}"
                      + ("" if encoding else " (detected; extract ingest --encoding chooses)")})
    with open_text(path, enc) as fh:
        reader = csv.reader(fh, delimiter=delimiter_for(path, head, fmt))
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(damage_of(fh) or "empty table: expected a header row with title and abstract columns",
                             str(path), 1)
        if any("\x00" in h for h in header):
            notes.append({"line": 1, "id": "", "reason": f"{path.name}: NUL characters in the header row, removed "
                          f"(columns {', '.join(repr(h) for h in header if chr(0) in h)})"})
            header = [h.replace("\x00", "") for h in header]
        ti = _column(header, title_col, "title", path, notes)
        ai = _column(header, abstract_col, "abstract", path, notes)
        ii = _column(header, id_col, "id", path, notes)
        if ai is None or (ti is None and ii is None):
            raise InputError("expected a header row with an abstract column and a title or id column "
                             f"(choose them with --abstract-col/--title-col/--id-col); found: {', '.join(header)}",
                             str(path), 1)
        named = {i for i in (ti, ai, ii) if i is not None}
        taken = {header[i].strip().lower() for i in named} | {"id", "title", "abstract"}
        source, width = path.name, len(header)
        while True:
            start = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                if damage := damage_of(fh):
                    yield Rejected(start, damage, "")
                return
            except csv.Error as e:
                yield Rejected(start, f"unreadable row: {e}", "")
                continue
            if not any(c.strip() for c in row):
                continue
            raw = reader.dialect.delimiter.join(row)
            n = _swallowed_rows(row, reader.dialect.delimiter, width)
            if n >= 2 or (n and any('"' in f for f in row)):  # a stray quote left in a field: quoting went wrong
                yield Rejected(start, f"unclosed quote: this row runs to line {reader.line_num} and holds {n} "
                               f"lines that look like rows (lines {start + 1}-{reader.line_num} are lost); "
                               "close the quote", raw[:2000])
                continue
            if len(row) != width:
                yield Rejected(start, f"expected {width} fields as in the header, found {len(row)}", raw)
                continue
            title = collapse(row[ti]) if ti is not None else ""
            pid = row[ii].strip() if ii is not None else ""
            if not pid and not title:
                yield Rejected(start, "no id and no title to make one from", raw)
                continue
            # a second column of a name already read (a repeated 'abstract') is not kept: it would
            # override the first where the paper is rebuilt from its fields (warned above)
            extra = {h.strip(): v for i, (h, v) in enumerate(zip(header, row))
                     if i not in named and v.strip() and h.strip().lower() not in taken}
            extra.setdefault("source", source)
            yield Paper(id=pid or title_id(title), title=title, abstract=collapse(row[ai]), line=start, extra=extra)
