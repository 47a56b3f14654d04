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
from extract.read.common import collapse, damage_of, open_text, peek_text, title_id

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


def _column(header: list[str], wanted: str | None, role: str, path: Path) -> int | None:
    names = [h.strip().lower() for h in header]
    if wanted:
        if wanted.strip().lower() in names:
            return names.index(wanted.strip().lower())
        raise InputError(f"no column {wanted!r} for the {role}; the columns are: {', '.join(header)}", str(path), 1)
    for alias in ALIASES[role]:
        if alias in names:
            return names.index(alias)
    return None


def read(path: Path, title_col: str | None = None, abstract_col: str | None = None,
         id_col: str | None = None, fmt: str | None = None, **_) -> Iterator[Paper | Rejected]:
    """Papers of one table, a row each; ``line`` is the line the row starts on."""
    head = peek_text(path)
    with open_text(path) as fh:
        reader = csv.reader(fh, delimiter=delimiter_for(path, head, fmt))
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(damage_of(fh) or "empty table: expected a header row with title and abstract columns",
                             str(path), 1)
        ti = _column(header, title_col, "title", path)
        ai = _column(header, abstract_col, "abstract", path)
        ii = _column(header, id_col, "id", path)
        if ai is None or (ti is None and ii is None):
            raise InputError("expected a header row with an abstract column and a title or id column "
                             f"(choose them with --abstract-col/--title-col/--id-col); found: {', '.join(header)}",
                             str(path), 1)
        named = {i for i in (ti, ai, ii) if i is not None}
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
            if len(row) != width:
                yield Rejected(start, f"expected {width} fields as in the header, found {len(row)}", raw)
                continue
            title = collapse(row[ti]) if ti is not None else ""
            pid = row[ii].strip() if ii is not None else ""
            if not pid and not title:
                yield Rejected(start, "no id and no title to make one from", raw)
                continue
            extra = {h.strip(): v for i, (h, v) in enumerate(zip(header, row)) if i not in named and v.strip()}
            extra.setdefault("source", source)
            yield Paper(id=pid or title_id(title), title=title, abstract=collapse(row[ai]), line=start, extra=extra)
