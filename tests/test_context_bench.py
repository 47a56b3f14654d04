"""Benchmark context: which names are the benchmark of a claim, and which only name a task."""
from __future__ import annotations

from extract.context import attach as context
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


def test_a_benchmark_and_its_longer_variant_named_apart_both_stay():
    # "MMLU" heads no longer name here: "MMLU-Pro" starts with it, it does not end with it
    text = "Our model scores 71.2% on MMLU and 45.0% on MMLU-Pro."
    a, b = attach(text, "71.2%", "45.0%", unit="%")
    assert (a.benchmark, b.benchmark) == ("MMLU", "MMLU-Pro")
