"""What every source reader shares: opening (plain or gzip), line decoding, ids and title keys."""
from __future__ import annotations

import gzip
import hashlib
import io
import unicodedata
import zlib
from pathlib import Path
from typing import IO, Iterator

from ..errors import InputError

GZIP_MAGIC = b"\x1f\x8b"


class Damaged(Exception):
    """The file itself breaks off (a truncated or corrupt .gz): reported as one rejected record."""

    def __init__(self, line: int, reason: str):
        self.line, self.reason = line, reason
        super().__init__(reason)


def check_readable(path: Path) -> None:
    """Raise InputError (one line, no traceback at the CLI) unless ``path`` is a file we can open."""
    if not path.exists():
        raise InputError("no such file", str(path))
    if path.is_dir():
        raise InputError("is a directory, expected a file", str(path))
    try:
        with open(path, "rb"):
            pass
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror}", str(path)) from e


def is_gzip(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(2) == GZIP_MAGIC


def open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed when it is gzip (told by its first bytes, not its name)."""
    if is_gzip(path):
        return io.BufferedReader(gzip.open(path, "rb"), buffer_size=1 << 20)
    return open(path, "rb")


def open_text(path: Path) -> IO[str]:
    """The file as UTF-8 text (BOM dropped, bad bytes replaced), line ends untranslated (for csv)."""
    return io.TextIOWrapper(open_binary(path), encoding="utf-8-sig", errors="replace", newline="")


def iter_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(1-based line number, text without its line end) for each line; raises Damaged on a broken .gz."""
    n = 0
    with open_binary(path) as fh:
        try:
            for n, raw in enumerate(fh, start=1):
                text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
                yield n, text.lstrip("\ufeff") if n == 1 else text
        except (EOFError, gzip.BadGzipFile, zlib.error) as e:
            raise Damaged(n + 1, f"compressed data is damaged or cut short after line {n} ({e})") from e


def peek_text(path: Path, size: int = 1 << 16) -> str:
    """The first ``size`` bytes of the (decompressed) file as text, for sniffing the format."""
    try:
        with open_binary(path) as fh:
            head = fh.read(size)
    except (EOFError, gzip.BadGzipFile, zlib.error, OSError):
        return ""
    return head.decode("utf-8", errors="replace").lstrip("\ufeff")


def collapse(s: str) -> str:
    """Whitespace runs (newlines, tabs, non-breaking spaces) to one space, ends trimmed."""
    return " ".join(s.split())


def title_id(title: str) -> str:
    """The corpus id of a paper known only by its title: SHA-1 of the lower-cased, collapsed title."""
    return hashlib.sha1(collapse(title.lower()).encode("utf-8")).hexdigest()[:12]


def title_key(title: str) -> str:
    """A title reduced to what tells papers apart: Unicode-normalised, case-folded, letters and digits only."""
    s = unicodedata.normalize("NFKC", title).casefold()
    return " ".join("".join(c if c.isalnum() else " " for c in s).split())
