"""The JSON Lines reader's parts: physical lines, each parsed into a Paper or a Rejected record, never lost.

Every physical line is counted once, as a paper, a rejected line or a blank line, so a run can show
``lines_read == papers + rejected + blank_lines``. Problems that do not cost a paper (invalid UTF-8
bytes, control characters, a duplicate id, an empty abstract) are kept as warnings in ``ReadStats``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Iterator

from extract.errors import InputError
from extract.records import Paper

# A longer line is not an abstract (a binary file, or a file with no newlines): rejected, not loaded.
MAX_LINE_BYTES = 64 << 20
RAW_PREVIEW = 2000  # characters of an over-long line kept in the report
# Characters that XML (so XLSX) cannot hold and that no abstract means: replaced one-for-one by a
# space, so every offset into the abstract stays the same. Lone surrogates cannot be written as UTF-8.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_EITHER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")  # one search for a clean field
# json.loads(text, strict=False) makes a decoder per call: one, made once, parses the same
_DECODE = json.JSONDecoder(strict=False).decode


@dataclass(slots=True)
class Rejected:
    """A line that is not a paper: where it was, why, and the raw text."""

    line: int
    reason: str
    raw: str


@dataclass
class ReadStats:
    """What a read saw, filled in as the reader goes. ``warnings`` are dicts: line, id, reason."""

    lines_read: int = 0
    papers: int = 0
    rejected: int = 0
    blank_lines: int = 0
    duplicate_ids: int = 0
    warnings: list[dict] = field(default_factory=list)

    @property
    def reconciles(self) -> bool:
        return self.lines_read == self.papers + self.rejected + self.blank_lines

    def as_dict(self) -> dict:
        return {"lines_read": self.lines_read, "papers_read": self.papers, "lines_rejected": self.rejected,
                "blank_lines": self.blank_lines, "duplicate_ids": self.duplicate_ids,
                "warnings": len(self.warnings), "lines_reconcile": self.reconciles}


class NeverSeen(set):
    """An id set that never holds anything: repeated ids are left as they are (renamed later by whoever
    sees the whole file, or merged by `extract ingest`); memory stays flat."""

    def __contains__(self, item) -> bool:
        return False

    def add(self, item) -> None:
        pass


def check_file(path: Path) -> None:
    if not path.exists():
        hint = "" if path.parent.is_dir() else f" (no directory {path.parent})"
        raise InputError(f"no such file{hint}", str(path))
    if path.is_dir():
        raise InputError("is a directory, expected a JSON Lines file", str(path))


def open_jsonl(path: Path) -> BinaryIO:
    """The file's bytes, or InputError naming it."""
    try:
        return open(path, "rb")
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror or e}", str(path)) from e


def read_jsonl(path: Path, stats: ReadStats) -> Iterator[Paper | Rejected]:
    fh = open_jsonl(path)
    seen: set[str] = set()
    with fh:
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


def lines(fh: BinaryIO, path: Path) -> Iterator[tuple[int, bytes, str]]:
    """(line number, bytes without the line end, "whole" | "unended" | "too long") per physical line."""
    n = 0
    while True:
        try:
            raw = fh.readline(MAX_LINE_BYTES + 1)
        except OSError as e:
            raise InputError(f"read failed: {e.strerror or e}", str(path), n + 1) from e
        if not raw:
            return
        n += 1
        if n == 1 and looks_utf16(raw):
            raise InputError("looks like UTF-16 (byte order mark); save the corpus as UTF-8", str(path), 1)
        if raw.endswith(b"\n"):
            yield n, raw.rstrip(b"\n").rstrip(b"\r"), "whole"
        elif len(raw) > MAX_LINE_BYTES:
            # Skip to the end of this line without holding it in memory.
            while (more := fh.readline(1 << 20)) and not more.endswith(b"\n"):
                pass
            yield n, raw[:RAW_PREVIEW], "too long"
        else:
            yield n, raw.rstrip(b"\r"), "unended"


def looks_utf16(head: bytes) -> bool:
    """A UTF-16 byte order mark followed by an ASCII character in UTF-16 (``{`` is ``7b 00`` or ``00 7b``)."""
    return (head[:2] == b"\xff\xfe" and head[3:4] == b"\x00" and head[2:3] != b"\x00") or \
        (head[:2] == b"\xfe\xff" and head[2:3] == b"\x00" and head[3:4] not in (b"", b"\x00"))


def parse_line(raw: bytes, n: int, status: str, seen: set[str], stats: ReadStats) -> Paper | Rejected | None:
    if status == "too long":
        return Rejected(n, f"line longer than {MAX_LINE_BYTES >> 20} MiB (only its start is shown)", _raw(raw))
    try:
        text = raw.decode("utf-8")
        bad_bytes = ""
    except UnicodeDecodeError as e:
        text = raw.decode("utf-8", errors="replace")
        bad_bytes = f"invalid UTF-8 byte 0x{raw[e.start]:02x} at byte {e.start + 1} of the line"
    text = text.lstrip("\ufeff")
    if not text.strip():
        return None
    try:
        obj = _DECODE(text)  # strict=False: a raw tab inside a string is not an error
    except json.JSONDecodeError as e:
        reason = f"not valid JSON: {e.msg} (column {e.colno})"
        if status == "unended":
            reason = "truncated last line (no newline at the end); " + reason
        elif e.msg == "Extra data":
            reason += " (two JSON values on one line?)"
        return Rejected(n, reason, _raw(raw))
    except RecursionError:
        return Rejected(n, "not valid JSON: nested too deeply", _raw(raw))
    except ValueError as e:  # e.g. an integer of more than 4300 digits
        return Rejected(n, f"not valid JSON: {str(e).split(':')[0]}", _raw(raw))
    if not isinstance(obj, dict):
        return Rejected(n, f'expected a JSON object {{"id", "title", "abstract"}}, found {_kind(obj)}', _raw(raw))
    paper = make_paper(obj, n, bad_bytes, seen, stats, raw)
    # json keeps the last of repeated keys, unsaid; a cheap count first, the exact check only when it hits
    if isinstance(paper, Paper) and any(raw.count(k) > 1 for k in (b'"id"', b'"title"', b'"abstract"')):
        if dups := _repeated_keys(text):
            stats.warnings.append({"line": n, "id": paper.id, "reason": "repeated key " + ", ".join(
                repr(k) for k in dups) + " in the object: the last value is read"})
    return paper


def _repeated_keys(text: str) -> list[str]:
    """The keys that the line's top-level object holds more than once."""
    found: list = []

    def pairs(items):
        keys = [k for k, _ in items]
        found[:] = sorted({k for k in keys if keys.count(k) > 1} & {"id", "title", "abstract"})
        return dict(items)  # the top-level object is the last one closed: its keys are what is left

    try:
        json.loads(text, strict=False, object_pairs_hook=pairs)
    except (ValueError, RecursionError):
        return []
    return found


def make_paper(obj: dict, n: int, bad_bytes: str, seen: set[str], stats: ReadStats, raw: bytes) -> Paper | Rejected:
    pid, abstract, title = obj.get("id"), obj.get("abstract"), obj.get("title")
    if isinstance(pid, int) and not isinstance(pid, bool):
        pid = str(pid)  # numeric ids (corpus ids) are common and unambiguous
    if not isinstance(pid, str):
        what = "missing" if "id" not in obj else f"must be a string, found {_kind(pid)}"
        return Rejected(n, f"'id' {what}", _raw(raw))
    if not pid.strip():
        return Rejected(n, "'id' is empty", _raw(raw))
    if not isinstance(abstract, str):
        what = "missing" if "abstract" not in obj else f"must be a string, found {_kind(abstract)}"
        return Rejected(n, f"'abstract' {what}", _raw(raw))
    warnings = [bad_bytes + ", replaced by U+FFFD"] if bad_bytes else []
    if title is None:
        title = ""  # a title is optional
    elif not isinstance(title, str):
        warnings.append(f"'title' must be a string, found {_kind(title)}; left empty")
        title = ""
    pid, title, abstract = (_clean(s, name, warnings) for s, name in
                            ((pid, "id"), (title, "title"), (abstract, "abstract")))
    if not abstract.strip():
        warnings.append("empty abstract")
    if pid in seen:
        original, k = pid, 2
        while f"{original}#{k}" in seen:
            k += 1
        pid = f"{original}#{k}"
        stats.duplicate_ids += 1
        warnings.append(f"duplicate id {original!r}, renamed {pid!r}")
    seen.add(pid)
    for w in warnings:
        stats.warnings.append({"line": n, "id": pid, "reason": w})
    extra = {k: v for k, v in obj.items() if k not in ("id", "title", "abstract")}
    return Paper(id=pid, title=title, abstract=abstract, line=n, extra=extra)


def _clean(s: str, name: str, warnings: list[str]) -> str:
    """Replace characters no output can hold, one for one, and say so."""
    if not _EITHER.search(s):
        return s
    if _SURROGATE.search(s):
        s = _SURROGATE.sub("\ufffd", s)
        warnings.append(f"'{name}' has unpaired surrogate escapes (\\ud800-\\udfff), replaced by U+FFFD")
    if _CONTROL.search(s):
        s = _CONTROL.sub(" ", s)
        warnings.append(f"'{name}' has control characters, replaced by spaces")
    return s


def _raw(raw: bytes) -> str:
    """The line as text for the error report: invalid bytes shown as \\xNN, not lost."""
    return raw.decode("utf-8", errors="backslashreplace")


def _kind(v) -> str:
    return {type(None): "null", bool: "a boolean", int: "a number", float: "a number", str: "a string",
            list: "a list", dict: "an object"}.get(type(v), type(v).__name__)
