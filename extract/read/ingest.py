"""`extract ingest`: convert arXiv dumps, Hugging Face pages, CSV/TSV and text files into our JSON Lines.

Streams: one record in memory at a time. Duplicates (same id, or same normalised title) are merged,
keeping the first; the keys seen live in a temporary SQLite file, so memory stays flat however long
the input. Every record not written is accounted for: rejected (in the rejected file, with file,
line and reason), merged, or outside the --category filter.
"""
from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable

from extract.read.lines import Rejected
from extract.errors import InputError
from extract.read.sources import detect, read_source
from extract.read.common import check_readable, title_key

DEDUPE = ("id+title", "id", "none")
MERGE_EXAMPLES = 20  # merges listed in the summary; the count covers them all


class Seen:
    """Keys already written, with the id that holds each. On disk (SQLite temporary database, spilled
    past a small page cache), so a dump of millions of papers does not grow memory. Keys are 64-bit
    BLAKE2 digests: two distinct keys colliding among 10 million is a one-in-a-million event."""

    def __init__(self, cache_kib: int = 8192):
        self.db = sqlite3.connect("", isolation_level=None)  # "" = private temporary file
        self.db.execute(f"PRAGMA cache_size = -{cache_kib}")
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.execute("CREATE TABLE seen (k INTEGER PRIMARY KEY, id TEXT, at TEXT)")
        self.db.execute("BEGIN")

    @staticmethod
    def _digest(kind: str, key: str) -> int:
        d = hashlib.blake2b(f"{kind}\0{key}".encode("utf-8", "surrogatepass"), digest_size=8).digest()
        return int.from_bytes(d, "little", signed=True)

    def first(self, kind: str, key: str) -> tuple[str, str] | None:
        row = self.db.execute("SELECT id, at FROM seen WHERE k = ?", (self._digest(kind, key),)).fetchone()
        return tuple(row) if row else None

    def add(self, kind: str, key: str, pid: str, at: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO seen VALUES (?, ?, ?)", (self._digest(kind, key), pid, at))

    def close(self) -> None:
        self.db.close()


def expand(sources: Iterable[str | Path], exclude: Iterable[Path] = (), notes: list | None = None) -> list[Path]:
    """Files to read, in order: each argument as given, a directory as its files sorted by name
    (hidden ones and ``exclude``, our own outputs, left out; a binary file in it is skipped with a note
    in ``notes``, not read as a paper). Raises InputError for a missing or unreadable one before
    anything is read."""
    skip = {Path(x).resolve() for x in exclude}
    files: list[Path] = []
    for s in sources:
        p = Path(s)
        if p.is_dir():
            inside = sorted(f for f in p.iterdir()
                            if f.is_file() and not f.name.startswith(".") and f.resolve() not in skip)
            binary = [f for f in inside if _is_binary(f)]
            for f in binary:
                if notes is not None:
                    notes.append({"file": str(f), "line": 0, "reason": "binary file (NUL bytes), skipped"})
            inside = [f for f in inside if f not in binary]
            if not inside:
                raise InputError("directory has no files to ingest", str(p))
            files.extend(inside)
        else:
            check_readable(p)
            files.append(p)
    for f in files:
        check_readable(f)
    return files


def _is_binary(path: Path) -> bool:
    """A file whose first 8 KB (decompressed, if gzip) hold a NUL byte: an image, a PDF, an archive."""
    from extract.read.common import open_binary

    try:
        with open_binary(path) as fh:
            return b"\x00" in fh.read(8192)
    except (OSError, EOFError):
        return False  # the reader reports what is wrong with it


def default_rejected_path(out: Path) -> Path:
    """corpus.jsonl -> corpus.rejected.jsonl, beside it."""
    name = out.name.removesuffix(".gz").removesuffix(".jsonl")
    return out.with_name(name + ".rejected.jsonl")


def ingest(sources: Iterable[str | Path], out: str | Path, fmt: str | None = None, category: str | None = None,
           title_col: str | None = None, abstract_col: str | None = None, id_col: str | None = None,
           encoding: str | None = None, dedupe: str = "id+title", on_error: str = "skip", rejected_path: str | Path | None = None,
           progress: Callable[[int], None] | None = None) -> dict:
    """Write every paper of ``sources`` to ``out`` (JSON Lines, atomically) and return the summary.

    ``on_error="fail"`` raises InputError (file and line) at the first rejected record, writing nothing.
    """
    from extract.files import atomic_path

    if dedupe not in DEDUPE:
        raise ValueError(f"dedupe must be one of {DEDUPE}")
    out = Path(out)
    rejected_path = Path(rejected_path) if rejected_path else default_rejected_path(out)
    notes: list[dict] = []  # warnings: files skipped, encodings detected, columns chosen
    files = expand(sources, exclude=(out, rejected_path), notes=notes)
    counts: Counter = Counter()
    per_format: Counter = Counter()
    merges: list[dict] = []
    seen = Seen()
    options = {"category": category, "title_col": title_col, "abstract_col": abstract_col, "id_col": id_col,
               "encoding": encoding, "rename_duplicates": False}  # repeated ids are merged below, not renamed id#2
    try:
        with atomic_path(out) as tmp, atomic_path(rejected_path) as rtmp, \
                open(tmp, "w", encoding="utf-8") as fo, open(rtmp, "w", encoding="utf-8") as fr:
            for f in files:
                kind = fmt or detect(f)
                per_format[kind] += 1
                filtered: dict = {}
                file_notes: list[dict] = []
                for item in read_source(f, kind, counts=filtered, notes=file_notes, **options):
                    counts["records"] += 1
                    if isinstance(item, Rejected):
                        if on_error == "fail":
                            raise InputError(item.reason, str(f), item.line)
                        counts["rejected"] += 1
                        _write(fr, {"file": str(f), "line": item.line, "reason": item.reason, "raw": item.raw})
                        continue
                    at = f"{f}:{item.line}"
                    merged = _merge(seen, item, at, dedupe)
                    if merged:
                        counts[f"merged_by_{merged['by']}"] += 1
                        if len(merges) < MERGE_EXAMPLES:
                            merges.append(merged)
                        continue
                    obj = {"id": item.id, "title": item.title, "abstract": item.abstract}
                    obj.update((k, v) for k, v in item.extra.items() if k not in obj)
                    _write(fo, obj)
                    counts["papers"] += 1
                    if progress and counts["papers"] % 10000 == 0:
                        progress(counts["papers"])
                counts["filtered"] += filtered.get("filtered", 0)
                notes += [{"file": str(f), "line": w["line"], "reason": w["reason"]} for w in file_notes]
    finally:
        seen.close()
    merged_total = counts["merged_by_id"] + counts["merged_by_title"]
    return {
        "files": len(files), "formats": dict(per_format), "out": str(out), "rejected_file": str(rejected_path),
        "papers": counts["papers"], "rejected": counts["rejected"], "merged": merged_total,
        "merged_by_id": counts["merged_by_id"], "merged_by_title": counts["merged_by_title"],
        "filtered": counts["filtered"], "merge_examples": merges, "warnings": notes,
        # every record read is written, rejected or merged; filtered ones never became records
        "reconciles": counts["records"] == counts["papers"] + counts["rejected"] + merged_total,
    }


def _write(fh, obj: dict) -> None:
    """One JSON line, UTF-8; text that UTF-8 cannot hold (lone surrogates from a \\ud800 escape in the
    input) is written escaped instead, so nothing is lost and the corpus reader flags it."""
    try:
        fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
    except UnicodeEncodeError:
        fh.write(json.dumps(obj) + "\n")


def _merge(seen: Seen, paper, at: str, dedupe: str) -> dict | None:
    """The merge record when ``paper`` repeats one already written, else None (and remember it)."""
    if dedupe == "none":
        return None
    tkey = title_key(paper.title) if dedupe == "id+title" else ""
    hit = seen.first("id", paper.id)
    by = "id"
    if hit is None and tkey:
        hit, by = seen.first("title", tkey), "title"
    if hit is not None:
        return {"id": paper.id, "at": at, "kept": hit[0], "kept_at": hit[1], "by": by}
    seen.add("id", paper.id, paper.id, at)
    if tkey:
        seen.add("title", tkey, paper.id, at)
    return None
