"""The one place that decides what a corpus file is, and hands the run its reader.

``corpus_format(path)`` tells a file's format once (our JSON Lines, plain or gzip-compressed, or another
source); ``read_corpus`` reads any of them into Paper and Rejected records; ``raw_batches`` cuts a JSON
Lines file into numbered raw lines for workers that parse them (``parse_raw_lines``, the reader's own
parsing), and ``paper_batches`` reads any other source here, in lists of papers.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, Iterator

from extract.errors import InputError
from extract.read.common import check_readable, damage_of, is_gzip, open_binary, peek_text
from extract.read.lines import NeverSeen, ReadStats, Rejected, check_file, lines, open_jsonl, parse_line, read_jsonl
from extract.read.sources import detect, read_counted
from extract.records import Paper

DAMAGED = "damaged"  # a line status of our own: the cut of a damaged .gz, its reason in place of the bytes
RAW_FORMATS = ("jsonl", "jsonl.gz")  # read as raw lines, parsed by whoever extracts them
# A batch also ends at this many bytes of text: 500 abstracts of 1.2 MB would be 600 MB a batch (times the
# batches in flight and their parsed copies: 6.6 GB across processes); with a cap memory stays flat.
BATCH_BYTES = 4 << 20


def corpus_format(path: str | Path) -> str:
    """``jsonl`` (our JSON Lines, and whatever cannot be read: its reader names the problem), ``jsonl.gz``,
    or the source format (``arxiv``, ``hf-pages``, ``csv``, ``tsv``, ``text``)."""
    path = Path(path)
    try:
        if not path.is_file():
            return "jsonl"
        fmt = detect(path)
        if fmt == "jsonl":
            return "jsonl.gz" if is_gzip(path) else "jsonl"
    except OSError:
        return "jsonl"  # the JSON Lines reader reports unreadable files
    return fmt


def read_corpus(path: str | Path, stats: ReadStats | None = None, fmt: str | None = None) -> Iterator[Paper | Rejected]:
    """Yield a Paper for each good line and a Rejected for each bad one; blank lines are counted.

    A missing, unreadable or wrong kind of file raises :class:`InputError` at the first ``next()``.
    Other sources (arXiv dump, Hugging Face pages, CSV/TSV, text; ``fmt`` forces one) are read by
    ``extract.read.sources``, into the same records.
    """
    path = Path(path)
    stats = stats if stats is not None else ReadStats()
    fmt = fmt or corpus_format(path)
    if fmt != "jsonl":
        yield from read_counted(path, fmt, stats)
        return
    check_corpus(path)
    yield from read_jsonl(path, stats)


def check_corpus(path: Path) -> None:
    """InputError for a missing file, a directory, or a JSON array (one value over many lines: each of its
    lines was rejected, 52 rejections for 50 papers, with no word that the file is an array)."""
    check_file(path)
    try:
        head = peek_text(path, 4096).lstrip()
    except OSError:
        return  # the reader reports it
    first = head.split("\n", 1)[0].strip()
    # an array of objects over several lines (pretty-printed); a one-line "[...]" is a rejected line
    # (one line alone, "[{", is that line's to reject: an array over many lines needs a second line)
    if first.startswith("[") and head[1:].lstrip()[:1] == "{" and "\n" in head.rstrip() and not _complete_json(first):
        raise InputError("a JSON array, not JSON Lines (one object per line); convert it with: "
                         f"jq -c '.[]' {path} > {path.stem}.jsonl", str(path), 1)


def _complete_json(text: str) -> bool:
    import json

    try:
        json.loads(text)
        return True
    except (ValueError, RecursionError):
        return False


def raw_batches(path: Path, size: int, max_bytes: int = BATCH_BYTES) -> Iterator[list[tuple[int, bytes, str]]]:
    """The physical lines of a JSON Lines file (plain or .gz) in lists of ``size`` lines or ``max_bytes``
    bytes, whichever comes first, numbered from 1; a damaged .gz ends with one more line, its damage, as
    the JSON Lines reader reports it."""
    check_corpus(path)
    try:
        gz = is_gzip(path)
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}", str(path)) from e
    if gz:
        check_readable(path)
        fh = open_binary(path)
    else:
        fh = open_jsonl(path)
    batch: list = []
    n = held = 0
    with fh:
        for n, raw, status in lines(fh, path):
            batch.append((n, raw, status))
            held += len(raw)
            if len(batch) >= size or held >= max_bytes:
                yield batch
                batch, held = [], 0
        if gz and (damage := damage_of(fh)):
            batch.append((n + 1, f"{damage} (after line {n})".encode("utf-8"), DAMAGED))
    if batch:
        yield batch


def parse_raw_lines(raw_lines: Iterable[tuple[int, bytes, str]], stats: ReadStats) -> Iterator[Paper | Rejected]:
    """Papers and Rejected records of raw lines as ``raw_batches`` cuts them (ids not yet deduplicated);
    ``stats`` counts lines and blank lines as they go."""
    seen = NeverSeen()
    for n, raw, status in raw_lines:
        stats.lines_read += 1
        if status == DAMAGED:
            yield Rejected(n, raw.decode("utf-8"), "")
            continue
        item = parse_line(raw, n, status, seen, stats)
        if item is None:
            stats.blank_lines += 1
        else:
            yield item


def paper_batches(files: Iterable[Path], stats: ReadStats, on_rejected: Callable[[Rejected, Path], None],
                  on_error: str, size: int, max_chars: int = BATCH_BYTES) -> Iterator[list[Paper]]:
    """Papers of ``files`` in lists of ``size`` papers or ``max_chars`` characters of abstract, whichever
    comes first; a rejected line goes to ``on_rejected`` (or stops the run with ``on_error="fail"``)."""
    batch: list[Paper] = []
    held = 0
    for path in files:
        for item in read_corpus(path, stats):
            if isinstance(item, Rejected):
                if on_error == "fail":
                    raise InputError(item.reason, str(path), item.line)
                on_rejected(item, path)
            else:
                batch.append(item)
                held += len(item.abstract)
                if len(batch) >= size or held >= max_chars:
                    yield batch
                    batch, held = [], 0
    if batch:
        yield batch


def is_stream(path: str | Path) -> bool:
    """``-`` (standard input), a pipe, ``/dev/stdin`` or a process substitution ``<(...)``: bytes that can
    be read only once, so they are not sniffed and then read again (which lost the first bytes)."""
    if str(path) == "-":
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


@contextlib.contextmanager
def spooled(path: str | Path, into: Path) -> Iterator[tuple[Path, str]]:
    """Read a stream (see is_stream) once, to its end, into a temporary file in ``into``; yield the file
    and the stream's sha256. The file is ``.stdin.PID.XXXX.part``: removed at the end, or by the next
    run if this one is killed. Every line then goes through the readers as a file's would."""
    h = hashlib.sha256()
    fd, tmp = tempfile.mkstemp(prefix=f".stdin.{os.getpid()}.", suffix=".part", dir=into)
    try:
        with os.fdopen(fd, "wb") as out:
            try:
                src = sys.stdin.buffer if str(path) == "-" else open(path, "rb")
            except OSError as e:
                raise InputError(f"cannot read: {e.strerror or e}", str(path)) from e
            with contextlib.ExitStack() as stack:
                if src is not sys.stdin.buffer:
                    stack.enter_context(src)
                while block := src.read(1 << 20):
                    h.update(block)
                    out.write(block)
        yield Path(tmp), h.hexdigest()
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
