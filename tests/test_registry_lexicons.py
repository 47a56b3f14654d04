"""The registry-built lexicons (rules/lexicons/registry/, `make lexicons`) and their matcher
(extract/lexicon.py): structure, a deterministic sample of every registry's names found in a
sentence, ordinary words left alone, metric directions, load time, and the build script's
offline behaviour."""
import importlib.util
import itertools
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract import lexicon as L

ROOT = Path(__file__).resolve().parent.parent
TOOLS = ROOT / "tools"
REGISTRIES = ["lm-eval", "crfm-helm", "opencompass", "torchmetrics", "evaluate", "transformers", "timm",
              "torchvision", "torchaudio"]
PLURAL = {"benchmark": "benchmarks", "metric": "metrics", "model": "models"}
# What a sentence around a name looks like, by kind of name.
TEMPLATES = {
    "benchmark": "Our model scores 81.2% on {}, the hardest split.",
    "metric": "It reaches a {} of 81.2 on the test set.",
    "model": "We fine-tune {} for three epochs.",
}
SAMPLE = 15  # names per registry and kind


def _sample(names: list[str]) -> list[str]:
    """Every Nth name of the registry's sorted list, so that the sample is the same every run."""
    names = sorted(names)
    return names[:: max(1, len(names) // SAMPLE)][:SAMPLE]


def _cases():
    src = L.sources()
    return [(kind, reg, name) for kind, plural in PLURAL.items() for reg in src[plural]
            for name in _sample(src[plural][reg])]


def _found(text: str) -> list[tuple[str, str, str]]:
    return [(text[s:e], kind, canon) for s, e, kind, canon in L.find_names(text)]


def test_every_entry_has_a_name_and_metrics_a_direction():
    lex = L.load()
    for kind, rows in lex.items():
        assert len(rows) > 100, kind
        names = [r["name"] for r in rows]
        assert len(names) == len(set(names)), f"duplicate {kind} names"
        for r in rows:
            assert isinstance(r["name"], str) and r["name"].strip() == r["name"] and r["name"]
            assert r["aliases"] or r["suffix_only"], r
            assert all(isinstance(a, str) and a for a in r["aliases"] + r["suffix_only"]), r
    assert all(r["better"] in ("higher", "lower") for r in lex["metric"])
    metric_names = {r["name"] for r in lex["metric"]}
    assert all(set(r["metrics"]) <= metric_names for r in lex["benchmark"])
    # one owner per spelling: a key never names two entries
    owners = {}
    for kind, rows in lex.items():
        for r in rows:
            for a in r["aliases"] + r["suffix_only"]:
                k = re.sub(r"[^\w+@]|_", "", a.lower())
                assert owners.setdefault(k, (kind, r["name"])) == (kind, r["name"]), (a, owners[k], r["name"])


def test_every_registry_contributes_and_sources_are_recorded():
    src = L.sources()
    seen = {reg for plural in src.values() for reg in plural}
    assert set(REGISTRIES) <= seen
    assert sum(len(v) for v in src["benchmarks"].values()) >= 700
    doc = (ROOT / "rules" / "lexicons" / "registry" / "SOURCES.md").read_text()
    for reg in REGISTRIES:
        row = next(line for line in doc.splitlines() if line.startswith(f"| {reg} |"))
        cells = [c.strip() for c in row.split("|")]  # | package | version | licence | file | sha256 | n |
        version, licence, sha = cells[2], cells[3], cells[5]
        assert re.fullmatch(r"\d+(\.\d+)+", version) and licence, row
        assert re.fullmatch(r"`[0-9a-f]{64}`", sha), row


@pytest.mark.parametrize("kind,registry,name", _cases())
def test_a_sample_of_each_registry_is_found_in_a_sentence(kind, registry, name):
    row = next(r for r in L.load()[kind] if r["name"] == name)
    # as the lexicon spells it; an ordinary-word model name only with a size after it
    spelled = row["aliases"][0] if row["aliases"] else row["suffix_only"][0] + "-7B"
    text = TEMPLATES[kind].format(spelled)
    assert any(k == kind and c == name and spelled in t for t, k, c in _found(text)), (text, _found(text))
    if row["any_case"] and len(re.sub(r"[^\w+@]|_", "", spelled)) >= 4:  # any casing, as the file says
        low = TEMPLATES[kind].format(spelled.lower())
        assert any(k == kind and c == name for _, k, c in _found(low)), (low, _found(low))


def test_benchmarks_carry_their_registry_metrics():
    rows = {r["name"]: r for r in L.load()["benchmark"]}
    assert "accuracy" in rows["HellaSwag"]["metrics"]
    assert "exact match" in rows["GSM8K"]["metrics"]
    assert "wer" in rows["LibriSpeech"]["metrics"]


def test_the_issue_example_finds_benchmark_and_metric():
    assert _found("ImageNet top-1 accuracy of 81.2%") == [("ImageNet", "benchmark", "ImageNet"),
                                                         ("top-1 accuracy", "metric", "accuracy")]


def test_names_in_a_results_sentence():
    text = ("LLaMA-2-7B reaches 74.2% on ARC-Challenge and 61.8% on HellaSwag, Whisper-base 9.8% WER on "
            "LibriSpeech, and ViT-B/16 an FID of 3.1 on CIFAR-10.")
    assert _found(text) == [
        ("LLaMA-2-7B", "model", "LLaMA"), ("ARC-Challenge", "benchmark", "ARC-Challenge"),
        ("HellaSwag", "benchmark", "HellaSwag"), ("Whisper-base", "model", "Whisper"), ("WER", "metric", "wer"),
        ("LibriSpeech", "benchmark", "LibriSpeech"), ("ViT-B/16", "model", "ViT"), ("FID", "metric", "fid"),
        ("CIFAR-10", "benchmark", "CIFAR-10")]


def test_spellings_of_one_name_agree():
    for text in ("HellaSwag", "hellaswag", "Hellaswag", "HELLASWAG"):
        assert _found(f"Results on {text}.") == [(text, "benchmark", "HellaSwag")]
    for text in ("ARC-Challenge", "ARC Challenge", "arc_challenge"):
        assert [c for _, _, c in _found(f"Results on {text}.")] == ["ARC-Challenge"]


def test_ordinary_words_do_not_fire():
    text = ("We time the race around the arc and report the mean of the bits; the squad drops a pile of "
            "data, a falcon and a llama align with the beam, and it is a base model in general.")
    assert _found(text) == []


def test_names_that_are_words_fire_only_as_names_write_them():
    assert [c for _, _, c in _found("RACE and DROP are reading benchmarks.")] == ["RACE", "DROP"]
    assert _found("Falcon-40B beats Falcon.") == [("Falcon-40B", "model", "Falcon")]
    assert [t for t, _, _ in _found("Mistral 7B and LLaMA and Llama 2 13B.")] == ["Mistral 7B", "LLaMA",
                                                                               "Llama 2 13B"]


@pytest.mark.parametrize("written,canonical,better", [
    ("accuracy", "accuracy", "higher"), ("acc", "accuracy", "higher"), ("F1 score", "f1", "higher"),
    ("f1-score", "f1", "higher"), ("exact match", "exact match", "higher"), ("EM", "exact match", "higher"),
    ("pass@1", "pass@1", "higher"), ("BLEU", "bleu", "higher"), ("ROUGE-L", "rouge-l", "higher"),
    ("chrF", "chrf", "higher"), ("COMET", "comet", "higher"), ("FID", "fid", "lower"),
    ("mIoU", "miou", "higher"), ("AP", "ap", "higher"), ("mAP", "map", "higher"),
    ("perplexity", "perplexity", "lower"), ("bits per character", "bits per character", "lower"),
    ("bits-per-byte", "bits per byte", "lower"), ("success rate", "success rate", "higher"),
    ("win rate", "win rate", "higher"), ("error rate", "error rate", "lower"),
    ("word error rate", "wer", "lower"), ("WER", "wer", "lower"), ("CER", "cer", "lower"),
    ("EER", "eer", "lower"), ("AUROC", "auroc", "higher"), ("NDCG@10", "ndcg", "higher"),
    ("MRR", "mrr", "higher"), ("recall@10", "recall@k", "higher"), ("PSNR", "psnr", "higher"),
    ("SSIM", "ssim", "higher"), ("LPIPS", "lpips", "lower"),
    # read from the registries themselves (torchmetrics' higher_is_better)
    ("mean squared log error", "mean squared log error", "lower"), ("KL divergence", "kl divergence", "lower"),
])
def test_metric_info_gives_canonical_name_and_direction(written, canonical, better):
    assert L.metric_info(written) == (canonical, better)
    assert (canonical in [c for _, k, c in _found(f"It reaches a {written} of 12.5 on the test set.")])


def test_unknown_metric_has_no_info():
    assert L.metric_info("banana index") is None


def test_lexicons_load_fast_and_stay_small():
    files = [ROOT / "rules" / "lexicons" / "registry" / f"{p}.yaml" for p in PLURAL.values()]
    assert sum(f.stat().st_size for f in files) < 400_000
    code = ("import time; from extract import lexicon as L; t = time.process_time(); L.find_names('x'); "
            "print((time.process_time() - t) * 1000)")
    ms = float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              cwd=ROOT).stdout)
    assert ms < 250, f"loading the lexicons took {ms:.0f} ms of CPU"  # about 50 ms when the machine is idle


def _tool(name):
    spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(TOOLS))
    try:
        spec.loader.exec_module(mod)
    finally:
        sys.path.remove(str(TOOLS))
    return mod


def test_ordinary_word_filter():
    build = _tool("build_lexicons")
    words = {"time", "mean", "bit", "squad", "moral", "story", "draw", "bench", "falcon"}
    for surface in ("time", "Mean", "bits", "squad", "Moral Stories", "opt"):
        assert build.collides(surface, words), surface
    for surface in ("SQuAD", "DROP", "DrawBench", "c4", "GSM8K", "hellaswag", "Falcon-40B"):
        assert not build.collides(surface, words), surface


def test_build_without_network_says_so_and_exits_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_FIND_LINKS="")
    out = tmp_path / "out"
    run = subprocess.run([sys.executable, str(TOOLS / "build_lexicons.py"), "--cache", str(tmp_path / "cache"),
                          "--out", str(out)], capture_output=True, text=True, env=env, timeout=120, check=False)
    assert run.returncode == 2
    assert len(run.stderr.strip().splitlines()) == 1 and "no network" in run.stderr
    assert not out.exists()


_WORDS = st.sampled_from(["ImageNet", "accuracy", "LLaMA-2-7B", "of", "81.2%", "on", "the", "race", "WER",
                          "Falcon", "-", "/", "pass@1", "é", "HumanEval+", "7B", "ARC", "arc", " ", ",", "Qwen2.5"])


@settings(max_examples=200, deadline=None)
@given(st.lists(_WORDS, max_size=30).map(" ".join) | st.text(max_size=200))
def test_spans_are_ordered_disjoint_and_inside_the_text(text):
    spans = L.find_names(text)
    assert all(0 <= s < e <= len(text) for s, e, _, _ in spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    assert all(kind in PLURAL for _, _, kind, _ in spans)
