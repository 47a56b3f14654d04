"""One paper, and one batch of papers, through the stages: match, then context. The local worker pool,
the Dask engine and the Python API all extract through here, so a paper that fails is reported the same
way whichever engine runs it: whatever one paper raises, or however long it runs, it becomes a
``failed`` record (line, id, reason naming the stage) and the papers after it are extracted."""
from __future__ import annotations

import contextlib
import signal
import threading
import time
import warnings
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from extract.context.attach import attach
from extract.match.engine import PAPER_BUDGET, RuleTimeout, match_paper
from extract.match.ruleset import RuleSet, default_rules
from extract.records import Claim, Paper

if TYPE_CHECKING:  # pandas is imported where a table is made: `extract explain` needs none (start-up time)
    import pandas as pd

# The stages have their own budgets (rules and context PAPER_BUDGET each), checked between steps; this is
# the backstop for a step that runs long between two checks (a name scan of a 20 MB abstract): past it
# the paper is stopped wherever it is. Only where a timer signal can be used (the main thread on POSIX:
# local workers, one-process runs, the API); Dask tasks run in threads and keep the stage budgets only.
PAPER_LIMIT = 3 * PAPER_BUDGET
# The context stage reads the whole abstract once (the name scan): linear, about 0.35 us a character here,
# so its budget grows with the text past the fixed PAPER_BUDGET that an ordinary abstract never nears.
CONTEXT_SECONDS_PER_CHAR = 0.5e-6
MAX_REASON = 300  # characters of an exception's message kept in a failed record


class PaperFailed(Exception):
    """One paper could not be extracted; ``stage`` says where (match, context)."""

    def __init__(self, stage: str, reason: str):
        self.stage = stage
        super().__init__(reason)


class _Overtime(BaseException):
    """Raised by the timer inside whatever the paper was doing (BaseException: no stage's own
    ``except Exception`` may swallow it)."""


def context_budget(paper: Paper) -> float:
    """Seconds the context stage may take on ``paper``: PAPER_BUDGET, plus a linear allowance for its length."""
    return PAPER_BUDGET + len(paper.abstract or "") * CONTEXT_SECONDS_PER_CHAR


def extract_paper(paper: Paper, rules: RuleSet | None = None) -> list[Claim]:
    """All claims of one paper, in text order, with their context attached. Raises RuleTimeout when a
    stage runs over its budget; any other error propagates (extract_batch turns both into records)."""
    claims, sentences = match_paper(paper, rules)
    if not claims:
        return []
    try:
        return attach(paper, claims, sentences, deadline=time.perf_counter() + context_budget(paper))
    except TimeoutError as e:
        raise RuleTimeout("context", paper.id, f"context took over {context_budget(paper):.3g} s on paper {paper.id!r} "
                          f"({len(paper.abstract or ''):,} characters, {len(claims):,} claims): {e}") from e


def extract_isolated(paper: Paper, rules: RuleSet | None = None, limit: float = PAPER_LIMIT) -> list[Claim]:
    """extract_paper, with whatever goes wrong turned into :class:`PaperFailed` naming the stage."""
    stage = ["match"]
    try:
        with _time_limit(limit):
            claims, sentences = match_paper(paper, rules)
            if not claims:
                return []
            stage[0] = "context"
            deadline = time.perf_counter() + context_budget(paper)
            try:
                return attach(paper, claims, sentences, deadline=deadline)
            except TimeoutError as e:
                raise RuleTimeout("context", paper.id, f"context took over {context_budget(paper):.3g} s on paper "
                                  f"{paper.id!r} ({_size(paper)}, {len(claims):,} claims): {e}") from e
    except RuleTimeout as e:
        raise PaperFailed(stage[0], str(e)) from e
    except _Overtime:
        raise PaperFailed(stage[0], f"{stage[0]} stopped: paper {paper.id!r} took over {limit:g} s in all "
                                    f"({_size(paper)})") from None
    except RecursionError:
        raise PaperFailed(stage[0], f"{stage[0]} failed: text nested too deeply ({_size(paper)})") from None
    except Exception as e:  # noqa: BLE001 - one paper's bug must not cost the run
        msg = f"{type(e).__name__}: {e}"
        if len(msg) > MAX_REASON:
            msg = msg[:MAX_REASON] + "..."
        raise PaperFailed(stage[0], f"{stage[0]} failed on paper {paper.id!r}: {msg}") from e


def _size(paper: Paper) -> str:
    return f"{len(paper.abstract or ''):,} characters"


def _on_alarm(signum, frame):
    raise _Overtime()


_IN_WORKER = False  # set by worker_start in a local worker process


def worker_start() -> None:
    """Set up a local worker process (ordered_map's init): the alarm handler held (hold_alarm), and the
    cyclic garbage collector run once per batch (after_batch) instead of every 700 allocations. What
    the worker inherited (the compiled rules, the lexicons) is frozen out of the collections, so they
    neither scan it nor copy its pages from the parent. Extraction makes almost no cycles (540 objects
    left for 8,000 papers with the collector off); collecting as it allocates cost ~2% of its time."""
    import gc

    global _IN_WORKER
    hold_alarm()
    gc.freeze()
    gc.disable()
    _IN_WORKER = True


def after_batch() -> None:
    """In a local worker: collect the batch's cyclic garbage (a few objects) once it is done, and freeze
    what outlives it (caches filled on the way, such as lexicons loaded at the first paper), so that the
    next batch's collection looks at that batch's objects only."""
    if _IN_WORKER:
        import gc

        gc.collect()
        gc.freeze()


def hold_alarm() -> None:
    """In a worker process (never the caller's): SIGALRM stops a paper for good, so each paper only arms
    and disarms the timer. Swapping the handler in and out around every paper cost 4 of its 7 us."""
    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGALRM, _on_alarm)


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Raise _Overtime in this thread after ``seconds`` (a no-op off the main thread or without setitimer)."""
    if (seconds <= 0 or not hasattr(signal, "setitimer")
            or threading.current_thread() is not threading.main_thread()
            or signal.getitimer(signal.ITIMER_REAL)[0] > 0):  # the caller's own timer runs: leave it be
        yield
        return
    held = signal.getsignal(signal.SIGALRM) is _on_alarm  # hold_alarm() ran, or a caller's _time_limit
    previous = None if held else signal.signal(signal.SIGALRM, _on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        try:
            signal.setitimer(signal.ITIMER_REAL, 0)
        finally:
            if not held:
                signal.signal(signal.SIGALRM, previous)


@dataclass
class BatchResult:
    """The claims of a batch of papers (typed, not yet validated), the papers that failed, how many.

    The claims travel as plain column lists (``columns``, in ALL_COLUMNS order): a worker returns a batch
    of ~1,000 claims, and making a DataFrame of each cost the workers 17 us an abstract (pandas' fixed
    cost per column), against 3 us for the lists; the run makes one frame per chunk of many batches."""

    columns: list[list]
    failed: list[dict]
    papers: int
    counts: list[int] = field(default_factory=list)  # claims per paper, in order

    def __len__(self) -> int:
        """The number of claims."""
        return len(self.columns[0]) if self.columns else 0

    @property
    def claims(self) -> pd.DataFrame:
        """The claims as the typed table."""
        return frame_of([self])


def columns_of(claims: list[Claim]) -> list[list]:
    """Claims as one list per column of ALL_COLUMNS (empty lists for no claims)."""
    from extract.table import FIELDS, ALL_COLUMNS

    rows = [FIELDS(c) for c in claims]
    return [list(col) for col in zip(*rows)] if rows else [[] for _ in ALL_COLUMNS]


def frame_of(batches: list[BatchResult]) -> pd.DataFrame:
    """The typed claims table of ``batches``, in order: one frame, whatever the number of batches."""
    from itertools import chain

    from extract.table import ALL_COLUMNS, frame_of_columns

    if len(batches) == 1:
        cols = batches[0].columns
    else:
        cols = [list(chain.from_iterable(b.columns[j] for b in batches)) for j in range(len(ALL_COLUMNS))]
    return frame_of_columns(cols)


def extract_batch(papers: list[Paper], rules_dir: str | None = None) -> BatchResult:
    """One work item, run in a worker process: rules are compiled once per process (cached). A paper
    that fails is a ``failed`` record; the others are extracted."""
    rules = default_rules(rules_dir)
    claims, failed, counts = [], [], []
    for p in papers:
        try:
            found = extract_isolated(p, rules)
        except PaperFailed as e:
            failed.append({"line": p.line, "id": p.id, "stage": e.stage, "reason": str(e)})
            found = []
        counts.append(len(found))
        claims.extend(found)
    return BatchResult(columns_of(claims), failed, len(papers), counts)


def extract_records(papers, rules_dir: str | None = None, stacklevel: int = 1) -> tuple[list[Claim], list[dict]]:
    """Papers (dicts, Papers) or one string -> their claims as records, and the papers that failed, each
    also a warning pointing ``stacklevel`` frames up from the caller (1: the caller's own line). No table,
    so no pandas: `extract explain` starts fast."""
    rules = default_rules(rules_dir)
    if isinstance(papers, str):
        papers = [{"id": "text", "title": "", "abstract": papers}]
    out, failed = [], []
    for i, p in enumerate(papers):
        if not isinstance(p, Paper):
            p = Paper(id=str(p.get("id", i)), title=p.get("title") or "", abstract=p.get("abstract") or "")
        try:
            out.extend(extract_isolated(p, rules))
        except PaperFailed as e:
            failed.append({"id": p.id, "stage": e.stage, "reason": str(e)})
            warnings.warn(f"paper {p.id!r} not extracted: {e}", RuntimeWarning, stacklevel=stacklevel + 1)
    return out, failed


def extract_claims(papers, rules_dir: str | None = None) -> pd.DataFrame:
    """The Python API: papers (dicts, Papers) or one string -> the claims table. A paper that cannot be
    extracted is left out with a warning; the table's ``attrs["failed"]`` lists them."""
    from extract.table import to_frame

    out, failed = extract_records(papers, rules_dir, stacklevel=3)
    df = to_frame(out)
    df.attrs["failed"] = failed
    return df
