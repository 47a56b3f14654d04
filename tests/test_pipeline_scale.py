"""What keeps a million-abstract run small: nothing after the stream holds the whole claims table."""
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from extract.run import pipeline

ROOT = Path(__file__).resolve().parent.parent


def _table(n: int) -> pd.DataFrame:
    from extract.records import ALL_COLUMNS
    from extract.table import typed

    df = pd.DataFrame({c: [f"{c}{i % 7}" for i in range(n)] for c in ALL_COLUMNS})
    df["value"] = np.arange(n, dtype=float)
    df["start"], df["end"] = range(n), range(1, n + 1)
    df["valid"] = [i % 5 != 0 for i in range(n)]
    return typed(df)


def test_docs_sample_read_by_row_group_is_every_flagged_row_and_a_seeded_sample(tmp_path):
    df = _table(103)
    path = tmp_path / "c.parquet"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path, row_group_size=10)
    valid = df["valid"].to_numpy()
    got = pipeline.docs_sample_of(path, valid, n=30)
    assert len(got) == pipeline.docs_sample_size(valid, n=30) == int((~valid).sum()) + 30
    flagged = df[~df["valid"]].reset_index(drop=True)
    pd.testing.assert_frame_equal(got[~got["valid"]].reset_index(drop=True), flagged)
    assert got["start"].is_monotonic_increasing  # input order kept
    # the same rows every time (seeded), so every run and engine documents the same sample
    pd.testing.assert_frame_equal(got, pipeline.docs_sample_of(path, valid, n=30))
    # a small table is documented whole
    pd.testing.assert_frame_equal(pipeline.docs_sample_of(path, valid, n=1000), df)


def test_run_json_counts_kept_while_streaming_match_the_written_table(tmp_path, monkeypatch):
    """papers_with_claims, claims, claims_per_family (in order of first appearance), rows_invalid are
    counted chunk by chunk as the table is written; they are what the finished table says."""
    from extract.check import validate

    monkeypatch.setattr(validate, "build_docs", lambda df, outdir, **kw: "")
    lines = (ROOT / "data" / "papers.jsonl").read_text(encoding="utf-8").splitlines()[:80]
    lines += lines[:5]  # repeated ids: renamed, counted as papers of their own
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text("\n".join(lines[:40]) + "\n", encoding="utf-8")
    b.write_text("\n".join(lines[30:]) + "\n", encoding="utf-8")  # ids shared across files count once
    s = pipeline.run(str(tmp_path / "*.jsonl"), tmp_path / "out", workers=1, batch_papers=7, chunk_rows=20)
    df = pd.read_parquet(tmp_path / "out" / "claims.parquet")
    assert s["claims"] == len(df) > 20
    assert s["papers_with_claims"] == df["paper_id"].nunique()
    assert list(s["claims_per_family"].items()) == [(k, int(v)) for k, v in
                                                    df["family"].value_counts(sort=False).items()]
    assert s["rows_invalid"] == int((~df["valid"]).sum())
    assert json.loads((tmp_path / "out" / "run.json").read_text())["claims"] == len(df)
