"""Our own JSON Lines corpus, plain or gzip-compressed: the corpus reader's line parsing
(lines.lines and lines.parse_line) over the (decompressed) stream."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from extract.read.lines import NeverSeen, ReadStats, Rejected, lines, parse_line
from extract.records import Paper
from extract.read.common import damage_of, open_binary


def read(path: Path, stats: ReadStats | None = None, rename_duplicates: bool = True,
         **_) -> Iterator[Paper | Rejected]:
    stats = stats if stats is not None else ReadStats()
    seen: set[str] = set() if rename_duplicates else NeverSeen()
    n = 0
    with open_binary(path) as fh:
        for n, raw, status in lines(fh, path):
            stats.lines_read += 1
            item = parse_line(raw, n, status, seen, stats)
            if item is None:
                stats.blank_lines += 1
                continue
            if isinstance(item, Rejected):
                stats.rejected += 1
            else:
                stats.papers += 1
            yield item
        if damage := damage_of(fh):
            stats.lines_read += 1  # the cut is reported as one more rejected line, so counts reconcile
            stats.rejected += 1
            yield Rejected(n + 1, f"{damage} (after line {n})", "")
