"""How `extract run` shows where it is: a bar on a terminal, one log line every so often without one.

The total is the corpus's size in bytes (known before the first paper is read), so the bar has a
percentage and a time left from the start. How far the reading is comes from the offset of the
corpus file this process has open (``/proc/self/fdinfo``): every reader, plain or gzip, JSON Lines
or any other source, is measured the same way, without each having to count. Off Linux the count
of papers is shown alone; with the Dask engine (its workers read the files) the bar fills when the
extraction ends.

After the extraction the run names its phases (validating, writing the workbook, building the
report): the bar's description changes and the log gets a line each, so the minute a large run
spends after its last paper is not a frozen bar.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path

LOG_EVERY = 10_000   # papers between two log lines without a terminal


class CorpusOffset:
    """Bytes of ``files`` read so far, from the offset of the one this process has open."""

    def __init__(self, files: list[Path]):
        self.files = [Path(f).resolve() for f in files]
        self.sizes = [f.stat().st_size if f.is_file() else 0 for f in self.files]
        self.total = sum(self.sizes)
        self._done = 0     # bytes of the files finished
        self._current = 0  # index of the file being read
        self._fd = None

    def bytes_read(self) -> int | None:
        """None where offsets cannot be read."""
        if not os.path.isdir("/proc/self/fdinfo"):
            return None
        pos = self._position()
        if pos is not None:
            return min(self.total, self._done + pos)
        if self._fd is not None:   # the file last seen open is closed: it was read to its end
            self._current += 1
            self._done = sum(self.sizes[:self._current])
            self._fd = None
        return min(self.total, self._done)

    def _position(self) -> int | None:
        for i in range(self._current, len(self.files)):
            fd = self._fd if i == self._current and self._fd is not None else None
            for cand in ([fd] if fd is not None else []) + _open_fds():
                try:
                    if Path(os.readlink(f"/proc/self/fd/{cand}")) != self.files[i]:
                        continue
                    with open(f"/proc/self/fdinfo/{cand}", encoding="ascii") as f:
                        pos = int(f.readline().split()[1])   # "pos:\t12345"
                except (OSError, ValueError, IndexError):
                    continue
                if i != self._current:
                    self._done = sum(self.sizes[:i])
                    self._current = i
                self._fd = cand
                return pos
        return None


def _open_fds() -> list[int]:
    try:
        return [int(n) for n in os.listdir("/proc/self/fd")]
    except OSError:
        return []


class Display:
    """The progress of one run, drawn on stderr. The pipeline calls ``start(files)`` once it knows
    the corpus files, ``paper_batch(n)`` as papers are done, ``phase(name)`` for each step after the
    extraction and ``rows(n)`` as a step writes rows; ``close()`` ends it. ``bar``: a tqdm bar (on a
    terminal), else a log line every ``log_every`` papers and one per phase."""

    def __init__(self, bar: bool, stream=None, log_every: int = LOG_EVERY):
        self.stream = stream or sys.stderr
        self.log_every = log_every
        self.want_bar = bar
        self.offset = CorpusOffset([])
        self.papers = 0
        self.rows_done = 0
        self._logged = 0
        self._t0 = time.monotonic()
        self._bar = None
        self._opening = ""

    def start(self, files: list[Path]) -> None:
        self.offset = CorpusOffset(files)
        self._t0 = time.monotonic()
        if self.want_bar:
            from tqdm import tqdm

            tqdm.monitor_interval = 0   # no monitor thread: worker processes can then be forked
            cols, rows = _size(self.stream)
            self._bar = tqdm(total=self.offset.total or None, unit="B", unit_scale=True, unit_divisor=1024,
                             desc="starting the workers", file=self.stream, leave=False, ncols=cols, nrows=rows,
                             bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} "
                                        "[{elapsed}<{remaining}] {postfix}")
        else:
            # logged with the first batch, so a run that fails at once prints only its one-line error
            self._opening = f"reading {_mb(self.offset.total)} of papers" if self.offset.total else "reading papers"

    def paper_batch(self, n: int) -> None:
        self.papers += n
        done = self.offset.bytes_read()
        if self._bar is not None:
            if self.papers == n:   # the first batch: the workers have compiled their rules
                self._bar.set_description_str("extracting", refresh=False)
            if done is not None and done > self._bar.n:
                self._bar.update(done - self._bar.n)
            self._bar.set_postfix_str(f"{self.papers:,} papers", refresh=True)
        elif self.papers - self._logged >= self.log_every:
            self._logged = self.papers - self.papers % self.log_every
            self._log(self._line(done))

    __call__ = paper_batch   # a plain ``progress(n)`` to a caller that knows no more

    def rows(self, n: int) -> None:
        """``n`` more rows written by the current phase (shown on the bar; the log stays quiet)."""
        self.rows_done += n
        if self._bar is not None:
            self._bar.set_postfix_str(f"{self.rows_done:,} rows", refresh=True)

    def phase(self, name: str) -> None:
        """A step after the extraction (validating, writing the workbook, building the report)."""
        self.rows_done = 0
        if self._bar is not None:
            if self.offset.total:
                self._bar.update(self.offset.total - self._bar.n)
            self._bar.set_description_str(name)
            self._bar.refresh()
        else:
            if self.papers != self._logged:
                self._logged = self.papers
                self._log(self._line(self.offset.total if self.offset.total else None))
            self._log(f"{name} ...")

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()

    def _line(self, done: int | None) -> str:
        secs = time.monotonic() - self._t0
        text = f"{self.papers:,} papers"
        if done is not None and self.offset.total:
            frac = done / self.offset.total
            text += f", {frac:.0%} of {_mb(self.offset.total)}"
            if 0 < frac < 1:
                text += f", about {_duration(secs * (1 - frac) / frac)} left"
        return text + f" ({_duration(secs)})"

    def _log(self, text: str) -> None:
        if self._opening:
            opening, self._opening = self._opening, ""
            self._log(opening)
        print(f"extract: {text}", file=self.stream, flush=True)


def _size(stream) -> tuple[int, int]:
    """The terminal's (columns, rows); (100, 24) where it reports none: tqdm draws nothing at all on
    a terminal of 0 rows (a pseudo-terminal nobody sized, as under `script` or a CI runner)."""
    try:
        cols, rows = os.get_terminal_size(stream.fileno())
    except (AttributeError, OSError, ValueError):
        cols = rows = 0
    return (cols if cols > 0 else 100), (rows if rows > 0 else 24)


def _mb(n: int) -> str:
    return f"{n / 1e6:,.1f} MB" if n >= 1e5 else f"{n / 1e3:,.0f} KB"


def _duration(s: float) -> str:
    s = int(round(s))
    return f"{s // 3600}h{s % 3600 // 60:02d}m" if s >= 3600 else f"{s // 60}m{s % 60:02d}s" if s >= 60 else f"{s}s"


class Hooks:
    """What the pipeline calls, whatever ``progress`` it was given: None, a plain ``progress(n)``
    callable (papers done; the Python API's form), or a :class:`Display`."""

    def __init__(self, progress=None):
        self.p = progress

    def start(self, files) -> None:
        if hasattr(self.p, "start"):
            self.p.start(files)

    def batch(self, n: int) -> None:
        if hasattr(self.p, "paper_batch"):
            self.p.paper_batch(n)
        elif self.p is not None:
            self.p(n)

    def phase(self, name: str) -> None:
        if hasattr(self.p, "phase"):
            self.p.phase(name)

    @property
    def rows(self):
        """A ``rows(n)`` callback for the steps that write rows, or None."""
        return getattr(self.p, "rows", None)
