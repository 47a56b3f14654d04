"""`extract eval`: the same figures as the team's scorer (../shared/eval/score.py), the evidence lists,
the errors, and the command through click and through the installed entry point."""
import csv
import importlib.util
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from extract.cli import cli
from extract.evaluate import context_agrees, evaluate, item_agrees, read_gold, score

ROOT = Path(__file__).resolve().parent.parent
DEV_GOLD = ROOT / "tests" / "data" / "dev_gold.jsonl"
CORPUS = ROOT / "data" / "papers.jsonl"
SCORE_PY = ROOT.parent / "shared" / "eval" / "score.py"
ENTRY = Path(sys.executable).parent / "extract"
needs_scorer = pytest.mark.skipif(not SCORE_PY.exists(), reason="../shared/eval/score.py is not beside this clone")

FIGURES = ("claims", "numbers", "families", "on_matched", "strict", "context", "context_strict")


def _flat(d, prefix=""):
    """{"a": {"b": 1}} -> {"a.b": 1}: compare two nested figure dicts key by key."""
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(_flat(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def assert_same_figures(ours: dict, theirs: dict):
    a = _flat({k: ours[k] for k in FIGURES})
    b = _flat({k: theirs[k] for k in FIGURES})
    assert a.keys() == b.keys()
    for k in a:
        assert a[k] == pytest.approx(b[k], abs=1e-12), k


def _score_py():
    spec = importlib.util.spec_from_file_location("team_score", SCORE_PY)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _write_csv(path, rows):
    cols = ["paper_id", "family", "kind", "qualifier", "value", "value_text", "model", "benchmark", "rule", "evidence"]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in cols})


def _write_gold(path, gold):
    path.write_text("".join(json.dumps({"id": k, "claims": v}) + "\n" for k, v in gold.items()), encoding="utf-8")


def _claim(family, value, value_text, kind="absolute", qualifier="exact", model="", benchmark="", **kw):
    return dict(family=family, value=value, value_text=value_text, kind=kind, qualifier=qualifier,
                model=model, benchmark=benchmark, evidence=kw.pop("evidence", f"it is {value_text} here"), **kw)


# ---- agreement with score.py ------------------------------------------------------------------------

@needs_scorer
def test_dev_gold_figures_agree_with_score_py(tmp_path):
    """Same gold, same claims.csv (written by `extract run`): every figure equal to score.py --json."""
    out = tmp_path / "out"
    r = subprocess.run([str(ENTRY), "run", str(CORPUS), "-o", str(out), "-q"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    theirs = json.loads(subprocess.run([sys.executable, str(SCORE_PY), str(DEV_GOLD), str(out / "claims.csv"), "--json"],
                                       capture_output=True, text=True, check=True).stdout)
    res = CliRunner().invoke(cli, ["eval", str(DEV_GOLD), "--claims", str(out / "claims.csv"), "--json"])
    assert res.exit_code == 0, res.output
    ours = json.loads(res.output)
    assert_same_figures(ours, theirs)
    assert ours["claims"]["gold"] > 0 and ours["papers"] == len(read_gold(DEV_GOLD))
    # the in-memory run (no --claims) sees the same claims as the CSV
    res = CliRunner().invoke(cli, ["eval", str(DEV_GOLD), "--corpus", str(CORPUS), "--json"])
    assert res.exit_code == 0, res.output
    assert_same_figures(json.loads(res.output), theirs)


@needs_scorer
def test_edge_cases_agree_with_score_py(tmp_path):
    """Duplicates, near values, value_text preference, family mix-ups, ';' context, NaN values, a paper
    only in the prediction, a gold paper with nothing predicted."""
    gold = {
        "a": [_claim("score", 85.3, "85.3%", model="LLaMA-2 7B", benchmark="GSM8K"),
              _claim("score", 85.3, "85.3", model="LLaMA-2 7B"),          # the same number twice: counts once
              _claim("score", 1.0, "1.0", kind="delta"),
              _claim("parameters", 7e9, "7B", model="LLaMA-2 7B"),
              _claim("speedup", 2.5, "2.5x", kind="ratio", benchmark="A; B")],
        "b": [_claim("memory", 40, "40%", kind="delta")],
        "c": [],
    }
    pred = [
        dict(paper_id="a", family="score", kind="absolute", qualifier="exact", value="85.30001", value_text="85.3",
             model="LLaMA-2", benchmark="GSM8K"),
        dict(paper_id="a", family="score", kind="absolute", qualifier="approx", value="85.3", value_text="85.3%",
             model="LLaMA-2 7B; GPT-4", benchmark="gsm8k"),
        dict(paper_id="a", family="score", kind="delta", qualifier="exact", value="1", value_text="1"),
        dict(paper_id="a", family="data", kind="absolute", qualifier="exact", value="7000000000", value_text="7B"),
        dict(paper_id="a", family="speedup", kind="ratio", qualifier="exact", value="2.5", value_text="2.5x",
             benchmark="b; a"),
        dict(paper_id="a", family="speedup", kind="ratio", qualifier="exact", value="2.5", value_text="2.5 times"),
        dict(paper_id="a", family="score", kind="absolute", qualifier="exact", value="", value_text="n/a"),
        dict(paper_id="a", family="score", kind="absolute", qualifier="exact", value="", value_text="n/a"),
        dict(paper_id="b", family="memory", kind="ratio", qualifier="exact", value="0.4", value_text="0.4"),
        dict(paper_id="zz", family="score", kind="absolute", qualifier="exact", value="1", value_text="1"),
    ]
    _write_gold(tmp_path / "g.jsonl", gold)
    _write_csv(tmp_path / "c.csv", pred)
    theirs = json.loads(subprocess.run([sys.executable, str(SCORE_PY), str(tmp_path / "g.jsonl"),
                                        str(tmp_path / "c.csv"), "--json"], capture_output=True, text=True,
                                       check=True).stdout)
    ours = evaluate(tmp_path / "g.jsonl", tmp_path / "c.csv")
    assert_same_figures(ours.figures, theirs)
    # and the figures are what the rules say, worked out by hand
    c = ours.figures["claims"]
    assert (c["gold"], c["pred"], c["tp"]) == (5, 7, 3)  # pred: a has 6 distinct (2 NaN rows -> 1), b 1
    assert ours.figures["numbers"]["r"] == pytest.approx(4 / 5)  # the 7B matches as a bare number
    # the 85.3% gold pairs with the pred that has the same value_text, whose model lists two models
    assert ours.figures["on_matched"]["qualifier"] == pytest.approx(2 / 3)
    assert ours.figures["on_matched"]["model"] == pytest.approx(2 / 3)
    assert ours.figures["on_matched"]["benchmark"] == pytest.approx(1.0)




_fam = st.sampled_from(["score", "speedup", "parameters"])
_val = st.sampled_from([1.0, 2.5, 2.50001, 2.6, 7e9, 7.0000001e9, 0.0, 40.0])
_ctx = st.sampled_from(["", "GPT-4", "gpt 4", "LLaMA-2 7B", "LLaMA-2", "LLaMA", "A; B", "B", ";", "GPT-4; LLaMA-2"])
_txt = st.sampled_from(["1", "2.5", "2.5x", "7B", "40%"])
_kind = st.sampled_from(["absolute", "delta", "ratio"])
_metric = st.sampled_from(["", "accuracy", "Acc", "F1 score", "f1", "word error rate", "WER", "score", "pass@1"])
_qual = st.sampled_from(["exact", "approx"])


@st.composite
def _claims(draw, pred=False):
    out = []
    for _ in range(draw(st.integers(0, 6))):
        v = draw(_val) if not pred or draw(st.booleans()) else draw(st.sampled_from([math.nan, 2.5000001, 41.0]))
        out.append(dict(family=draw(_fam), value=v, value_text=draw(_txt), kind=draw(_kind),
                        qualifier=draw(_qual), model=draw(_ctx), benchmark=draw(_ctx), metric=draw(_metric),
                        baseline=draw(_ctx), method=draw(_ctx)))
    return out


@needs_scorer
@settings(max_examples=300, deadline=None)
@given(gold=st.dictionaries(st.sampled_from("abcd"), _claims(), max_size=4),
       pred=st.dictionaries(st.sampled_from("abcde"), _claims(pred=True), max_size=5))
def test_any_claims_score_as_score_py(gold, pred):
    """For any gold and prediction, our scoring function and score.py's give the same figures."""
    team = _score_py()
    theirs = team.score(gold, {k: [dict(p) for p in v] for k, v in pred.items()})
    ours = score(gold, {k: [dict(p) for p in v] for k, v in pred.items()})
    assert_same_figures(ours.figures, theirs)


def test_context_figures_count_metric_aliases_baseline_and_method(tmp_path):
    """metric "F1 score" = "f1", "word error rate" = "WER"; context_strict needs every field right."""
    gold = {"a": [_claim("score", 81.0, "81%", metric="f1", method="M", benchmark="B"),
                  _claim("score", 9.8, "9.8%", metric="wer", model="Whisper-base", benchmark="test-other"),
                  _claim("score", 3.0, "3%", kind="delta", metric="accuracy", baseline="LoRA")]}
    pred = {"a": [dict(family="score", value=81.0, value_text="81%", kind="absolute", metric="F1 score",
                       method="M", benchmark="B"),
                  dict(family="score", value=9.8, value_text="9.8%", kind="absolute", metric="word error rate",
                       model="Whisper-base", benchmark="test-other"),
                  dict(family="score", value=3.0, value_text="3%", kind="delta", metric="score", baseline="LoRA")]}
    f = score(gold, pred).figures
    assert f["context"]["metric"] == pytest.approx(2 / 3)
    assert f["context"]["baseline"] == pytest.approx(1.0) and f["context"]["method"] == pytest.approx(1.0)
    assert f["context_strict"]["f1"] == pytest.approx(2 / 3)


def test_duplicate_rows_of_claims_csv_are_counted(tmp_path):
    """The same claim written twice, and the same number under two readings, are counted apart."""
    row = dict(paper_id="a", family="score", kind="absolute", qualifier="exact", value="85.3", value_text="85.3%",
               model="GPT-4", benchmark="GSM8K")
    rows = [row, dict(row), dict(row, model="LLaMA"), dict(row, value="2", value_text="2")]
    _write_csv(tmp_path / "c.csv", rows)
    _write_gold(tmp_path / "g.jsonl", {"a": [_claim("score", 85.3, "85.3%")]})
    d = evaluate(tmp_path / "g.jsonl", tmp_path / "c.csv").figures["duplicates"]
    assert d == {"rows": 4, "same_claim": 1, "same_number": 2}
    res = CliRunner().invoke(cli, ["eval", str(tmp_path / "g.jsonl"), "--claims", str(tmp_path / "c.csv")])
    assert "duplicate rows: 1 repeat a claim, 2 repeat a number" in res.output
    assert "context-strict" in res.output


# ---- the agreement rules, as the issue states them -----------------------------------------------------

def test_context_items_agree_when_one_holds_the_other_at_half_length():
    assert item_agrees("LLaMA-2 7B", "llama27b")
    assert item_agrees("LLaMA-2", "LLaMA-2 7B")           # 6 of 8 characters
    assert not item_agrees("GPT", "GPT-4 Turbo")           # 3 of 9
    assert not item_agrees("", "GPT-4")


def test_context_pairs_up_both_ways():
    assert context_agrees("", "") and context_agrees(" ; ", "")
    assert not context_agrees("GSM8K", "") and not context_agrees("", "GSM8K")
    assert context_agrees("SWE-bench; WebArena", "webarena; SWE bench")
    # listing every model of the sentence does not pass for the one the number is about
    assert not context_agrees("GPT-4", "GPT-4; LLaMA-2 7B; Mistral-7B")
    assert not context_agrees("GPT-4; LLaMA-2 7B", "GPT-4")


# ---- evidence lists -----------------------------------------------------------------------------------

def _tiny(tmp_path):
    abstract = "Our model reaches 85.3% on GSM8K and runs 2.5x faster. It was trained in 2023 on 52K examples."
    (tmp_path / "corpus.jsonl").write_text(json.dumps({"id": "p1", "title": "T", "abstract": abstract}) + "\n")
    gold = {"p1": [_claim("score", 85.3, "85.3%", benchmark="GSM8K", evidence=abstract.split(". ")[0] + "."),
                   _claim("speedup", 2.5, "2.5x", kind="ratio", direction="up"),
                   _claim("compute", 1234, "1,234", unit="GPU-hours", evidence="an invented gold number: 1,234")]}
    _write_gold(tmp_path / "gold.jsonl", gold)
    return tmp_path / "gold.jsonl", tmp_path / "corpus.jsonl"


def test_show_lists_misses_and_false_hits_per_paper(tmp_path):
    gold, corpus = _tiny(tmp_path)
    rep = evaluate(gold, corpus=corpus)
    # whatever the rules find, every gold claim is either matched or listed as a miss,
    # and every predicted claim either matched or listed as a false hit
    c = rep.figures["claims"]
    assert c["gold"] - c["tp"] == len(rep.misses) and c["pred"] - c["tp"] == len(rep.false_hits)
    assert any(m["value_text"] == "1,234" for m in rep.misses)
    res = CliRunner().invoke(cli, ["eval", str(gold), "--corpus", str(corpus), "--show", "all"])
    assert res.exit_code == 0, res.output
    assert "== p1" in res.output
    assert 'MISS   "1,234"  compute/absolute' in res.output and "[[1,234]]" in res.output
    for f in rep.false_hits:
        assert f'FALSE  "{f["value_text"]}"' in res.output and f"rule={f['rule']}" in res.output
    # the summary comes after the lists, its last lines the context figures and the duplicate count
    tail = res.output.rstrip().splitlines()[-4:]
    assert tail[0].startswith("strict  P") and tail[2].startswith("context-strict")
    assert tail[3].startswith("duplicate rows:")
    only_misses = CliRunner().invoke(cli, ["eval", str(gold), "--corpus", str(corpus), "--show", "misses"]).output
    assert "MISS" in only_misses and "FALSE" not in only_misses


def test_json_output_holds_figures_and_evidence(tmp_path):
    gold, corpus = _tiny(tmp_path)
    res = CliRunner().invoke(cli, ["eval", str(gold), "--corpus", str(corpus), "--json"])
    assert res.exit_code == 0
    out = json.loads(res.output)
    assert set(FIGURES) <= set(out) and out["papers"] == 1
    assert [m["value_text"] for m in out["misses"]][-1] == "1,234"
    assert out["misses"][-1]["evidence"] == "an invented gold number: 1,234"


def test_ids_split_keeps_only_the_named_papers(tmp_path):
    gold, corpus = _tiny(tmp_path)
    (tmp_path / "split.json").write_text(json.dumps({"p1": "holdout"}))
    res = CliRunner().invoke(cli, ["eval", str(gold), "--corpus", str(corpus), "--ids", f"{tmp_path}/split.json:dev",
                                   "--json"])
    assert res.exit_code == 0 and json.loads(res.output)["claims"]["gold"] == 0


# ---- errors -------------------------------------------------------------------------------------------

def test_bad_gold_line_is_an_error_naming_file_and_line(tmp_path):
    g = tmp_path / "gold.jsonl"
    g.write_text('{"id": "a", "claims": []}\n\n{"id": "b", "claims": [{"family": "score"}]}\n')
    res = CliRunner().invoke(cli, ["eval", str(g), "--claims", str(g)])
    assert res.exit_code == 2 and f"{g}:3:" in res.output and "numeric 'value'" in res.output
    g.write_text('{"id": "a", "claims": []}\nnot json\n')
    res = CliRunner().invoke(cli, ["eval", str(g)])
    assert res.exit_code == 2 and f"{g}:2: not valid JSON" in res.output


def test_gold_paper_missing_from_corpus_is_an_error(tmp_path):
    gold, corpus = _tiny(tmp_path)
    with open(gold, "a") as f:
        f.write(json.dumps({"id": "ghost", "claims": []}) + "\n")
    res = CliRunner().invoke(cli, ["eval", str(gold), "--corpus", str(corpus)])
    assert res.exit_code == 2 and "ghost" in res.output and "--corpus" in res.output


def test_claims_file_that_is_not_a_claims_table(tmp_path):
    gold, _ = _tiny(tmp_path)
    (tmp_path / "x.csv").write_text("a,b\n1,2\n")
    res = CliRunner().invoke(cli, ["eval", str(gold), "--claims", str(tmp_path / "x.csv")])
    assert res.exit_code == 2 and "not a claims table" in res.output
    res = CliRunner().invoke(cli, ["eval", str(tmp_path / "nope.jsonl")])
    assert res.exit_code == 2 and "no such file" in res.output


# ---- the installed entry point ------------------------------------------------------------------------

def test_eval_through_the_entry_point(tmp_path):
    gold, corpus = _tiny(tmp_path)
    r = subprocess.run([str(ENTRY), "eval", str(gold), "--corpus", str(corpus), "--show", "misses"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "papers 1  gold 3" in r.stdout and "claims  P" in r.stdout and "MISS" in r.stdout
    r = subprocess.run([str(ENTRY), "eval", "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "Example" in r.stdout and "--claims" in r.stdout


def test_json_is_strict_json_even_with_unreadable_values(tmp_path):
    gold, _ = _tiny(tmp_path)
    _write_csv(tmp_path / "c.csv", [dict(paper_id="p1", family="score", kind="absolute", qualifier="exact",
                                         value="", value_text="n/a")])
    res = CliRunner().invoke(cli, ["eval", str(gold), "--claims", str(tmp_path / "c.csv"), "--json"])
    assert res.exit_code == 0

    def no_constants(name):
        raise AssertionError(f"{name} is not JSON")

    out = json.loads(res.output, parse_constant=no_constants)
    assert [f["value"] for f in out["false_hits"]] == [None]


@pytest.mark.skipif(not (ROOT.parent / "shared" / "eval" / "nlp_tdms").exists(), reason="no ../shared/eval")
def test_external_measurement_script_writes_its_table(tmp_path):
    out = tmp_path / "external.md"
    r = subprocess.run([sys.executable, str(ROOT / "bench" / "eval_external.py"), "--out", str(out)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    table = out.read_text()
    for row in ("NLP-TDMS score_in_abstract | 53 |", "SciREX score_in_abstract (not suspect) | 41 |",
                "Recognizers-Text percent", "quantulum3 quantities"):
        assert row in table
