"""Issue 13: the metric a claim's clause names, the attribution of a number to its model, benchmark and
method, registry-built names in the scan, and which claims are Leaderboard rows.

Numbers are placed by hand (as in tests/test_context.py), so these tests check the context step and the
row selection alone, whatever the number rules find."""
import pandas as pd
import pytest

from extract.context.metric import is_generic, metric_info, tidy
from extract.records import Claim
from extract.write import leaderboard as L
from extract.write import ranking as R
from extract.table import to_frame
from test_context import attach, one


# ---------------------------------------------------------------- metric

@pytest.mark.parametrize("text,number,metric", [
    ("Our model reaches 85.3% accuracy on GSM8K.", "85.3%", "accuracy"),
    ("It obtains an F1 score of 0.87 on the test set.", "0.87", "f1"),
    ("Whisper-base reaches 9.8% word error rate on test-other.", "9.8%", "word error rate"),
    ("The AUC of DTH-GNN improved by 8.2% over the best baseline.", "8.2%", "auc"),
    ("GMFlowRec achieves up to 44% improvement in NDCG@5 on JD.", "44%", "ndcg@5"),
    ("Saber boosts Pass@1 accuracy by 1.9% over sampling methods.", "1.9%", "pass@1"),
    ("It achieves 89.3% accuracy on VAAR and 88.56% Average Precision on XD-Violence.", "88.56%",
     "average precision"),
    ("It reduces the Critical Error Rate (CER) on all datasets, by 20.0% on breast histopathology.", "20.0%",
     "critical error rate"),
    ("The system achieves 78.5% Pass@1, outperforming a pure LLM baseline (23.6%).", "23.6%", "pass@1"),
    ("We improve success rates by 10 percentage points.", "10", "success rate"),
    ("With 97.75% answerability classification accuracy, ELECTRA is chosen.", "97.75%", "accuracy"),
])
def test_metric_named_in_the_clause(text, number, metric):
    kind = "delta" if " by " in text else "absolute"
    assert one(text, number, kind=kind).metric == metric


def test_a_number_whose_clause_names_no_measure_keeps_the_family():
    assert one("The merged model scores 66.3 overall while the two others fail.", "66.3").metric == "score"


def test_each_number_takes_its_own_metric_in_a_list():
    text = "Our model achieved ROUGE-1 of 0.92, ROUGE-L of 0.91, and BLEU score improvements from 0.08 to 0.24."
    got = attach(text, "0.92", "0.91", "0.08", "0.24")
    assert [c.metric for c in got] == ["rouge-1", "rouge-l", "bleu", "bleu"]


@pytest.mark.parametrize("text,number,family,metric", [
    ("It delivers up to 1.3x end-to-end decoding speedup over dense attention.", "1.3x", "speedup",
     "end-to-end decoding speedup"),
    ("DM1 achieves 3.8x faster training than the baseline.", "3.8x", "speedup", "training speed"),
    ("It reduces optimizer memory by 65.5% compared to Adam.", "65.5%", "memory", "optimizer memory"),
    ("The MoE has 2B activated parameters per token.", "2B", "parameters", "activated parameters"),
])
def test_measure_of_speed_memory_and_parameters(text, number, family, metric):
    kind = "ratio" if number.endswith("x") else ("delta" if " by " in text else "absolute")
    assert one(text, number, family=family, kind=kind).metric == metric


def test_a_clause_break_inside_the_number_text_is_harmless():
    c = one("The kernel is 2&#215; faster than FlashAttention.", "2&#215;", family="speedup", kind="ratio")
    assert c.metric == "speedup"


def test_metric_lexicon_gives_direction_and_generic_names():
    assert metric_info("Word Error Rate")[1] == "lower" and metric_info("accuracy")[1] == "higher"
    assert metric_info("FID")[1] == "lower" and metric_info("false-negative rate")[1] == "lower"
    assert tidy("Success Rates") == "success rate"
    assert is_generic("score", "score") and is_generic("performance", "score") and not is_generic("bleu", "score")


# ---------------------------------------------------------------- attribution

def test_number_in_parentheses_after_a_benchmark_is_on_it():
    text = "Our approach achieves notable accuracy gains on MuSE (+5%) and StressID (+18%) over baselines."
    got = attach(text, "+5%", "+18%", kind="delta")
    assert [c.benchmark for c in got] == ["MuSE", "StressID"]


def test_each_number_takes_its_split_of_the_benchmark():
    text = "DLM achieves 1.5% word error rate (WER) on test-clean and 3.3% WER on test-other on Librispeech."
    got = attach(text, "1.5%", "3.3%")
    assert [c.benchmark for c in got] == ["Librispeech test-clean", "Librispeech test-other"]


def test_for_pairs_numbers_with_benchmarks_in_order():
    text = "It keeps good accuracy on broader benchmarks (i.e., 77.7% for PIQA, 66.1% for WinoGrande, and so on)."
    got = attach(text, "77.7%", "66.1%")
    assert [c.benchmark for c in got] == ["PIQA", "WinoGrande"]
    # a name no lexicon knows, given its number the way PIQA is, is a benchmark too (misspelt here)
    text = "It keeps good accuracy on broader benchmarks (i.e., 77.7% for PIQA, 66.1% for Winograde, and so on)."
    assert [c.benchmark for c in attach(text, "77.7%", "66.1%")] == ["PIQA", "Winograde"]
    # models stay models: "85% for GPT-4" is GPT-4's
    text = "On GSM8K it reaches 85.1% for GPT-4 and 80.2% for MMLU-tuned Mistral-7B."
    assert attach(text, "85.1%", "80.2%")[0].benchmark == "GSM8K"


def test_a_name_with_a_plural_noun_is_reported_without_it():
    c = one("Experiments on RoboMimic benchmarks show that DM1 reaches 99% success.", "99%")
    assert c.benchmark == "RoboMimic"


def test_respectively_pairs_within_its_own_list():
    text = ("It improves perplexity on Penn Treebank and WikiText-2 to 51.1 and 44.3 respectively, and "
            "cross-entropy on the text8 and Hutter Prize datasets to 1.19 and 1.08 respectively.")
    got = attach(text, "51.1", "44.3", "1.19", "1.08")
    assert [c.benchmark for c in got][:2] == ["Penn Treebank", "WikiText-2"]
    assert "Penn Treebank" not in got[2].benchmark and "WikiText-2" not in got[3].benchmark


def test_other_systems_as_subject_are_not_the_method():
    text = ("For instance, leading approaches achieve a perplexity of 10 or greater on Wikitext, "
            "but MaskLLM achieves a significantly lower 6.72 PPL.")
    got = attach(text, "10", "6.72", family="perplexity", title="MaskLLM: Learnable Semi-Structured Sparsity")
    assert [c.method for c in got] == ["", "MaskLLM"]


def test_an_object_after_a_comparison_is_not_the_subject():
    text = "Adapt-Pruner outperforms conventional pruning methods, such as LLM-Pruner, by 7% on average."
    c = one(text, "7%", kind="delta", title="Adapt-Pruner: Adaptive Structural Pruning")
    assert c.method == "Adapt-Pruner"


def test_a_method_that_is_no_language_model_is_the_method_not_a_model():
    text = ("We propose SigGate-GT, a graph transformer with sigmoid gates. "
            "SigGate-GT sets a new state of the art on ogbg-molhiv (82.47% ROC-AUC).")
    c = one(text, "82.47%", title="SigGate-GT: Taming Over-Smoothing")
    assert (c.model, c.method, c.benchmark, c.metric) == ("", "SigGate-GT", "ogbg-molhiv", "roc-auc")


def test_a_number_given_to_a_baseline_phrase_is_that_phrase_s():
    text = ("We evaluate ZhuLong on EDA-Eval, where the complete system achieves 78.5% Pass@1, "
            "substantially outperforming a pure LLM baseline (23.6%).")
    got = attach(text, "78.5%", "23.6%", title="ZhuLong: Execution-Grounded LLM Agent for EDA Scripting")
    assert [c.model for c in got] == ["", "pure LLM baseline"] and [c.method for c in got] == ["ZhuLong", ""]
    c = one("With the Lift task, DM1 reaches 99% success over 85% of the baseline.", "85%",
            title="DM1: Fast Policies")
    assert (c.model, c.method) == ("the baseline", "")


def test_registry_names_give_a_benchmark_no_hand_made_lexicon_lists():
    c = one("The tuned model improves on Winoground from 49.5% to 54.8%.", "54.8%")
    assert c.benchmark == "Winoground"
    # a lower-case phrase is no registry name ("open-book QA" is not OpenBookQA)
    assert one("Our experiments on open-book QA show gains of 7.95% in accuracy.", "7.95%",
               kind="delta").benchmark == ""


# ---------------------------------------------------------------- Leaderboard rows

def _row(value, **kw):
    base = dict(paper_id="2401.01234", title="T", family="score", metric="accuracy", kind="absolute", direction="",
                value=value, unit="%", qualifier="exact", value_text=f"{value}%", model="GPT-4", benchmark="GSM8K",
                evidence=f"GPT-4 reaches {value}% accuracy on GSM8K.")
    base.update(kw)
    return Claim(**base)


def test_leaderboard_keeps_only_named_absolute_results():
    claims = [
        _row(92.0),
        _row(3.2, kind="delta", direction="up", evidence="It gains 3.2% on GSM8K."),            # a change
        _row(70.0, metric="score", evidence="It scores 70% on GSM8K."),                          # no measure named
        _row(95.0, metric="agreement", evidence="Annotators agree at 95% on GSM8K."),            # annotation
        _row(80.0, model="our model", evidence="Our model reaches 80% on GSM8K."),               # a phrase
        _row(81.0, model="GPT-4; Claude", evidence="GPT-4 and Claude reach 81% on GSM8K."),      # a list
        _row(60.0, benchmark="", evidence="GPT-4 reaches 60%."),                                  # no benchmark
        _row(20.0, qualifier="range", evidence="GPT-4 reaches 20-40% on GSM8K."),                # one end of a range
        _row(7e9, family="parameters", metric="parameters", unit="params", evidence="GPT-4 has 7B on GSM8K."),
        _row(85.0, value_text="85%", model="", method="MaskLLM", evidence="MaskLLM reaches 85% accuracy on GSM8K."),        # method only
        _row(92.0, paper_id="other-id", title="T"),                                              # the same abstract again
    ]
    lb = L.leaderboard(to_frame(claims))
    assert list(lb["value"]) == [92.0, 85.0]
    assert list(lb["rank"]) == [1, 2] and set(lb["better"]) == {"higher"}
    assert lb["link"].iloc[0] == "https://arxiv.org/abs/2401.01234"
    for col in ("benchmark", "metric", "better", "rank", "model", "method", "value", "unit", "qualifier", "kind",
                "baseline", "paper_id", "title", "evidence"):
        assert col in lb.columns


def test_a_number_in_parentheses_after_another_system_is_not_the_row_s():
    ev = "Llama 2 7B adapted using SORSA achieved 10.36% accuracy, outperforming LoRA (5.50%) and PiSSA (7.44%)."
    claims = [_row(v, value_text=f"{v:.2f}%", model="Llama-2-7B", method=m, benchmark="MATH", evidence=ev)
              for v, m in ((10.36, "SORSA"), (5.50, ""), (7.44, ""))]
    claims.append(_row(45.9, value_text="45.9%", model="GPT-4V", evidence="It surpasses GPT-4V (45.9% accuracy) on MMMU.",
                       benchmark="MMMU"))
    lb = L.leaderboard(to_frame(claims))
    assert sorted(lb["value"]) == [10.36, 45.9]


def test_scores_written_as_a_slash_pair_are_no_row_but_a_rating_out_of_its_scale_is():
    ev = "On HM-Nav, the planner raises SR/SPL to 0.910/0.612 and rates 8.4/10 for fluency."
    claims = [_row(0.91, value_text="0.910", metric="success rate", benchmark="HM-Nav", evidence=ev),
              _row(0.612, value_text="0.612", metric="spl", benchmark="HM-Nav", evidence=ev),
              _row(8.4, value_text="8.4", metric="fluency", benchmark="HM-Nav", evidence=ev)]
    lb = L.leaderboard(to_frame(claims))
    assert list(lb["value"]) == [8.4]
    assert R.slash_paired("EM/F1 of 85.2 / 91.0", "91.0") and not R.slash_paired("solves 30/50 tasks", "30")


def test_a_metric_carried_over_from_another_number_is_no_row():
    ev = ("TraceNet attains 92.3% F1 on the VulnSet Wild held-out test partition (4.3% false-negative rate), "
          "recovering most categories at 100% on every seed.")
    claims = [_row(92.3, value_text="92.3%", metric="f1", benchmark="VulnSet", method="TraceNet", model="", evidence=ev),
              _row(100.0, value_text="100%", metric="f1", benchmark="VulnSet", method="TraceNet", model="", evidence=ev)]
    lb = L.leaderboard(to_frame(claims))
    assert list(lb["value"]) == [92.3]
    assert R.metric_beside("a word error rate (WER) of 3.3%", "3.3%", "wer")


def test_a_metric_that_is_the_benchmark_s_name_is_no_row():
    claims = [_row(100.0, value_text="100%", metric="verilogeval-human", benchmark="VerilogEval-Human", model="",
                   method="Nexus", evidence="Nexus reaches a flawless 100% on VerilogEval-Human.")]
    assert L.leaderboard(to_frame(claims)).empty


def test_a_row_whose_number_another_metric_is_written_before_is_no_row():
    ev = "Our Florence-2 model achieved ROUGE-1 of 0.92, ROUGE-L of 0.91 and an accuracy of 0.88."
    claims = [_row(0.92, value_text="0.92", metric="rouge-l", benchmark="Kvasir-VQA", evidence=ev),  # shifted
              _row(0.91, value_text="0.91", metric="rouge-l", benchmark="Kvasir-VQA", evidence=ev),
              _row(0.88, value_text="0.88", metric="accuracy", benchmark="Kvasir-VQA", evidence=ev)]
    assert sorted(L.leaderboard(to_frame(claims))["value"]) == [0.88, 0.91]
    ev = "TraceNet attains 92.3% F1 on VulnSet, with a 4.3% false-negative rate."
    claims = [_row(v, value_text=f"{v}%", metric="f1", benchmark="VulnSet", evidence=ev) for v in (92.3, 4.3)]
    assert list(L.leaderboard(to_frame(claims))["value"]) == [92.3]


def test_leaderboard_ranks_an_error_rate_lowest_first_across_spellings():
    claims = [_row(9.8, metric="wer", model="Whisper-base", benchmark="LibriSpeech test-other", unit="%",
                   evidence="Whisper-base has 9.8% WER on LibriSpeech test-other."),
              _row(3.3, metric="word error rate", model="DLM-base", benchmark="LibriSpeech test-other", unit="%",
                   paper_id="p2", evidence="DLM-base reaches a word error rate of 3.3% on test-other.")]
    lb = L.leaderboard(to_frame(claims))
    assert list(lb["value"]) == [3.3, 9.8] and list(lb["rank"]) == [1, 2] and set(lb["better"]) == {"lower"}


@pytest.mark.parametrize("name,one_system", [
    ("GPT-4", True), ("LLaMA-2 7B", True), ("MaskLLM", True), ("our model", False), ("dense model", False),
    ("a 7B-parameter LLM", False), ("7B model", False), ("GPT-4; Claude", False), ("the strongest system", False),
])
def test_names_one_system(name, one_system):
    assert R.names_one_system(name) is one_system


def test_arxiv_links_only_for_arxiv_ids():
    assert R.arxiv_link("2401.01234v2") == "https://arxiv.org/abs/2401.01234v2"
    assert R.arxiv_link("cs/0112017") == "https://arxiv.org/abs/cs/0112017"
    assert R.arxiv_link("25c3355df2a4") == "" and R.arxiv_link("") == ""


def test_empty_table_gives_an_empty_leaderboard_with_its_columns():
    lb = L.leaderboard(pd.DataFrame())
    assert lb.empty and "benchmark" in lb.columns and "link" in lb.columns
