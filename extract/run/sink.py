"""Where a run's results go as they stream: the claims, validated a chunk at a time and appended to
claims.csv and claims.parquet under temporary names, and the rejected lines, spooled to a file."""
from __future__ import annotations

import json
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import Iterator

import pandas as pd

from extract.read.lines import Rejected
from extract.run.batch import BatchResult, frame_of
from extract.table import typed


def release_memory(collect: bool = True) -> None:
    """Hand freed memory back to the system (Arrow's pool, glibc's arenas), so that the next step's
    peak does not stack on the last one's leftovers. ``collect=False``: no garbage collection (cheap
    enough to call after every chunk of a long run)."""
    import gc

    if collect:
        gc.collect()
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except ImportError:
        pass
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc


class RejectedLog:
    """Rejected lines, spooled to a temporary file as they are read (their raw text can be large).
    With several input files, each reason starts with its file's name."""

    def __init__(self, outdir: Path, name_files: bool = False):
        import tempfile

        self._f = tempfile.TemporaryFile("w+", encoding="utf-8", dir=outdir, prefix=".rejected.")
        self.count = 0
        self._name_files = name_files

    def add(self, r: Rejected, path: Path) -> None:
        reason = f"{path}: {r.reason}" if self._name_files else r.reason
        self._f.write(json.dumps([r.line, reason, r.raw], ensure_ascii=False) + "\n")
        self.count += 1

    def read(self) -> Iterator[Rejected]:
        self._f.flush()
        self._f.seek(0)
        for line in self._f:
            yield Rejected(*json.loads(line))
        self._f.seek(0, 2)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._f.close()


class ClaimSink:
    """Validates claims in chunks of whole batches and appends each chunk to claims.csv and
    claims.parquet under temporary names (renamed when the whole run succeeds)."""

    def __init__(self, outdir: Path, flag, chunk_rows: int):
        from extract.files import atomic_path

        self._stack = ExitStack()
        self.csv_tmp = self._stack.enter_context(atomic_path(outdir / "claims.csv"))
        self.parquet_tmp = self._stack.enter_context(atomic_path(outdir / "claims.parquet"))
        self._csv = open(self.csv_tmp, "wb")
        self._pq = None
        self._schema = None
        self._flag, self._chunk_rows = flag, chunk_rows
        self._pending: list[BatchResult] = []
        self._rows = 0
        self._chunks = 0
        self.failed: list[dict] = []
        self.expectation_counts: dict = {}
        # What run.json says of the table, counted as it is written (nothing reads it back whole).
        self._valid: list = []
        self.families: Counter = Counter()
        self._paper_keys: list = []  # 64-bit hashes of the paper ids with claims, per chunk
        self.t_validate = self.t_write = 0.0

    def add(self, b: BatchResult) -> None:
        self.failed.extend(b.failed)
        if len(b):
            self._pending.append(b)
            self._rows += len(b)
        if self._rows >= self._chunk_rows:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        from extract.write.writers import csv_rows

        df = frame_of(self._pending)  # one frame of the chunk's batches (no claims: the empty table)
        self._pending, self._rows = [], 0
        t = time.perf_counter()
        df, counts = self._flag(df)
        df = typed(df).reset_index(drop=True)
        add_counts(self.expectation_counts, counts)
        self._valid.append(df["valid"].to_numpy(dtype=bool, copy=True))
        self.families.update(Counter(df["family"].tolist()))
        self._paper_keys.append(pd.util.hash_array(df["paper_id"].unique().astype(object)))
        t1 = time.perf_counter()
        self._csv.write(csv_rows(df, header=self._chunks == 0))
        table = pa.Table.from_pandas(df, preserve_index=False)
        if self._pq is None:
            self._schema = table.schema
            self._pq = pq.ParquetWriter(self.parquet_tmp, self._schema)
        self._pq.write_table(table.cast(self._schema) if table.schema != self._schema else table)
        self._chunks += 1
        del df, table
        release_memory(collect=False)  # freed chunk buffers go back, so a long run's memory stays flat
        self.t_validate += t1 - t
        self.t_write += time.perf_counter() - t1

    @property
    def papers_with_claims(self) -> int:
        """Distinct paper ids in the table (ids repeated in several input files count once, as before:
        counted on 64-bit hashes, 8 bytes a paper; a collision among a million ids is a 1-in-30-million chance)."""
        import numpy as np

        return int(np.unique(np.concatenate(self._paper_keys)).size) if self._paper_keys else 0

    def valid_mask(self):
        """The ``valid`` column of every row written, in order."""
        import numpy as np

        return np.concatenate(self._valid) if self._valid else np.zeros(0, dtype=bool)

    def close(self) -> None:
        """Flush the last chunk and close the files (still under their temporary names)."""
        if self._pending or self._chunks == 0:
            self._flush()
        self._csv.close()
        self._pq.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if not self._csv.closed:
            self._csv.close()
        if self._pq is not None:
            self._pq.close()
        return self._stack.__exit__(*exc)


def add_counts(total: dict, counts: dict) -> None:
    """Sum per-expectation failure counts over chunks (nested dicts summed key by key)."""
    for k, v in (counts or {}).items():
        if isinstance(v, dict):
            add_counts(total.setdefault(k, {}), v)
        elif isinstance(v, (int, float)) and not isinstance(v, bool) and isinstance(total.get(k, 0), (int, float)):
            total[k] = total.get(k, 0) + v
        else:
            total.setdefault(k, v)


