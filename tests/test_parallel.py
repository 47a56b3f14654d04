"""The local engine: streaming in batches over worker processes changes nothing in the outputs."""
import json
import os
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.run import pipeline
from extract.check import validate
from extract.cli import cli
from extract.errors import InputError
from extract.run.parallel import ordered_map
from parallel_helpers import pid as _pid
from parallel_helpers import slow_negate as _slow_negate

ROOT = Path(__file__).resolve().parent.parent
PAPERS = [json.loads(x) for x in (ROOT / "data" / "papers.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.fixture(autouse=True)
def no_data_docs(monkeypatch):
    """Data Docs (Great Expectations, seconds per run) are H4's and do not depend on the engine."""
    monkeypatch.setattr(validate, "build_docs", lambda df, outdir, **kw: "")


def messy_corpus(path: Path, n: int = 120) -> Path:
    """Papers with claims, a bad JSON line, a line without an abstract, blank lines and a repeated id."""
    lines = [json.dumps(p) for p in PAPERS[:n]]
    lines.insert(7, '{"id": "broken", "abstract": ')
    lines.insert(30, "")
    lines.insert(55, json.dumps({"id": "no-abstract", "title": "T"}))
    lines.insert(80, json.dumps(PAPERS[3]))  # its id again: renamed id#2, with a warning
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def outputs(outdir: Path) -> dict:
    """Everything a run wrote that must not depend on how it ran."""
    from openpyxl import load_workbook

    summary = json.loads((outdir / "run.json").read_text())
    for k in ("timings_s", "workers", "engine", "validation_docs"):  # docs: a path under outdir
        summary.pop(k, None)
    wb = load_workbook(outdir / "leaderboard.xlsx", read_only=True)
    sheets = {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets
              if ws.title != "About"}  # About shows the timings
    wb.close()
    return {
        "csv": (outdir / "claims.csv").read_bytes(),
        "parquet": pd.read_parquet(outdir / "claims.parquet"),
        "errors": (outdir / "errors.jsonl").read_bytes(),
        "summary": summary,
        "sheets": sheets,
    }


def assert_same(a: dict, b: dict) -> None:
    assert a["csv"] == b["csv"]
    pd.testing.assert_frame_equal(a["parquet"], b["parquet"])
    assert a["errors"] == b["errors"]
    assert a["summary"] == b["summary"]
    assert a["sheets"] == b["sheets"]


@given(st.lists(st.integers(-1000, 1000), max_size=40), st.integers(1, 6))
@settings(max_examples=4, deadline=None)
def test_ordered_map_returns_results_in_input_order(items, ahead):
    assert list(ordered_map(_slow_negate, items, workers=2, ahead=ahead)) == [-x for x in items]


def test_ordered_map_reads_only_a_few_items_ahead():
    consumed = []

    def items():
        for i in range(100):
            consumed.append(i)
            yield i

    results = ordered_map(_slow_negate, items(), workers=2, ahead=3)
    assert next(results) == 0
    assert len(consumed) <= 4  # memory stays flat: the corpus is not read ahead of the workers
    assert list(results) == [-i for i in range(1, 100)]


def test_ordered_map_runs_a_single_item_here():
    assert list(ordered_map(_pid, [0], workers=2)) == [os.getpid()]
    assert list(ordered_map(_pid, [], workers=2)) == []
    assert os.getpid() not in ordered_map(_pid, [0, 1], workers=2)


def test_ordered_map_stops_on_an_error_in_the_input():
    def items():
        yield 1
        yield 2
        raise InputError("bad line", "c.jsonl", 3)

    with pytest.raises(InputError, match="c.jsonl:3"):
        list(ordered_map(_slow_negate, items(), workers=2))


def test_two_workers_give_the_same_outputs_as_one(tmp_path):
    corpus = messy_corpus(tmp_path / "c.jsonl")
    s1 = pipeline.run(corpus, tmp_path / "w1", workers=1)
    s2 = pipeline.run(corpus, tmp_path / "w2", workers=2, batch_papers=7, chunk_rows=25)
    assert s1["claims"] > 50 and s1["lines_rejected"] == 2 and s1["duplicate_ids"] == 1
    assert s2["workers"] == 2
    assert_same(outputs(tmp_path / "w1"), outputs(tmp_path / "w2"))


def test_claims_come_in_input_order(tmp_path):
    corpus = messy_corpus(tmp_path / "c.jsonl", n=200)
    pipeline.run(corpus, tmp_path / "out", workers=2, batch_papers=3, chunk_rows=10)
    df = pd.read_parquet(tmp_path / "out" / "claims.parquet")
    order = {p["id"]: i for i, p in enumerate(PAPERS)}
    ranks = [order[pid] for pid in df["paper_id"] if pid in order]
    assert len(ranks) > 100 and ranks == sorted(ranks)


@given(batch=st.integers(1, 40), chunk=st.integers(1, 400))
@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_batch_and_chunk_size_gives_the_same_outputs(tmp_path, batch, chunk):
    corpus = tmp_path / "c.jsonl"
    if not corpus.exists():
        messy_corpus(corpus, n=60)
        pipeline.run(corpus, tmp_path / "ref", workers=1, batch_papers=10_000, chunk_rows=10**9)
    out = tmp_path / f"b{batch}-c{chunk}"
    pipeline.run(corpus, out, workers=1, batch_papers=batch, chunk_rows=chunk)
    assert_same(outputs(tmp_path / "ref"), outputs(out))


def test_every_line_is_accounted_for(tmp_path):
    corpus = messy_corpus(tmp_path / "c.jsonl")
    s = pipeline.run(corpus, tmp_path / "out", workers=2, batch_papers=5)
    assert s["lines_read"] == s["papers_read"] + s["lines_rejected"] + s["blank_lines"] == 124
    errors = [json.loads(x) for x in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    rejected = [e for e in errors if e["kind"] == "rejected"]
    assert [e["line"] for e in rejected] == [8, 56]


def test_a_failing_run_leaves_no_outputs(tmp_path):
    corpus = messy_corpus(tmp_path / "c.jsonl")
    out = tmp_path / "out"
    with pytest.raises(InputError, match=r"c\.jsonl:8: "):
        pipeline.run(corpus, out, on_error="fail", workers=2, batch_papers=2)
    assert not out.exists() or list(out.iterdir()) == []


def test_several_files_by_glob_read_in_name_order(tmp_path):
    (tmp_path / "in").mkdir()
    for i, part in enumerate((PAPERS[:40], PAPERS[40:90])):
        lines = [json.dumps(p) for p in part] + (["not json"] if i == 1 else [])
        (tmp_path / "in" / f"part-{i}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    whole = tmp_path / "whole.jsonl"
    whole.write_text("".join(json.dumps(p) + "\n" for p in PAPERS[:90]), encoding="utf-8")
    s = pipeline.run(str(tmp_path / "in" / "part-*.jsonl"), tmp_path / "glob", workers=2, batch_papers=8)
    pipeline.run(whole, tmp_path / "one", workers=1)
    assert s["papers_read"] == 90 and s["lines_rejected"] == 1
    assert (tmp_path / "glob" / "claims.csv").read_bytes() == (tmp_path / "one" / "claims.csv").read_bytes()
    (err,) = [json.loads(x) for x in (tmp_path / "glob" / "errors.jsonl").read_text().splitlines()]
    assert err["line"] == 51 and "part-1.jsonl" in err["reason"]


def test_cli_run_with_workers_quiet_and_piped(tmp_path):
    corpus = messy_corpus(tmp_path / "c.jsonl", n=30)
    r = CliRunner().invoke(cli, ["run", str(corpus), "-o", str(tmp_path / "out"), "--workers", "2"])
    assert r.exit_code == 0, r.output
    assert "papers/s" not in r.output and "it/s" not in r.output  # no progress bar when not on a terminal
    assert json.loads((tmp_path / "out" / "run.json").read_text())["workers"] == 2
    r = CliRunner().invoke(cli, ["run", str(corpus), "-o", str(tmp_path / "q"), "-q"])
    assert r.exit_code == 0 and r.output == ""


def test_cli_rejects_a_scheduler_without_the_dask_engine(tmp_path):
    r = CliRunner().invoke(cli, ["run", "x.jsonl", "--scheduler", "tcp://127.0.0.1:8786"])
    assert r.exit_code == 2 and "--engine dask" in r.output


LINE_KINDS = st.sampled_from([
    b'{"id": "a", "abstract": "We reach 85.3% accuracy on GSM8K."}',
    b'{"id": "a", "title": "T", "abstract": "A 2.5x speedup with 7B parameters."}',
    b'{"id": "b", "abstract": "No numbers here."}',
    b'{"id": 7, "abstract": "Perplexity drops to 5.12 on WikiText-2."}',
    b'{"id": "c", "abstract": "bad \xff byte, 12% better"}',
    b'{"id": "d", "abstract": ""}',
    b'{"id": "e", "abstract": "ctrl \\u0001 char 3.4 points"}',
    b'{"id": "broken", "abstract": ',
    b'[1, 2]',
    b'{"title": "no id"}',
    b"", b"   ", b"\r",
])


@given(st.lists(LINE_KINDS, max_size=25), st.booleans(), st.booleans(), st.integers(1, 6))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_raw_line_batches_read_exactly_as_the_corpus_reader(tmp_path, lines, ended, gz, size):
    """Workers parse raw lines and the merger puts back repeated ids, line numbers and counts: for any
    mix of good, bad, blank and repeated lines (plain or .gz, any batch size), the claims, the counts,
    the warnings and the rejected lines are those of corpus.read_corpus + extract_batch."""
    import gzip

    from extract.run import rawlines
    from extract.read.corpus import ReadStats, Rejected, raw_batches, read_corpus
    from extract.run.batch import extract_batch

    data = b"\n".join(lines) + (b"\n" if ended and lines else b"")
    path = tmp_path / ("c.jsonl.gz" if gz else "c.jsonl")
    path.write_bytes(gzip.compress(data) if gz else data)
    want_stats, want_rejected, papers = ReadStats(), [], []
    for item in read_corpus(path, want_stats):
        (want_rejected if isinstance(item, Rejected) else papers).append(item)
    want = extract_batch(papers)

    stats, rejected = ReadStats(), []
    results = [rawlines.parse_and_extract(b) for b in raw_batches(path, size)]
    got = list(rawlines.merge(results, path, stats, lambda r, _: rejected.append(r), "skip"))
    assert stats == want_stats and stats.reconciles
    assert [(r.line, r.reason, r.raw) for r in rejected] == [(r.line, r.reason, r.raw) for r in want_rejected]
    claims = pd.concat([b.claims for b in got], ignore_index=True) if got else want.claims.iloc[:0]
    pd.testing.assert_frame_equal(claims, want.claims)
    assert sum(b.papers for b in got) == len(papers)
    if want_rejected:
        with pytest.raises(InputError, match=f":{want_rejected[0].line}"):
            list(rawlines.merge(results, path, ReadStats(), lambda r, _: None, "fail"))


def test_damaged_gzip_is_one_more_rejected_line(tmp_path):
    import gzip

    from extract.run import rawlines
    from extract.read.corpus import ReadStats, Rejected, raw_batches, read_corpus

    path = tmp_path / "c.jsonl.gz"
    path.write_bytes(gzip.compress("".join(json.dumps(p) + "\n" for p in PAPERS[:30]).encode())[:-40])
    want_stats = ReadStats()
    want = [(r.line, r.reason) for r in read_corpus(path, want_stats) if isinstance(r, Rejected)]
    stats, got = ReadStats(), []
    results = [rawlines.parse_and_extract(b) for b in raw_batches(path, 4)]
    list(rawlines.merge(results, path, stats, lambda r, _: got.append((r.line, r.reason)), "skip"))
    assert want and got == want and stats == want_stats


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.integers(min_value=0, max_value=len(PAPERS) - 1), max_size=12),
       st.lists(st.integers(min_value=1, max_value=5), min_size=1, max_size=4))
def test_batches_travel_as_columns_and_make_the_table_of_their_claims(picks, cuts):
    """Workers return claims as column lists; the table of any run of batches, made at once, is the
    table the claims records make (extract_claims' path), in order, with the same dtypes."""
    from extract.records import Paper
    from extract.run.batch import extract_batch, extract_records, frame_of
    from extract.table import to_frame

    papers = [Paper(id=f"p{i}", title=PAPERS[k].get("title") or "", abstract=PAPERS[k]["abstract"], line=i + 1)
              for i, k in enumerate(picks)]
    batches, at = [], 0
    for size in cuts * (len(papers) + 1):
        if at >= len(papers):
            break
        batches.append(extract_batch(papers[at:at + size]))
        at += size
    records, _ = extract_records(papers)
    want = to_frame(records)
    got = frame_of(batches) if batches else frame_of([extract_batch([])])
    pd.testing.assert_frame_equal(got, want)
    assert sum(len(b) for b in batches) == len(records)
    assert all(sum(b.counts) == len(b) for b in batches)


def test_a_worker_collects_garbage_once_a_batch_and_its_frozen_heap_stays_flat():
    """worker_start: in a worker the collector runs after each batch, not as it allocates, and what
    outlives a batch is frozen; nothing piles up batch after batch, and the claims are the same."""
    import subprocess
    import sys

    script = r'''
import gc, json, sys
from pathlib import Path
from extract.read.corpus import raw_batches
from extract.run import batch, rawlines
if sys.argv[1] == "worker":
    batch.worker_start()
counts, claims = [], []
for b in raw_batches(Path(sys.argv[2]), 40):
    r = rawlines.work(("lines", b))
    claims.append(r.batch.claims.to_json())
    counts.append(gc.get_freeze_count())
print(json.dumps({"enabled": gc.isenabled(), "counts": counts, "claims": claims}))
'''
    got = {}
    for mode in ("plain", "worker"):
        out = subprocess.run([sys.executable, "-c", script, mode, str(ROOT / "data" / "papers.jsonl")],
                             capture_output=True, text=True, check=True, cwd=ROOT).stdout
        got[mode] = json.loads(out)
    plain, worker = got["plain"], got["worker"]
    assert plain["enabled"] and not worker["enabled"]
    assert worker["claims"] == plain["claims"] and len(worker["counts"]) >= 6
    assert worker["counts"][0] > 0 and max(worker["counts"][2:]) - worker["counts"][2] < 2_000
