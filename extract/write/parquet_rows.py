"""The claims table read back from claims.parquet a row group at a time, so that no step after the
stream (the workbook, the Data Docs sample) holds the whole table: a million claims are about a
gigabyte as a DataFrame, a few hundred megabytes on disk.

:class:`ParquetRows` is what extract.xlsx writes a sheet from (length, columns, dtypes, a sample, row
slices) and what extract.leaderboard builds its smaller sheets from (:meth:`select`: the rows a sheet
can use, only the columns it reads).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

import numpy as np
import pandas as pd


class ParquetRows:
    """Rows of a Parquet file (optionally only ``columns``, in that order), read lazily."""

    def __init__(self, path: str | Path, columns: list[str] | None = None):
        import pyarrow.parquet as pq

        self.path = Path(path)
        self._file = pq.ParquetFile(self.path)
        names = self._file.schema_arrow.names
        self.columns = list(columns) if columns is not None else list(names)
        missing = [c for c in self.columns if c not in names]
        if missing:
            raise KeyError(f"{self.path} has no columns {missing}")
        meta = self._file.metadata
        self._sizes = [meta.row_group(i).num_rows for i in range(meta.num_row_groups)]
        self._starts = np.concatenate([[0], np.cumsum(self._sizes, dtype=np.int64)])

    def __reduce__(self):  # sent to a helper process by path (a ParquetFile is not picklable)
        return ParquetRows, (self.path, self.columns)

    def __len__(self) -> int:
        return int(self._starts[-1])

    def with_columns(self, columns: list[str]) -> "ParquetRows":
        return ParquetRows(self.path, columns)

    @property
    def dtypes(self) -> pd.Series:
        """The pandas dtypes the rows come back with (those of ``read_table(...).to_pandas()``)."""
        schema = self._file.schema_arrow
        return schema.empty_table().select(self.columns).to_pandas().dtypes

    def _group(self, i: int, columns: list[str] | None = None) -> pd.DataFrame:
        import pyarrow as pa

        df = self._file.read_row_group(i, columns=columns or self.columns).to_pandas()
        # Arrow's pool keeps what reading a group freed (its pages, decompressed): without this, reading
        # a 300k-row table a group at a time grew the process by ~120 MB of memory it no longer used.
        pa.default_memory_pool().release_unused()
        return df

    def groups(self, columns: list[str] | None = None) -> Iterator[tuple[int, pd.DataFrame]]:
        """(first row, frame) of each row group, in order."""
        for i in range(len(self._sizes)):
            yield int(self._starts[i]), self._group(i, columns)

    def slices(self, lo: int, hi: int, size: int) -> Iterator[tuple[int, pd.DataFrame]]:
        """(first row, frame) pieces of at most ``size`` rows covering rows [lo, hi), in order."""
        for i, n in enumerate(self._sizes):
            g0 = int(self._starts[i])
            a, b = max(lo, g0), min(hi, g0 + n)
            if a >= b:
                continue
            df = self._group(i)
            for x in range(a, b, size):
                y = min(x + size, b)
                yield x, df.iloc[x - g0:y - g0].reset_index(drop=True)

    def take(self, rows: np.ndarray) -> pd.DataFrame:
        """The rows at the sorted positions ``rows``, index 0..k-1 (as ``df.iloc[rows]`` after a reset)."""
        rows = np.asarray(rows, dtype=np.int64)
        parts = []
        for i, n in enumerate(self._sizes):
            g0 = int(self._starts[i])
            a, b = np.searchsorted(rows, [g0, g0 + n])
            if a < b:
                parts.append(self._group(i).iloc[rows[a:b] - g0])
        return _concat(parts, self)

    def every(self, step: int) -> pd.DataFrame:
        """Rows 0, step, 2*step, ... (as ``df.iloc[::step]``)."""
        return self.take(np.arange(0, len(self), step))

    def select(self, columns: list[str], keep: Callable[[pd.DataFrame], pd.Series | np.ndarray]) -> pd.DataFrame:
        """``columns`` of the rows where ``keep(frame)`` is true, in order, index 0..k-1. ``keep`` sees
        only ``columns``, a row group at a time."""
        parts = []
        for _, df in self.groups(columns):
            mask = np.asarray(keep(df), dtype=bool)
            if mask.any():
                parts.append(df[mask])
        return _concat(parts, self.with_columns(columns))


def _concat(parts: list[pd.DataFrame], rows) -> pd.DataFrame:
    if not parts:
        if isinstance(rows, MappedRows):
            return rows._empty[rows.columns].reset_index(drop=True)
        return rows._file.schema_arrow.empty_table().select(rows.columns).to_pandas()
    df = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].reset_index(drop=True)
    return df


class MappedRows:
    """The rows of ``source`` (ParquetRows) where ``keep`` holds (it reads only ``keep_columns``), each
    row group passed through ``fn`` (a row-local step: pick or make columns), read a group at a time:
    a sheet such as Compute is written from it without ever being a frame. Reads as ParquetRows does."""

    def __init__(self, source: ParquetRows, keep: Callable, keep_columns: list[str],
                 fn: Callable[[pd.DataFrame], pd.DataFrame], columns=None, _masks=None, _empty=None):
        self._src, self._fn = source, fn
        if _masks is None:   # which rows of each group: one pass over the few columns ``keep`` reads
            _masks = [np.asarray(keep(g), dtype=bool) for _, g in source.groups(keep_columns)]
            _empty = fn(_concat([], source))
        self._masks, self._empty = _masks, _empty
        self._sizes = [int(m.sum()) for m in _masks]
        self._starts = np.concatenate([[0], np.cumsum(self._sizes, dtype=np.int64)])
        self.columns = list(columns) if columns is not None else [str(c) for c in _empty.columns]
        self._args = (keep, keep_columns)

    def __len__(self) -> int:
        return int(self._starts[-1])

    def with_columns(self, columns: list[str]) -> "MappedRows":
        return MappedRows(self._src, *self._args, self._fn, columns, self._masks, self._empty)

    @property
    def dtypes(self) -> pd.Series:
        return self._empty[self.columns].dtypes

    def _group(self, i: int, columns: list[str] | None = None) -> pd.DataFrame:
        out = self._fn(self._src._group(i)[self._masks[i]])
        return out[columns or self.columns].reset_index(drop=True)

    def groups(self, columns: list[str] | None = None) -> Iterator[tuple[int, pd.DataFrame]]:
        for i in range(len(self._sizes)):
            if self._sizes[i]:
                yield int(self._starts[i]), self._group(i, columns)

    slices = ParquetRows.slices
    take = ParquetRows.take
    every = ParquetRows.every
