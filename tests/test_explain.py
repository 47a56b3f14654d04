"""`extract explain "TEXT"`: the claims of a sentence as a table with the rule behind each, through click
and through the installed entry point."""
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from extract import extract_claims
from extract.cli import cli

ENTRY = Path(sys.executable).parent / "extract"
TEXT = "Our 7B model runs 2.5x faster than LLaMA-2-13B and reaches 85.3% accuracy on GSM8K."


def _rows(output):
    return output.strip().splitlines()


def test_explain_shows_every_claim_with_its_rule_and_context():
    res = CliRunner().invoke(cli, ["explain", TEXT])
    assert res.exit_code == 0, res.output
    header, *rows = _rows(res.output)
    for col in ("value_text", "value", "family", "kind", "qualifier", "model", "benchmark", "rule"):
        assert col in header.split()
    want = extract_claims(TEXT)
    assert len(rows) == len(want) > 0
    # one row per claim, in text order, carrying that claim's own rule id and context
    for row, c in zip(rows, want.to_dict("records")):
        cells = row.split()
        assert row.strip().startswith(c["value_text"]) and cells[-1] == c["rule"]
        for k in ("family", "kind", "model", "benchmark"):
            for word in c[k].split():
                assert word in cells, (k, c[k], row)
    # what the package docstring promises for this phrasing
    assert any(r.split()[0] == "7B" and "parameters" in r.split() for r in rows)
    assert any(r.split()[0] == "2.5x" and "speedup" in r.split() for r in rows)


def test_explain_says_so_when_nothing_is_found():
    res = CliRunner().invoke(cli, ["explain", "We study why models fail."])
    assert res.exit_code == 0 and res.output.strip() == "no claims"


def _rules_dir(tmp_path, cues: str, not_claims: str = "rules: []\n"):
    d = tmp_path / "numbers"
    d.mkdir()
    (d / "cues.yaml").write_text(cues, encoding="utf-8")
    (d / "not_claims.yaml").write_text(not_claims, encoding="utf-8")
    return tmp_path


KINDS = ("kinds: {hedges: [about], change_nouns: [gains?], change_modifiers: [net], change_after: [faster],\n"
         "        down_words: [less], up_words: [more]}\n")


def test_explain_with_another_rules_directory(tmp_path):
    d = _rules_dir(tmp_path, "positions: {r1: 2.0}\n" + KINDS +
                   "signs:\n  - {id: bare, feature: bias, family: none, weight: 1.0}\n"
                   "cues:\n  - {id: cue-zoom, family: speedup, weight: 3.0, words: [zoom]}\n")
    res = CliRunner().invoke(cli, ["explain", "It has 3x zoom but 2.5x faster.", "--rules", str(d)])
    assert res.exit_code == 0, res.output
    header, *rows = _rows(res.output)
    assert [r.split()[-1] for r in rows] == ["cue-zoom"]  # only the given rules ran


def test_explain_with_a_broken_rule_file_names_it(tmp_path):
    d = _rules_dir(tmp_path, "positions: {r1: 2.0}\n" + KINDS + "cues:\n  - {id: broken, family: colour, weight: 1}\n")
    res = CliRunner().invoke(cli, ["explain", "2x faster", "--rules", str(d)])
    assert res.exit_code == 2
    assert "cues.yaml" in res.output and "broken" in res.output and "Traceback" not in res.output


def test_explain_through_the_entry_point():
    r = subprocess.run([str(ENTRY), "explain", TEXT], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines()[0].split()[0] == "value_text"
    assert len(r.stdout.strip().splitlines()) == 1 + len(extract_claims(TEXT))
    r = subprocess.run([str(ENTRY), "explain", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "Example:" in r.stdout


# --- the table is laid out as pandas' to_string(index=False) would, without importing pandas ------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from extract.explain import SHOW, explain, table  # noqa: E402

_CELL = st.text(alphabet=st.sampled_from(list("ab Z9.%-\t\n\ré中")), max_size=8)


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 4).flatmap(lambda k: st.tuples(
    st.lists(st.text(alphabet="abcxyz_", min_size=1, max_size=6), min_size=k, max_size=k, unique=True),
    st.lists(st.lists(_CELL, min_size=k, max_size=k), min_size=1, max_size=5))))
def test_table_lays_text_out_as_pandas_does(case):
    import pandas as pd

    header, rows = case
    assert table(header, rows) == pd.DataFrame(rows, columns=header, dtype=object).to_string(index=False)


def test_explain_prints_the_claims_table_as_pandas_would():
    from extract.write.writers import format_value

    for text in (TEXT, "GPT-4 reaches 86.4% on MMLU", "BERT gets 0.5 F1 while using 3 GB; ResNet-50 has 25M parameters."):
        df = extract_claims(text)[SHOW].copy()
        df["value"] = df["value"].map(format_value)
        assert explain(text) == df.to_string(index=False)


def test_explain_does_not_import_pandas():
    code = ("import sys; from extract.explain import explain; out = explain('GPT-4 reaches 86.4% on MMLU'); "
            "assert 'MMLU' in out; print('pandas' in sys.modules)")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "False"
