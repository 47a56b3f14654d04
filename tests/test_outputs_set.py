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
