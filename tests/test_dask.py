"""The Dask engine gives the local engine's outputs, row for row, on a two-worker cluster."""
import gzip
import json

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.run import dask_engine
from extract.run import pipeline
from extract.check import validate
from extract.read.corpus import ReadStats, Rejected, read_corpus
from extract.run.batch import extract_batch
from extract.errors import InputError

distributed = pytest.importorskip("distributed")

from test_parallel import PAPERS, assert_same, messy_corpus, outputs  # noqa: E402


@pytest.fixture(scope="module")
def cluster():
    """Two worker processes on loopback, as on a small cluster (started once for the module)."""
    import logging

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=":0", silence_logs=logging.ERROR) as c:
        yield c.scheduler_address


@pytest.fixture
def no_data_docs(monkeypatch):
    """Data Docs (Great Expectations, seconds per run): built for real in the first test only."""
    monkeypatch.setattr(validate, "build_docs", lambda df, outdir, **kw: "")


@pytest.fixture(autouse=True)
def no_data_docs(monkeypatch):
    """Data Docs (Great Expectations, seconds per run) are H4's and built from the compared table."""
    monkeypatch.setattr(validate, "build_docs", lambda df, outdir, **kw: "")


@pytest.fixture
def small_parts(monkeypatch):
    """Cut even a small file into many partitions, so lines and ids straddle partition ends."""
    monkeypatch.setattr(dask_engine, "BLOCK_BYTES", 20_000)
    monkeypatch.setattr(dask_engine, "MIN_BLOCK", 1)


def test_dask_matches_local_row_for_row(tmp_path, cluster, small_parts):
    corpus = messy_corpus(tmp_path / "c.jsonl", n=150)
    local = pipeline.run(corpus, tmp_path / "local", workers=1)
    remote = pipeline.run(corpus, tmp_path / "dask", engine="dask", scheduler=cluster)
    assert remote["engine"] == "dask" and local["claims"] > 50
    assert len(dask_engine.plan([corpus], 2)) > 5
    # valid/issues and the expectation counts included; the Data Docs are built from this same table.
    assert_same(outputs(tmp_path / "local"), outputs(tmp_path / "dask"))


def test_dask_reads_globs_and_gzip(tmp_path, cluster, small_parts, no_data_docs):
    (tmp_path / "in").mkdir()
    halves = (PAPERS[:60], PAPERS[60:130])
    (tmp_path / "in" / "a.jsonl").write_text("".join(json.dumps(p) + "\n" for p in halves[0]), encoding="utf-8")
    with gzip.open(tmp_path / "in" / "b.jsonl.gz", "wt", encoding="utf-8") as f:
        f.write("".join(json.dumps(p) + "\n" for p in halves[1]))
    whole = tmp_path / "whole.jsonl"
    whole.write_text("".join(json.dumps(p) + "\n" for p in PAPERS[:130]), encoding="utf-8")
    s = pipeline.run(str(tmp_path / "in" / "*.jsonl*"), tmp_path / "dask", engine="dask", scheduler=cluster)
    pipeline.run(whole, tmp_path / "local", workers=1)
    assert s["papers_read"] == 130
    a, b = outputs(tmp_path / "local"), outputs(tmp_path / "dask")
    assert a["csv"] == b["csv"] and a["sheets"] == b["sheets"]


def test_dask_reports_a_cut_gzip_as_the_local_engine_does(tmp_path, cluster):
    data = gzip.compress("".join(json.dumps(p) + "\n" for p in PAPERS[:40]).encode())
    corpus = tmp_path / "cut.jsonl.gz"
    corpus.write_bytes(data[: len(data) * 2 // 3])  # a download that broke off
    local = pipeline.run(corpus, tmp_path / "local", workers=1)
    remote = pipeline.run(corpus, tmp_path / "dask", engine="dask", scheduler=cluster)
    assert local["lines_rejected"] >= 1 and 0 < local["papers_read"] < 40  # the cut line, the cut itself
    assert_same(outputs(tmp_path / "local"), outputs(tmp_path / "dask"))
    assert remote["input_sha256"] == local["input_sha256"]


def test_dask_on_error_fail_names_the_file_and_the_line(tmp_path, cluster, small_parts, no_data_docs):
    lines = [json.dumps(p) for p in PAPERS[:120]]
    lines.insert(100, "{not json")  # line 101, well past the first partition
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"c\.jsonl:101: not valid JSON"):
        pipeline.run(corpus, tmp_path / "out", on_error="fail", engine="dask", scheduler=cluster)
    assert not list((tmp_path / "out").glob("*.csv"))


def test_dask_starts_and_stops_its_own_cluster(tmp_path, no_data_docs):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps(p) + "\n" for p in PAPERS[:20]), encoding="utf-8")
    s = pipeline.run(corpus, tmp_path / "out", engine="dask", workers=1)
    pipeline.run(corpus, tmp_path / "local", workers=1)
    assert s["papers_read"] == 20
    assert outputs(tmp_path / "out")["csv"] == outputs(tmp_path / "local")["csv"]


# Partitions read without a cluster: whatever the cut, the reader's view of the file comes back.
LINES = st.one_of(
    st.sampled_from(PAPERS[:12]).map(json.dumps),
    st.sampled_from([PAPERS[0]["id"], "x", "x#2"]).map(lambda i: json.dumps({"id": i, "abstract": "A 7B model."})),
    st.just(""), st.just("   "), st.just("{oops"), st.just("[1, 2]"), st.just('{"id": "t"}'),
    st.just("\ufeff" + json.dumps({"id": "bom", "abstract": "2x faster"})),
)


@given(st.lists(LINES, max_size=30), st.sampled_from(["\n", "\r\n"]), st.booleans(), st.integers(1, 5000))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_partitions_read_back_as_the_whole_file(tmp_path, lines, eol, last_newline, block):
    path = tmp_path / "c.jsonl"
    path.write_text(eol.join(lines) + (eol if last_newline and lines else ""), encoding="utf-8", newline="")
    want_stats = ReadStats()
    want = list(read_corpus(path, want_stats))
    got_stats, rejected = ReadStats(), []
    block = max(block, path.stat().st_size // 25 + 1)  # cuts anywhere, but not thousands of them
    parts = [dask_engine.read_part(p) for p in dask_engine.plan([path], 1, block=block)]
    batches = list(dask_engine.merge(parts, path, got_stats, lambda r, _: rejected.append(r), "skip"))
    assert got_stats == want_stats
    assert rejected == [r for r in want if isinstance(r, Rejected)]
    claims = pd.concat([b.claims for b in batches], ignore_index=True) if batches else None
    ids = [p.id for p in want if not isinstance(p, Rejected)]
    if claims is not None and len(claims):
        assert set(claims["paper_id"]) <= set(ids)
        expected = extract_batch([p for p in want if not isinstance(p, Rejected)]).claims
        pd.testing.assert_frame_equal(claims, expected)


def test_dask_runs_a_hostile_corpus_to_the_end_with_every_line_accounted_for(tmp_path, cluster, small_parts):
    """Values that do not fit a float, which cost whole runs, are no claim on the cluster either; every
    line is accounted for (issue 14; a paper that raises goes through run/batch.py as locally)."""
    texts = ["Training takes 1e309 FLOPs.", "It uses 10^{309} FLOPs.", "We use " + "9" * 309 + " GB.",
             "Model has 0x1" + "0" * 400 + "B parameters."]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": f"p{i}", "abstract": t + " Accuracy is 91.2% on MNIST."}) + "\n"
                              for i, t in enumerate(texts)) + "not json\n", encoding="utf-8")
    s = pipeline.run(corpus, tmp_path / "out", engine="dask", scheduler=cluster)
    assert (s["lines_read"], s["papers_read"], s["lines_rejected"]) == (5, 4, 1)
    assert s["papers_with_claims"] == 4 and s["papers_failed"] == 0
