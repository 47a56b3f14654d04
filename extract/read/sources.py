"""Corpus sources other than our JSON Lines: the arXiv metadata dump, Hugging Face daily-papers pages,
CSV/TSV tables and plain text files, each optionally gzip-compressed.

``read_source(path)`` yields the same records as ``corpus.read_corpus``: a Paper for each paper and a
Rejected (line, reason, raw) for each record that is not one. Readers are imported on use.
"""
from __future__ import annotations

import importlib
from pathlib import Path
from typing import Iterator

from extract.read.lines import Rejected, make_paper

FORMATS = ("jsonl", "arxiv", "hf-pages", "csv", "tsv", "text")
MODULES = {"arxiv": "arxiv", "hf-pages": "hf_pages", "csv": "tabular", "tsv": "tabular", "text": "plaintext"}
TEXT_EXTS = (".txt", ".text", ".md", "")
JSON_EXTS = (".jsonl", ".json", ".ndjson")


def detect(path: Path) -> str:
    """The format of a readable file: by its name, then by its first lines (after decompression)."""
    from extract.read.common import peek_text

    name = path.name.lower()
    for gz in (".gz", ".gzip"):
        name = name.removesuffix(gz)
    ext = Path(name).suffix
    if ext == ".csv":
        return "csv"
    if ext in (".tsv", ".tab"):
        return "tsv"
    head = peek_text(path)
    first = next((x for x in head.splitlines() if x.strip()), "").strip()
    if first.startswith("{"):
        from extract.read.arxiv import looks_like_dump

        return "arxiv" if looks_like_dump(first) else "jsonl"
    if ext in JSON_EXTS:
        return "jsonl"  # whatever it holds, the JSON Lines reader says line by line what is wrong
    from extract.read.hf_pages import looks_like_page

    if looks_like_page(head):
        return "hf-pages"
    low = first.lower()
    if "abstract" in low and any(d in first for d in ",\t"):
        return "tsv" if "\t" in first else "csv"
    return "text"


def read_source(path: str | Path, fmt: str | None = None, **options) -> Iterator:
    """Papers and Rejected records of one file. Options: category (arxiv); title_col, abstract_col,
    id_col (csv/tsv); counts (a dict that gets 'filtered'); stats, rename_duplicates (jsonl)."""
    from extract.read.common import Damaged, check_readable

    path = Path(path)
    check_readable(path)
    fmt = fmt or detect(path)
    if fmt in ("jsonl", "jsonl.gz"):
        from extract.read.jsonl import read

        yield from read(path, **options)
        return
    module = importlib.import_module(f"extract.read.{MODULES[fmt]}")
    if fmt in ("csv", "tsv"):
        options["fmt"] = fmt
    try:
        yield from module.read(path, **options)
    except Damaged as e:
        yield Rejected(e.line, e.reason, "")


def read_counted(path: str | Path, fmt: str, stats) -> Iterator:
    """read_source for corpus.read_corpus (so `extract run` takes any source): each record counts as
    one line in ``stats``, and each paper goes through the JSON Lines reader's own checks (characters
    no output can hold replaced, empty abstract warned, repeated ids renamed ``id#2``), so a source
    read directly gives what its ingested corpus gives. Merging duplicates is `extract ingest`'s job."""
    if fmt == "jsonl.gz":  # counts lines itself, as the plain reader does
        yield from read_source(path, fmt, stats=stats)
        return
    seen: set[str] = set()
    for item in read_source(path, fmt, notes=stats.warnings):
        stats.lines_read += 1
        if not isinstance(item, Rejected):
            obj = {"id": item.id, "title": item.title, "abstract": item.abstract, **item.extra}
            item = make_paper(obj, item.line, "", seen, stats, b"")
        if isinstance(item, Rejected):
            stats.rejected += 1
        else:
            stats.papers += 1
        yield item
