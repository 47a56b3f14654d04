"""Plausibility validation (issue 4): planted implausible rows are flagged with the right expectation,
clean tables pass, the row flags agree with Great Expectations' own results, `extract run` writes
Data Docs, `extract validate` exits 0/1/2, and adding valid rows never changes other rows' flags."""
import json
import math
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st

from extract import records
from extract.check import validate
from extract.cli import cli
from extract.errors import RuleError, ValidationFailed
from extract.check.expectations import load
from extract.table import typed
from extract.write.writers import write_csv

SPECS = load()
NAMES = [s.name for s in SPECS]
SUFFIX = {"%": "%", "x": "x", "points": " points", "params": " parameters", "tokens": " tokens",
          "examples": " examples", "GPU-hours": " GPU hours", "hours": " hours", "USD": " dollars",
          "FLOPs": " FLOPs", "GB": " GB", "MB": " MB", "ms": " ms", "s": " s", "tokens/s": " tokens/s"}


def claim(**kw) -> dict:
    """A plausible claim row; keyword arguments override any field. value_text and evidence follow value."""
    c = dict(paper_id="", title="T", family="score", metric="accuracy", kind="absolute", direction="",
             value=85.3, unit="%", qualifier="exact", model="LLaMA-2-7B", benchmark="GSM8K", baseline="",
             method="M", rule="test", valid=True, issues="",
             model_canonical="", benchmark_canonical="")
    c.update(kw)
    if "value_text" not in kw:
        v = c["value"]
        c["value_text"] = _written(v) + SUFFIX.get(c["unit"], "")
    c.setdefault("evidence", f"We report {c['value_text']} on the task.")
    c.setdefault("start", 10)
    c.setdefault("end", c["start"] + max(1, len(c["value_text"])))
    return c


def _written(v) -> str:
    """The value as a paper writes it: short, yet exactly the value (value_reads_back reads it back)."""
    if not (isinstance(v, float) and math.isfinite(v)):
        return str(v)
    return f"{v:g}" if float(f"{v:g}") == v else repr(v)


def table(rows) -> pd.DataFrame:
    """Typed claims table, as the pipeline makes it; rows without a paper_id get their own (p0, p1, ...)."""
    rows = [{**r, "paper_id": r["paper_id"] if r.get("paper_id") != "" else f"p{i}"} for i, r in enumerate(rows)]
    return typed(pd.DataFrame(rows))


CLEAN = [
    claim(),
    claim(kind="delta", direction="up", value=3.2),
    claim(kind="delta", direction="down", value=2.0, metric="error rate"),
    claim(kind="delta", direction="up", value=4.2, unit="points", metric="bleu"),
    claim(value=35.1, unit="points", metric="bleu"),
    claim(value=0.85, unit="", metric="f1"),
    claim(family="perplexity", metric="perplexity", value=6.72, unit=""),
    claim(family="speedup", metric="speedup", kind="ratio", direction="up", value=2.5, unit="x"),
    claim(family="speedup", metric="latency", kind="delta", direction="down", value=40.0, unit="%"),
    claim(family="speedup", metric="latency", value=12.0, unit="ms"),
    claim(family="speedup", metric="throughput", value=1500.0, unit="tokens/s"),
    claim(family="memory", metric="memory", kind="ratio", direction="down", value=4.0, unit="x"),
    claim(family="memory", metric="memory", value=2.1, unit="GB"),
    claim(family="parameters", metric="parameters", value=7e9, unit="params", value_text="7B",
          evidence="Our 7B model wins."),
    claim(family="parameters", metric="parameters", value=0.1, unit="%", qualifier="at_most"),
    claim(family="compute", metric="gpu hours", value=2000.0, unit="GPU-hours", qualifier="approx"),
    claim(family="compute", metric="cost", value=1e5, unit="USD", value_text="$100K", evidence="It cost $100K."),
    claim(family="compute", metric="flops", value=3e23, unit="FLOPs"),
    claim(family="compute", metric="training time", value=72.0, unit="hours"),
    claim(family="data", metric="tokens", value=1.3e12, unit="tokens", value_text="1.3T",
          evidence="trained on 1.3T tokens"),
    claim(family="data", metric="examples", value=52000.0, unit="examples", qualifier="range"),
]

# (expectation, a row that breaks it)
ROW_CASES = [
    ("family_allowed", claim(family="speed")),
    ("kind_allowed", claim(kind="relative")),
    ("direction_allowed", claim(kind="delta", direction="sideways", value=2.0)),
    ("qualifier_allowed", claim(qualifier="roughly")),
    ("unit_allowed", claim(unit="km", value=5.0)),
    ("paper_id_not_empty", claim(paper_id=" ")),
    ("paper_id_not_empty", claim(paper_id="\t")),
    ("value_text_not_empty", claim(value_text="", evidence="We report it.")),
    ("evidence_not_empty", claim(evidence="")),
    ("value_is_number", claim(value=float("nan"), value_text="85.3%")),
    ("value_text_in_evidence", claim(value_text="85.3%", evidence="We report 85.3 % on the task.")),
    ("start_before_end", claim(start=12, end=12)),
    ("start_before_end", claim(start=12, end=3)),
    ("start_not_negative", claim(start=-1, end=4)),
    ("absolute_has_no_direction", claim(direction="up")),
    ("delta_ratio_has_direction", claim(kind="delta", direction="", value=3.2)),
    ("delta_ratio_has_direction", claim(family="speedup", kind="ratio", direction="", value=2.0, unit="x")),
    ("ratio_unit_is_x", claim(family="speedup", kind="ratio", direction="up", value=2.0, unit="")),
    ("x_unit_only_for_ratio", claim(family="speedup", kind="delta", direction="up", value=2.0, unit="x")),
    ("unit_fits_score", claim(family="score", kind="ratio", direction="up", value=4.0, unit="x")),
    ("unit_fits_perplexity", claim(family="perplexity", metric="perplexity", value=6.7, unit="GB")),
    ("unit_fits_speedup", claim(family="speedup", value=7e9, unit="params")),
    ("unit_fits_memory", claim(family="memory", value=3.0, unit="hours")),
    ("unit_fits_parameters", claim(family="parameters", value=1e9, unit="tokens")),
    ("unit_fits_compute", claim(family="compute", value=20.0, unit="ms")),
    ("unit_fits_data", claim(family="data", value=5.0, unit="points")),
    ("value_reads_back", claim(value=85.3, value_text="83.5%")),
    ("value_reads_back", claim(kind="delta", direction="up", value=3.2, value_text="+2.3\\%")),
    # validation/context.yaml: words around the number say it is no result
    ("confidence_level_is_no_score", claim(value=95.0, evidence="ROUGE-L rose by 9.9 (95% confidence interval: 8.9-10.8).")),
    ("score_after_by_is_a_change", claim(value=23.2, evidence="It beats Minerva 8B by 23.2% points on GSM8K.")),
    ("score_below_above_is_a_change", claim(value=1.9, evidence="The student is only 1.9% below its teacher.")),
    ("count_is_no_score", claim(value=12.0, unit="points", value_text="12", evidence="It gains 4 BLEU across 12 translation directions.")),
]

# (expectation, the rows it is about, values that pass, values that fail): bounds and their edges
BOUNDS = [
    ("value_between_0_100_for_pct", {}, [0.0, 100.0], [100.5, -0.1, 340.0]),
    ("value_between_-100_100_for_pct_score_delta", {"kind": "delta", "direction": "up"},
     [-100.0, 100.0], [107.0, -101.0]),
    ("reduction_below_100_pct", {"family": "memory", "kind": "delta", "direction": "down"},
     [0.5, 99.9], [100.0, 0.0, 150.0]),
    ("value_between_0_100_for_points", {"unit": "points"}, [0.0, 100.0], [101.0, -1.0]),
    ("value_between_-100_100_for_points_delta", {"unit": "points", "kind": "delta", "direction": "up"},
     [-100.0, 100.0], [100.1, -120.0]),
    ("perplexity_between_1_10000", {"family": "perplexity", "unit": ""}, [1.0, 10000.0], [0.9, 2e4]),
    ("ratio_up_between_1_10000", {"family": "speedup", "kind": "ratio", "direction": "up", "unit": "x"},
     [1.01, 10000.0], [1.0, 0.5, 2e4]),
    ("ratio_down_between_1_10000", {"family": "memory", "kind": "ratio", "direction": "down", "unit": "x"},
     [1.5, 10000.0], [1.0, 0.25]),
    ("params_between_1e4_1e14", {"family": "parameters", "unit": "params"}, [1e4, 1e14], [8.0, 1e15]),
    ("gpu_hours_between_0_1e9", {"family": "compute", "unit": "GPU-hours"}, [0.5, 1e9], [0.0, 2e9]),
    ("usd_between_0_1e11", {"family": "compute", "unit": "USD"}, [1.0, 1e11], [0.0, -5.0, 1e12]),
    ("flops_between_0_1e30", {"family": "compute", "unit": "FLOPs"}, [1e20, 1e30], [0.0, 1e31]),
    ("hours_between_0_1e6", {"family": "compute", "unit": "hours"}, [1.5, 1e6], [0.0, 2e6]),
    ("tokens_between_0_1e16", {"family": "data", "unit": "tokens"}, [1.0, 1e16], [0.0, 1e17]),
    ("examples_between_0_1e13", {"family": "data", "unit": "examples"}, [1.0, 1e13], [0.0, 1e14]),
    ("gb_between_0_1e7", {"family": "memory", "unit": "GB"}, [0.1, 1e7], [0.0, 1e8]),
    ("mb_between_0_1e10", {"family": "memory", "unit": "MB"}, [0.1, 1e10], [0.0, 1e11]),
    ("ms_between_0_1e9", {"family": "speedup", "unit": "ms"}, [0.1, 1e9], [0.0, 1e10]),
    ("s_between_0_1e7", {"family": "speedup", "unit": "s"}, [0.1, 1e7], [0.0, 1e8]),
    ("tokens_per_s_between_0_1e9", {"family": "speedup", "unit": "tokens/s"}, [0.1, 1e9], [0.0, 1e10]),
]


def _cast(col, dtype):
    def f(df):
        df = df.copy()
        df[col] = df[col].astype(dtype)
        return df
    return f


# (expectation, how to break the table's types): a table-level failure flags every row
TYPE_CASES = [
    ("value_is_float", _cast("value", object)),
    ("start_is_int", _cast("start", "float64")),
    ("end_is_int", _cast("end", "int32")),
    ("valid_is_bool", _cast("valid", "int64")),
    ("title_is_text", lambda df: df.assign(title=np.arange(len(df)))),
]
TYPE_CASES += [(s.name, _cast(s.column, "category")) for s in SPECS
               if s.check == "dtype" and s.dtype == "text" and s.name != "title_is_text"]


def issues_of(df) -> list[list[str]]:
    return [s.split(validate.SEP) if s else [] for s in df["issues"]]


def test_every_expectation_has_a_planted_case():
    planted = {n for n, *_ in ROW_CASES + BOUNDS + TYPE_CASES} | {"columns_exist", "span_unique"}
    assert planted >= set(NAMES), f"no planted case for {sorted(set(NAMES) - planted)}"
    assert planted <= set(NAMES), f"cases for unknown expectations {sorted(planted - set(NAMES))}"


def test_results_beside_a_confidence_level_or_a_change_pass():
    """The checks of validation/context.yaml read the words around their own number only."""
    rows = [claim(value=81.4, evidence="Accuracy is 81.4% (95% confidence interval 80.1-82.7), up by 3% over B."),
            claim(value=72.9, evidence="A surpasses B (81.4% vs. 72.9%), more than 5 points above C."),
            claim(value=95.0, evidence="It reaches 95% on GSM8K, with 90% confidence in the judge."),
            claim(value=40.7, evidence="Accuracy rises from 36.2% to 40.7%, by 4.5 points."),
            claim(value=71.2, unit="points", value_text="71.2", evidence="It averages 71.2 across tasks and 64.0 on 12 held-out tasks.")]
    out, _ = validate.flag(table(rows))
    assert out["valid"].all(), out["issues"].tolist()


def test_every_expectation_has_a_reason_and_a_unique_name():
    assert len(NAMES) == len(set(NAMES))
    assert all(s.reason.strip() and "\n" not in s.reason.strip() for s in SPECS)


def test_clean_table_passes_and_counts_cover_every_expectation():
    out, counts = validate.flag(table(CLEAN))
    assert out["valid"].all(), out.loc[~out["valid"], ["family", "unit", "value", "issues"]].to_string()
    assert (out["issues"] == "").all()
    assert list(counts) == NAMES and set(counts.values()) == {0}


def test_empty_table_passes():
    out, counts = validate.flag(typed(pd.DataFrame(columns=records.ALL_COLUMNS)))
    assert len(out) == 0 and set(counts.values()) == {0}


@pytest.mark.parametrize("name,bad", ROW_CASES, ids=[n for n, _ in ROW_CASES])
def test_planted_row_is_flagged_with_its_expectation(name, bad):
    out, counts = validate.flag(table(CLEAN + [bad]))
    issues = issues_of(out)
    assert name in issues[-1], f"expected {name}, got {issues[-1]}"
    assert not out["valid"].iloc[-1]
    assert out["valid"].iloc[:-1].all(), "clean rows must stay valid"
    assert counts[name] == 1


@pytest.mark.parametrize("name,base,ok,bad", BOUNDS, ids=[b[0] for b in BOUNDS])
def test_bounds_and_their_edges(name, base, ok, bad):
    rows = [claim(value=v, **base) for v in ok + bad]
    out, counts = validate.flag(table(rows))
    issues = issues_of(out)
    for v, got in zip(ok, issues[:len(ok)]):
        assert got == [], f"{v} should pass, got {got}"
    for v, got in zip(bad, issues[len(ok):]):
        assert name in got, f"{v} should fail {name}, got {got}"
    assert counts[name] == len(bad)


def test_bounds_only_apply_to_their_rows():
    # 340 is implausible as a percentage, fine in ms, GPU-hours or as a perplexity
    rows = [claim(family="speedup", metric="latency", value=340.0, unit="ms"),
            claim(family="compute", metric="gpu hours", value=340.0, unit="GPU-hours"),
            claim(family="perplexity", metric="perplexity", value=340.0, unit=""),
            claim(family="speedup", kind="delta", direction="up", value=340.0, unit="%")]  # +340% throughput
    out, _ = validate.flag(table(rows))
    assert out["valid"].all(), issues_of(out)


def test_duplicate_spans_are_both_flagged():
    rows = [claim(paper_id="a", end=15), claim(paper_id="a", family="parameters", unit="params", value=7e9, end=15),
            claim(paper_id="b", end=15), claim(paper_id="a", start=40)]
    out, counts = validate.flag(table(rows))
    assert [("span_unique" in i) for i in issues_of(out)] == [True, True, False, False]
    assert counts["span_unique"] == 2


@pytest.mark.parametrize("name,breaks", TYPE_CASES, ids=[n for n, _ in TYPE_CASES])
def test_wrong_column_type_flags_every_row(name, breaks):
    out, counts = validate.flag(breaks(table(CLEAN)))
    assert all(name in i for i in issues_of(out))
    assert counts[name] == len(CLEAN)


def test_several_failures_are_all_named_in_suite_order():
    bad = claim(kind="absolute", direction="up", value=140.0, value_text="140%", evidence="no number here")
    out, _ = validate.flag(table([bad]))
    got = issues_of(out)[0]
    assert set(got) == {"value_text_in_evidence", "absolute_has_no_direction", "value_between_0_100_for_pct"}
    assert got == sorted(got, key=NAMES.index)


def test_missing_columns_are_an_error():
    with pytest.raises(ValidationFailed, match="evidence"):
        validate.flag(table(CLEAN).drop(columns=["evidence"]))


def test_flag_keeps_rows_and_other_columns():
    df = table(CLEAN + [b for _, b in ROW_CASES])
    out, _ = validate.flag(df)
    assert len(out) == len(df) and list(out.columns) == list(df.columns)
    pd.testing.assert_frame_equal(out.drop(columns=["valid", "issues"]), df.drop(columns=["valid", "issues"]))
    assert out["valid"].dtype == bool


# --- the suite as data -------------------------------------------------------------------------


def test_bad_suite_files_list_every_problem(tmp_path):
    (tmp_path / "schema.yaml").write_text(
        "expectations:\n"
        "  - {name: a, check: between, column: value, reason: r}\n"          # no min or max
        "  - {name: b, check: in_set, column: nope, values: [x], reason: r}\n"  # unknown column
        "  - {name: c, check: frobnicate, reason: r}\n"
        "  - {name: d, check: not_null, column: value}\n"                     # no reason
        "  - {name: e, check: in_set, column: family, values_from: NOPE, reason: r}\n", encoding="utf-8")
    (tmp_path / "bounds.yaml").write_text("bounds:\n  - {name: f, min: zero, reason: r}\n", encoding="utf-8")
    with pytest.raises(RuleError) as e:
        load(str(tmp_path))
    msg = str(e.value)
    for bit in ("'a'", "'b'", "nope", "frobnicate", "'d'", "'e'", "'f'"):
        assert bit in msg, msg


# --- agreement with Great Expectations ---------------------------------------------------------


def _planted_table():
    rows = CLEAN + [b for _, b in ROW_CASES]
    rows += [claim(value=v, **base) for _, base, ok, bad in BOUNDS for v in ok + bad]
    rows += [claim(paper_id="dup", end=15), claim(paper_id="dup", value=1.0, end=15)]
    return table(rows)


def test_row_flags_agree_with_great_expectations():
    from extract.check import gxsuite

    df = _planted_table()
    result, _ = gxsuite.run(df, result_format="COMPLETE")
    assert len(result.results) == len(SPECS)
    ours = dict(validate.row_failures(df))
    by_name = {s.name: m for s, m in ours.items()}
    seen = set()
    for r in result.results:
        name = r.expectation_config.meta["name"]
        seen.add(name)
        assert not gxsuite.raised(r), f"{name}: GX raised {r.exception_info}"
        want = set(np.flatnonzero(by_name[name]).tolist())
        if "unexpected_index_list" in r.result:
            got = set(r.result["unexpected_index_list"])
        else:  # table-level: all rows or none
            got = set() if r.success else set(range(len(df)))
        assert got == want, f"{name}: GX {sorted(got)} vs flags {sorted(want)}"
        assert r.success == (not want)
    assert seen == set(NAMES)
    # every row-level expectation fails somewhere in this table, so the agreement is not vacuous
    assert {n for n, m in by_name.items() if m.any()} == set(NAMES) - {s.name for s in SPECS if s.table_level}


def test_great_expectations_fails_the_same_type_and_column_expectations():
    from extract.check import gxsuite

    df = table(CLEAN)
    for _, breaks in TYPE_CASES:
        df = breaks(df)
    df = df.drop(columns=["method"])  # a contract column
    result, _ = gxsuite.run(df)
    failed = {r.expectation_config.meta["name"] for r in result.results if not r.success}
    assert {n for n, _ in TYPE_CASES} | {"columns_exist"} <= failed
    with pytest.raises(ValidationFailed, match="method"):
        validate.flag(df)


# --- the pipeline and the CLI ------------------------------------------------------------------


def test_run_writes_data_docs_and_counts(tiny_corpus, tmp_path):
    out = tmp_path / "out"
    res = CliRunner().invoke(cli, ["run", str(tiny_corpus), "-o", str(out), "-q"])
    assert res.exit_code == 0, res.output
    index = out / "validation" / "index.html"
    assert index.is_file()
    summary = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert summary["validation_docs"] == str(index.resolve())
    assert set(summary["expectations_failed"]) == set(NAMES)
    suite_pages = list((out / "validation" / "expectations").glob("*.html"))
    assert suite_pages and "value_between_0_100_for_pct" in suite_pages[0].read_text(encoding="utf-8")
    assert list((out / "validation" / "validations").rglob("*.html")), "no validation result page"


def test_docs_show_the_latest_run_only(tmp_path, recwarn):
    docs = tmp_path / "out" / "validation"
    first = validate.build_docs(table(CLEAN), docs)
    (docs / "stale.html").write_text("old", encoding="utf-8")
    second = validate.build_docs(table(CLEAN + [claim(value=140.0)]), docs)
    assert not [w for w in recwarn if "disagree" in str(w.message)]
    assert first == second == str((docs / "index.html").resolve())
    assert not (docs / "stale.html").exists()
    assert len(list((docs / "validations").rglob("*.html"))) == 1
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["validation"], "temporary directories left behind"


def test_docs_warn_when_flags_and_gx_disagree(tmp_path, monkeypatch):
    real = validate.counts
    monkeypatch.setattr(validate, "counts", lambda df: {**real(df), "span_unique": 99})
    with pytest.warns(UserWarning, match="span_unique"):
        validate.build_docs(table(CLEAN), tmp_path / "validation")


def _csv(tmp_path, rows, name="claims.csv"):
    path = tmp_path / name
    write_csv(table(rows), path)
    return path


def test_validate_cli_clean_table_exits_0(tmp_path):
    res = CliRunner().invoke(cli, ["validate", str(_csv(tmp_path, CLEAN))])
    assert res.exit_code == 0, res.output
    assert f"all {len(CLEAN)} rows pass all {len(NAMES)} expectations" in res.output


def test_validate_cli_names_failed_expectations_and_rows(tmp_path):
    bad1 = claim(paper_id="paperX", value=140.0, start=33)
    bad2 = claim(paper_id="paperY", family="speedup", kind="ratio", direction="up", unit="x", value=0.5)
    res = CliRunner().invoke(cli, ["validate", str(_csv(tmp_path, CLEAN + [bad1, bad2]))])
    assert res.exit_code == 1, res.output
    assert "2 of 23 rows fail 2 of" in res.output
    assert "FAIL value_between_0_100_for_pct (1 rows)" in res.output
    assert "FAIL ratio_up_between_1_10000 (1 rows)" in res.output
    assert "row 22: paper_id=paperX start=33 value_text='140%'" in res.output
    assert "row 23: paper_id=paperY start=10 value_text='0.5x'" in res.output


def test_validate_cli_reads_a_hand_edited_table(tmp_path):
    path = _csv(tmp_path, CLEAN)
    text = path.read_text(encoding="utf-8").replace(",85.3,%,", ",85.3e3,%,", 1)  # a slip of the hand
    path.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(cli, ["validate", str(path)])
    assert res.exit_code == 1 and "value_between_0_100_for_pct (1 rows)" in res.output and "row 1:" in res.output


def test_validate_cli_limits_listed_rows(tmp_path):
    rows = CLEAN + [claim(value=200.0 + i) for i in range(30)]
    res = CliRunner().invoke(cli, ["validate", str(_csv(tmp_path, rows)), "--max-rows", "5"])
    assert res.exit_code == 1
    assert res.output.count("  row ") == 5 and "... and 25 more rows" in res.output


def test_validate_cli_non_numeric_value_is_a_failed_expectation(tmp_path):
    path = _csv(tmp_path, CLEAN)
    path.write_text(path.read_text(encoding="utf-8").replace(",85.3,%,", ",lots,%,", 1), encoding="utf-8")
    res = CliRunner().invoke(cli, ["validate", str(path)])
    assert res.exit_code == 1 and "FAIL value_is_number (1 rows)" in res.output


def test_validate_cli_parquet(tmp_path):
    path = tmp_path / "claims.parquet"
    table(CLEAN + [claim(value=140.0)]).to_parquet(path)
    res = CliRunner().invoke(cli, ["validate", str(path)])
    assert res.exit_code == 1 and "value_between_0_100_for_pct" in res.output


@pytest.mark.parametrize("content,message", [
    (None, "no such file"),
    (b"", "empty file"),
    (b"\xff\xfe\x00bad", "not UTF-8"),
    (b"paper_id,value\np1,3\n", "missing columns title, family"),
], ids=["missing", "empty", "binary", "columns"])
def test_validate_cli_unreadable_input_exits_2(tmp_path, content, message):
    path = tmp_path / "claims.csv"
    if content is not None:
        path.write_bytes(content)
    res = CliRunner().invoke(cli, ["validate", str(path)])
    assert res.exit_code == 2, res.output
    assert message in res.output and str(path) in res.output
    assert "Traceback" not in res.output


def test_validate_cli_bad_offset_names_the_row(tmp_path):
    path = _csv(tmp_path, CLEAN)
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[3].split(",")
    cells[header.index("start")] = "ten"
    lines[3] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["validate", str(path)])
    assert res.exit_code == 2, res.output
    assert "row 3: column start must be a whole number, not 'ten'" in res.output


def test_validate_cli_writes_data_docs(tmp_path):
    docs = tmp_path / "docs"
    res = CliRunner().invoke(cli, ["validate", str(_csv(tmp_path, CLEAN + [claim(value=140.0)])), "--docs", str(docs)])
    assert res.exit_code == 1, res.output
    assert (docs / "index.html").is_file() and f"Data Docs: {(docs / 'index.html').resolve()}" in res.output


def test_help_and_flagging_do_not_import_great_expectations(tmp_path):
    path = _csv(tmp_path, CLEAN)
    code = ("import sys; from click.testing import CliRunner; from extract.cli import cli; "
            "r = CliRunner(); r.invoke(cli, ['--help']); r.invoke(cli, ['validate', '--help']); "
            f"res = r.invoke(cli, ['validate', {str(path)!r}]); assert res.exit_code == 0, res.output; "
            "print('great_expectations' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# --- property: adding valid rows never changes the flags of other rows -------------------------

TEMPLATES = [  # family, kind, direction, unit, low, high
    ("score", "absolute", "", "%", 0, 100), ("score", "delta", "up", "points", -100, 100),
    ("score", "delta", "down", "%", 0.01, 99), ("perplexity", "absolute", "", "", 1, 10000),
    ("speedup", "ratio", "up", "x", 1.01, 10000), ("memory", "ratio", "down", "x", 1.01, 100),
    ("parameters", "absolute", "", "params", 1e4, 1e14), ("compute", "absolute", "", "USD", 1, 1e11),
    ("data", "absolute", "", "tokens", 1, 1e16), ("speedup", "absolute", "", "ms", 0.01, 1e9),
]


@st.composite
def valid_rows(draw):
    fam, kind, direction, unit, lo, hi = draw(st.sampled_from(TEMPLATES))
    value = draw(st.floats(lo, hi, allow_nan=False))
    start = draw(st.integers(0, 500))
    return claim(paper_id=f"new-{draw(st.integers(0, 10**6))}", family=fam, kind=kind, direction=direction,
                 unit=unit, value=value, qualifier=draw(st.sampled_from(records.QUALIFIERS)), start=start)


@st.composite
def any_rows(draw):
    """Rows valid or not: odd values, blank texts, spans that clash with each other."""
    text = st.sampled_from(["12%", "7B", "2.5x", "", " ", "140%"])
    vt = draw(text)
    return claim(value_text=vt, evidence="", start=0, end=1) | dict(
        paper_id=draw(st.sampled_from(["a", "b", "", " "])),
        family=draw(st.sampled_from(records.FAMILIES + ("speed",))),
        kind=draw(st.sampled_from(records.KINDS + ("relative",))),
        direction=draw(st.sampled_from(records.DIRECTIONS + ("sideways",))),
        unit=draw(st.sampled_from(records.UNITS + ("km",))),
        qualifier=draw(st.sampled_from(records.QUALIFIERS + ("roughly",))),
        value=draw(st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                             st.sampled_from([0.0, 1.0, 100.0, 1e4, 1e14, -100.0]))),
        value_text=vt,
        evidence=draw(st.sampled_from(["", f"We get {vt} now.", "nothing here"])),
        start=draw(st.integers(-2, 4)), end=draw(st.integers(-2, 6)),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base=st.lists(any_rows(), max_size=12), extra=st.lists(valid_rows(), min_size=1, max_size=12,
                                                              unique_by=lambda r: (r["paper_id"], r["start"])),
       seed=st.integers(0, 2**32 - 1))
def test_adding_valid_rows_never_changes_other_rows_flags(base, extra, seed):
    df = typed(pd.DataFrame(base, columns=list(records.ALL_COLUMNS)))
    new = typed(pd.DataFrame(extra))
    new.index = range(len(df), len(df) + len(new))
    alone, _ = validate.flag(df)
    assert validate.flag(new)[0]["valid"].all(), "the generator made an invalid 'valid' row"
    both = pd.concat([df, new])
    both = both.iloc[np.random.default_rng(seed).permutation(len(both))]  # added anywhere, not just at the end
    together, _ = validate.flag(both)
    pd.testing.assert_frame_equal(together.loc[df.index, ["valid", "issues"]], alone[["valid", "issues"]])
    assert together.loc[new.index, "valid"].all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["score", "perplexity", "data"]), st.sampled_from(["absolute", "delta"]),
                          st.sampled_from(["95%", "3", "12.5", "", None]),
                          st.sampled_from(["a 95% confidence interval", "improves by 3 points", "12.5 below the base",
                                           "across 3 languages", "reaches 95% on X", "", None])),
                min_size=1, max_size=12))
def test_near_checks_search_only_their_rows_and_flag_as_over_the_whole_table(rows):
    """a_not_near_b searches only the rows its `where` selects: the flags are those of searching every
    row and keeping the selected ones (GX's semantics: a row outside `where` never fails)."""
    from extract.check.expectations import Codes, failing, load, near_hit, rows_where

    df = pd.DataFrame(rows, columns=["family", "kind", "value_text", "evidence"])
    specs = [s for s in load() if s.check == "a_not_near_b"]
    assert specs
    for spec in specs:
        a, b = df[spec.column_a], df[spec.column_b]
        hit = np.array([near_hit(spec.near, x, y) for x, y in zip(a.to_numpy(dtype=object), b.to_numpy(dtype=object))],
                       dtype=bool)
        want = rows_where(df, spec) & ~(a.isna() & b.isna()).to_numpy() & hit
        assert (failing(df, spec, Codes(df)) == want).all(), spec.name
