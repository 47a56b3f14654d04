"""`extract run`: read the corpus, extract, validate, write every output. Returns the run summary.

Streaming: papers are read line by line and extracted in batches (in local worker processes, or on a
Dask cluster), and the claims are validated in chunks and appended to claims.csv and claims.parquet
(one row group per chunk) under temporary names as the run goes. Memory holds a few batches, never
the corpus, and never the whole claims table: the workbook and the validation report read
claims.parquet back a row group at a time, and the workers parse the raw JSON lines themselves.
"""
from __future__ import annotations

import datetime
import functools
import hashlib
import os
import time
from contextlib import ExitStack, closing
from pathlib import Path
from typing import Callable, Iterator

import pandas as pd

from extract import __version__
from extract.read.corpus import RAW_FORMATS, corpus_format, is_stream, paper_batches, raw_batches, spooled
from extract.read.lines import ReadStats, Rejected
from extract.match.ruleset import default_rules
from extract.run.progress import Hooks
from extract.run.batch import BatchResult
from extract.run.sink import ClaimSink, RejectedLog, release_memory
from extract.errors import InputError, OutputError
from extract.files import atomic_dir

BATCH_PAPERS = 500  # papers per work item: enough to amortise the hand-over, small enough to balance workers
CHUNK_ROWS = 50_000  # claims per validation and write chunk: flag() has a fixed cost per call
# Great Expectations needs about 1 KB per row to build the Data Docs: past this many valid rows the
# report is built on every flagged row and a fixed sample of the others (see docs_rows).
DOCS_SAMPLE_ROWS = 100_000
MAX_ERRORS_IN_SUMMARY = 100  # errors listed in run.json; errors.jsonl has them all


def checksum(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def input_checksum(files: list[Path]) -> str:
    """sha256 of the one input file; for several, of their names and checksums in order."""
    if len(files) == 1:
        return checksum(files[0])
    h = hashlib.sha256()
    for f in files:
        h.update(f"{f.name}\t{checksum(f)}\n".encode())
    return h.hexdigest()


def run(corpus: str | Path, outdir: str | Path = "output", on_error: str = "skip",
        progress: Callable[[int], None] | None = None, workers: int | None = None,
        engine: str = "local", scheduler: str | None = None, rules_dir: str | None = None,
        batch_papers: int = BATCH_PAPERS, chunk_rows: int = CHUNK_ROWS) -> dict:
    """Run the whole pipeline on ``corpus``; write every output under ``outdir``; return the summary.

    ``workers`` processes extract (default: the machine's cores); ``engine="dask"`` runs the
    extraction on a Dask cluster instead (``scheduler`` joins a running one, else a local cluster is
    started). ``progress(n)`` is called as each batch of ``n`` papers is done. ``rules_dir``: another
    rule set than the bundled one.
    """
    from extract.check import validate
    from extract.write import writers
    from extract.run.parallel import default_workers

    if on_error not in ("skip", "fail"):
        raise ValueError(f"on_error must be 'skip' or 'fail', not {on_error!r}")
    if engine not in ("local", "dask"):
        raise ValueError(f"engine must be 'local' or 'dask', not {engine!r}")
    corpus, outdir = Path(corpus), Path(outdir)
    _check_utf8_path(corpus, InputError, "the corpus")
    _check_utf8_path(outdir, OutputError, "the output directory")
    rules_dir = str(rules_dir) if rules_dir else None
    rules = default_rules(rules_dir)  # a broken rule file stops the run here, before any work
    workers = workers or default_workers()
    t0 = time.perf_counter()
    started = datetime.datetime.now(datetime.timezone.utc)
    stats = ReadStats()
    hooks = Hooks(progress)
    done = {"ok": False}
    with ExitStack() as stack:
        stream = is_stream(corpus)
        files = [] if stream else input_files(corpus)
        # Registered first, so it runs last: a run that fails or is interrupted leaves no empty
        # output directory behind it (one that existed, or holds anything, stays).
        stack.callback(_remove_if_made_and_empty, _missing(outdir), done)
        writers.prepare_outdir(outdir)
        if stream:  # stdin, a pipe, <(...): read once, into a temporary file, hashed as it comes
            spool, stream_sha = stack.enter_context(spooled(corpus, outdir))
            files = [spool]
        hooks.start(files)
        rejected = stack.enter_context(RejectedLog(outdir, name_files=len(files) > 1))
        if engine == "dask":
            from extract.run import dask_engine

            batches = dask_engine.batches(files, stats, rejected.add, on_error, workers=workers,
                                          scheduler=scheduler, batch_papers=batch_papers, rules_dir=rules_dir)
        else:
            batches = _local_batches(files, stats, rejected.add, on_error, workers, batch_papers, rules_dir)
        stack.enter_context(closing(batches))  # an error stops the workers at once
        # Every output is renamed into place together, at the end, run.json last (H5: atomic outputs).
        stack.enter_context(writers.all_or_nothing())
        with ClaimSink(outdir, validate.flag, chunk_rows) as sink:
            for b in batches:
                sink.add(b)
                hooks.batch(b.papers)
            hooks.phase("validating")
            sink.close()
        t_stream = time.perf_counter() - t0

        release_memory()
        failed = sink.failed
        valid = sink.valid_mask()
        summary = {
            "tool_version": __version__,
            "rules_version": rules.version,
            "input": str(corpus),
            "input_sha256": stream_sha if stream else _checksum_or_empty(files, stats),
            "engine": engine,
            "workers": workers,
            **stats.as_dict(),
            "papers_with_claims": sink.papers_with_claims,
            "papers_failed": len(failed),
            "claims": len(valid),
            "claims_per_family": {k: int(v) for k, v in sink.families.items()},
            "rows_invalid": int((~valid).sum()),
            "expectations_failed": sink.expectation_counts,
        }
        # run.json stays small on a bad corpus: the first errors here, every one in errors.jsonl
        errors = [{"line": r.line, "reason": r.reason} for r in rejected.read()] + failed
        summary["errors_total"] = len(errors)
        summary["errors"] = errors[:MAX_ERRORS_IN_SUMMARY]
        if len(errors) > MAX_ERRORS_IN_SUMMARY:
            summary["errors_note"] = f"first {MAX_ERRORS_IN_SUMMARY} of {len(errors)}; all are in errors.jsonl"
        writers.write_errors(outdir / "errors.jsonl", rejected.read(), stats.warnings, failed)
        timings = {"extract": t_stream - sink.t_validate - sink.t_write, "validate": sink.t_validate,
                   "write": sink.t_write}
        # Neither step holds the whole table: the workbook reads claims.parquet a row group at a time,
        # the Data Docs read their sample of it. The docs index is where build_docs writes it.
        docs_dir = outdir / "validation"
        # Built under a .part name and renamed with the other outputs (files.atomic_dir): a kill before
        # the end leaves the old report with the old tables, never a new report beside them.
        docs_build = outdir / f".validation.{os.getpid()}.new.part"
        summary["validation_docs_rows"] = docs_sample_size(valid)
        summary["validation_docs"] = str(docs_dir.resolve() / "index.html")
        # The workers are done: a helper process builds the Data Docs (Great Expectations, seconds),
        # then, once free, pieces of each long sheet's rows, while this one writes the workbook. One
        # helper, not two: a third process at once put ~400 MB on the peak of a 1M run (1.24 -> 1.61 GB PSS).
        helpers = _helper_pool(1)
        if helpers is not None:
            stack.callback(stop_helpers, helpers, done)
            docs = helpers.submit(_build_docs, sink.parquet_tmp, valid, docs_build, corpus.name, started)
        else:
            docs = _build_docs(sink.parquet_tmp, valid, docs_build, corpus.name, started)
        t = time.perf_counter()
        from extract.write import leaderboard
        from extract.write.xlsx import HELPER, ROWS_WRITTEN

        hooks.phase("writing the workbook")
        token, shown = HELPER.set(helpers), ROWS_WRITTEN.set(hooks.rows)
        try:
            summary["workbook_notes"] = leaderboard.write_workbook(sink.parquet_tmp, summary,
                                                                   outdir / "leaderboard.xlsx") or []
        finally:
            HELPER.reset(token)
            ROWS_WRITTEN.reset(shown)
        timings["workbook"] = time.perf_counter() - t
        hooks.phase("building the report")
        _, timings["docs"] = _background_result(docs)
        if docs_build.is_dir():  # (a test's stand-in for build_docs writes nothing)
            atomic_dir(docs_build, docs_dir)  # a failure after this removes it (all_or_nothing)
        timings["total"] = time.perf_counter() - t0
        summary["timings_s"] = {k: round(v, 3) for k, v in timings.items()}
        writers.write_json(summary, outdir / "run.json")
        done["ok"] = True
    return summary


def docs_sample_size(df, n: int = DOCS_SAMPLE_ROWS) -> int:
    """How many rows the Data Docs are built on; ``df``: the table, or its ``valid`` column."""
    valid = df["valid"].to_numpy() if isinstance(df, pd.DataFrame) else df
    ok = int(valid.sum())
    return len(valid) if ok <= n else len(valid) - ok + n


def docs_rows(valid, n: int = DOCS_SAMPLE_ROWS):
    """Positions of the rows the Data Docs are built on (None: all of them). A small table: all; a
    large one: every flagged row and ``n`` others drawn at random (seeded, so every run and engine
    picks the same). The flags are row-local or per paper, so each expectation fails on exactly the
    rows it fails on in the whole table; only the number of rows that pass is smaller."""
    import numpy as np

    valid = np.asarray(valid, dtype=bool)
    if int(valid.sum()) <= n:
        return None
    keep = ~valid
    ok = np.flatnonzero(valid)
    keep[np.random.default_rng(0).choice(ok, size=n, replace=False)] = True
    return np.flatnonzero(keep)


def docs_sample_of(parquet: Path, valid, n: int = DOCS_SAMPLE_ROWS) -> pd.DataFrame:
    """The Data Docs rows (docs_rows) of the table in ``parquet``, whose ``valid`` column is given, read a
    row group at a time: never the whole table."""
    from extract.write.parquet_rows import ParquetRows

    rows = docs_rows(valid, n)
    source = ParquetRows(parquet)
    return source.take(range(len(source)) if rows is None else rows)


def _build_docs(parquet: Path, valid, docs_dir: Path, corpus: str = "", started=None) -> tuple[str, float, list]:
    """validate.build_docs on the Data Docs sample of ``parquet``: (index path, seconds, warnings)."""
    import warnings

    from extract.check import validate

    t = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        # the report names its data asset after the corpus, and its run after the corpus and start time
        path = validate.build_docs(docs_sample_of(parquet, valid), docs_dir, corpus=corpus, run_time=started)
    return path, time.perf_counter() - t, [(w.message, w.category) for w in caught]


def _helper_pool(workers: int = 1):
    """Forked helper processes for the steps after the stream, or None where forking is not safe here."""
    import sys

    from extract.run.parallel import process_context

    ctx = process_context()
    # Spawned, this process's state would have to be rebuilt; off Linux, nothing would stop a
    # helper from finishing (and writing) after this process is killed.
    if ctx.get_start_method() != "fork" or not sys.platform.startswith("linux"):
        return None
    from extract.run.parallel import Helpers, die_with_parent

    return Helpers(workers, mp_context=ctx, initializer=die_with_parent, initargs=(os.getpid(),))


def stop_helpers(pool, done: dict) -> None:
    """Shut the helper pool down before the interpreter does. Left to the interpreter's exit hook
    (``shutdown(wait=False)``), its manager thread could close its wake-up pipe while that hook was
    writing to it: "Exception ignored ... OSError: [Errno 9] Bad file descriptor" after about one
    successful run in ten. After a failure the helper may be busy: it is stopped, not waited for."""
    if not done.get("ok"):
        for proc in list((getattr(pool, "_processes", None) or {}).values()):
            proc.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _missing(outdir: Path) -> list[Path]:
    """``outdir`` and those of its parents that do not exist yet (the run will make them), deepest first."""
    out = []
    for d in [outdir, *outdir.absolute().parents]:
        if d.exists():
            break
        out.append(d)
    return out


def _remove_if_made_and_empty(made: list[Path], done: dict) -> None:
    if done.get("ok"):
        return
    for d in made:
        try:
            d.rmdir()
        except OSError:   # not empty (or gone): it and its parents stay
            return


def _background_result(job) -> tuple[str, float]:
    import warnings

    path, seconds, caught = job.result() if hasattr(job, "result") else job
    for message, category in caught:
        warnings.warn(message, category, stacklevel=3)
    return path, seconds


def _check_utf8_path(path: Path, error, what: str) -> None:
    """Refuse, before any work, a path whose name is not valid UTF-8 (``bad\\xffname.jsonl``): run.json,
    Parquet and the report could not hold it, and the run crashed after all its work."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(path).decode("utf-8", errors="backslashreplace")
        raise error(f"the path of {what} is not valid UTF-8 ({shown}); rename it") from None


def _checksum_or_empty(files: list[Path], stats: ReadStats | None = None) -> str:
    try:
        return input_checksum(files)
    except OSError as e:  # the corpus vanished (or became unreadable) after it was read: say so
        if stats is not None:
            stats.warnings.append({"line": 0, "id": "", "reason": f"input_sha256 left empty: cannot read "
                                   f"{e.filename or files[0]} again after the run ({e.strerror or e})"})
        return ""


def input_files(corpus: str | Path) -> list[Path]:
    """The files a corpus argument names: itself, or the sorted matches of a glob pattern."""
    import glob

    s = str(corpus)
    if glob.has_magic(s) and not Path(s).exists():
        files = sorted(Path(p) for p in glob.glob(s, recursive=True) if Path(p).is_file())
        if not files:
            raise InputError("no file matches this pattern", s)
        return files
    path = Path(corpus)
    # checked before the output directory is made: a mistyped path leaves nothing behind
    if not path.exists():
        raise InputError("no such file", s)
    if path.is_dir():
        raise InputError("is a directory, expected a corpus file (or quote a glob such as 'dir/*.jsonl')", s)
    return [path]


def _local_batches(files: list[Path], stats: ReadStats, on_rejected: Callable[[Rejected, Path], None],
                   on_error: str, workers: int, size: int, rules_dir: str | None = None) -> Iterator[BatchResult]:
    """Cut the corpus into batches here, parse and extract them in ``workers`` processes, in input order.

    A JSON Lines file (plain or .gz) goes to the workers as raw lines, which they parse
    (extract.rawlines); a file in another format is read here into papers."""
    from extract.run import rawlines
    from extract.run.parallel import ordered_map

    mergers = []

    def items():
        for i, path in enumerate(files):
            if corpus_format(path) in RAW_FORMATS:
                mergers.append(rawlines.Merger(path, stats, on_rejected, on_error))
                for lines in raw_batches(path, size):
                    yield i, ("lines", lines)
            else:
                mergers.append(None)
                for papers in paper_batches([path], stats, on_rejected, on_error, size):
                    yield i, ("papers", papers)

    from extract.run.batch import worker_start

    results = ordered_map(functools.partial(_tagged_work, rules_dir=rules_dir), items(), workers, init=worker_start)
    try:
        for i, r in results:
            yield mergers[i].add(r) if mergers[i] is not None else r
    finally:
        results.close()


def _tagged_work(tagged: tuple, rules_dir: str | None = None):
    from extract.run.rawlines import work

    return tagged[0], work(tagged[1], rules_dir)
