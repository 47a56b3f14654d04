"""Issue 13: the metric a claim's clause names, the attribution of a number to its model, benchmark and
method, registry-built names in the scan, and which claims are Leaderboard rows.

Numbers are placed by hand (as in tests/test_context.py), so these tests check the context step and the
row selection alone, whatever the number rules find."""
import re
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.context.metric import is_generic, metric_info, tidy
from extract.context import attach as context
from extract.match.text import sentence_spans
from extract.records import Claim, Paper
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


def test_a_bare_number_in_parentheses_takes_the_measure_of_the_sentence_before():
    text = ("We score each reader by macro-F1 on the held-out reports. On the chest subset, Model-A "
            "performed best (0.83), with Model-B close behind (0.80).")
    assert [c.metric for c in attach(text, "0.83", "0.80")] == ["macro-f1", "macro-f1"]
    # two measures before: no guess; a number outside parentheses: no reach back
    text2 = "We report accuracy and recall. Model-A performed best (0.83)."
    assert one(text2, "0.83").metric == "score"
    assert one("We report accuracy on all splits. Model-A reached 0.83 overall.", "0.83").metric == "score"


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


@pytest.mark.parametrize("text,numbers,metrics", [
    # a name tied to the number before it ("X of N", "X = N", "X (N)") is its metric, whatever follows
    ("The probe reaches an accuracy of 0.812 and an F1 score of 0.774 on held-out scans.", ("0.812", "0.774"),
     ["accuracy", "f1"]),
    ("Annotators agree well: precision (91.4%) and recall (88.0%) are both high.", ("91.4%", "88.0%"),
     ["precision", "recall"]),
    ("On the validation split we measure nDCG@10 = 0.41, well above BM25.", ("0.41",), ["ndcg@10"]),
    # a spread between the number and its metric: "92.3+/-0.2% F1", "4.1 \pm 0.3 BLEU"
    ("The detector reaches 88.1 +/- 0.4% recall and 4.2 +/- 0.3% false-positive rate.", ("88.1", "4.2"),
     ["recall", "false-positive rate"]),
    ("Our system scores 31.6 $\\pm$ 0.2 BLEU on the news test set.", ("31.6",), ["bleu"]),
])
def test_metric_tied_to_the_number(text, numbers, metrics):
    assert [c.metric for c in attach(text, *numbers)] == metrics


@pytest.mark.parametrize("text,numbers,metrics", [
    # values in a slash list take the name at their place in a slash list of names
    ("Our agent raises SR/SPL from 0.61/0.42 to 0.70/0.48.", ("0.42", "0.70"), ["spl", "sr"]),
    ("Retrieval reaches Recall@1/5/10 of 0.52/0.71/0.80 on the test split.", ("0.52", "0.71", "0.80"),
     ["recall@1", "recall@5", "recall@10"]),
    # a measure at a cut-off: "SPL@5"
    ("The planner reaches 0.51 SPL@5 in unseen houses.", ("0.51",), ["spl@5"]),
    # written in full before its acronym: the acronym when the registry's name is that acronym
    ("The Peak Signal-to-Noise Ratio (PSNR) of our decoder is 31.2 dB.", ("31.2",), ["psnr"]),
    # an acronym the words before it spell, tied to the number, names a measure no lexicon knows
    ("It reaches a Structural Layout Distance (SLD) of 0.42 on the test set.", ("0.42",), ["sld"]),
    ("Our Vision Transformer (ViT) reaches 81.2 on ImageNet.", ("81.2",), ["score"]),
    # an unknown acronym set equal to the number; a name compared with it ("F1 score > 0.85")
    ("The assessor reaches PLCC = 0.778 and SRCC = 0.802 on the test images.", ("0.778", "0.802"),
     ["plcc", "srcc"]),
    ("Models flag compliant items with high accuracy (F1 score > 0.850) but miss the rest.", ("0.850",), ["f1"]),
    # a measure no lexicon knows, right after the number, ending in a noun of measure
    ("The surrogate generalizes to longer loads with 1.9% cumulative error.", ("1.9%",), ["cumulative error"]),
    ("The solver returns feasible plans with a 2.3% optimality gap on the largest grid.", ("2.3%",),
     ["optimality gap"]),
    ("The two modules contribute 11.5% error reduction in long-horizon forecasting.", ("11.5%",), ["error"]),
    ("The agent succeeds 85% of the time on new layouts.", ("85%",), ["score"]),
    # what a verb of change takes, when nothing else names the measure
    ("Gating reduces over-smoothing by 30% across depths.", ("30%",), ["over-smoothing"]),
    ("It raises the faithfulness of the weakest summarizer from 61.0% to 74.5%.", ("61.0%", "74.5%"),
     ["faithfulness", "faithfulness"]),
    ("The controller keeps a power saving of nearly 25% on all designs.", ("25%",), ["power"]),
    ("Distillation improves the model further by 0.4% on average.", ("0.4%",), ["score"]),
    # a measure changed between a name and the number is nearer than the name
    ("The safety-aware nDCG variant lowers retention ratios to 0.62-0.70 on risky queries.", ("0.62", "0.70"),
     ["retention ratio", "retention ratio"]),
    ("Tracking error with RMSE reduced by a factor of 500 is reported.", ("500",), ["rmse"]),
    ("Our method improves performance by 3.1% over LoRA.", ("3.1%",), ["score"]),
    # the first items of a list share the name after the last
    ("The two modules contribute 11.5% and 16.0% error reduction, respectively.", ("11.5%", "16.0%"),
     ["error", "error"]),
    ("The reranker lifts 0.41, 0.44 and 0.47 nDCG@10 on the three splits.", ("0.41", "0.44"), ["ndcg@10", "ndcg@10"]),
    # one word before a singular "score" names it, a stage or a known metric does not
    ("It reaches a coherence score of 0.81 and a fluency score of 0.77.", ("0.81", "0.77"),
     ["coherence score", "fluency score"]),
    ("Tuning lifts fine-tuning scores of 49.1 on the held-out split.", ("49.1",), ["score"]),
    ("We see a 12% gain in judge score over the base model.", ("12%",), ["judge score"]),
    # a name with its own number after it is not the earlier number's
    ("Raters agree well (91.0% agreement, kappa = 0.79).", ("91.0%", "0.79"), ["agreement", "kappa"]),
])
def test_lists_cutoffs_acronyms_and_named_scores(text, numbers, metrics):
    kind = "delta" if "gain" in text else "absolute"
    assert [c.metric for c in attach(text, *numbers, kind=kind)] == metrics


@pytest.mark.parametrize("text,number,metric", [
    ("We release 12,400 MRI scans collected from 3,100 patients.", "12,400", "mri scans"),
    ("We release 12,400 MRI scans collected from 3,100 patients.", "3,100", "patients"),
    ("The benchmark holds 5,000 high-quality image-caption pairs.", "5,000", "image-caption pairs"),
    ("We curate 8,200 synthetic proof sketches for training.", "8,200", "proof sketches"),
    ("Training on only 1-5% of carefully selected labels matches full supervision.", "5%", "labels"),
    ("The model needs 30x fewer tokens than training from scratch.", "30x", "tokens"),
    ("The corpus contains 120 hours of speech from broadcast news.", "120", "hours of speech"),
    # no named kind: the family's name
    ("The corpus holds 2M samples drawn from the web.", "2M", "data"),
    ("Pruning that stops at 75% achieves near-optimal loss.", "75%", "data"),
    ("We record 90 minutes of labelled guitar audio.", "90", "data"),
    ("We introduce a 20K-question benchmark for tables.", "20K", "data"),
    ("It was trained with 50K data only.", "50K", "data"),
])
def test_a_count_of_data_is_of_the_thing_counted(text, number, metric):
    kind = "ratio" if number.endswith("x") else "absolute"
    assert one(text, number, family="data", kind=kind).metric == metric


@pytest.mark.parametrize("text,number,family,metric", [
    ("The protocol cuts communication costs by up to 8x over FedAvg.", "8x", "compute", "communication cost"),
    ("It yields a 12% reduction in per-query tool calls.", "12%", "compute", "tool calls"),
    ("Plotting the series gives a 7.5x input token reduction for the LLM.", "7.5x", "compute", "input tokens"),
    ("At run time we reduce activated parameters by 20% with no loss.", "20%", "parameters", "activated parameters"),
    ("The sparse kernel adds about 2% parameter overhead.", "2%", "parameters", "parameter overhead"),
    ("Caching keeps quality while accelerating decoding by 3.1x.", "3.1x", "speedup", "decoding speed"),
    ("Our scheduler gives 1.7x faster end-to-end training runtime on 64 GPUs.", "1.7x", "speedup",
     "end-to-end training runtime"),
    ("The chip spends over 60% of operational energy on data movement.", "60%", "compute", "operational energy"),
    # what a verb of change takes, in two words, when no listed measure is named
    ("Our pruning compresses reasoning length to 35% of the original.", "35%", "compute", "reasoning length"),
    ("The mosaic reduces per-minute frame uploads by 6x.", "6x", "compute", "frame uploads"),
    ("It runs with 3.1x lower memory use compared to 7B baselines.", "7B", "parameters", "parameters"),
    # the first end of a range shares the measure written after the second
    ("We release the 3B and 7B trainable parameter variants.", "3B", "parameters", "trainable parameters"),
    ("The design gives 1.5x and 2.1x inference speedups over prior accelerators.", "1.5x", "speedup",
     "inference speedup"),
    ("Plotting gives a 3.1-7.5x input token reduction for the LLM.", "3.1", "compute", "input tokens"),
    ("The policy achieves 10-30 times faster inference than diffusion.", "10", "speedup", "inference speed"),
])
def test_measure_named_before_or_after_a_cost_number(text, number, family, metric):
    kind = "ratio" if number.endswith("x") else ("delta" if " by " in text or "reduction" in text else "absolute")
    assert one(text, number, family=family, kind=kind).metric == metric


def test_the_engines_metric_stays_when_it_is_tied_to_the_number():
    """The engine reads a few words around the number; when its name is the one written next to the
    number, a name elsewhere in the sentence does not replace it, and a name that holds it does."""
    def with_own(text, number, own, family="score", kind="absolute"):
        pos = text.index(number)
        c = Claim("p", "", family, own, kind, "", 1.0, "", "exact", number, start=pos, end=pos + len(number))
        return context.attach(Paper("p", "", text), [c], sentence_spans(text))[0].metric

    assert with_own("We reach a TM-Score of 0.84, indicating high structural similarity.", "0.84",
                    "tm-score") == "tm-score"
    assert with_own("It gains 2.8% Average Precision, improving Average Precision by 2.8% overall.", ("2.8%"),
                    "precision", kind="delta") == "average precision"
    assert with_own("The run fits a 100K budget while using 12B tokens.", "100K", "budget", family="compute") == "budget"
    assert with_own("On 20T tokens it requires 120 exaflops of computation.", "120", "computation",
                    family="compute") == "computation"


def test_a_clause_break_inside_the_number_text_is_harmless():
    c = one("The kernel is 2&#215; faster than FlashAttention.", "2&#215;", family="speedup", kind="ratio")
    assert c.metric == "speedup"


def test_a_metric_at_a_cutoff_keeps_it_in_its_canonical_name():
    # a Leaderboard ranks one cut-off at a time
    assert metric_info("nDCG@5")[0] == "ndcg@5" != metric_info("NDCG@10")[0] == "ndcg@10"
    assert metric_info("NDCG") == ("ndcg", "higher")
    assert metric_info("pass@10") == ("pass@10", "higher") and metric_info("R@1") == ("recall@1", "higher")
    assert metric_info("SPL@3") == ("spl@3", "higher")


def test_metric_lexicon_gives_direction_and_generic_names():
    assert metric_info("Word Error Rate")[1] == "lower" and metric_info("accuracy")[1] == "higher"
    assert metric_info("FID")[1] == "lower" and metric_info("false-negative rate")[1] == "lower"
    assert tidy("Success Rates") == "success rate"
    assert is_generic("score", "score") and is_generic("performance", "score") and not is_generic("bleu", "score")


def test_a_bare_number_in_parentheses_after_a_system_is_in_the_measure_of_the_number_it_is_compared_with():
    text = "The planner earns a GPT-4 score of 7.9, outperforming RoutePlan (6.1) and TaskGPT (5.8) on the suite."
    got = attach(text, "7.9", "6.1", "5.8")
    assert [c.metric for c in got] == ["gpt-4 score"] * 3
    # not from a number of another unit, nor when that number names no measure either
    text = "The planner reaches 79% on the suite, outperforming RoutePlan (61%) and TaskGPT (58%)."
    assert [c.metric for c in attach(text, "79%", "61%", "58%", unit="%")] == ["score"] * 3
    text = "The planner earns a GPT-4 score of 7.9, outperforming RoutePlan (61%) on the suite."
    got = attach(text, "7.9", {"at": "61%", "unit": "%"})
    assert [c.metric for c in got] == ["gpt-4 score", "score"]


def test_a_cost_measure_is_written_as_a_measure():
    """The engine's word for a cost ("decoding by 1.5x", "speeds 8 to 24 times faster", "6TB") is written as
    the measure: a stage alone is its speed, a measure is singular, a unit names none."""
    def measured(text, at, family, metric, kind="ratio", unit="x"):
        i = text.index(at)
        c = Claim("p", "", family, metric, kind, "up", 1.0, unit, "exact", at, start=i, end=i + len(at))
        (got,) = context.attach(Paper("p", "", text), [c], sentence_spans(text))
        return got.metric
    assert measured("The server runs decoding by 1.5x faster.", "1.5x", "speedup", "decoding") == "decoding speed"
    assert measured("It reaches speeds 8 times faster than X.", "8", "speedup", "speeds") == "speedup"
    assert measured("It saves 40% in costs.", "40%", "compute", "costs", kind="delta", unit="%") == "cost"
    assert measured("The corpus exceeds 6TB of text.", "6", "memory", "tb", kind="absolute", unit="") == "memory"
    assert measured("It cuts end-to-end latency by 2x.", "2x", "speedup", "latency") == "end-to-end latency"


def test_a_statistic_s_symbol_in_parentheses_ties_the_name_before_to_the_number():
    from extract.context.metric_words import metric_word_data
    tied = metric_word_data()["tied_before"]
    for between in (" ($\\rho = ", " (r > ", " (kappa: ", " (R^2 = ", " (", " of ", " = "):
        assert tied.fullmatch(between), between
    for between in (" r = ", " (x = ", " (rho ", " (with r = ", " (for "):  # a symbol only right after "("
        assert not tied.fullmatch(between), between


_EXAMPLES = yaml.safe_load((Path(__file__).resolve().parent.parent / "rules" / "lexicons" / "metric_examples.yaml")
                           .read_text(encoding="utf-8"))["examples"]


@pytest.mark.parametrize("ex", _EXAMPLES, ids=[e["text"][:40] for e in _EXAMPLES])
def test_metric_examples_of_the_rules(ex):
    """rules/lexicons/metric_examples.yaml: each kind of evidence and the metric it gives."""
    got = one(ex["text"], ex["at"], family=ex.get("family", "score"), kind=ex.get("kind", "absolute"),
              unit=ex.get("unit", ""))
    assert got.metric == ex["metric"]


# words the metric steps read: names, links, fillers, verbs of change, units, list marks, LaTeX
_METRIC_WORDS = st.sampled_from([
    "accuracy", "F1", "score", "of", "=", "(", ")", ",", ".", "and", "by", "to", "from", "reduces", "improves",
    "error", "rate", "SR/SPL", "Success@1/2/3", "0.61/0.42", "nDCG@5", "PSNR", "(PSNR)", "Peak", "Signal-to-Noise",
    "Ratio", "+/-", "$\\pm$", "pp", "%", "12%", "3.1x", "2B", "0.5", "-", "40", "times", "faster", "inference",
    "tokens", "images", "CT", "reports", "hours", "of", "speech", "memory", "parameters", "saving", "kappa",
    "agreement", "the", "a", "model", "(0.91)", "1.2B", "input", "token", "reduction", "randomly", "sampled"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_METRIC_WORDS, min_size=1, max_size=40), st.data())
def test_a_metric_is_always_a_tidy_name(words, data):
    """Whatever the text around a number, every family's metric is a name: lower case, singular,
    single-spaced, and never empty."""
    text = " ".join(words)
    spots = list(re.finditer(r"\d[\d.]*", text))
    if not spots:
        return
    m = data.draw(st.sampled_from(spots))
    fam = data.draw(st.sampled_from(["score", "perplexity", "parameters", "speedup", "memory", "compute", "data"]))
    kind = data.draw(st.sampled_from(["absolute", "delta", "ratio"]))
    got = one(text, m.group(), family=fam, kind=kind) if text.count(m.group()) == 1 else None
    if got is None:
        return
    assert got.metric and got.metric == tidy(got.metric) and got.metric == got.metric.strip()


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
    # a rate written by what it counts, right after the number
    ev = "It improves success rates by 10-20 percentage points, with the Lift task reaching 99% success."
    assert R.metric_beside(ev, "99%", "success rate")
    assert not R.metric_beside("Success comes later; on the Lift task it reaches 99% of the time.", "99%", "success rate")


def test_a_number_alone_in_parentheses_after_its_system_is_in_the_sentence_s_metric():
    ev = "ZhuLong achieves 78.5% Pass@1 on EDA-Eval, substantially outperforming a pure LLM baseline (23.6%)."
    bare = "On CT-RATE, Llama-3.1 8B performed best (0.91), with Gemma-3 27B close behind (0.89)."
    note = "TraceNet attains 92.3% F1 on VulnSet (4.3%), and across every one of its seeds a 100% recall."
    claims = [_row(78.5, value_text="78.5%", metric="pass@1", benchmark="EDA-Eval", model="", method="ZhuLong", evidence=ev),
              _row(23.6, value_text="23.6%", metric="pass@1", benchmark="EDA-Eval", model="pure LLM baseline", evidence=ev),
              _row(0.91, value_text="0.91", unit="", metric="macro-f1", benchmark="CT-RATE", model="Llama-3.1 8B", evidence=bare),
              _row(0.89, value_text="0.89", unit="", metric="macro-f1", benchmark="CT-RATE", model="Gemma-3 27B", evidence=bare),
              # the sentence names the row's metric only after the number: no carried name
              _row(4.3, value_text="4.3%", metric="recall", benchmark="VulnSet", model="TraceNet", evidence=note)]
    assert sorted(L.leaderboard(to_frame(claims))["value"]) == [0.89, 0.91, 23.6, 78.5]
    assert R.in_parentheses_after(ev, "23.6%", "pass@1") and not R.in_parentheses_after(ev, "78.5%", "pass@1")
    assert not R.in_parentheses_after(note, "4.3%", "recall")
    assert not R.in_parentheses_after("It reaches 81.0 (82.5 with retrieval).", "82.5", "accuracy")


def test_a_before_after_pair_on_a_named_benchmark_is_a_row_in_its_score():
    ev = "Tuning raises LLaMA-3.1-8B from 39.33 to 42.83 on InfiniteBench, while it scores 61.0 on RULER."
    claims = [_row(39.33, value_text="39.33", unit="", metric="score", benchmark="InfiniteBench", model="LLaMA-3.1-8B", evidence=ev),
              _row(42.83, value_text="42.83", unit="", metric="score", benchmark="InfiniteBench", model="LLaMA-3.1-8B",
                   method="RAPID", evidence=ev),
              _row(61.0, value_text="61.0", unit="", metric="score", benchmark="RULER", model="LLaMA-3.1-8B", evidence=ev)]
    assert sorted(L.leaderboard(to_frame(claims))["value"]) == [39.33, 42.83]  # 61.0: a lone number, no measure
    assert R.before_after_on("It improves on Winoground from 49.5% to 54.8% (best reported).", "54.8%", "Winoground")
    assert not R.before_after_on("It grows from 3 to 5 layers on GSM8K.", "3", "GSM8K")  # counts layers
    assert not R.before_after_on("It goes from 3 to 5 on GSM8K and MATH.", "3", "GSM8K; MATH")  # several
    ev = "On WebArena-Lite, it improves the success rate of Llama-3.1-8B from 4.8% to 42.4%, and from 6.1% to 43% for GLM-4-9B."
    assert R.pair_after_metric(ev, "43%", "success rate") and not R.pair_after_metric(ev, "43%", "accuracy")
    claims = [_row(43.0, value_text="43%", metric="success rate", benchmark="WebArena-Lite", model="GLM-4-9B", evidence=ev)]
    assert list(L.leaderboard(to_frame(claims))["value"]) == [43.0]
    assert not R.pair_after_metric("It lifts the pass rate from 40% to 52% and the success rate to 61%.", "61%", "success rate")


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


def test_a_share_of_a_gap_closed_a_judge_and_another_system_s_number_are_no_rows():
    """Sentences written for the test: 'what a right row is' excludes a share of a gap closed; a judge
    that names the metric is not the system rated; 'vs N in X' is X's number."""
    claims = [
        _row(90.0, value_text="90%", metric="performance gap", benchmark="The Pile", model="", method="Siloed LM",
             evidence="The datastore helps, closing 90% of the performance gap with a model trained on the Pile."),
        _row(1.29, value_text="1.29", metric="gpt-4 score", benchmark="MedVQA-X", model="GPT-4", method="",
             evidence="On MedVQA-X, our assistant reaches a GPT-4 score of 1.29, above the baselines."),
        _row(9.76, value_text="9.76", metric="perplexity", family="perplexity", benchmark="WikiText-2",
             model="Llama-7B", method="", evidence="On Llama-7B it reaches a WikiText2 perplexity of 7.59 (vs 9.76 in OmniQuant)."),
        _row(7.59, value_text="7.59", metric="perplexity", family="perplexity", benchmark="WikiText-2",
             model="Llama-7B", method="", evidence="On Llama-7B it reaches a WikiText2 perplexity of 7.59 (vs 9.76 in OmniQuant)."),
        _row(85.0, value_text="85%", metric="accuracy", benchmark="GSM8K", model="Qwen2-7B", method="",
             evidence="Qwen2-7B reaches 85% in GSM8K accuracy."),
    ]
    lb = L.leaderboard(to_frame(claims))
    assert sorted(lb["value"]) == [7.59, 85.0]
    assert R.share_of_gap("closing 90% of the gap to GPT-4", "90%") and not R.share_of_gap("a 90% gap", "90%")
    assert R.judged_by("GPT-4", "gpt-4 score") and not R.judged_by("Qwen2-7B", "accuracy")
    assert R.written_as_anothers("7.59 (vs 9.76 in OmniQuant)", "9.76", "Llama-7B", "", "WikiText-2")
    assert not R.written_as_anothers("85% in GSM8K accuracy", "85%", "Qwen2-7B", "", "GSM8K")


def test_a_result_on_several_described_sets_is_no_row():
    """Sentences written for the test: 'on multiple e-commerce datasets' names no one benchmark to rank on;
    a described setting of one kind ('in real-world booking scenarios') or a named benchmark still is."""
    claims = [
        _row(17.6, value_text="17.6%", metric="recall", benchmark="e-commerce", model="", method="Ranker",
             evidence="Experiments on multiple e-commerce datasets show that Ranker reaches 17.6% Recall."),
        _row(81.7, value_text="81.7%", metric="success rate", benchmark="real-world booking scenarios",
             model="Llama-3-70B", method="", evidence="In real-world booking scenarios, Llama-3-70B reaches 81.7% success rate."),
        _row(61.0, value_text="61.0%", metric="recall", benchmark="Amazon-Books", model="", method="Ranker",
             evidence="On Amazon-Books and other e-commerce datasets, Ranker reaches 61.0% recall."),
    ]
    assert sorted(L.leaderboard(to_frame(claims))["value"]) == [61.0, 81.7]
    assert R.several_described("e-commerce", "on multiple e-commerce datasets")
    assert not R.several_described("Amazon-Books", "on Amazon-Books datasets")
    assert not R.several_described("e-commerce", "in e-commerce settings")


def test_a_share_of_what_a_system_uses_is_no_row():
    """Sentences written for the test: '20% of the tokens' is a share of a cost, not a score."""
    claims = [
        _row(20.0, value_text="20%", metric="accuracy", benchmark="MVBench", model="", method="Pruner",
             evidence="On MVBench, Pruner keeps comparable accuracy using only 20% of the tokens."),
        _row(71.0, value_text="71%", metric="accuracy", benchmark="MVBench", model="", method="Pruner",
             evidence="On MVBench, Pruner reaches 71% accuracy with 20% of the tokens."),
    ]
    assert list(L.leaderboard(to_frame(claims))["value"]) == [71.0]
    assert R.share_of_cost("retains 95% of its parameters", "95%") and not R.share_of_cost("85% of the questions", "85%")


def test_a_number_in_parentheses_after_its_benchmark_is_a_row():
    """Sentences written for the test: 'on ZINC (0.061 MAE)' names where, not another system."""
    claims = [
        _row(0.061, value_text="0.061", metric="mae", benchmark="ZINC", model="", method="GateGT",
             evidence="GateGT matches the prior best on ZINC (0.061 MAE)."),
        _row(5.5, value_text="5.50%", metric="accuracy", benchmark="MATH", model="", method="GateGT",
             evidence="On MATH, GateGT outperforms LoRA (5.50%)."),
    ]
    assert list(L.leaderboard(to_frame(claims))["value"]) == [0.061]
    assert not R.owned_by_another("on ZINC (0.061 MAE)", "0.061", "", "GateGT", "ZINC")
    assert R.owned_by_another("outperforms LoRA (5.50%)", "5.50%", "", "GateGT", "MATH")
