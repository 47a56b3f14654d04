"""What every source reader shares: opening (plain or gzip), line decoding, ids and title keys."""
from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zlib
from pathlib import Path
from typing import IO, Iterator

from extract.errors import InputError

GZIP_MAGIC = b"\x1f\x8b"
NON_ALNUM = re.compile(r"[\W_]+")


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


class Gunzip(io.RawIOBase):
    """gzip decompression that stops cleanly at damage: everything before a cut or a corrupt block is
    delivered, then end of file, with ``damage`` saying what was wrong (GzipFile would raise and lose
    the decompressed data still in its buffer). Concatenated members are read one after another."""

    CHUNK = 1 << 16
    OUT = 1 << 20  # decompressed bytes per step: bounded however well the data compresses

    def __init__(self, path: Path):
        self._f = open(path, "rb")
        self._d = zlib.decompressobj(wbits=31)
        self._out, self._pos, self._done = b"", 0, False
        self.damage = ""

    def readable(self) -> bool:
        return True

    def _fill(self) -> None:
        d = self._d
        if d.unconsumed_tail:
            data = d.unconsumed_tail
        elif d.eof:
            data = d.unused_data or self._f.read(self.CHUNK)
            if not data:
                self._done = True
                return
            self._d = d = zlib.decompressobj(wbits=31)  # the next gzip member
        else:
            data = self._f.read(self.CHUNK)
            if not data:
                self.damage = "compressed data ends before its end marker: the file is cut short"
                self._done = True
                return
        try:
            self._out, self._pos = d.decompress(data, self.OUT), 0
        except zlib.error as e:
            self.damage = f"compressed data is corrupt ({e})"
            self._done = True

    def readinto(self, b) -> int:
        while self._pos >= len(self._out) and not self._done:
            self._fill()
        n = min(len(b), len(self._out) - self._pos)
        b[:n] = self._out[self._pos:self._pos + n]
        self._pos += n
        return n

    def close(self) -> None:
        self._f.close()
        super().close()


def damage_of(fh) -> str:
    """What Gunzip found wrong under ``fh`` (a text or buffered stream over it), '' if nothing."""
    while fh is not None and not isinstance(fh, Gunzip):
        fh = getattr(fh, "buffer", None) or getattr(fh, "raw", None)
    return fh.damage if fh is not None else ""


def open_binary(path: Path) -> IO[bytes]:
    """The file's bytes, decompressed when it is gzip (told by its first bytes, not its name)."""
    if is_gzip(path):
        return io.BufferedReader(Gunzip(path), buffer_size=1 << 20)
    return open(path, "rb", buffering=1 << 20)


def open_text(path: Path, encoding: str = "utf-8-sig") -> IO[str]:
    """The file as text (UTF-8 unless told: BOM dropped, bad bytes replaced), line ends untranslated (for csv)."""
    return io.TextIOWrapper(open_binary(path), encoding=encoding, errors="replace", newline="")


def text_encoding(path: Path, given: str | None = None, size: int = 1 << 20) -> str:
    """The encoding of a text source: ``given`` (--encoding), else UTF-8 when its first MB reads as UTF-8,
    else what charset-normalizer finds (a Latin-1 or cp1252 CSV: "é" and "–" were U+FFFD, unsaid)."""
    if given:
        return given
    with open_binary(path) as fh:
        head = fh.read(size)
    try:
        head.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError as e:
        if e.start >= len(head) - 4 and e.reason == "unexpected end of data":
            return "utf-8-sig"  # a character cut by the end of the sample
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(head).best()
    except ImportError:
        best = None
    guess = best.encoding if best is not None else "cp1252"
    # On a short Western text charset-normalizer names any Latin code page (cp1250, mac_latin2, cp775)
    # and rarely cp1252, the one Excel writes: take cp1252 when the guess is a Latin one and it decodes.
    if guess in _LATIN_GUESSES or guess.startswith(("iso8859", "latin", "mac_")):
        try:
            head.decode("cp1252")
            return "cp1252"
        except UnicodeDecodeError:
            pass
    return guess


_LATIN_GUESSES = {"cp1250", "cp1252", "cp775", "cp850", "cp437", "cp1257", "windows-1252"}


def iter_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(1-based line number, text without its line end) for each line; raises Damaged after the last
    line of a broken .gz."""
    n = 0
    with open_binary(path) as fh:
        for n, raw in enumerate(fh, start=1):
            text = raw.decode("utf-8", errors="replace").rstrip("\r\n")
            yield n, text.lstrip("\ufeff") if n == 1 else text
        if damage := damage_of(fh):
            raise Damaged(n + 1, f"{damage} (after line {n})")


def peek_text(path: Path, size: int = 1 << 16) -> str:
    """The first ``size`` bytes of the (decompressed) file as text, for sniffing the format.
    A cut-short .gz still shows what it has: the damage is reported when the file is read."""
    with open(path, "rb") as fh:
        head = fh.read(size)
    if head.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(wbits=31).decompress(head, size)
        except zlib.error:
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
    return NON_ALNUM.sub(" ", unicodedata.normalize("NFKC", title).casefold()).strip()
