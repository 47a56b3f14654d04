"""Our own JSON Lines corpus, plain or gzip-compressed: the corpus reader's line parsing
(corpus._lines and corpus._parse, as the Dask engine uses them) over the (decompressed) stream."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from extract.read import corpus
from extract.read.common import damage_of, open_binary


class _NeverSeen(set):
    """For `extract ingest`: repeated ids reach the merging step as they are, not renamed id#2."""

    def __contains__(self, item) -> bool:
        return False

    def add(self, item) -> None:
        pass  # nothing kept: memory stays flat


def read(path: Path, stats: corpus.ReadStats | None = None, rename_duplicates: bool = True,
         **_) -> Iterator[corpus.Paper | corpus.Rejected]:
    stats = stats if stats is not None else corpus.ReadStats()
    seen: set[str] = set() if rename_duplicates else _NeverSeen()
    n = 0
    with open_binary(path) as fh:
        for n, raw, status in corpus._lines(fh, path):
            stats.lines_read += 1
            item = corpus._parse(raw, n, status, seen, stats)
            if item is None:
                stats.blank_lines += 1
                continue
            if isinstance(item, corpus.Rejected):
                stats.rejected += 1
            else:
                stats.papers += 1
            yield item
        if damage := damage_of(fh):
            stats.lines_read += 1  # the cut is reported as one more rejected line, so counts reconcile
            stats.rejected += 1
            yield corpus.Rejected(n + 1, f"{damage} (after line {n})", "")
