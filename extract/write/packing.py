"""Compress a workbook's finished sheets in a background thread while the next sheets are built.

Saving the workbook deflates every sheet one after the other at the very end (a million claims: about
a gigabyte of sheet XML, ~14 s at level 1), while the run's helper process has nothing left to do. A
sheet whose rows are all written (a closed write-only sheet) is final: :class:`Packer` deflates it at
once in a thread (zlib and file reads release the GIL, so it runs on the other core), and the save
copies the compressed bytes into the archive (:class:`Archive`) instead of compressing them again.

The copy writes a zip member the way ``zipfile.ZipFile.write`` does (same header, same deflate stream
at the same level), through the few private attributes of ``zipfile`` it needs; where they are missing,
or a compression failed, the member is compressed as usual. The archive's contents are the same.
"""
from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
import zlib
from concurrent.futures import Future, ThreadPoolExecutor

BLOCK = 1 << 20


def deflate_file(src: str, level: int) -> tuple[str, int, int, int]:
    """Raw-deflate ``src`` (as a zip member is compressed) into a temporary file: (path, crc, size,
    compressed size)."""
    fd, out = tempfile.mkstemp(prefix="extract-sheet-", suffix=".deflate")
    crc = size = packed = 0
    try:
        with open(src, "rb") as f, os.fdopen(fd, "wb") as dst:
            z = zlib.compressobj(level, zlib.DEFLATED, -15)
            while block := f.read(BLOCK):
                crc = zlib.crc32(block, crc)
                size += len(block)
                data = z.compress(block)
                packed += len(data)
                dst.write(data)
            data = z.flush()
            packed += len(data)
            dst.write(data)
    except BaseException:
        os.unlink(out)
        raise
    return out, crc, size, packed


class Packer:
    """Deflates finished sheet files in one background thread; ``jobs`` maps a file to its result."""

    def __init__(self, level: int):
        self.level = level
        self.jobs: dict[str, Future] = {}
        self._pool: ThreadPoolExecutor | None = None

    def start(self, path: str) -> None:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="extract-pack")
        self.jobs[str(path)] = self._pool.submit(deflate_file, str(path), self.level)

    def close(self) -> None:
        """Wait for the thread and remove what it made that was not used."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
        for job in self.jobs.values():
            try:
                out = job.result()[0]
            except Exception:  # noqa: BLE001 -- it was compressed in the save instead
                continue
            if os.path.exists(out):
                os.unlink(out)
        self.jobs.clear()


class Archive(zipfile.ZipFile):
    """A ZipFile whose ``write`` of a file the packer has deflated copies the compressed bytes."""

    packer: Packer | None = None

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        job = self.packer.jobs.get(str(filename)) if self.packer is not None else None
        if (job is None or compress_type is not None or compresslevel is not None
                or self.compression != zipfile.ZIP_DEFLATED or self.compresslevel != self.packer.level):
            return super().write(filename, arcname, compress_type, compresslevel)
        try:
            out, crc, size, packed = job.result()
        except Exception:  # noqa: BLE001 -- compress it here, as always
            return super().write(filename, arcname)
        if size != os.path.getsize(filename) or not _can_copy(self):
            return super().write(filename, arcname)
        zinfo = zipfile.ZipInfo.from_file(filename, arcname, strict_timestamps=self._strict_timestamps)
        zinfo.compress_type = zipfile.ZIP_DEFLATED
        zinfo._compresslevel = self.compresslevel
        _write_deflated(self, zinfo, out, crc, size, packed)


def _can_copy(zf: zipfile.ZipFile) -> bool:
    return (all(hasattr(zf, a) for a in ("_lock", "_seekable", "start_dir", "_writecheck", "_writing", "fp"))
            and zf._seekable and not zf._writing)


def _write_deflated(zf: zipfile.ZipFile, zinfo: zipfile.ZipInfo, raw: str, crc: int, size: int, packed: int) -> None:
    """Add a member whose deflated bytes are in the file ``raw`` (what ZipFile._open_to_write and
    _ZipWriteFile.close do for a member written through ``open(zinfo, "w")``, sizes known up front)."""
    zinfo.flag_bits = 0x00
    if not zinfo.external_attr:
        zinfo.external_attr = 0o600 << 16
    zip64 = zinfo.file_size * 1.05 > zipfile.ZIP64_LIMIT  # as ZipFile decides it for a file's size
    if not zip64 and (size > zipfile.ZIP64_LIMIT or packed > zipfile.ZIP64_LIMIT):
        raise zipfile.LargeZipFile("Filesize would require ZIP64 extensions")
    zinfo.file_size, zinfo.compress_size, zinfo.CRC = size, packed, crc
    with zf._lock:
        zf.fp.seek(zf.start_dir)
        zinfo.header_offset = zf.fp.tell()
        zf._writecheck(zinfo)
        zf._didModify = True
        zf.fp.write(zinfo.FileHeader(zip64))
        with open(raw, "rb") as src:
            shutil.copyfileobj(src, zf.fp, BLOCK)
        zf.start_dir = zf.fp.tell()
        zf.filelist.append(zinfo)
        zf.NameToInfo[zinfo.filename] = zinfo
