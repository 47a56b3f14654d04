"""extract/context/names.py scan keeps what a word alone says (lexicon keys, digits, name shape) in a memo
filled as words are met: what it finds must not depend on which texts were scanned before, nor on the
memo being full or empty."""
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.context import names as N

_WORDS = st.sampled_from(["GPT-4", "LLaMA-2-7B", "Llama", "2", "7B", "MMLU", "GSM8K", "the", "The", "We", "BERT.",
                          "ResNet-50", "on", "benchmark", "dataset", "FLM-101B", "3B-parameter", "model", "A100",
                          "81.2%", "mT5", "the Pile", "SALMONN", "InfiniteBench", "and", ",", "(", ")", "Qwen2.5"])
_TEXTS = st.lists(_WORDS, max_size=25).map(" ".join)


def _plain(names):
    return [(n.start, n.end, n.text, n.kind, n.canonical, n.known, n.weak) for n in names]


@settings(max_examples=150, deadline=None)
@given(_TEXTS, st.lists(_TEXTS, max_size=3))
def test_scan_does_not_depend_on_the_texts_before(text, before):
    memo = N.lexicon_data()["tokens"]
    memo.clear()
    cold = _plain(N.scan(text))
    for other in before:
        N.scan(other)
    assert _plain(N.scan(text)) == cold


def test_memo_is_bounded(monkeypatch):
    monkeypatch.setattr(N, "_MEMO_MAX", 3)
    text = "GPT-4 and LLaMA-2-7B beat BERT on MMLU and GSM8K with SALMONN"
    first = _plain(N.scan(text))
    N.scan("Alpha Beta Gamma Delta Epsilon Zeta")
    assert len(N.lexicon_data()["tokens"]) <= 3 + 6
    assert _plain(N.scan(text)) == first
    assert [n[2] for n in first if n[3] == N.MODEL][:2] == ["GPT-4", "LLaMA-2-7B"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="abAB-1 .", min_size=1, max_size=6), min_size=1, max_size=12),
       st.text(alphabet="abAB-1 .x", max_size=10))
def test_trie_pattern_matches_the_longest_word_that_starts_the_text(words, text):
    import re

    m = re.match(N.trie(words), text)
    starts = [w for w in words if text.startswith(w)]
    assert (m.group() if m else None) == (max(starts, key=len) if starts else None)
    verbose = re.match(N.trie(words), text, re.X)  # the lexicons compile it in verbose mode: spaces escaped
    assert (verbose.group() if verbose else None) == (m.group() if m else None)


def _found(text):
    return [(n.text, n.kind) for n in N.scan(text)]


def test_a_version_after_a_family_s_variant_word_belongs_to_the_name():
    assert ("Claude Sonnet 4", N.MODEL) in _found("We compare Claude Sonnet 4 with GPT-5.")
    assert ("Claude Opus 4.1", N.MODEL) in _found("Claude Opus 4.1 leads the table.")
    assert ("Claude Sonnet", N.MODEL) in _found("Claude Sonnet 4 times faster than before.")  # a quantity


@settings(max_examples=80, deadline=None)
@given(st.sampled_from(["M4", "MMLU", "GSM8K", "BERT", "GPT-4", "LLaMA-2-7B"]),
       st.sampled_from(["RAG", "X", "Med", "V2", "Plus9"]))
def test_a_lexicon_name_does_not_match_inside_a_longer_hyphenated_name(name, piece):
    text = f"We introduce {name}-{piece} for the task."
    assert not [n for n in N.scan(text) if n.known and n.end == 13 + len(name)], text


def test_a_lexicon_name_before_a_lower_case_modifier_still_matches():
    assert ("GSM8K", N.BENCH) in _found("We add GSM8K-style problems.")
    assert ("BERT", N.MODEL) in _found("A BERT-based reranker helps.")
