"""Context of a claim: model, benchmark, baseline and method (spec section 6), and canonical names.

The numbers are placed by hand (a claim at the k-th occurrence of a string), so these tests check
the context step alone, whatever the number rules find."""
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.context import attach as context
from extract.context import names
from extract.records import Claim, Paper
from extract.match.text import sentence_spans


def attach(text, *numbers, title="", family="score", kind="absolute", unit=""):
    """Claims at the given strings (``"12%"`` or ``("12%", 2)`` for the 2nd occurrence), with context."""
    claims = []
    for spec in numbers:
        fam, knd, unt = family, kind, unit
        if isinstance(spec, dict):
            spec, fam, knd, unt = spec["at"], spec.get("family", family), spec.get("kind", kind), spec.get("unit", unit)
        value, nth = spec if isinstance(spec, tuple) else (spec, 1)
        pos = -1
        for _ in range(nth):
            pos = text.index(value, pos + 1)
        claims.append(Claim("p", title, fam, fam, knd, "", 1.0, unt, "exact", value, start=pos, end=pos + len(value)))
    claims.sort(key=lambda c: c.start)
    return context.attach(Paper("p", title, text), claims, sentence_spans(text))


def one(text, number, **kw):
    (c,) = attach(text, number, **kw)
    return c


# ---------------------------------------------------------------- model

def test_model_named_after_the_number():
    text = ("Cross-lingual prompting raises accuracy by 9.4% for Mistral-7B, 6.1% for Gemma 7B "
            "and 2.0% for GPT-4o over direct prompting.")
    got = attach(text, "9.4%", "6.1%", "2.0%", kind="delta", unit="%")
    assert [c.model for c in got] == ["Mistral-7B", "Gemma 7B", "GPT-4o"]
    assert all(c.baseline == "direct prompting" for c in got)


def test_model_is_the_subject_not_the_baseline():
    c = one("Fine-tuned Qwen2.5-7B outperforms GPT-4 by 3.2 points on MedQA.", "3.2", kind="delta")
    assert c.model == "Qwen2.5-7B"
    assert c.baseline == "GPT-4"
    assert c.benchmark == "MedQA"


def test_models_a_number_holds_for_together():
    c = one("Our cache keeps over 95% of the quality at a 4x smaller footprint for popular LLMs "
            "like Llama-3.1-8B and Mixtral-8x7B.", "95%")
    assert c.model == "Llama-3.1-8B; Mixtral-8x7B"


def test_testbed_models_are_not_the_model_of_a_result():
    c = one("Experiments on Llama-2 and Falcon models across eight tasks show that our kernels "
            "speed up decoding by 1.9x.", "1.9x", family="speedup", kind="ratio", unit="x")
    assert c.model == ""


def test_a_judge_model_is_not_the_model():
    c = one("The rewritten answers gain 12% in GPT-4 score when compared to greedy decoding.", "12%",
            kind="delta", unit="%")
    assert c.model == ""


def test_one_setup_model_holds_for_the_results_after_it():
    text = ("Our experiments with Phi-3-mini show a 4.1-point gain over SFT on BoolQ. "
            "The policy also beats few-shot prompting by 7.5 points on RTE.")
    first, second = attach(text, "4.1", "7.5", kind="delta", unit="points")
    assert first.model == second.model == "Phi-3-mini"
    assert second.benchmark == "RTE"


def test_models_of_the_sentence_before_when_referred_to():
    text = ("We fine-tune three open models, namely Pythia-1.4B, OLMo and BLOOM. "
            "The fine-tuned models gain 8.2 points in F1.")
    c = one(text, "8.2", kind="delta")
    assert c.model == "Pythia-1.4B; OLMo; BLOOM"


def test_possessive_model():
    c = one("Pruning reaches 7.9 PPL on WikiText-2 against the dense model's 5.6 PPL.", "5.6",
            family="perplexity")
    assert c.model == "dense model"
    assert c.benchmark == "WikiText-2"


# ---------------------------------------------------------------- parameter counts

@pytest.mark.parametrize("text, number, model", [
    ("We fine-tune LLaMA-2-13B on code.", "13B", "LLaMA-2-13B"),
    ("We release Zephyrus-12B, an open model.", "12B", "Zephyrus-12B"),
    ("It distils a 175B parameter GPT-3 into a student.", "175B", "GPT-3"),
    ("We pre-train a 1.3B model from scratch.", "1.3B", "1.3B model"),
    ("Our 3B-parameter SLM is small.", "3B", "3B-parameter SLM"),
    ("We train Orion, a 2B LLM for robotics.", "2B", "Orion"),
    ("The distilled student, LlamaLite (3B), is cheap.", "3B", "LlamaLite"),
    ("Small models such as GPT-2 (small) with around 124M parameters fail.", "124M", "GPT-2 (small)"),
    ("We focus on small-sized LLMs (3B to 7B parameters).", "3B", "small-sized LLMs"),
    ("Nova-Lite contains 9.5 billion parameters with 1.2 billion active ones.", "9.5 billion", "Nova-Lite"),
    ("Nova-Lite contains 9.5 billion parameters with 1.2 billion active ones.", "1.2 billion", "Nova-Lite"),
])
def test_model_of_a_parameter_count(text, number, model):
    assert one(text, number, family="parameters", unit="params").model == model


def test_sizes_listed_after_a_sized_name_share_its_family():
    text = "We pre-train LLaMA 1B and 7B models on C4."
    small, big = attach(text, "1B", "7B", family="parameters", unit="params")
    assert small.model == "LLaMA 1B"
    assert big.model == "LLaMA 7B"
    assert big.model_canonical == "Llama-7B"


def test_a_size_range_over_several_models_has_no_one_model():
    c = one("We test on various LLMs, including Llama-2, Falcon, and OPT, with sizes from 350M to 70B.",
            "350M", family="parameters", unit="params")
    assert c.model == ""


# ---------------------------------------------------------------- benchmark

def test_benchmark_after_the_number():
    c = one("TinyCoder reaches 61.2% pass@1 on HumanEval.", "61.2%", title="TinyCoder: small code models")
    assert c.benchmark == "HumanEval"
    assert c.method == "TinyCoder"


def test_respectively_pairs_numbers_and_benchmarks():
    text = "It obtains 27.9 and 41.2 BLEU on WMT'14 En-De and WMT'14 En-Fr, respectively."
    a, b = attach(text, "27.9", "41.2")
    assert (a.benchmark, b.benchmark) == ("WMT'14 En-De", "WMT'14 En-Fr")
    assert (a.benchmark_canonical, b.benchmark_canonical) == ("WMT14 En-De", "WMT14 En-Fr")


def test_respectively_over_a_list_of_described_benchmarks():
    text = ("It scores 2.2%, 11.4% and 7.0% higher on the commonsense reasoning, reading comprehension "
            "and MMLU benchmarks, respectively.")
    got = attach(text, "2.2%", "11.4%", "7.0%", kind="delta", unit="%")
    assert [c.benchmark for c in got] == ["commonsense reasoning", "reading comprehension", "MMLU"]


def test_a_number_in_parentheses_after_a_model_is_its():
    c = one("Our 12B model reaches 29.5% hallucination, surpassing GPT-4V (45.9%) by far.", "45.9%")
    assert c.model == "GPT-4V"


def test_one_number_over_a_list_of_benchmarks():
    c = one("Averaged over MMLU, ARC-Challenge and HellaSwag, the gain is 3.4 points.", "3.4", kind="delta")
    assert c.benchmark == "MMLU; ARC-Challenge; HellaSwag"


def test_benchmarks_from_an_earlier_sentence():
    text = "We evaluate on HumanEval and MBPP. On both benchmarks, pass@1 rises by 5.5%."
    c = one(text, "5.5%", kind="delta", unit="%")
    assert c.benchmark == "HumanEval; MBPP"


def test_each_number_with_its_own_target():
    text = "The gains are 2% on general tasks, 9% on the GSM8K task, and 11% on coding tasks."
    a, b, c = attach(text, "2%", "9%", "11%", kind="delta", unit="%")
    assert (a.benchmark, b.benchmark, c.benchmark) == ("", "GSM8K", "")


def test_unknown_names_by_their_cues():
    text = "We introduce PolyQuery, a benchmark of legal questions. Our agent solves 71.3% of PolyQuery."
    assert one(text, "71.3%").benchmark == "PolyQuery"
    c = one("Models trained on the Harbor dataset score 64.0 F1.", "64.0")
    assert c.benchmark == "Harbor"  # the dataset named Harbor; the noun is not its name


def test_a_list_of_benchmarks_spelled_out_in_parentheses():
    c = one("Gains of 2.5 points across reasoning benchmarks (i.e., GSM8K, MATH, and BBH).", "2.5", kind="delta")
    assert c.benchmark == "GSM8K; MATH; BBH"


def test_a_split_named_alone_goes_with_the_benchmark():
    text = "It reaches 2.1% WER on test-clean and 4.9% on test-other of LibriSpeech."
    a, b = attach(text, "2.1%", "4.9%")
    assert (a.benchmark, b.benchmark) == ("LibriSpeech test-clean", "LibriSpeech test-other")


def test_an_introductory_phrase_is_not_a_list():
    c = one("Applied to Mistral-7B-Instruct, SPIN raises the win rate on AlpacaEval from 9.4% to 17.1%.", "17.1%")
    assert c.model == "Mistral-7B-Instruct"


def test_benchmarks_referred_to_by_across_them():
    text = "We evaluate on MMLU, GSM8K and HumanEval. Across them, the average score rises by 4.7 points."
    assert one(text, "4.7", kind="delta").benchmark == "MMLU; GSM8K; HumanEval"


def test_a_capitalised_noun_is_part_of_the_name():
    text = "Evaluated on the Open LLM Leaderboard, our 7B model scores 68.4 on average."
    c = one(text, "68.4")
    assert (c.model, c.benchmark) == ("7B model", "Open LLM Leaderboard")


def test_the_model_a_share_is_taken_of_is_not_the_subject():
    c = one("The distilled DistilBERT retains 97% of BERT's accuracy.", "97%")
    assert c.model == "DistilBERT"


def test_data_size_of_a_dataset():
    c = one("We filter the SmolLM corpus of 241B tokens.", "241B", family="data", unit="tokens")
    assert c.benchmark == "SmolLM corpus"
    assert c.model == ""


def test_no_benchmark_for_other_families():
    c = one("On MMLU the kernel is 2.1x faster.", "2.1x", family="speedup", kind="ratio", unit="x")
    assert c.benchmark == ""


def test_a_modifier_after_on_is_not_a_benchmark():
    text = "Agreement is measured on CT reports. The tool reaches 86% accuracy."
    assert one(text, "86%").benchmark == ""


def test_hardware_is_not_a_name():
    c = one("Training takes 3 days on 8 A100 GPUs.", "3", family="compute", unit="hours")
    assert (c.model, c.benchmark) == ("", "")


# ---------------------------------------------------------------- baseline and method

@pytest.mark.parametrize("text, number, baseline", [
    ("It reduces KV-cache memory by 58% compared to full attention.", "58%", "full attention"),
    ("Decoding is 2.3x faster than FlashAttention-2 on long inputs.", "2.3x", "FlashAttention-2"),
    ("It cuts communication by up to 10x over vanilla LoRA and 5x over sparse LoRA.", "10x", "vanilla LoRA"),
    ("It cuts communication by up to 10x over vanilla LoRA and 5x over sparse LoRA.", "5x", "sparse LoRA"),
    ("Compared with QLoRA, our method trains 1.7x faster.", "1.7x", "QLoRA"),
])
def test_baseline(text, number, baseline):
    assert one(text, number, kind="ratio" if "x" in number else "delta").baseline == baseline


def test_each_number_with_the_model_it_beats():
    text = "It outperforms models such as LLaMa-1 7B by 28.4 points and Falcon 7B by 32.6 points on GSM8K."
    a, b = attach(text, "28.4", "32.6", kind="delta", unit="points")
    assert (a.baseline, b.baseline) == ("LLaMa-1 7B", "Falcon 7B")
    assert a.model == b.model == ""
    assert a.benchmark == b.benchmark == "GSM8K"


def test_respective_baselines():
    text = "It is 1.7x and 1.5x faster than ANT and OliVe, respectively."
    a, b = attach(text, "1.7x", "1.5x", family="speedup", kind="ratio", unit="x")
    assert (a.baseline, b.baseline) == ("ANT", "OliVe")


def test_another_methods_number_is_not_the_papers():
    text = "On the GSM-8K benchmark, SORSA achieves 56.03%, surpassing LoRA (42.30%)."
    own, other = attach(text, "56.03%", "42.30%", title="SORSA: singular value adaptation")
    assert (own.method, other.method) == ("SORSA", "")
    assert own.benchmark == other.benchmark == "GSM-8K"


def test_absolute_numbers_have_no_baseline():
    assert one("It scores 85.0 on GLUE, above BERT-large.", "85.0").baseline == ""


def test_method_from_we_propose_and_its_acronym():
    text = ("We propose Retrieval-Guided Decoding (RGD), a decoding scheme for long inputs. "
            "RGD improves exact match by 4.2% on Natural Questions.")
    c = one(text, "4.2%", kind="delta", unit="%")
    assert c.method == "RGD"
    assert c.benchmark == "Natural Questions"


def test_method_not_given_to_a_number_about_another_model():
    text = "We present SlimAttn. Even GPT-4 fails on 21% of the cases."
    assert one(text, "21%", title="SlimAttn: faster attention").method == ""


def test_method_not_given_to_the_before_value():
    text = "MemTune raises accuracy from 61.0 to 68.5 on ScienceQA."
    before, after = attach(text, "61.0", "68.5", title="MemTune: tuning with memory")
    assert (before.method, after.method) == ("", "MemTune")


# ---------------------------------------------------------------- canonical names

@pytest.mark.parametrize("kind, spellings, canonical", [
    (names.MODEL, ["LLaMA2-7B", "Llama 2 7B", "LLaMA-2-7B", "llama-2-7b", "LLaMa-2-7B"], "Llama-2-7B"),
    (names.MODEL, ["GPT 3.5", "GPT-3.5"], "GPT-3.5"),
    (names.MODEL, ["LLaMA-2-7B-chat", "Llama 2 7B Chat", "llama-2-7b-chat"], "Llama-2-7B-Chat"),
    (names.MODEL, ["Qwen2.5-7B-Instruct", "Qwen2.5-7B-instruct"], "Qwen2.5-7B-Instruct"),
    (names.MODEL, ["Claude 3.5 Sonnet", "Claude-3.5-Sonnet"], "Claude-3.5-Sonnet"),
    (names.MODEL, ["ViT-L/16", "ViT-L/16"], "ViT-L-16"),
    (names.BENCH, ["WikiText-2", "Wikitext2", "wikitext-2", "WikiText2"], "WikiText-2"),
    (names.BENCH, ["WMT'21", "WMT 2021", "WMT21", "WMT’21"], "WMT21"),
    (names.BENCH, ["GSM8K", "GSM8k", "gsm8k"], "GSM8K"),
    (names.BENCH, ["CNN/DailyMail", "CNN / Daily Mail", "CNN/DM"], "CNN/DailyMail"),
])
def test_aliases_share_one_canonical_spelling(kind, spellings, canonical):
    assert {names.canonical(kind, s) for s in spellings} == {canonical}


def test_canonical_columns_of_claims():
    text = "LLaMA2-7B reaches 45.1% on Wikitext2-based probes and 38.0% on GSM8k."
    a, b = attach(text, "45.1%", "38.0%")
    assert b.model == "LLaMA2-7B" and b.model_canonical == "Llama-2-7B"
    assert b.benchmark == "GSM8k" and b.benchmark_canonical == "GSM8K"


def test_unknown_names_keep_their_text_as_canonical():
    assert names.canonical(names.MODEL, "Zephyrus-12B") == "Zephyrus-12B"
    assert names.canonical(names.BENCH, "the Harbor dataset") == "Harbor"
    assert names.canonical(names.BENCH, "VQAv2") == names.canonical(names.BENCH, "VQA v2") == "VQA v2"


def test_version_numbers_are_not_sizes():
    found = {n.text: n for n in names.scan("We compare GPT-4, Llama-3.1 and Mistral 7B.")}
    assert names.canonical(names.MODEL, "Llama-3.1") == "Llama-3.1"
    assert found["Mistral 7B"].canonical == "Mistral-7B"


def test_lower_case_names_are_found():
    found = [(n.text, n.kind) for n in names.scan("We compare o1 and mT5 on nuScenes.")]
    assert found == [("o1", names.MODEL), ("mT5", names.MODEL), ("nuScenes", names.BENCH)]


# ---------------------------------------------------------------- whole engine

def test_engine_attaches_context():
    from extract import extract_claims
    df = extract_claims("We fine-tune LLaMA-2-13B and Codestral-22B on 52K instructions.")
    models = dict(zip(df["value_text"], df["model"]))
    assert models.get("13B") == "LLaMA-2-13B" and models.get("22B") == "Codestral-22B"
    canon = dict(zip(df["value_text"], df["model_canonical"]))
    assert canon.get("13B") == "Llama-2-13B"


# ---------------------------------------------------------------- properties

_WORDS = st.sampled_from([
    "We", "propose", "SparseMix", "on", "GSM8K", "and", "MMLU", "with", "Llama-2-7B", "GPT-4", "over", "LoRA",
    "by", "12%", "3.5x", "7B", "model", "the", "benchmark", "Harbor", "dataset", ",", ".", "(", ")", "respectively",
    "these", "benchmarks", "compared", "to", "for", "Qwen2.5", "than", "'s", "A100", "outperforms", "in", "score",
    "tokens", "1.3B-parameter", "LLM", "such", "as", "e.g.,", "FLM-101B", "WMT'14", "En-De", "-", "both"])


@settings(max_examples=150, deadline=None)
@given(st.lists(_WORDS, min_size=1, max_size=60), st.data())
def test_context_is_drawn_from_the_text(words, data):
    """Whatever the text, attach returns, changes only context fields, and every context item is
    made of words of the abstract."""
    text = " ".join(words)
    spots = [m for m in re.finditer(r"\d[\d.]*[%xB]?", text)]
    if not spots:
        return
    m = data.draw(st.sampled_from(spots))
    fam = data.draw(st.sampled_from(["score", "parameters", "speedup", "data"]))
    kind = data.draw(st.sampled_from(["absolute", "delta", "ratio"]))
    claim = Claim("p", "SparseMix: a title", fam, fam, kind, "", 1.0, "params" if fam == "parameters" else "",
                  "exact", m.group(), start=m.start(), end=m.end())
    (out,) = context.attach(Paper("p", "SparseMix: a title", text), [claim], sentence_spans(text))
    for f in ("family", "kind", "value", "value_text", "start", "end", "unit", "qualifier"):
        assert getattr(out, f) == getattr(claim, f)
    words_in = set(re.findall(r"[A-Za-z0-9]+", text + " SparseMix"))
    for field in ("model", "benchmark", "baseline", "method"):
        for item in filter(None, getattr(out, field).split("; ")):
            assert set(re.findall(r"[A-Za-z0-9]+", item)) <= words_in, (field, item, text)
    assert bool(out.model) == bool(out.model_canonical)
    assert bool(out.benchmark) == bool(out.benchmark_canonical)


# ---------------------------------------------------------------- names as a reader states them (issue 13)

def test_a_count_of_documents_is_not_about_the_models_of_the_sentence():
    text = "Across 4,210 clinical notes, Llama-3.1 8B and Gemma-2 9B reach the best agreement."
    c = one(text, "4,210", family="data", unit="examples")
    assert c.model == ""


def test_training_tokens_stay_with_their_model():
    c = one("Our Falcon-7B is trained on 1.5T tokens.", "1.5T", family="data", unit="tokens")
    assert c.model == "Falcon-7B"


def test_the_dataset_noun_is_not_part_of_the_benchmark_name():
    assert one("On the XR-Notes dataset, our tagger reaches 0.91 F1.", "0.91").benchmark == "XR-Notes"
    # a described collection keeps its noun: it has no name without it
    text = "Our tagger gains 2.5% on clinical note benchmarks."
    assert one(text, "2.5%", kind="delta").benchmark == "clinical note benchmarks"


def test_a_name_between_a_count_and_the_items_counted_is_a_benchmark():
    text = "On 2,500 Habitat-X9 episodes, our planner reaches a 91.2% success rate."
    c = attach(text, {"at": "2,500", "family": "data", "unit": "examples"}, "91.2%")
    assert [x.benchmark for x in c] == ["Habitat-X9", "Habitat-X9"]
    # a name after "on" and a count that is no list of items stays no benchmark ("on 8 H100 GPUs")
    assert one("Training on 8 Gaudi2 accelerators reaches 71.0% accuracy.", "71.0%").benchmark == ""


def test_a_dataset_that_consists_of_items_is_what_the_count_measures():
    text = "Rivulet-QA consists of 4,812 annotated question-answer pairs."
    assert one(text, "4,812", family="data", unit="examples").benchmark == "Rivulet-QA"


def test_a_sentence_on_a_set_of_its_own_does_not_take_the_earlier_benchmark():
    # the set it opens on is its benchmark; a count of items it opens on names none
    text = "We evaluate on the Quill-7 benchmark. On the held-out expert set, our ranker reaches 0.74 F1."
    assert one(text, "0.74").benchmark == "held-out expert set"
    text = "We evaluate on the Quill-7 benchmark. On 20 interactive tasks, our agent solves 64% of them."
    assert one(text, "64%", unit="%").benchmark == ""
    text = "We evaluate on the Quill-7 benchmark. Our ranker reaches 0.74 F1."
    assert one(text, "0.74").benchmark == "Quill-7"


@pytest.mark.parametrize("text,number,model", [
    ("Experiments on a 20B MoE model show that the router is stable.", "20B", "20B MoE model"),
    ("It runs a 6-bit 3B-parameter on-device ASR model on phones.", "3B", "3B-parameter on-device ASR model"),
])
def test_a_model_named_by_its_size_and_kind(text, number, model):
    assert one(text, number, family="parameters", unit="params").model == model


def test_two_sizes_of_one_family_are_no_one_phrase():
    c = attach("We train 7B and 13B models.", *[{"at": x, "family": "parameters", "unit": "params"} for x in ("7B", "13B")])
    assert c[0].model != "7B and 13B models"


def test_the_one_model_of_the_setup_holds_for_the_speedups_of_the_sentence():
    text = "Results on a 20B MoE model show that PrefixCut reaches a 1.7x speedup over dense routing."
    c = one(text, "1.7x", family="speedup", kind="ratio", unit="x")
    assert c.model == "20B MoE model"


@pytest.mark.parametrize("name", ["ZETA-Bench Core", "LoomEval-Hard", "HarborQA"])
def test_a_name_that_says_it_is_a_benchmark_is_one(name):
    text = f"Our agent gains 4.2 points on {name}, with larger gains for the 32B variant."
    assert one(text, "4.2", kind="delta").benchmark.startswith(name.split()[0])


def test_the_paper_s_own_method_is_no_benchmark_by_its_shape():
    text = "We propose RankEval-Net, a reranker. RankEval-Net reaches 71.0% accuracy."
    assert one(text, "71.0%").benchmark == ""


def test_a_score_in_parentheses_after_an_example_task_is_that_task_s_not_the_earlier_benchmark_s():
    text = ("We release the Loomwork corpus of court rulings. Results show near-expert quality on structured tasks "
            "such as citation linking (8.75/10) and summarization (8.12/10).")
    c = attach(text, "8.75", "8.12")
    assert [x.benchmark for x in c] == ["citation linking", "summarization"]
    text = "We release the Loomwork corpus of court rulings. Our linker reaches a mean score of 8.75."
    assert one(text, "8.75").benchmark == "Loomwork corpus"


def test_a_name_given_as_an_example_of_a_kind_of_model_is_a_model():
    text = "In contrast, recurrent networks, particularly GlimNet, achieved the highest accuracy of 0.812."
    assert one(text, "0.812").model == "GlimNet"


def test_sizes_over_several_models_name_no_one_model():
    text = "We replay dialogues across nine LLMs (3B to frontier) under two conditions."
    assert one(text, "3B", family="parameters", unit="params").model == ""
    text = "The method runs on open 8B and 70B backbone models."
    assert one(text, "70B", family="parameters", unit="params").model == ""
    assert one("It is compared with smaller-scale LLMs (8B).", "8B", family="parameters", unit="params").model == "smaller-scale LLMs"


def test_agreement_of_the_annotators_is_about_no_model():
    text = ("We evaluated GPT-4o and Gemini 1.5 Pro on 300 questions, against a gold standard with high "
            "inter-rater reliability (88.5% agreement).")
    assert one(text, "88.5%").model == ""
    assert one("Gemini 1.5 Pro reaches 88.5% accuracy.", "88.5%").model == "Gemini 1.5 Pro"


def test_a_colon_inside_parentheses_parts_no_clause():
    text = "On 900 pathology reports, Qwen2.5-7B and Mistral-7B showed the highest agreement (kappa median: 0.84)."
    assert one(text, "0.84").model == "Qwen2.5-7B; Mistral-7B"


def test_the_model_a_system_is_built_on_holds_for_its_results():
    text = ("Our system uses an instruction-tuned Qwen2.5-14B model without fine-tuning. "
            "This configuration reaches an F1 score of 41.2.")
    c = attach(text, {"at": "14B", "family": "parameters", "unit": "params"}, "41.2")
    assert c[1].model == "Qwen2.5-14B"


def test_a_name_in_parentheses_right_after_the_number_owns_it():
    text = "Our model improves spoken QA from the previous best of 21% (Vexa) to 38%."
    assert one(text, "21%").model == "Vexa"
    # a benchmark or a metric in parentheses is not an owner
    assert one("Our model reaches 38% (WER) on test data.", "38%").model == ""


def test_the_benchmarks_the_sentence_before_evaluates_on_hold_for_its_result():
    text = ("We release HarborQA and also use PubMedQA. The model is evaluated on the HarborQA and PubMedQA "
            "datasets. It outperforms all baselines (BERTScore = 0.874).")
    assert one(text, "0.874").benchmark == "HarborQA; PubMedQA"
    # no evaluation phrase: two benchmarks named before are not the result's
    text = "We release HarborQA and also use PubMedQA. We describe both in detail. It reaches 0.874 BERTScore."
    assert one(text, "0.874").benchmark == ""


def test_a_name_followed_by_its_split_after_on_is_a_benchmark():
    text = "Across three runs, TraceNet attains 88.1% F1 on the VulnSet Wild held-out test partition."
    assert one(text, "88.1%").benchmark == "VulnSet"
    assert one("The guard is tuned on CT reports and reaches 86% accuracy.", "86%").benchmark == ""


def test_the_corpus_a_result_is_compared_against_is_not_its_benchmark():
    text = ("We build the Lumen corpus. Comparison against the hand-curated Tessel Corpus shows the quality of "
            "Lumen, with a mean score of 8.1/10 versus 3.9/10.")
    assert [c.benchmark for c in attach(text, "8.1", "3.9")] == ["", ""]
    assert one("Our tagger outperforms all baselines on the Tessel Corpus with 91.0% accuracy.", "91.0%").benchmark \
        == "Tessel Corpus"


def test_the_data_a_model_is_trained_on_is_not_the_benchmark_of_later_results():
    text = ("Using our curated dataset, QuillSet, we trained several classifiers. "
            "In terms of filtering, the guard reaches an accuracy of 93%.")
    assert one(text, "93%").benchmark == ""
    text = "We evaluate on QuillSet, a new benchmark. The guard reaches an accuracy of 93%."
    assert one(text, "93%").benchmark == "QuillSet"


def test_a_shared_task_or_challenge_named_before_is_the_benchmark():
    text = ("The ClinOrd-X 2026 shared task asks for structured orders. Our system uses a Qwen2.5-14B model. "
            "This configuration achieved an average F1 score of 41.2.")
    assert one(text, "41.2").benchmark == "ClinOrd-X"


def test_the_paper_s_model_named_by_its_size_is_the_subject_of_its_costs():
    text = ("We present Kestrel-30B, an open LLM. We show that an LLM with 30B parameters and 1.2T tokens can be "
            "trained on a $50K budget.")
    c = attach(text, {"at": "1.2T", "family": "data", "unit": "tokens"},
               {"at": "50K", "family": "compute", "unit": "USD"})
    assert [x.model for x in c] == ["Kestrel-30B", "Kestrel-30B"]


def test_a_parameter_count_of_the_paper_s_method_names_it_as_the_model():
    c = one("We present Quokka-Math, a 208 million parameter decoder for mathematics.", "208 million",
            family="parameters", unit="params", title="Quokka-Math: a small model")
    assert c.model == "Quokka-Math"
    text = ("We propose Wren, a translator. It is even superior to the NLLB-54B model and GPT-3.5, with only 7B "
            "or 13B parameters.")
    c = attach(text, *[{"at": x, "family": "parameters", "unit": "params"} for x in ("7B", "13B")])
    assert [x.model for x in c] == ["Wren", "Wren"]


def test_the_model_a_sentence_opens_with_is_the_model_of_its_result():
    text = "With a Quill-CTC ASR, our rescorer achieves 2.1% WER on test-clean."
    assert one(text, "2.1%").model == "Quill-CTC"
