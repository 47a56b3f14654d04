"""The local engine: run a function over a stream of batches in worker processes, results in input order.

At most ``ahead`` batches are in flight, so a long corpus is never read faster than it is processed
and memory stays flat. Workers are forked where that is safe (POSIX, no other Python thread running):
they start at once, share the compiled rules, and a script that calls ``pipeline.run`` needs no
``if __name__ == "__main__"`` guard. Elsewhere they are spawned.
"""
from __future__ import annotations

import itertools
import multiprocessing
import os
import threading
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from typing import Callable, Iterable, Iterator, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def process_context():
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def ordered_map(fn: Callable[[T], R], items: Iterable[T], workers: int = 1,
                ahead: int | None = None, init: Callable[[], None] | None = None) -> Iterator[R]:
    """``map(fn, items)`` over ``workers`` processes, yielding results in the order of ``items``.

    With one worker everything runs here, in this process. ``fn`` must be importable (a module-level
    function). An exception in ``fn`` or in ``items`` stops the pool and propagates. ``init``: called
    once in each worker process as it starts (never in this one).
    """
    if workers <= 1:
        yield from map(fn, items)
        return
    # A single item (a small corpus) runs here: starting processes would cost more than it saves.
    items = iter(items)
    head = list(itertools.islice(items, 2))
    if len(head) < 2:
        yield from map(fn, head)
        return
    items = itertools.chain(head, items)
    ahead = ahead or 2 * workers
    # Workers die with this process: after a kill -9 or SIGTERM of the run they would otherwise live on
    # (parent 1), holding the .part files and the caller's stdout/stderr pipes.
    pool = ProcessPoolExecutor(workers, mp_context=process_context(), initializer=_start_worker,
                               initargs=(os.getpid(), init))
    pending: deque = deque()
    ok = False
    try:
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
        ok = True
    finally:
        # On an error (or an abandoned generator) do not wait for batches nobody will read: stop the
        # workers. Then join the pool either way: a pool left to the interpreter's exit hook can
        # print "Exception ignored ... Bad file descriptor" (see pipeline.stop_helpers).
        if not ok:
            for proc in list((getattr(pool, "_processes", None) or {}).values()):
                proc.terminate()
        pool.shutdown(wait=True, cancel_futures=not ok)


def _start_worker(parent: int, init: Callable[[], None] | None = None) -> None:
    die_with_parent(parent)
    if init is not None:
        init()


class Helpers(ProcessPoolExecutor):
    """A process pool that can tell whether it is idle (all it was given is done): the workbook gives
    it rows to build only then (extract.write.xlsx._split_rows), never queues them behind the Data Docs."""

    def __init__(self, *a, **k):
        super().__init__(*a, **k)
        self._given: list = []

    def submit(self, *a, **k):
        job = super().submit(*a, **k)
        self._given = [j for j in self._given if not j.done()] + [job]
        return job

    def idle(self) -> bool:
        return all(j.done() for j in self._given)


def die_with_parent(parent: int) -> None:
    """In a worker: be killed when the process that started it dies (Linux PR_SET_PDEATHSIG; elsewhere
    a no-op: the pool's own shutdown is all there is)."""
    import signal
    import sys

    # A forked worker inherits the run's SIGTERM handler (the CLI's, which unwinds the run): a worker
    # must simply end when the pool terminates it.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before that took effect
        os._exit(1)
