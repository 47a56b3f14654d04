"""The outputs of a run are one set: the validation report is renamed with the tables, and what killed
runs leave (.part files and directories) is cleaned up (issue 14)."""
import pytest

from extract.errors import OutputError
from extract.files import prepare_outdir
from extract.run import pipeline
from extract.write import writers


def test_a_run_failing_at_the_end_leaves_the_old_report_with_the_old_tables(tiny_corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    pipeline.run(tiny_corpus, out, workers=1)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def dies(*a, **kw):  # the last step: run.json
        raise OutputError("killed here")

    monkeypatch.setattr(writers, "write_json", dies)
    with pytest.raises(OutputError):
        pipeline.run(tiny_corpus, out, workers=1)
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before  # was: a new validation/ beside the old claims.csv and workbook
    assert not list(out.glob(".*.part"))


def test_part_directories_of_dead_runs_are_removed(tmp_path):
    stale = tmp_path / ".validation.999999999.new.part"
    (stale / "static").mkdir(parents=True)
    (stale / "index.html").write_text("x")
    assert prepare_outdir(tmp_path) == [stale] and not stale.exists()


def test_formula_defusing_of_carriage_returns_full_width_signs_and_apostrophes(tmp_path):
    import pandas as pd

    from extract.records import ALL_COLUMNS
    from extract.table import read_claims_csv, typed
    from extract.write.writers import csv_rows

    titles = ["\r=1+1", "\uff1dSUM(A1)", "'=not a formula", "plain", "\r\n-2"]
    n = len(titles)
    df = pd.DataFrame({c: [""] * n for c in ALL_COLUMNS})
    df["title"], df["paper_id"] = titles, [f"p{i}" for i in range(n)]
    df["value"], df["start"], df["end"], df["valid"] = [1.0] * n, range(n), range(1, n + 1), [True] * n
    df = typed(df)
    path = tmp_path / "claims.csv"
    path.write_bytes(csv_rows(df, header=True))
    written = path.read_text(encoding="utf-8")
    assert "\"'\n=1+1\"" in written  # was: "\n=1+1" with no apostrophe
    assert "'\uff1dSUM(A1)" in written  # was: never prefixed
    back = read_claims_csv(path)["title"].tolist()
    # a carriage return is written as a line feed (Parquet keeps it); the rest reads back as it was
    assert back == ["\n=1+1", "\uff1dSUM(A1)", "'=not a formula", "plain", "\n-2"]
