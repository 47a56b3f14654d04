"""Benchmark context: which names are the benchmark of a claim, and which only name a task."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from extract.context import attach as context
from extract.context import names as N
from extract.records import Claim, Paper
from extract.match.text import sentence_spans


def attach(text, *numbers, title="", family="score", kind="absolute", unit=""):
    claims = []
    for value in numbers:
        pos = text.index(value)
        claims.append(Claim("p", title, family, family, kind, "", 1.0, unit, "exact", value, start=pos, end=pos + len(value)))
    claims.sort(key=lambda c: c.start)
    return context.attach(Paper("p", title, text), claims, sentence_spans(text))


def test_an_acronym_defined_after_a_relative_clause_is_no_method():
    text = ("In this paper, we present a dual-pipeline PEFT model that addresses two problems: medical Visual "
            "Question Answering (VQA) and image synthesis. Our model reaches a ROUGE-1 of 0.92 on Kvasir-VQA.")
    (c,) = attach(text, "0.92")
    assert c.method != "VQA"


def test_an_acronym_of_a_capitalised_long_form_is_still_the_method():
    text = ("We propose the Decompose, Critique and Refine (DeCRIM) pipeline. DeCRIM improves accuracy by 7.3% "
            "on RealInstruct.")
    (c,) = attach(text, "7.3%", kind="delta", unit="%")
    assert c.method == "DeCRIM"


def test_a_task_name_yields_to_the_dataset_named_after_it():
    text = ("For clinical VQA, we adopt the Florence-2 model. This research utilized the Kvasir-VQA dataset. "
            "Our Florence-2 VQA model achieved ROUGE-1 of 0.92. The synthesis reached a fidelity score of 0.290.")
    a, b = attach(text, "0.92", "0.290")
    assert (a.benchmark, b.benchmark) == ("Kvasir-VQA", "Kvasir-VQA")


def test_a_name_under_another_spelling_is_no_task_of_it():
    # "MS COCO" is COCO written another way, not a dataset of the task COCO (SciREX: 41.6 mAP on COCO)
    text = ("Ablation study on MS COCO shows gains for both detectors. The proposed model achieves 41.6 mAP "
            "on COCO test-dev set.")
    (c,) = attach(text, "41.6")
    assert c.benchmark == "COCO"


def test_a_benchmark_and_its_longer_variant_named_apart_both_stay():
    # "MMLU" heads no longer name here: "MMLU-Pro" starts with it, it does not end with it
    text = "Our model scores 71.2% on MMLU and 45.0% on MMLU-Pro."
    a, b = attach(text, "71.2%", "45.0%", unit="%")
    assert (a.benchmark, b.benchmark) == ("MMLU", "MMLU-Pro")


def test_a_speedup_takes_the_benchmark_its_experiments_are_set_up_on():
    text = "Experiments on RoboMimic benchmarks show that DM1 achieves 20 times faster inference."
    (c,) = attach(text, "20", family="speedup", kind="ratio", unit="x")
    assert c.benchmark == "RoboMimic"


def test_a_speedup_without_a_set_up_benchmark_has_none():
    # a cost measured on models or a setting: no benchmark, though one is named elsewhere in the sentence
    text = "Our method is 2.5x faster than LoRA and matches its accuracy on GSM8K."
    (c,) = attach(text, "2.5x", family="speedup", kind="ratio", unit="x")
    assert c.benchmark == ""
    text = "Experiments on LLaMA-2-7B show 3.1x higher throughput. We also evaluate on MMLU."
    (c,) = attach(text, "3.1x", family="speedup", kind="ratio", unit="x")
    assert c.benchmark == ""


def test_a_count_that_an_introduced_dataset_is_composed_of_is_that_datasets():
    for text, number in (
            ("We introduce CultureLens, a massive-scale benchmark covering 42 languages, comprising over 80,000 "
             "image-question pairs.", "80,000"),
            ("We introduce SIFT (Speech Instruction Fine-Tuning), a 50M-example dataset designed for "
             "instruction tuning.", "50M"),
            ("We present MirrorScene3D, a comprehensive dataset featuring diverse indoor scenes, 1256 "
             "high-quality images, and annotated mirror masks.", "1256")):
        (c,) = attach(text, number, family="data", unit="examples")
        assert c.benchmark == text.split()[2].rstrip(","), text


def test_a_count_with_no_verb_of_composition_is_not_given_to_the_apposed_name():
    # "with" ties too loosely: the count may be of what the dataset was built for
    text = "We present CulturaX, a substantial multilingual dataset with 6.3 trillion tokens in 167 languages."
    (c,) = attach(text, "6.3 trillion", family="data", unit="tokens")
    assert c.benchmark == ""


def test_a_number_given_on_a_glossed_description_is_on_the_name_it_glosses():
    text = ("We validate on two modalities: BreaKHis (Breast Histopathology) and SICAPv2 (Prostate Histopathology). "
            "Our loss reduces errors by 20.0% (on breast histopathology) to 92.4% (on prostate histopathology).")
    a, b = attach(text, "20.0%", "92.4%", kind="delta", unit="%")
    assert (a.benchmark, b.benchmark) == ("BreaKHis", "SICAPv2")


def test_a_gloss_not_tied_to_the_number_gives_it_nothing():
    text = ("We validate on BreaKHis (Breast Histopathology) and SICAPv2 (Prostate Histopathology). "
            "Our loss reduces errors by 20.0% overall, most on breast histopathology.")
    (c,) = attach(text, "20.0%", kind="delta", unit="%")
    assert c.benchmark not in ("BreaKHis", "SICAPv2")


def test_sizes_in_a_phrase_the_sentence_opens_with_are_the_subjects():
    text = ("We present SONAR-LLM, a decoder-only transformer. Across model sizes from 39M to 1.3B parameters, "
            "SONAR-LLM attains competitive generation quality.")
    a, b = attach(text, ("39M"), "1.3B", family="parameters", unit="params")
    assert (a.model, b.model) == ("SONAR-LLM", "SONAR-LLM")
    # not a size range that is not the sentence's opening phrase
    text = "We train models from 39M to 1.3B parameters, and SONAR-LLM attains competitive quality."
    a, b = attach(text, "39M", "1.3B", family="parameters", unit="params")
    assert (a.model, b.model) != ("SONAR-LLM", "SONAR-LLM")


def test_a_cost_benchmark_leaves_the_clauses_of_its_sentence_whole():
    # the cost number's benchmark lookup once cut the sentence's cached clause breaks at the number,
    # and "whereas" no longer parted the model of the other clause from it
    text = ("Ganita took 146 hours of A100 training whereas math specialised LLM, LLEMMA 7B, was trained for "
            "23,000 A100 hours.")
    a, b = attach(text, "146", "23,000", family="compute", unit="GPU-hours")
    assert a.model != "LLEMMA 7B"


def test_an_elided_version_is_the_name_at_that_version_and_lists_pair_in_order():
    text = ("Extensive analysis on NAVSIMv1 and v2 benchmark demonstrates that PaIR-Drive achieves 91.2 PDMS "
            "and 87.9 EPDMS.")
    a, b = attach(text, "91.2", "87.9")
    assert (a.benchmark, b.benchmark) == ("NAVSIMv1", "NAVSIMv2")


def test_two_results_of_one_measure_over_two_benchmarks_do_not_pair():
    # without a measure of its own after each result, nothing says which benchmark is whose
    text = "Experiments on NAVSIMv1 and v2 benchmark show that PaIR-Drive achieves 91.2 and 87.9 PDMS."
    a, b = attach(text, "91.2", "87.9")
    assert a.benchmark == b.benchmark == "NAVSIMv1; NAVSIMv2"


def test_a_method_named_as_a_model_is_the_model_of_its_results():
    text = ("We propose a unified RL system. The resulting model, dubbed Orsta, is trained on four tasks. "
            "Orsta achieves gains on MEGA-Bench Core, with improvements of up to +14.1.")
    (c,) = attach(text, "+14.1", kind="delta")
    assert (c.model, c.method) == ("Orsta", "Orsta")
    # a system named so, not a model: its results have no model
    text = ("We propose a unified RL framework, dubbed Orsta, trained on four tasks. "
            "Orsta achieves gains on MEGA-Bench Core, with improvements of up to +14.1.")
    (c,) = attach(text, "+14.1", kind="delta")
    assert (c.model, c.method) == ("", "Orsta")


_EXAMPLES = yaml.safe_load((Path(__file__).resolve().parent.parent / "rules" / "lexicons" / "context_examples.yaml")
                           .read_text(encoding="utf-8"))["examples"]


@pytest.mark.parametrize("ex", _EXAMPLES, ids=[e["text"][:40] for e in _EXAMPLES])
def test_context_examples_of_the_rules(ex):
    """rules/lexicons/context_examples.yaml: each kind of evidence and the context it gives."""
    # `also`: the other numbers of the sentence that are claims too
    got = attach(ex["text"], ex["at"], *ex.get("also", []), title=ex.get("title", ""), family=ex.get("family", "score"),
                 kind=ex.get("kind", "absolute"), unit=ex.get("unit", "%" if ex["at"].endswith("%") else ""))
    (c,) = [c for c in got if c.value_text == ex["at"]]
    fields = [f for f in ("model", "benchmark", "baseline", "method") if f in ex]
    assert fields, "an example gives the context it expects"
    assert {f: getattr(c, f) for f in fields} == {f: ex[f] for f in fields}


# ("On the held-out set, ..." is a set of the sentence's own: tests/test_context.py)
_OPENERS = [str(w) for w in N.cues()["phrase_openers"] if str(w).isalpha() and w not in N.cues()["own_set_nouns"]]
_COUNTS = [str(w) for w in N.cues()["count_words"]] + ["3", "12", "1,000"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_OPENERS), min_size=1, max_size=3), st.sampled_from(_COUNTS),
       st.sampled_from(["benchmarks", "datasets", "tasks"]), st.sampled_from(["On", "Across", "Experiments on"]))
def test_a_phrase_that_only_says_which_or_how_many_names_no_benchmark(words, count, noun, lead):
    """Words of which, how many or how known name nothing, and a counted set is not named by its count."""
    for phrase in (" ".join(words), f"{count} {' '.join(words)}", f"{count} retrieval"):
        text = f"{lead} {phrase} {noun}, Condense reaches 71.5% accuracy."
        assert not [n for n in N.scan(text) if n.kind == N.BENCH], text
        (c,) = attach(text, "71.5%", unit="%")
        assert c.benchmark == ""


_JUDGES = ["GPT-4", "GPT-4o", "Claude-3", "Llama-3-70B", "Qwen2.5-72B", "Gemini-1.5-Pro"]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_JUDGES), st.sampled_from(["a", "an average", "the", "a mean"]),
       st.sampled_from(["", "On this benchmark, ", "With the new data, "]), st.sampled_from(["1.29", "7.5", "82.1"]))
def test_the_judge_a_score_is_named_after_is_never_its_model(judge, det, lead, value):
    text = f"{lead}our tutor reaches {det} {judge} score of {value} on the dialogue set."
    (c,) = attach(text, value)
    assert c.model != judge, text
