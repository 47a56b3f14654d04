"""value_reads_back (issue 15): quantulum3 reads each value_text again, and a row whose value
disagrees is flagged. Only forms quantulum3 reads right are sent (validation/readback.yaml); ML
magnitudes are not. Each distinct text is parsed once; the flag reaches claims.csv, run.json and
the validation report."""
import json
import os
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from extract.check import readback, validate
from extract.cli import cli
from extract.table import read_claims_csv
from test_validate import claim, table

GATE_FILE = readback.resources.files("extract.validation").joinpath(readback.FILE)
EXAMPLES = yaml.safe_load(GATE_FILE.read_text(encoding="utf-8"))["readback"]["examples"]


def flagged(texts, values, units=None) -> np.ndarray:
    n = len(texts)
    return readback.disagreeing(pd.Series(texts, dtype=object), pd.Series(values, dtype=float),
                                pd.Series(units or [""] * n, dtype=object))


# --- the gate ---------------------------------------------------------------------------------


@pytest.mark.parametrize("text,value", sorted(EXAMPLES["sent"].items()))
def test_sent_examples_are_read_to_their_value(text, value):
    assert readback.sendable(text), text
    assert readback.reading(text) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("text", EXAMPLES["refused"])
def test_refused_examples_are_not_sent(text):
    assert not readback.sendable(text)
    assert readback.reading(text) is None
    assert not flagged([text], [123456.0]).any()   # no reading, no flag, whatever the value


@pytest.mark.parametrize("text", ["175B", "7B", "1.2T tokens", "1.3T", "100M", "16K", "128k", "0.31TB"])
def test_gate_refuses_ml_magnitudes(text):
    # quantulum3 reads these as bytes, metres, kelvin: never asked
    assert readback.form(text) is None


@pytest.mark.parametrize("seed", ["4", "15"])
def test_examples_read_the_same_in_every_interpreter(seed):
    """quantulum3 builds its unit regex in hash order: under these PYTHONHASHSEEDs it reads "2.5x"
    as "2". The gate sends "2.5 times", which it reads right under every seed."""
    import subprocess
    import sys

    code = ("import json, sys; from extract.check import readback; "
            "print(json.dumps({t: readback.reading(t) for t in json.loads(sys.argv[1])}))")
    out = subprocess.run([sys.executable, "-c", code, json.dumps(list(EXAMPLES["sent"]))], check=True,
                         capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONHASHSEED": seed})
    got = json.loads(out.stdout)
    assert got == pytest.approx({t: float(v) for t, v in EXAMPLES["sent"].items()}, rel=1e-12)


def test_examples_cover_every_form():
    forms = {readback.form(t) for t in EXAMPLES["sent"]}
    assert forms == set(readback.gate().forms)


# --- the check, for every plain number --------------------------------------------------------


@st.composite
def written_numbers(draw):
    """(text as a paper writes it, its value): integers, decimals, thousands commas, signs, %."""
    units = draw(st.integers(0, 10**9))
    places = draw(st.integers(0, 4))
    frac = draw(st.integers(0, 10**places - 1)) if places else 0
    digits = f"{units:,}" if draw(st.booleans()) else str(units)
    text = digits + (f".{frac:0{places}d}" if places else "")
    value = float(Decimal(text.replace(",", "")))
    sign = draw(st.sampled_from(["", "+", "-", "−"]))
    suffix = draw(st.sampled_from(["", "%", " %", "\\%", " percent", "x", " x", "×", "$\\times$", " times"]))
    return sign + text + suffix, value, {"": ""}.get(suffix, "%" if "%" in suffix or "per" in suffix else "x")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(written_numbers(), st.sampled_from([1.001, 1.5, 3.0, 0.5, 0.9]), st.floats(0.5, 1e6))
def test_a_right_value_is_never_flagged_and_a_wrong_one_always(number, factor, shift):
    text, value, unit = number
    assert readback.sendable(text), text
    wrong = value * factor if value else shift   # never within 1e-9 of the value
    got = flagged([text, text, text], [value, -value, wrong], [unit] * 3)
    assert got.tolist() == [False, False, True], (text, value, wrong)


def test_scales_and_conversions_written_elsewhere_pass_in_their_units_only():
    # "7, 13, and 70 billion parameters": the 7 is 7e9; "90 min": 1.5 hours; "a 30-day study": 720 hours
    assert flagged(["7", "90", "30"], [7e9, 1.5, 720.0], ["params", "hours", "hours"]).tolist() == [False] * 3
    assert flagged(["7", "7", "90"], [7e9, 7e9, 1.5], ["%", "", "points"]).tolist() == [True] * 3
    assert flagged(["7"], [8e9], ["params"]).tolist() == [True]


def test_no_reading_or_no_value_is_no_flag():
    assert flagged(["85.3%", "85.3%", None], [float("nan"), float("inf"), 3.0]).tolist() == [False, True, False]


def test_each_distinct_text_is_parsed_once(monkeypatch):
    calls = []
    real = readback.quantities
    monkeypatch.setattr(readback, "quantities", lambda t: calls.append(t) or real(t))
    readback.reading.cache_clear()
    texts = ["61.25%", "7B", "3,141", "61.25%"] * 2500      # 10,000 rows, two texts to read
    got = flagged(texts, [61.25, 7e9, 3141.0, 61.25] * 2500, ["%", "params", "", "%"] * 2500)
    assert not got.any()
    assert sorted(calls) == ["3,141", "61.25%"]
    flagged(texts, [1.0] * len(texts))                       # a second chunk: from the cache
    assert len(calls) == 2


# --- in the suite and the outputs -------------------------------------------------------------


def test_flag_names_the_check_in_issues():
    out, counts = validate.flag(table([claim(), claim(value=85.3, value_text="83.5%"),
                                       claim(family="parameters", metric="parameters", value=7e9, unit="params",
                                             value_text="7B", evidence="Our 7B model.")]))
    assert out["issues"].tolist() == ["", "value_reads_back", ""]
    assert counts["value_reads_back"] == 1


def test_the_flag_reaches_claims_csv_run_json_and_the_report(tmp_path, monkeypatch):
    # The extractor reads "85.3%" right, so this run is given a misreading one to catch. The report
    # is built in a process forked from this one, so it reads with the same (patched) reader.
    real = readback.reading
    monkeypatch.setattr(readback, "reading", lambda t: 58.3 if t == "85.3%" else real(t))
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(json.dumps({"id": "p1", "title": "T", "abstract":
                                  "Our 7B model reaches 85.3% accuracy on GSM8K and runs 2.5x faster."}) + "\n",
                      encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["run", str(corpus), "-o", str(out), "-q", "--workers", "1"])
    assert res.exit_code == 0, res.output
    rows = read_claims_csv(out / "claims.csv")
    bad = rows[rows["issues"].str.contains("value_reads_back")]
    assert bad["value_text"].tolist() == ["85.3%"] and not bad["valid"].any()
    assert rows[rows["value_text"] != "85.3%"]["valid"].all()
    summary = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert summary["expectations_failed"]["value_reads_back"] == 1
    pages = [p.read_text(encoding="utf-8") for p in (out / "validation" / "validations").rglob("*.html")]
    assert any("value_reads_back" in p and "85.3%" in p for p in pages)


def test_validate_command_names_the_row(tmp_path):
    from extract.write.writers import write_csv

    path = tmp_path / "claims.csv"
    write_csv(validate.flag(table([claim(), claim(paper_id="pX", value=85.3, value_text="83.5%")]))[0], path)
    res = CliRunner().invoke(cli, ["validate", str(path)])
    assert res.exit_code == 1
    assert "FAIL value_reads_back (1 rows)" in res.output and "paper_id=pX" in res.output


def test_bundled_corpus_claims_all_read_back(tmp_path):
    """No claim of the bundled corpus is flagged; most of its value texts are read."""
    res = CliRunner().invoke(cli, ["run", "-o", str(tmp_path / "out"), "-q", "--workers", "1"])
    assert res.exit_code == 0, res.output
    rows = read_claims_csv(tmp_path / "out" / "claims.csv")
    assert not rows["issues"].str.contains("value_reads_back").any()
    read = sum(readback.reading(t) is not None for t in rows["value_text"])
    assert read / len(rows) > 0.6


@pytest.mark.parametrize("engine", ["local", "dask"])
def test_workers_extract_and_the_parent_reads_each_text_once(tmp_path, monkeypatch, engine):
    """Validation runs in the parent, chunk after chunk, whatever extracts: one cache serves the run."""
    from extract.run import pipeline

    calls = []
    real = readback.quantities
    monkeypatch.setattr(readback, "quantities", lambda t: calls.append(t) or real(t))
    monkeypatch.setattr(validate, "build_docs", lambda df, outdir, **kw: "")
    readback.reading.cache_clear()
    corpus = tmp_path / "c.jsonl"
    abstracts = ["Our 7B model reaches 85.3% accuracy on GSM8K.", "It runs 2.5x faster, at 85.3% accuracy.",
                 "Accuracy rises by 4.2% over the baseline, to 85.3%."]
    corpus.write_text("".join(json.dumps({"id": f"p{i}", "title": "T", "abstract": abstracts[i % 3]}) + "\n"
                              for i in range(30)), encoding="utf-8")
    if engine == "dask":
        distributed = pytest.importorskip("distributed")
        import logging

        with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=":0", silence_logs=logging.ERROR) as c:
            summary = pipeline.run(corpus, tmp_path / "out", engine="dask", scheduler=c.scheduler_address,
                                   chunk_rows=5)
    else:
        summary = pipeline.run(corpus, tmp_path / "out", workers=2, batch_papers=4, chunk_rows=5)
    rows = read_claims_csv(tmp_path / "out" / "claims.csv")
    sent = {t for t in rows["value_text"] if readback.sendable(t)}
    assert summary["claims"] >= 60 and {"85.3%", "2.5x", "4.2%"} <= sent
    assert sorted(calls) == sorted(map(readback.plain, sent))   # each read once, in this (the parent) process


def test_quantulum3_is_imported_only_when_a_text_is_read():
    import subprocess
    import sys

    code = ("import sys; from click.testing import CliRunner; from extract.cli import cli; "
            "CliRunner().invoke(cli, ['--help']); CliRunner().invoke(cli, ['run', '--help']); "
            "from extract.check import readback; readback.sendable('85.3%'); "
            "assert 'quantulum3' not in sys.modules and 'inflect' not in sys.modules; "
            "import typeguard; checked = typeguard.typechecked; readback.reading('85.3%'); "
            "assert 'quantulum3' in sys.modules and typeguard.typechecked is checked")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
