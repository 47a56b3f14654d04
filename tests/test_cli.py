"""`extract run` through its real entry points: the installed console script and `python -m extract`."""
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SCRIPT = BIN / "extract"
OUTPUTS = ("claims.csv", "claims.parquet", "leaderboard.xlsx", "run.json", "errors.jsonl")

pytestmark = pytest.mark.skipif(not SCRIPT.exists(), reason="the extract console script is not installed")


def run(args, cwd=None, **kw):
    """Run a command as a user would: piped output (no terminal), the venv's environment."""
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=600, **kw)


@pytest.fixture(scope="module")
def script_run(tmp_path_factory):
    """One run of the installed script over the three-paper corpus (conftest's tiny_corpus, written here)."""
    d = tmp_path_factory.mktemp("script")
    corpus = d / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(p) + "\n" for p in TINY), encoding="utf-8")
    out = d / "out"
    return corpus, out, run([SCRIPT, "run", corpus, "-o", out, "--workers", 1])


TINY = [
    {"id": "p1", "title": "A", "abstract": "Our 7B model improves accuracy by 3.2% over GPT-4. It runs 2.5x faster."},
    {"id": "p2", "title": "B", "abstract": "We fine-tune LLaMA-2-13B on 52K instructions."},
    {"id": "p3", "title": "C", "abstract": "We study why models fail."},
]


def test_run_writes_every_output(script_run):
    _, out, r = script_run
    assert r.returncode == 0, r.stderr
    for name in OUTPUTS:
        assert (out / name).is_file(), name
    assert r.stdout == ""                       # messages go to stderr; stdout stays clean for pipes
    assert "3 papers" in r.stderr and "claims" in r.stderr
    assert "\r" not in r.stderr                 # no progress bar when stderr is not a terminal
    summary = json.loads((out / "run.json").read_text(encoding="utf-8"))
    claims = pd.read_parquet(out / "claims.parquet")
    assert summary["papers_read"] == 3 and summary["claims"] == len(claims) > 0
    assert set(claims["paper_id"]) <= {"p1", "p2", "p3"} and "p1" in set(claims["paper_id"])
    leftovers = [p.name for p in out.iterdir() if p.name.startswith(".") or p.suffix in (".part", ".tmp")]
    assert leftovers == []                      # no temporary files left behind


def test_python_dash_m_is_the_same_command(script_run, tmp_path):
    corpus, a, r1 = script_run
    b = tmp_path / "b"
    r2 = run([sys.executable, "-m", "extract", "run", corpus, "-o", b, "-q", "--workers", 1])
    assert r1.returncode == r2.returncode == 0, (r1.stderr, r2.stderr)
    assert r2.stderr == ""                      # --quiet: nothing at all
    assert (a / "claims.csv").read_bytes() == (b / "claims.csv").read_bytes()
    h = run([sys.executable, "-m", "extract", "--help"])
    assert h.returncode == 0 and "Usage: extract" in h.stdout


@pytest.mark.parametrize("cmd", [["--help"], ["run", "--help"], ["explain", "--help"], ["--version"]])
def test_help_answers(cmd):
    r = run([SCRIPT, *cmd])
    assert r.returncode == 0, r.stderr
    assert ("Usage:" in r.stdout) or ("version" in r.stdout)


def test_help_imports_no_heavy_library():
    """`extract --help` stays instant because pandas, openpyxl and Great Expectations load only when used."""
    code = ("import sys\nfrom click.testing import CliRunner\nfrom extract.cli import cli\n"
            "for args in (['--help'], ['run', '--help'], ['explain', '--help']):\n"
            "    assert CliRunner().invoke(cli, args).exit_code == 0\n"
            "heavy = [m for m in ('pandas', 'openpyxl', 'great_expectations', 'pyarrow', 'dask') if m in sys.modules]\n"
            "print(','.join(heavy))\n")
    r = run([sys.executable, "-c", code])
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == ""


def test_missing_corpus_is_a_clear_error(tmp_path):
    missing = tmp_path / "nope.jsonl"
    r = run([SCRIPT, "run", missing, "-o", tmp_path / "out"])
    assert r.returncode == 2
    assert "Error" in r.stderr and "nope.jsonl" in r.stderr
    assert "Traceback" not in r.stderr


def test_bad_line_is_reported_not_lost(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "a", "title": "T", "abstract": "Our 7B model is 2x faster."}) + "\n"
                      + "{not json\n", encoding="utf-8")
    out = tmp_path / "out"
    r = run([SCRIPT, "run", corpus, "-o", out, "--workers", 1])
    assert r.returncode == 0, r.stderr
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any(e.get("line") == 2 for e in errors)
    r = run([SCRIPT, "run", corpus, "-o", tmp_path / "out2", "--on-error", "fail", "--workers", 1])
    assert r.returncode == 2 and "2" in r.stderr and "c.jsonl" in r.stderr
