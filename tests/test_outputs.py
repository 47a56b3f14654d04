"""What `extract run` writes: claims.csv (contract columns, plain numbers), claims.parquet, run.json, the workbook."""
import csv
import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from extract.records import COLUMNS, EXTRA_COLUMNS
from extract.write.writers import read_claims_csv

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = Path(sys.executable).parent / "extract"
BUNDLED = ROOT / "data" / "papers.jsonl"
PLAIN_NUMBER = re.compile(r"-?(0|[1-9]\d*)(\.\d*[1-9])?")   # 7000000000, 12.2: no exponent, no separators

TRICKY = [  # text a spreadsheet would run, at the start of fields that reach the outputs
    {"id": "t1", "title": "=HYPERLINK(\"http://evil\",\"x\")", "abstract": "Our 7B model runs 2.5x faster."},
    {"id": "t2", "title": "+1+2", "abstract": "@SUM(1) We train a 1.3B model on 1.3T tokens."},
    {"id": "-t3", "title": "-2+3", "abstract": "=1+1 A 175B model reaches 85.3% accuracy on GSM8K."},
]


def extract_run(corpus, out):
    cmd = [str(SCRIPT), "run", str(corpus), "-o", str(out), "-q"] if SCRIPT.exists() else \
          [sys.executable, "-m", "extract", "run", str(corpus), "-o", str(out), "-q"]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    return out


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    """One real run, shared by the tests of this file: `extract run -o OUT` with no CORPUS, from a
    directory that has no data/ of its own, so it must find the bundled corpus."""
    d = tmp_path_factory.mktemp("bundled")
    cmd = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "extract"]
    r = subprocess.run(cmd + ["run", "-o", str(d / "out"), "-q"], cwd=d, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr
    return d / "out"


def test_default_corpus_is_the_bundled_one(bundled):
    run = json.loads((bundled / "run.json").read_text(encoding="utf-8"))
    assert Path(run["input"]).resolve() == BUNDLED.resolve() or Path(run["input"]).name == "papers.jsonl"
    assert run["input_sha256"] == hashlib.sha256(BUNDLED.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def tricky(tmp_path_factory):
    d = tmp_path_factory.mktemp("tricky")
    corpus = d / "tricky.jsonl"
    corpus.write_text("".join(json.dumps(p) + "\n" for p in TRICKY), encoding="utf-8")
    return extract_run(corpus, d / "out")


def csv_header(path):
    with open(path, encoding="utf-8", newline="") as f:
        return next(csv.reader(f))


def test_csv_has_the_contract_columns_in_order(bundled):
    head = csv_header(bundled / "claims.csv")
    assert head[: len(COLUMNS)] == COLUMNS
    assert head[len(COLUMNS): len(COLUMNS) + len(EXTRA_COLUMNS)] == EXTRA_COLUMNS
    assert list(pd.read_parquet(bundled / "claims.parquet").columns) == head


def test_csv_reads_back_to_the_parquet_values(bundled):
    pq = pd.read_parquet(bundled / "claims.parquet")
    assert len(pq) > 0
    plain = pd.read_csv(bundled / "claims.csv", keep_default_na=False, encoding="utf-8")
    assert len(plain) == len(pq) and list(plain.columns) == list(pq.columns)
    assert plain["value"].astype("float64").tolist() == pq["value"].tolist()
    assert plain["start"].tolist() == pq["start"].tolist() and plain["end"].tolist() == pq["end"].tolist()
    assert plain["valid"].map(lambda v: str(v).lower() == "true").tolist() == pq["valid"].tolist()
    for c in pq.columns:
        if pq[c].dtype == object or str(pq[c].dtype) in ("str", "string"):
            same = plain[c].astype(str) == pq[c]
            # The only text allowed to differ is a defused formula ("'=...") or a line end made \n.
            for a, b in zip(plain[c][~same].astype(str), pq[c][~same]):
                assert a == "'" + b or a == b.replace("\r\n", "\n").replace("\r", "\n"), (c, a, b)
    back = read_claims_csv(bundled / "claims.csv")
    pd.testing.assert_frame_equal(back.reset_index(drop=True), pq, check_dtype=False)


def test_value_is_a_plain_number(bundled, tricky):
    for out in (bundled, tricky):
        with open(out / "claims.csv", encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        assert rows
        for r in rows:
            assert PLAIN_NUMBER.fullmatch(r["value"]), r["value"]
    with open(tricky / "claims.csv", encoding="utf-8", newline="") as f:
        values = {(r["value_text"], r["value"]) for r in csv.DictReader(f)}
    assert ("7B", "7000000000") in values and ("175B", "175000000000") in values
    assert ("1.3T", "1300000000000") in values and ("2.5x", "2.5") in values


def test_parquet_is_typed(bundled):
    pq = pd.read_parquet(bundled / "claims.parquet")
    assert pq["value"].dtype == "float64" and pq["start"].dtype == "int64" and pq["valid"].dtype == bool


def test_formulas_are_defused_in_csv_and_kept_as_text_in_the_workbook(tricky):
    with open(tricky / "claims.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        for v in r.values():
            assert not v.startswith(("=", "+", "-", "@")), v
    titles = {r["title"] for r in rows}
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in titles and "'+1+2" in titles
    assert "'-t3" in {r["paper_id"] for r in rows}
    wb = load_workbook(tricky / "leaderboard.xlsx")
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    looks = [c for c in cells if c.value.startswith(("=", "+", "-", "@"))]
    assert {"=HYPERLINK(\"http://evil\",\"x\")", "+1+2", "-t3"} <= {c.value for c in looks}
    assert all(c.data_type == "s" for c in looks)


def test_run_json_says_what_ran(bundled):
    run = json.loads((bundled / "run.json").read_text(encoding="utf-8"))
    for key in ("input", "input_sha256", "papers_read", "papers_with_claims", "claims_per_family",
                "rows_invalid", "errors", "timings_s", "tool_version", "rules_version"):
        assert key in run, key
    assert run["input_sha256"] == hashlib.sha256(BUNDLED.read_bytes()).hexdigest()
    pq = pd.read_parquet(bundled / "claims.parquet")
    lines = [x for x in BUNDLED.read_text(encoding="utf-8").splitlines() if x.strip()]
    assert run["papers_read"] + run["lines_rejected"] == len(lines)
    assert run["papers_with_claims"] == pq["paper_id"].nunique()
    assert run["claims_per_family"] == pq["family"].value_counts().to_dict()
    assert run["rows_invalid"] == int((~pq["valid"]).sum())
    assert isinstance(run["errors"], list)
    assert {"extract", "validate", "write", "workbook"} <= set(run["timings_s"])
    assert all(v >= 0 for v in run["timings_s"].values())
    from extract import __version__

    assert run["tool_version"] == __version__ and run["rules_version"]


def test_workbook_holds_the_run(bundled):
    wb = load_workbook(bundled / "leaderboard.xlsx", read_only=True)
    assert wb.sheetnames[:7] == ["Leaderboard", "Charts", "Claims", "Models", "Compute", "Validation", "About"]
    pq = pd.read_parquet(bundled / "claims.parquet")
    claims = list(wb["Claims"].iter_rows(values_only=True))
    head, body = list(claims[0]), claims[1:]
    assert len(body) == len(pq)
    vi, pi = head.index("value"), head.index("paper_id")
    assert [(r[pi], r[vi]) for r in body] == list(zip(pq["paper_id"], pq["value"]))
    models = list(wb["Models"].iter_rows(values_only=True))
    assert len(models) > 1                       # the bundled corpus names models
    about = {r[0].strip(): r[1] for r in wb["About"].iter_rows(values_only=True) if len(r) > 1 and r[0]}
    assert about["claims"] == len(pq)


@pytest.mark.skipif(not (shutil.which("libreoffice") or shutil.which("soffice")), reason="LibreOffice not installed")
def test_libreoffice_opens_the_bundled_workbook(bundled, tmp_path):
    office = shutil.which("libreoffice") or shutil.which("soffice")
    r = subprocess.run([office, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                        "--convert-to", "pdf", "--outdir", str(tmp_path), str(bundled / "leaderboard.xlsx")],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "leaderboard.pdf").read_bytes()[:5] == b"%PDF-"


def _claims_frame(texts, values):
    from extract.table import typed

    n = len(texts)
    df = pd.DataFrame({c: [""] * n for c in COLUMNS + EXTRA_COLUMNS})
    for i, c in enumerate(("paper_id", "title", "metric", "evidence", "issues", "model_canonical")):
        df[c] = [texts[(k + i) % n] for k in range(n)]
    df["value"] = values[:n] + [float("nan")] * (n - len(values[:n]))
    df["start"], df["end"] = range(n), range(1, n + 1)
    df["valid"] = [k % 3 != 0 for k in range(n)]
    return typed(df)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list('ab ,"\n\r\t=+-@\'é✓;')) | st.characters(exclude_categories=("Cs",)), max_size=12),
                min_size=1, max_size=12),
       st.lists(st.floats(allow_nan=True, allow_infinity=True) | st.integers(-10**9, 10**9).map(float), max_size=12))
def test_fast_csv_rows_are_the_bytes_pandas_writes(texts, values):
    """claims.csv is written by writers.csv_rows (Arrow, column at a time): for any text and number,
    byte for byte what csv_frame + DataFrame.to_csv wrote, and it reads back to the same table."""
    import io

    from extract.write.writers import csv_frame, csv_rows

    texts = [t.replace("\x00", "") for t in texts]
    df = _claims_frame(texts, values)
    ref = io.StringIO()
    csv_frame(df).to_csv(ref, index=False, lineterminator="\n")
    assert csv_rows(df, header=True) == ref.getvalue().encode("utf-8")
    assert csv_rows(df) == ref.getvalue().encode("utf-8").split(b"\n", 1)[1]
    assert csv_rows(df.iloc[:0], header=True) == ref.getvalue().encode("utf-8").split(b"\n", 1)[0] + b"\n"
