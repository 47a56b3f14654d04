"""JSON Lines parsed where they are extracted: the reading process only cuts the corpus into numbered
raw lines; the workers decode, parse and check them (read.corpus.parse_raw_lines, the reader's own code) and extract.

Decoding and checking every line cost the reading process about as much CPU as writing the outputs;
with two cores it competed with the two workers. What only a reader of the whole file knows -- a
repeated id (renamed ``id#2``, with the reader's warning), ``--on-error fail``, the counts of
``ReadStats`` -- is put back by :func:`merge`, in input order, so a run reads exactly as
``corpus.read_corpus`` reads. The Dask engine merges its partitions (whose lines count from 1) here too.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

import numpy as np

from extract.read.corpus import parse_raw_lines
from extract.read.lines import ReadStats, Rejected
from extract.errors import InputError
from extract.run.batch import BatchResult, after_batch, extract_batch

@dataclass
class PartResult:
    """What a worker returns for a batch of lines; with ``relative`` merging, lines count from 1."""

    batch: BatchResult
    lines: int  # physical lines read
    blank: int
    items: list = field(default_factory=list)  # ("p", line, id) | ("r", line, reason, raw), in order
    warnings: list = field(default_factory=list)  # reader warnings: {"line", "id", "reason"}


def parse_and_extract(lines: list[tuple[int, bytes, str]], rules_dir: str | None = None) -> PartResult:
    """Parse raw lines (line number, bytes, status as read.corpus.raw_batches cuts them) and extract the papers
    (runs in a worker)."""
    stats = ReadStats()
    return extract_records(parse_raw_lines(lines, stats), stats, rules_dir)


def extract_records(records, stats: ReadStats, rules_dir: str | None = None) -> PartResult:
    """Extract the papers among ``records`` (papers and rejected lines, in order) into a PartResult;
    ``stats`` is filled as ``records`` is read. Shared by the local and the Dask engine."""
    papers, items = [], []
    for item in records:
        if isinstance(item, Rejected):
            items.append(("r", item.line, item.reason, item.raw))
        else:
            papers.append(item)
            items.append(("p", item.line, item.id))
    return PartResult(extract_batch(papers, rules_dir), stats.lines_read, stats.blank_lines, items, stats.warnings)


def merge(results: Iterable[PartResult], path: Path, stats: ReadStats, on_rejected, on_error: str,
          relative: bool = False) -> Iterator[BatchResult]:
    """The batches of one file, in order, as read_corpus would have read the file (see Merger)."""
    m = Merger(path, stats, on_rejected, on_error, relative)
    for r in results:
        yield m.add(r)


class Merger:
    """Puts back, result by result in input order, what only a reader of the whole file knows: repeated
    ids renamed (with the reader's warning), rejected lines reported (or the run stopped,
    ``on_error="fail"``), ``stats`` counted. ``relative``: each result's lines count from 1 (Dask
    partitions) and are made global here."""

    def __init__(self, path: Path, stats: ReadStats, on_rejected, on_error: str, relative: bool = False):
        self.path, self.stats, self.on_rejected, self.on_error, self.relative = path, stats, on_rejected, on_error, relative
        self.offset = 0
        self.seen: set[str] = set()  # per file, as read_corpus

    def add(self, r: PartResult) -> BatchResult:
        stats, offset, seen = self.stats, self.offset, self.seen
        warn = defaultdict(list)
        for w in r.warnings:
            warn[w["line"]].append(w)
        new_ids, renamed = [], {}
        for item in r.items:
            line = offset + item[1]
            if item[0] == "r":
                if self.on_error == "fail":
                    raise InputError(item[2], str(self.path), line)
                stats.rejected += 1
                self.on_rejected(Rejected(line, item[2], item[3]), self.path)
                continue
            pid = original = item[2]
            extra = []
            if pid in seen:  # as the reader's make_paper does
                k = 2
                while f"{original}#{k}" in seen:
                    k += 1
                pid = f"{original}#{k}"
                stats.duplicate_ids += 1
                extra.append(f"duplicate id {original!r}, renamed {pid!r}")
                renamed[item[1]] = pid
            seen.add(pid)
            new_ids.append(pid)
            stats.papers += 1
            for w in warn.get(item[1], ()):
                stats.warnings.append({"line": line, "id": pid, "reason": w["reason"]})
            stats.warnings += [{"line": line, "id": pid, "reason": x} for x in extra]
        stats.lines_read += r.lines
        stats.blank_lines += r.blank
        b = r.batch
        if renamed:  # paper_id is the first column
            b.columns[0] = np.repeat(np.array(new_ids, dtype=object), b.counts).tolist()
        for f in b.failed:
            f["id"] = renamed.get(f["line"], f["id"])
            f["line"] += offset
        if self.relative:
            self.offset += r.lines
        return b


def work(item: tuple, rules_dir: str | None = None):
    """A work item of the local engine: ("lines", raw lines) -> PartResult; ("papers", Papers) -> BatchResult."""
    kind, payload = item
    try:
        if kind == "lines":
            return parse_and_extract(payload, rules_dir)
        return extract_batch(payload, rules_dir)
    finally:
        after_batch()
