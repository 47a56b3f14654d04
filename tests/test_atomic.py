"""Outputs appear whole or not at all: a run that dies or is killed leaves no finished-looking file."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from extract import files
from extract.write import writers
from extract.errors import OutputError
from extract.table import to_frame
from extract.records import Claim
ROOT = Path(__file__).resolve().parent.parent

FINISHED = ("claims.csv", "claims.parquet", "errors.jsonl", "leaderboard.xlsx", "run.json")


def parts(d):
    return sorted(p.name for p in d.iterdir() if p.name.endswith(".part"))


def test_atomic_path_renames_only_when_the_block_succeeds(tmp_path):
    target = tmp_path / "a.txt"
    with writers.atomic_path(target) as tmp:
        tmp.write_text("new")
        assert not target.exists() and tmp.name.endswith(".part")
    assert target.read_text() == "new" and parts(tmp_path) == []
    with pytest.raises(RuntimeError):
        with writers.atomic_path(target) as tmp:
            tmp.write_text("half")
            raise RuntimeError("died")
    assert target.read_text() == "new" and parts(tmp_path) == []


def test_finished_files_get_the_usual_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        with writers.atomic_path(tmp_path / "a.txt") as tmp:
            tmp.write_text("x")
    finally:
        os.umask(old)
    # mkstemp makes 0600 files; the finished output follows the umask the process started with.
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o666 & ~files._UMASK


def test_os_error_while_writing_is_an_output_error_and_leaves_nothing(tmp_path):
    with pytest.raises(OutputError, match=r"cannot write .*a\.txt: No space left on device"):
        with writers.atomic_path(tmp_path / "a.txt"):
            raise OSError(28, "No space left on device")
    assert list(tmp_path.iterdir()) == []


def test_all_or_nothing_renames_together_at_the_end_in_order(tmp_path):
    with writers.all_or_nothing():
        for name in ("one", "two", "run.json"):
            with writers.atomic_path(tmp_path / name) as tmp:
                tmp.write_text(name)
        assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == []
        assert len(parts(tmp_path)) == 3
    assert sorted(p.name for p in tmp_path.iterdir()) == ["one", "run.json", "two"]
    assert (tmp_path / "two").read_text() == "two"


def test_all_or_nothing_failure_leaves_no_output_and_no_part(tmp_path):
    with pytest.raises(ValueError):
        with writers.all_or_nothing():
            with writers.atomic_path(tmp_path / "claims.csv") as tmp:
                tmp.write_text("complete")
            raise ValueError("the workbook failed")
    assert list(tmp_path.iterdir()) == []


def test_prepare_outdir_removes_part_files_of_dead_runs_only(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    stale = tmp_path / f".claims.csv.{dead_pid}.abc123.part"
    live = tmp_path / f".claims.csv.{os.getpid()}.def456.part"
    other = tmp_path / ".notes.part"  # not ours: no pid in the name
    for p in (stale, live, other):
        p.write_text("x")
    removed = writers.prepare_outdir(tmp_path)
    assert removed == [stale]
    assert not stale.exists() and live.exists() and other.exists()


def test_formula_cells_are_text_in_csv_and_xlsx(tmp_path):
    from extract.write import leaderboard

    evil = ["=HYPERLINK(\"http://x\",\"y\")", "+1+2", "-2+3", "@SUM(A1)", "\t=1", "=1\r\n=2"]
    claims = [Claim(paper_id=e, title=e, family="score", metric="accuracy", kind="absolute", direction="",
                    value=-3.5, unit="%", qualifier="exact", value_text="-3.5", evidence=e, model=e)
              for e in evil]
    df = to_frame(claims)
    writers.write_csv(df, tmp_path / "claims.csv")
    raw = pd.read_csv(tmp_path / "claims.csv", dtype=str, keep_default_na=False)
    for col in ("paper_id", "title", "evidence", "model", "value_text"):
        assert len(raw) == len(evil) and not raw[col].str.match(r"[=+\-@\t\r]").any(), col
    assert list(raw["value"]) == ["-3.5"] * len(evil)  # numbers stay numbers
    back = writers.read_claims_csv(tmp_path / "claims.csv")
    assert list(back["paper_id"]) == [e.replace("\r\n", "\n") for e in evil] and list(back["value_text"]) == ["-3.5"] * len(evil)

    leaderboard.write_workbook(df, {"input": "=cmd|' /C calc'!A0"}, tmp_path / "lb.xlsx")
    wb = load_workbook(tmp_path / "lb.xlsx")
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert cells, "the workbook is empty"
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    looks_like_formula = [c for c in cells if isinstance(c.value, str) and c.value[:1] in ("=", "+", "-", "@")]
    assert {"=HYPERLINK(\"http://x\",\"y\")", "+1+2", "@SUM(A1)"} <= {c.value for c in looks_like_formula}
    # stored as text, and kept text when someone edits the cell
    assert all(c.data_type == "s" and c.quotePrefix for c in looks_like_formula)


def test_a_lone_carriage_return_does_not_split_a_csv_row(tmp_path):
    texts = ["a\rb", "c\r\nd", "e\nf", "g"]
    df = to_frame([Claim(paper_id=t, title="", family="score", metric="accuracy", kind="absolute", direction="",
                         value=1.0, unit="%", qualifier="exact", value_text="1", evidence=t) for t in texts])
    writers.write_csv(df, tmp_path / "claims.csv")
    back = writers.read_claims_csv(tmp_path / "claims.csv")
    assert list(back["evidence"]) == ["a\nb", "c\nd", "e\nf", "g"]


# --- killed runs -------------------------------------------------------------------------------

def big_corpus(path, n):
    """n papers cycled from the sample corpus, each with its own id."""
    src = [json.loads(x) for x in (ROOT / "data" / "papers.jsonl").read_text(encoding="utf-8").splitlines() if x]
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            p = src[i % len(src)]
            f.write(json.dumps({"id": f"{p['id']}-{i}", "title": p.get("title", ""), "abstract": p["abstract"]}) + "\n")


def assert_nothing_finished(out):
    left = sorted(p.name for p in out.iterdir())
    assert not [n for n in left if n in FINISHED], left
    return left


def test_run_killed_midway_leaves_only_part_files_and_the_next_run_cleans_them(tmp_path):
    corpus = tmp_path / "big.jsonl"
    big_corpus(corpus, 20_000)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "extract.cli", "run", str(corpus), "-o", str(out), "-q", "-w", "1"],
                            cwd=ROOT, start_new_session=True, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not (out.exists() and parts(out)):  # the claims are being written
            assert proc.poll() is None, proc.stderr.read().decode()
            assert time.monotonic() < deadline, "no .part file appeared"
            time.sleep(0.01)
        time.sleep(1.0)
        assert proc.poll() is None, "the run finished before it could be killed: make the corpus bigger"
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    left = assert_nothing_finished(out)
    assert [n for n in left if n.endswith(".part")], left  # it was killed mid-way, while writing

    small = tmp_path / "small.jsonl"
    big_corpus(small, 5)
    res = subprocess.run([sys.executable, "-m", "extract.cli", "run", str(small), "-o", str(out), "-q", "-w", "1"],
                         cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert parts(out) == []
    assert set(FINISHED) <= {p.name for p in out.iterdir()}


KILL_IN_WORKBOOK = """
import os, signal, sys
from extract.write import leaderboard
from extract.run import pipeline

def write_workbook(df, summary, path):
    # Killed while the workbook is half written: claims.csv and errors.jsonl are already complete.
    from extract.write.writers import atomic_path
    with atomic_path(path) as tmp:
        tmp.write_bytes(b"PK\\x03\\x04 half a zip")
        os.kill(os.getpid(), signal.SIGKILL)

leaderboard.write_workbook = write_workbook
pipeline.run(sys.argv[1], sys.argv[2], workers=1)
"""


def test_run_killed_while_writing_the_workbook_leaves_no_finished_output(tmp_path):
    corpus = tmp_path / "c.jsonl"
    big_corpus(corpus, 50)
    out = tmp_path / "out"
    res = subprocess.run([sys.executable, "-c", KILL_IN_WORKBOOK, str(corpus), str(out)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == -signal.SIGKILL, res.stderr
    left = assert_nothing_finished(out)
    assert any(n.startswith(".claims.csv.") for n in left) and any(n.startswith(".leaderboard.xlsx.") for n in left)
