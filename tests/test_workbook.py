"""The Excel workbook: its sheets, rankings, number formats, formula safety, row limits, and rendering."""
import math
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from extract.write import leaderboard as L
from extract.records import ALL_COLUMNS, COLUMNS, Claim
from extract.table import to_frame
from extract.write.xlsx import EXCEL_MAX_ROWS, ILLEGAL_CHARS, SHEET_ROWS, number_formats

SHEETS = ["Leaderboard", "Charts", "Claims", "Models", "Compute", "Validation", "About"]
TABLES = [s for s in SHEETS if s not in ("Charts", "About")]   # the sheets that hold a table


def claim(pid, family, metric, kind, value, unit, value_text, evidence, model="", benchmark="",
          qualifier="exact", direction="", valid=True, issues="", method="", model_canonical="",
          benchmark_canonical=""):
    return Claim(pid, f"Title of {pid}", family, metric, kind, direction, value, unit, qualifier, value_text,
                 model, benchmark, "", method, evidence, 0, len(value_text), f"{family}-rule", valid, issues,
                 model_canonical, benchmark_canonical)


def sample_claims():
    return [
        claim("p1", "score", "accuracy", "absolute", 85.3, "%", "85.3%", "We reach 85.3% accuracy on GSM8K.",
              model="Ours-7B", benchmark="GSM8K", method="Ours"),
        claim("p2", "score", "accuracy", "absolute", 92.0, "%", "92.0%", "GPT-4 scores 92.0% accuracy on GSM8K.",
              model="GPT-4", benchmark="gsm8k"),
        claim("p3", "score", "accuracy", "absolute", 57.1, "%", "57.1%", "=SUM(A1:A2) is not a formula, 57.1% accuracy",
              model="-LLaMA-2 7B", benchmark="GSM-8K", benchmark_canonical="GSM8K", model_canonical="LLaMA-2-7B"),
        claim("p4", "score", "accuracy", "absolute", 92.0, "%", "92%", "@mention ties at 92% accuracy on GSM8K.",
              model="+Tie", benchmark="GSM8K"),
        claim("p1", "perplexity", "perplexity", "absolute", 6.72, "", "6.72", "We get 6.72 PPL on WikiText-2.",
              benchmark="WikiText-2", method="MaskLLM"),
        claim("p2", "perplexity", "perplexity", "absolute", 5.12, "", "5.12", "The dense model has 5.12 PPL.",
              model="dense model", benchmark="WikiText-2"),
        claim("p4", "speedup", "latency", "absolute", 35, "ms", "35 ms", "Latency is 35 ms on MT-Bench.",
              model="Ours", benchmark="MT-Bench"),
        claim("p4", "speedup", "latency", "absolute", 80, "ms", "80 ms", "The baseline needs 80 ms on MT-Bench.",
              model="baseline", benchmark="MT-Bench"),
        claim("p1", "speedup", "speedup", "ratio", 2.5, "x", "2.5x", "It runs 2.5x faster.", direction="up"),
        claim("p1", "parameters", "parameters", "absolute", 7e9, "params", "7B", "Our 7B model.", model="Ours-7B"),
        claim("p3", "parameters", "parameters", "absolute", 7e9, "params", "7B", "LLaMA-2 7B is used.",
              model="LLaMA-2 7B", model_canonical="LLaMA-2-7B"),
        claim("p5", "parameters", "parameters", "absolute", 175e9, "params", "175B", "GPT-3 (175B).", model="GPT-3"),
        claim("p6", "compute", "gpu hours", "absolute", 2000, "GPU-hours", "2,000", "Trained for 2,000 GPU hours.",
              model="Ours-7B"),
        claim("p6", "compute", "cost", "absolute", 100000, "USD", "$100K", "A $100K budget.", model="FLM-101B"),
        claim("p6", "data", "tokens", "absolute", 1.3e12, "tokens", "1.3T", "Pre-trained on 1.3T tokens.",
              model="Ours-7B"),
        claim("p7", "score", "accuracy", "absolute", 185.0, "%", "185%", "An accuracy of 185%.", model="X",
              benchmark="GSM8K", valid=False, issues="percentage over 100"),
    ]


@pytest.fixture
def frame():
    return to_frame(sample_claims())


RUN = {"tool_version": "0.1.0", "rules_version": "abc", "input": "corpus.jsonl", "papers_read": 7,
       "claims_per_family": {"score": 5}, "errors": [{"line": 3, "reason": "=not JSON"}],
       "timings_s": {"read": 0.1}}


def write(df, tmp_path, **kw):
    path = tmp_path / "leaderboard.xlsx"
    notes = L.write_workbook(df, RUN, path, **kw)
    return load_workbook(path), notes, path


def rows(ws):
    data = list(ws.iter_rows(values_only=True))
    return [list(r) for r in data[1:]] if data else []


def header(ws):
    return [c.value for c in next(ws.iter_rows(min_row=1, max_row=1))]


def as_dicts(ws):
    h = header(ws)
    return [dict(zip(h, r)) for r in rows(ws)]


def test_sheets_and_layout(frame, tmp_path):
    wb, notes, _ = write(frame, tmp_path)
    assert wb.sheetnames == SHEETS
    assert notes == []
    for name in TABLES:
        ws = wb[name]
        assert re.fullmatch(r"[A-Z]+2", ws.freeze_panes), name         # header row frozen
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}", name
        for cell in ws[1]:
            assert cell.font.b, (name, cell.value)
            width = ws.column_dimensions[cell.column_letter].width
            assert width >= len(cell.value), (name, cell.value, width)


def test_claims_sheet_is_the_whole_table(frame, tmp_path):
    wb, _, _ = write(frame, tmp_path)
    ws = wb["Claims"]
    h = header(ws)
    assert sorted(h) == sorted(ALL_COLUMNS)
    # what, who, where, the value; then the sentence that says so, then the ids
    assert h[:12] == ["family", "metric", "kind", "direction", "model", "method", "baseline", "benchmark",
                      "value", "unit", "qualifier", "evidence"]
    assert h.index("paper_id") == 12 and h.index("evidence") == h.index("value") + 3
    got = as_dicts(ws)
    assert len(got) == len(frame)
    for row, want in zip(got, frame.to_dict("records")):
        for c in ALL_COLUMNS:
            expected = want[c] if want[c] != "" else None
            assert row[c] == expected, (c, row[c], want[c])


def test_numbers_are_numbers_with_readable_formats(frame, tmp_path):
    wb, _, _ = write(frame, tmp_path)
    ws = wb["Claims"]
    col = header(ws).index("value") + 1
    cells = {c.value: c for c in (ws.cell(r, col) for r in range(2, ws.max_row + 1))}
    for v, c in cells.items():
        assert isinstance(v, (int, float)) and c.data_type == "n"
    # the unit is shown once, in its column beside the value, not again in the value's format
    units = {ws.cell(r, col).value: ws.cell(r, col + 1).value for r in range(2, ws.max_row + 1)}
    assert header(ws)[col] == "unit"
    assert (cells[85.3].number_format, units[85.3]) == ("#,##0.0", "%")
    assert (cells[2.5].number_format, units[2.5]) == ("#,##0.0", "x")
    assert cells[7e9].number_format == '0,,,"B"'                # a magnitude, not a unit
    assert cells[1.3e12].number_format == '0.0,,,,"T"'
    assert cells[2000].number_format == "#,##0"
    assert (cells[100000].number_format, units[100000]) == ("#,##0", "USD")


def test_formula_like_text_stays_text(frame, tmp_path):
    wb, _, path = write(frame, tmp_path)
    texts = {c.value: c for ws in wb for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
    for s in ("=SUM(A1:A2) is not a formula, 57.1% accuracy", "-LLaMA-2 7B", "+Tie", "@mention ties at 92% accuracy on GSM8K."):
        assert s in texts, s
        assert texts[s].data_type == "s"
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in z.read(n) or b"<f " in z.read(n) for n in sheets)


@settings(max_examples=15, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
       st.sampled_from(["=", "+", "-", "@", "=cmd|' /C calc'!A0 "]))
def test_any_text_survives_as_text(tmp_path_factory, tail, start):
    """Whatever the text (formula-looking, control characters), the workbook is written and keeps it as text."""
    text = start + tail
    df = to_frame([claim("p1", "score", "accuracy", "absolute", 1.0, "%", "1%", text, model=text, benchmark=text)])
    wb, _, _ = write(df, tmp_path_factory.mktemp("wb"))
    row = as_dicts(wb["Claims"])[0]
    legal = re.sub(ILLEGAL_CHARS, "", text)
    assert row["evidence"] == legal and row["model"] == legal
    assert wb["Claims"].cell(2, header(wb["Claims"]).index("evidence") + 1).data_type == "s"


def test_fast_rows_write_what_openpyxl_writes(frame, tmp_path, monkeypatch):
    """The data rows written as XML text (extract.xlsx_rows) read back exactly as openpyxl's own append."""
    from extract.write import xlsx
    from extract.write import xlsx_rows

    assert xlsx_rows.available()
    odd = ["  leading and trailing  ", "a & b < c > d", "line\r\nbreak\rcr", "tab\there", "ünïcødé ✓ 😀", "]]>"]
    df = pd.concat([frame, to_frame([claim("p9", "score", "f1", "absolute", 1.5, "", "1.5", t, model=t, benchmark="B")
                                     for t in odd])], ignore_index=True)

    def look(path):
        wb = load_workbook(path)
        return {ws.title: [[(c.value, c.data_type, c.number_format, c.alignment.horizontal, bool(c.quotePrefix))
                            for c in row] for row in ws.iter_rows()] for ws in wb}

    fast = tmp_path / "fast.xlsx"
    L.write_workbook(df, RUN, fast)
    monkeypatch.setattr(xlsx, "USE_FAST_ROWS", False)
    slow = tmp_path / "slow.xlsx"
    L.write_workbook(df, RUN, slow)
    a, b = look(fast), look(slow)
    assert a == b
    evidence = {r["evidence"] for r in as_dicts(load_workbook(fast)["Claims"])}
    assert set(odd) <= evidence


def test_leaderboard_ranks_best_first(frame, tmp_path):
    wb, _, _ = write(frame, tmp_path)
    got = as_dicts(wb["Leaderboard"])
    gsm = [r for r in got if r["benchmark"] == "GSM8K"]
    assert [r["value"] for r in gsm] == [92.0, 92.0, 85.3, 57.1]  # gsm8k and GSM-8K (canonical) merged
    assert [r["rank"] for r in gsm] == [1, 1, 3, 4]                # a tie shares its rank
    assert {r["better"] for r in gsm} == {"higher"}
    ppl = [r for r in got if r["benchmark"] == "WikiText-2"]
    # MaskLLM's 6.72; "the dense model's 5.12" names no model a reader could rank across papers
    assert [r["value"] for r in ppl] == [6.72] and ppl[0]["better"] == "lower" and ppl[0]["method"] == "MaskLLM"
    # latency is a cost, not a result on a benchmark: not on the Leaderboard
    assert not [r for r in got if r["benchmark"] == "MT-Bench"]
    assert all(r["evidence"] for r in got)
    assert 185.0 not in [r["value"] for r in got]                    # invalid rows stay out
    assert "LLaMA-2-7B" in [r["model"] for r in gsm]                  # canonical model name
    for col in ("benchmark", "metric", "better", "rank", "model", "method", "value", "unit", "qualifier", "kind",
                "baseline", "paper_id", "title", "link", "evidence"):
        assert col in got[0], col


@pytest.mark.parametrize("family,metric,unit,lower", [
    ("perplexity", "perplexity", "", True), ("score", "word error rate", "%", True),
    ("speedup", "latency", "ms", True), ("memory", "memory", "GB", True), ("compute", "cost", "USD", True),
    ("score", "accuracy", "%", False), ("speedup", "throughput", "tokens/s", False), ("score", "f1", "", False),
    ("score", "hallucination rate", "%", True), ("score", "bleu", "", False),
])
def test_lower_is_better(family, metric, unit, lower):
    assert L.lower_is_better(family, metric, unit) is lower


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "b", "B"]), st.sampled_from(["accuracy", "perplexity", "wer"]),
                          st.floats(-1e6, 1e6, allow_nan=False)), max_size=25))
def test_leaderboard_groups_are_sorted(items):
    df = to_frame([claim(f"p{i}", "perplexity" if m == "perplexity" else "score", m, "absolute", v, "", str(v),
                         f"Model-{i} reaches {v} {m} on {b}.", benchmark=b, model=f"Model-{i}") for i, (b, m, v) in enumerate(items)])
    lb = L.leaderboard(df)
    assert len(lb) == len(items)
    for (_, metric), g in lb.groupby([lb["benchmark"].str.casefold(), "metric"], sort=False):
        vals = list(g["value"])
        lower = metric in ("perplexity", "wer")
        assert vals == sorted(vals, reverse=not lower)
        assert list(g["rank"])[0] == 1 and list(g["rank"]) == sorted(g["rank"])


def test_models_sheet(frame, tmp_path):
    wb, _, _ = write(frame, tmp_path)
    got = {r["model"]: r for r in as_dicts(wb["Models"])}
    assert got["Ours-7B"]["parameters"] == 7e9 and got["Ours-7B"]["papers"] == 2
    llama = got["LLaMA-2-7B"]                                 # aliases merged under the canonical name
    assert llama["parameters"] == 7e9 and set(llama["names as written"].split("; ")) == {"-LLaMA-2 7B", "LLaMA-2 7B"}
    assert got["GPT-3"]["parameters"] == 175e9 and got["GPT-3"]["evidence"] == "GPT-3 (175B)."
    assert got["GPT-4"]["parameters"] is None
    assert "X" not in got                                      # only valid claims
    cell = next(c for c in wb["Models"]["B"][1:] if c.value == 175e9)
    assert cell.number_format == '0,,,"B"'


def test_compute_and_validation_sheets(frame, tmp_path):
    wb, _, _ = write(frame, tmp_path)
    comp = as_dicts(wb["Compute"])
    assert sorted(r["value"] for r in comp) == [2000, 100000, 1.3e12]
    assert all(r["family"] in ("compute", "data") and r["evidence"] for r in comp)
    bad = as_dicts(wb["Validation"])
    assert [(r["value"], r["issues"]) for r in bad] == [(185.0, "percentage over 100")]


def test_about_sheet_reads_like_run_json(frame, tmp_path):
    wb, _, _ = write(frame, tmp_path)
    about = {r[0].strip(): r[1] for r in wb["About"].iter_rows(values_only=True) if r and r[0]}
    assert about["papers read"] == 7 and about["tool version"] == "0.1.0"
    assert about["score"] == 5 and about["read"] == 0.1
    assert about["1"] == "line: 3, reason: =not JSON"


def test_split_over_sheets_at_the_row_limit(frame, tmp_path):
    wb, notes, _ = write(frame, tmp_path, sheet_rows=6)
    names = [n for n in wb.sheetnames if n.startswith("Claims")]
    assert names == ["Claims", "Claims (2)", "Claims (3)"]
    assert sum(len(rows(wb[n])) for n in names) == len(frame)
    ids = [as_dicts(wb[n]) for n in names]
    assert [r["paper_id"] for d in ids for r in d] == list(frame["paper_id"])
    assert any("Claims (3)" in n for n in notes)
    about = [r[1] for r in wb["About"].iter_rows(values_only=True) if r and r[0] == "note"]
    assert any("split" in a for a in about)


def test_too_long_table_is_left_to_csv_with_a_note(frame, tmp_path):
    wb, notes, _ = write(frame, tmp_path, max_rows=10)
    assert "Claims" in wb.sheetnames and "Leaderboard" in wb.sheetnames
    msg = wb["Claims"]["A1"].value
    assert f"{len(frame)} rows" in msg and "claims.csv" in msg and "claims.parquet" in msg
    assert wb["Claims"].max_row == 1
    assert any("claims.csv" in n for n in notes)


def test_a_sheet_that_fails_is_noted_and_the_rest_written(frame, tmp_path, monkeypatch):
    def broken(df):
        raise ValueError("boom")

    monkeypatch.setattr(L, "models", broken)
    wb, notes, _ = write(frame, tmp_path)
    assert wb.sheetnames == SHEETS
    assert "boom" in wb["Models"]["A1"].value and "claims.csv" in wb["Models"]["A1"].value
    assert len(rows(wb["Claims"])) == len(frame)
    assert any("Models" in n and "boom" in n for n in notes)


def test_excel_limits():
    assert EXCEL_MAX_ROWS == 1_048_576 and SHEET_ROWS == EXCEL_MAX_ROWS - 1
    assert L.MAX_TABLE_ROWS >= SHEET_ROWS


def test_empty_and_odd_frames_still_write(tmp_path):
    wb, _, _ = write(to_frame([]), tmp_path)
    assert wb.sheetnames == SHEETS and rows(wb["Claims"]) == []
    # Only the contract columns, a NaN value, an over-long and a control-character evidence.
    df = to_frame([claim("p1", "score", "f1", "absolute", float("nan"), "", "?", "x" * 40_000, benchmark="B"),
                   claim("p2", "score", "f1", "absolute", 1.0, "", "1", "bell\x07 and tab\x0b", benchmark="B")])
    wb, _, _ = write(df[COLUMNS], tmp_path)
    got = as_dicts(wb["Claims"])
    assert got[0]["value"] is None and len(got[0]["evidence"]) == 32_767 and got[0]["evidence"].endswith("[truncated]")
    assert got[1]["evidence"] == "bell and tab"


# The display of each value: a small reader of the formats we write (digits, decimals, scaling commas,
# scientific, quoted prefix/suffix) shows what Excel shows, and that must read back as the value.
def render(value, fmt):
    if fmt == "General":
        return repr(value)
    m = re.fullmatch(r'(?:"(?P<pre>[^"]*)")?(?P<num>[#,0]*0(?:\.0+)?)(?P<scale>,*)(?P<sci>E\+00)?(?:"(?P<suf>[^"]*)")?', fmt)
    assert m, fmt
    num = m["num"]
    decimals = len(num.split(".")[1]) if "." in num else 0
    v = value / 1000 ** len(m["scale"])
    if m["sci"]:
        text = f"{v:.{decimals}E}"
    else:
        text = f"{v:,.{decimals}f}" if "," in num else f"{v:.{decimals}f}"
    return (m["pre"] or "") + text + (m["suf"] or "")


def parse(text):
    mult = {"B": 1e9, "M": 1e6, "T": 1e12}
    t = text.strip('$%×"').replace(",", "")
    if t and t[-1] in mult:
        return float(t[:-1]) * mult[t[-1]]
    return float(t)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.integers(-10**14, 10**14).map(float),
                 st.builds(lambda m, e: float(m * 10**e), st.integers(-9999, 9999), st.integers(0, 11)),
                 st.decimals(-10**7, 10**7, places=4, allow_nan=False, allow_infinity=False).map(float),
                 st.floats(1e15, 1e30)),
       st.sampled_from(["", "%", "x", "params", "USD"]))
def test_displayed_value_reads_back(value, unit):
    fmt = number_formats([value], [unit])[0]
    shown = render(value, fmt)
    if abs(value) >= 1e15:      # scientific: FLOPs and the like, to four significant digits
        assert math.isclose(parse(shown), value, rel_tol=1e-3), (value, fmt, shown)
    else:                       # exact: a curator never sees a rounded figure
        assert math.isclose(parse(shown), value, rel_tol=1e-12, abs_tol=1e-9), (value, fmt, shown)
    if unit == "%":
        assert shown.endswith("%")


def test_non_numbers_get_no_format():
    assert number_formats([float("nan"), float("inf"), 1.0]) == [None, None, "#,##0"]


@pytest.mark.skipif(not (shutil.which("libreoffice") or shutil.which("soffice")), reason="LibreOffice not installed")
def test_libreoffice_renders_the_workbook(frame, tmp_path):
    _, _, path = write(frame, tmp_path)
    office = shutil.which("libreoffice") or shutil.which("soffice")
    out = tmp_path / "pdf"
    subprocess.run([office, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180)
    pdf = out / "leaderboard.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        for shown in ("92", "85.3", "5.12", "2.5", "7B", "175B", "1.3T", "100,000", "=SUM(A1:A2)", "GSM8K"):
            assert shown in text, shown


def test_write_table_takes_nullable_and_odd_dtypes(tmp_path):
    from openpyxl import Workbook

    from extract.write.xlsx import Table, write_table

    df = pd.DataFrame({"flag": pd.array([True, None, False], dtype="boolean"),
                       "count": pd.array([1, None, 3], dtype="Int64"),
                       "x": [1.5, float("nan"), float("inf")],
                       "when": pd.to_datetime(["2024-01-01", None, "2024-01-03"]),
                       "text": ["a", None, "=b"]})
    wb = Workbook(write_only=True)
    assert write_table(wb, Table("T", df, units={"x": None})) == ["T"]
    wb.save(tmp_path / "t.xlsx")
    got = list(load_workbook(tmp_path / "t.xlsx")["T"].iter_rows(values_only=True))
    assert got[0] == ("flag", "count", "x", "when", "text")
    assert got[1] == (True, 1, 1.5, "2024-01-01 00:00:00", "a")
    assert got[3] == (False, 3, None, "2024-01-03 00:00:00", "=b")


@pytest.mark.parametrize("group_rows,sheet_rows", [(3, SHEET_ROWS), (4, 5), (100, 7)])
def test_workbook_from_parquet_row_groups_equals_workbook_from_the_frame(tmp_path, frame, group_rows, sheet_rows):
    """The run writes the workbook from claims.parquet a row group at a time (never the whole table in
    memory): every sheet, cell for cell with its look, is the one written from the whole DataFrame."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from extract.write.parquet_rows import ParquetRows

    df = pd.concat([frame] * 3, ignore_index=True)
    df.loc[len(frame):, "paper_id"] = [f"{p}-{i}" for i, p in enumerate(df["paper_id"][len(frame):])]
    src = tmp_path / "claims.parquet"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), src, row_group_size=group_rows)
    assert len(ParquetRows(src)) == len(df) and len(ParquetRows(src)._sizes) == -(-len(df) // group_rows)

    def look(path):
        wb = load_workbook(path)
        return {ws.title: [[(c.value, c.data_type, c.number_format, c.alignment.horizontal, bool(c.quotePrefix))
                            for c in row] for row in ws.iter_rows()] for ws in wb}

    whole, streamed = tmp_path / "whole.xlsx", tmp_path / "streamed.xlsx"
    notes = L.write_workbook(df, RUN, whole, sheet_rows=sheet_rows)
    assert L.write_workbook(src, RUN, streamed, sheet_rows=sheet_rows) == notes
    assert look(streamed) == look(whole)


def test_parquet_rows_select_take_and_slices_match_the_frame(tmp_path, frame):
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from extract.write.parquet_rows import ParquetRows

    src = tmp_path / "c.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), src, row_group_size=5)
    rows = ParquetRows(src)
    pd.testing.assert_frame_equal(rows.every(3), frame.iloc[::3].reset_index(drop=True))
    pick = np.array([0, 4, 5, 11, len(frame) - 1])
    pd.testing.assert_frame_equal(rows.take(pick), frame.iloc[pick].reset_index(drop=True))
    got = rows.select(["paper_id", "valid"], lambda d: d["paper_id"] == "p4")
    pd.testing.assert_frame_equal(got, frame.loc[frame["paper_id"] == "p4", ["paper_id", "valid"]]
                                  .reset_index(drop=True))
    assert rows.select(["paper_id"], lambda d: d["paper_id"] == "nobody").empty
    pieces = list(rows.slices(2, 14, 4))
    assert [a for a, _ in pieces] == [2, 5, 9, 10]
    pd.testing.assert_frame_equal(pd.concat([p for _, p in pieces], ignore_index=True),
                                  frame.iloc[2:14].reset_index(drop=True))


@pytest.mark.parametrize("broken_helper", [False, True])
def test_long_sheets_built_half_by_a_helper_process_are_the_same(tmp_path, frame, monkeypatch, broken_helper):
    """A long sheet read from Parquet has its second half of rows built by a helper process (with the
    styles registered beforehand), and the Models sheet is aggregated there; a helper that fails leaves
    the rows and the Models sheet to this process. Either way the workbook is the one written from the
    whole frame in one process."""
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    import pyarrow as pa
    import pyarrow.parquet as pq

    from extract.write import xlsx

    df = pd.concat([frame] * 4, ignore_index=True)
    src = tmp_path / "claims.parquet"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), src, row_group_size=7)
    monkeypatch.setattr(xlsx, "SPLIT_ROWS", 5)

    def look(path):
        wb = load_workbook(path)
        return {ws.title: [[(c.value, c.data_type, c.number_format, c.alignment.horizontal, bool(c.quotePrefix))
                            for c in row] for row in ws.iter_rows()] for ws in wb}

    class Broken:
        def submit(self, *a, **k):
            f = Future()
            f.set_exception(KeyError("style not registered"))
            return f

    whole, split = tmp_path / "whole.xlsx", tmp_path / "split.xlsx"
    L.write_workbook(df, RUN, whole, sheet_rows=40)
    if broken_helper:
        token = xlsx.HELPER.set(Broken())
        try:
            L.write_workbook(src, RUN, split, sheet_rows=40)
        finally:
            xlsx.HELPER.reset(token)
    else:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
            token = xlsx.HELPER.set(pool)
            try:
                L.write_workbook(src, RUN, split, sheet_rows=40)
            finally:
                xlsx.HELPER.reset(token)
    assert look(split) == look(whole)
    assert "Claims (2)" in load_workbook(split).sheetnames


@pytest.mark.parametrize("free_after", [None, 0, 2])
def test_a_helper_gets_rows_only_when_free_and_from_the_back(tmp_path, frame, monkeypatch, free_after):
    """The helper is given a piece of a long sheet (a row group, the last one left) only when it says it
    is idle: a helper busy all along (the run's Data Docs) gets none and is never waited for; one free
    from the start, or after some pieces, takes pieces from the back. The workbook is the same."""
    from concurrent.futures import Future

    import pyarrow as pa
    import pyarrow.parquet as pq

    from extract.write import xlsx

    df = pd.concat([frame] * 6, ignore_index=True)
    src = tmp_path / "claims.parquet"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), src, row_group_size=5)
    monkeypatch.setattr(xlsx, "SPLIT_ROWS", 5)
    asked = []

    class Helper:   # runs the piece here, at once; idle after ``free_after`` questions (None: never)
        def idle(self):
            asked.append(None)
            return free_after is not None and len(asked) > free_after

        def submit(self, fn, *args):
            f = Future()
            f.set_result(fn(*args))
            pieces.append(args[4])   # the piece's first row
            return f

    def look(path):
        wb = load_workbook(path)
        return {ws.title: [[(c.value, c.data_type, c.number_format) for c in row] for row in ws.iter_rows()]
                for ws in wb}

    pieces = []
    whole, split = tmp_path / "whole.xlsx", tmp_path / "split.xlsx"
    L.write_workbook(df, RUN, whole)
    token = xlsx.HELPER.set(Helper())
    try:
        L.write_workbook(src, RUN, split)
    finally:
        xlsx.HELPER.reset(token)
    assert look(split) == look(whole)
    if free_after is None:
        assert pieces == [] and asked   # asked, never given anything
    else:   # the last row group first, then the one before it, ...; never the first (this process's)
        assert pieces and pieces == sorted(pieces, reverse=True) and 0 not in pieces
        assert pieces[0] == (len(df) - 1) // 5 * 5


def test_a_helper_never_registers_styles_in_its_copy_of_the_workbook():
    from extract.write.xlsx import Styles

    styles = Styles(None, {("0.0", False, False, False, False): "3"})
    assert styles.id("0.0") == "3"
    with pytest.raises(KeyError):
        styles.id("0.00")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["p1", "p2", "p3"]),
                          st.sampled_from(["GPT-4", "gpt-4", "LLaMA-2", "", "our model"]),
                          st.sampled_from(["", "GPT-4", "Llama 2"]), st.sampled_from(["parameters", "score"]),
                          st.sampled_from([7e9, 13e9, 1.5, float("nan")]), st.booleans()),
                min_size=0, max_size=30),
       st.integers(1, 7))
def test_models_read_a_row_group_at_a_time_are_the_models_of_the_whole_table(tmp_path_factory, rows, group):
    """models_of_rows keeps per model only what the sheet counts, a row group at a time: the table is
    models() of the whole frame (order, counts, spellings, sizes, evidence), however the groups fall."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from extract.write import models as M
    from extract.write.parquet_rows import ParquetRows

    claims = [Claim(paper_id=p, title="", family=f, metric="parameters" if f == "parameters" else "accuracy",
                    kind="absolute", direction="", unit="params" if f == "parameters" else "%", qualifier="",
                    value=v, value_text="7B", evidence=f"{p} {m} has 7B, {i}", start=0, end=2, model=m,
                    model_canonical=c, rule="r", valid=ok) for i, (p, m, c, f, v, ok) in enumerate(rows)]
    df = to_frame(claims)
    path = tmp_path_factory.mktemp("models") / "claims.parquet"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path, row_group_size=group)
    pd.testing.assert_frame_equal(M.models_of_rows(ParquetRows(path)), L.models(df))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["compute", "data", "score"]), st.booleans(), st.sampled_from(["", "GPT-4"]),
                          st.sampled_from(["", "gpt-4 (OpenAI)"])), min_size=0, max_size=25),
       st.integers(1, 6), st.integers(1, 4))
def test_mapped_rows_read_as_the_frame_they_stand_for(tmp_path_factory, rows, group, step):
    """A row-local sheet (Compute, Validation) read a row group at a time through MappedRows has the length,
    columns, dtypes, rows, slices and samples of the frame built from the whole table."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from extract.write.parquet_rows import MappedRows, ParquetRows

    claims = [Claim(paper_id=f"p{i}", title="t", family=f, metric="m", kind="absolute", direction="",
                    unit="GPU-hours" if f == "compute" else "%", qualifier="", value=float(i), value_text=str(i),
                    evidence=f"it took {i}", start=0, end=1, model=m, model_canonical=c, rule="r", valid=ok)
              for i, (f, ok, m, c) in enumerate(rows)]
    df = to_frame(claims)
    path = tmp_path_factory.mktemp("mapped") / "claims.parquet"
    pq.write_table(pa.Table.from_pandas(df, preserve_index=False), path, row_group_size=group)
    src = ParquetRows(path)
    computes = lambda d: d["valid"] & d["family"].isin(["compute", "data"])  # noqa: E731
    for sheet, keep, reads in (("Compute", computes, ["valid", "family"]), ("Validation", lambda d: ~d["valid"], ["valid"])):
        whole = getattr(L, sheet.lower())(df)
        lazy = MappedRows(src, keep, reads, getattr(L, sheet.lower()))
        assert len(lazy) == len(whole) and lazy.columns == list(whole.columns)
        assert lazy.dtypes.equals(whole.dtypes)
        pd.testing.assert_frame_equal(lazy.every(step), whole.iloc[::step].reset_index(drop=True))
        parts = [p for _, p in lazy.slices(0, len(lazy), 3)]
        got = pd.concat(parts, ignore_index=True) if parts else whole.iloc[:0]
        pd.testing.assert_frame_equal(got, whole, check_index_type=False)
        cols = list(whole.columns[:2])
        assert [(a, g.to_dict("list")) for a, g in lazy.with_columns(cols).groups()] == \
            [(a, g.to_dict("list")) for a, g in lazy.groups(cols)]


_BUNDLED = None


def _bundled_claims():
    """The claims of the bundled corpus (extracted once), conformed as the workbook reads them."""
    global _BUNDLED
    if _BUNDLED is None:
        import json
        from pathlib import Path

        from extract import extract_claims

        root = Path(__file__).resolve().parent.parent
        papers = [json.loads(x) for x in (root / "data" / "papers.jsonl").read_text(encoding="utf-8").splitlines()]
        _BUNDLED = L._conform(extract_claims(papers[:150]))
    return _BUNDLED


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_leaderboard_results_are_row_local(data):
    """ranking.result_rows answers each row on its own (its column tests first, the per-row tests only on
    the rows they leave): the mask of any subset of rows, in any order, is the subset of the whole mask.
    The workbook relies on it to keep a row group's results only."""
    from extract.context.metric import is_generic, metric_info
    from extract.write import ranking as R

    d = _bundled_claims()
    d = d.assign(benchmark=L._label(d, "benchmark"), model=L._label(d, "model"))
    whole = R.result_rows(d, is_generic, metric_info)
    assert 0 < whole.sum() < len(d)
    picks = data.draw(st.lists(st.integers(0, len(d) - 1), max_size=60))
    part = d.iloc[picks]
    got = R.result_rows(part, is_generic, metric_info)
    assert got.index.equals(part.index) and got.dtype == bool
    assert got.tolist() == whole.iloc[picks].tolist()


def _members(path):
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        return {i.filename: (z.read(i), i.CRC, i.file_size, i.compress_size, i.compress_type)
                for i in z.infolist() if not i.filename.startswith("docProps/")}


@pytest.mark.parametrize("fails", [False, True])
def test_sheets_compressed_beside_the_next_ones_make_the_same_archive(tmp_path, monkeypatch, fails):
    """Finished sheets are deflated in a thread and copied into the archive (write/packing.py): the
    members are those of a save that compresses them itself, byte for byte; a compression that fails is
    done in the save; no temporary file is left."""
    import glob
    import tempfile

    from extract.write import packing

    df = to_frame(sample_claims() * 300)
    L.write_workbook(df, {"claims": len(df)}, tmp_path / "packed.xlsx")
    copied = []
    real_copy = packing._write_deflated
    monkeypatch.setattr(packing, "_write_deflated", lambda zf, zinfo, *a: (copied.append(zinfo.filename),
                                                                            real_copy(zf, zinfo, *a)))
    if fails:
        monkeypatch.setattr(packing, "deflate_file", lambda *a: 1 / 0)
    L.write_workbook(df, {"claims": len(df)}, tmp_path / "packed2.xlsx")
    monkeypatch.setattr(packing.Packer, "start", lambda self, path: None)
    L.write_workbook(df, {"claims": len(df)}, tmp_path / "plain.xlsx")
    assert bool(copied) != fails and (fails or "xl/worksheets/sheet3.xml" in copied)   # the Claims sheet
    assert _members(tmp_path / "packed2.xlsx") == _members(tmp_path / "plain.xlsx")
    assert _members(tmp_path / "packed.xlsx") == _members(tmp_path / "plain.xlsx")
    assert sum(1 for _ in load_workbook(tmp_path / "packed2.xlsx", read_only=True)["Claims"].iter_rows()) == len(df) + 1
    assert not glob.glob(str(Path(tempfile.gettempdir()) / "extract-sheet-*.deflate"))


def test_the_models_sheet_is_given_to_the_helper_and_made_here_without_one(tmp_path, frame):
    """write_workbook hands the Models aggregate to the helper first thing (write/models.py
    start_models); its result, or the one made here when there is no helper or it fails, is the same."""
    from concurrent.futures import Future, ThreadPoolExecutor

    import pyarrow as pa
    import pyarrow.parquet as pq

    from extract.write import models as M
    from extract.write.parquet_rows import ParquetRows

    src = tmp_path / "claims.parquet"
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), src, row_group_size=5)
    rows = ParquetRows(src)
    want = M.models_of_rows(rows)
    assert M.start_models(None, rows) is None
    pd.testing.assert_frame_equal(M.finish_models(None, rows), want)
    with ThreadPoolExecutor(1) as pool:
        job = M.start_models(pool, rows)
        assert isinstance(job, Future)
        pd.testing.assert_frame_equal(M.finish_models(job, rows), want)
    failed = Future()
    failed.set_exception(RuntimeError("helper lost"))
    pd.testing.assert_frame_equal(M.finish_models(failed, rows), want)
    assert not want.empty
