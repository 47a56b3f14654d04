"""The Dask engine: the same extraction as the local engine, on a Dask cluster.

The input (one file, or a glob of several) is cut into partitions: byte ranges of a plain JSON Lines
file, a whole file when gzip-compressed. Each partition is read, parsed and extracted on a worker by
the same code as ``corpus.read_corpus`` and ``pipeline.extract_batch``; the client gets the results
back in input order and puts back what only a reader of the whole file can know: line numbers (a
partition counts its lines from 1), repeated ids (renamed ``id#2`` as the reader does) and
``--on-error fail``. Inputs in other formats (arXiv dump, CSV, text) are read here with
``read_corpus`` and their batches extracted on the cluster.

Workers need this package installed (``pip install 'extract[dask]'``) and, for the partitions they
read, the input files at the same path (a shared file system).
"""
from __future__ import annotations

import functools
import logging
import math
from collections import deque
from contextlib import ExitStack, closing
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from extract.read.corpus import RAW_FORMATS, check_corpus, corpus_format, paper_batches
from extract.read.lines import NeverSeen, ReadStats, Rejected, lines, parse_line
from extract.errors import ExtractError
from extract.run.batch import BatchResult, extract_batch
from extract.run import rawlines
from extract.run.rawlines import PartResult
from extract.records import Paper

BLOCK_BYTES = 4 << 20  # largest partition of a plain file: a few thousand abstracts
MIN_BLOCK = 64 << 10  # smallest, when a small file is cut in two per worker
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class Part:
    """A partition: lines of ``path`` that start in bytes [start, end); ``end`` None means to the end."""

    path: str
    start: int
    end: int | None
    gz: bool = False


def plan(files: list[Path], workers: int, block: int | None = None) -> list[Part]:
    """Partitions of JSON Lines files: two per worker for a small file, at most ``block`` bytes each."""
    block = block or BLOCK_BYTES
    parts = []
    for f in files:
        with open(f, "rb") as fh:
            gz = fh.read(2) == GZIP_MAGIC
        if gz:
            parts.append(Part(str(f), 0, None, True))
            continue
        size = f.stat().st_size
        step = max(1, min(block, max(MIN_BLOCK, math.ceil(size / (2 * max(1, workers))))))
        starts = list(range(0, size, step)) or [0]
        parts += [Part(str(f), s, min(s + step, size) if s + step < size else None) for s in starts]
    return parts


class _Range:
    """``readline`` over the lines of a binary file that start before ``end`` (None: to the end)."""

    def __init__(self, fh, pos: int, end: int | None):
        self.fh, self.pos, self.end = fh, pos, end
        self._in_line = False  # inside a line longer than the reader's limit: it may run past ``end``

    def readline(self, size: int = -1) -> bytes:
        if self.end is not None and self.pos >= self.end and not self._in_line:
            return b""
        raw = self.fh.readline(size)
        self.pos += len(raw)
        self._in_line = bool(raw) and not raw.endswith(b"\n")
        return raw


def read_part(part: Part, rules_dir: str | None = None) -> PartResult:
    """Read, parse and extract one partition (runs on a worker)."""
    stats = ReadStats()
    return rawlines.extract_records(_read(part, stats), stats, rules_dir)


def _read(part: Part, stats: ReadStats) -> Iterator[Paper | Rejected]:
    """The records of a partition, parsed as corpus.read_corpus parses them, ids not yet deduplicated."""
    if part.gz:  # a whole file, read as the reader reads .gz (a damaged end is one rejected line)
        from extract.read.jsonl import read

        yield from read(Path(part.path), stats=stats, rename_duplicates=False)
        return
    with open(part.path, "rb", buffering=1 << 20) as fh:
        pos = part.start
        if part.start > 0:
            # The line running over ``start`` belongs to the partition before.
            fh.seek(part.start - 1)
            while (chunk := fh.readline(1 << 20)) and not chunk.endswith(b"\n"):
                pass
            pos = fh.tell()
        seen = NeverSeen()
        for n, raw, status in lines(_Range(fh, pos, part.end), Path(part.path)):
            stats.lines_read += 1
            item = parse_line(raw, n, status, seen, stats)
            if item is None:
                stats.blank_lines += 1
            else:
                yield item


def read_papers(papers: list[Paper], rules_dir: str | None = None) -> BatchResult:
    """A batch of papers read by the client (inputs that are not JSON Lines)."""
    return extract_batch(papers, rules_dir)


def batches(files: list[Path], stats: ReadStats, on_rejected: Callable[[Rejected, Path], None], on_error: str,
            workers: int, scheduler: str | None = None, batch_papers: int = 500,
            block: int | None = None, rules_dir: str | None = None) -> Iterator[BatchResult]:
    """BatchResults in input order, extracted on the cluster; fills ``stats`` as read_corpus does."""
    with ExitStack() as stack:
        client = stack.enter_context(_client(scheduler, workers))
        for f in files:
            if corpus_format(f) in RAW_FORMATS and f.is_file():
                yield from _jsonl_batches(client, f, stats, on_rejected, on_error, workers, block, rules_dir)
            else:
                yield from _client_read_batches(client, f, stats, on_rejected, on_error, workers, batch_papers,
                                                rules_dir)


def _client(scheduler: str | None, workers: int):
    """A distributed Client on ``scheduler``, or on a LocalCluster started (and closed) here."""
    try:
        from distributed import Client, LocalCluster
    except ImportError as e:
        raise ExtractError("the dask engine needs dask and distributed: pip install 'extract[dask]'") from e
    if scheduler:
        try:
            return Client(scheduler, timeout="20s")
        except OSError as e:
            raise ExtractError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from e

    class _Local(ExitStack):
        def __enter__(self):
            super().__enter__()
            # dashboard ":0": a free port (None still binds the scheduler's HTTP routes to 8787).
            cluster = self.enter_context(LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=":0", silence_logs=logging.ERROR))
            return self.enter_context(Client(cluster))

    return _Local()


def _in_order(client, tasks: list, fn, workers: int) -> Iterator:
    """Run ``fn`` on each task through a dask.bag, at most a few partitions ahead, results in order."""
    import dask.bag as db

    ahead = 2 * max(workers, len(client.scheduler_info().get("workers", {})) or 1)
    parts = db.from_sequence(tasks, npartitions=max(1, len(tasks))).map(fn).to_delayed()
    pending: deque = deque()
    todo = iter(parts)
    try:
        for d in todo:
            pending.append(client.compute(d))
            if len(pending) >= ahead:
                yield from pending.popleft().result()
        while pending:
            yield from pending.popleft().result()
    finally:
        for f in pending:
            f.cancel()


def _jsonl_batches(client, path: Path, stats: ReadStats, on_rejected, on_error: str, workers: int,
                   block: int | None, rules_dir: str | None) -> Iterator[BatchResult]:
    check_corpus(path)  # a JSON array is refused before its partitions go out
    read = functools.partial(read_part, rules_dir=rules_dir)
    # closing(): on an error the partitions in flight are cancelled while the client is still up.
    with closing(_in_order(client, plan([path], workers, block), read, workers)) as results:
        yield from merge(results, path, stats, on_rejected, on_error)


def merge(results, path: Path, stats: ReadStats, on_rejected, on_error: str) -> Iterator[BatchResult]:
    """The partitions of one file, in order, as read_corpus would have read the file: line numbers
    made global, repeated ids renamed (with the reader's warning), rejected lines reported."""
    return rawlines.merge(results, path, stats, on_rejected, on_error, relative=True)


def _client_read_batches(client, path: Path, stats: ReadStats, on_rejected, on_error: str, workers: int,
                         size: int, rules_dir: str | None) -> Iterator[BatchResult]:
    ahead = 2 * max(1, workers)
    pending: deque = deque()
    try:
        for batch in paper_batches([path], stats, on_rejected, on_error, size):
            pending.append(client.submit(read_papers, batch, rules_dir, pure=False))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for f in pending:
            f.cancel()
