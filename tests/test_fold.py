"""extract/match/fold.py: a case-insensitive cue read in the lower-cased text finds exactly the matches
(places and groups, as written) the cue finds in the text, for every text and window."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.context import cues, metric_words
from extract.match import mentions, notclaims, ruleset
from extract.match.fold import Folded, folded

ROOT = Path(__file__).resolve().parent.parent
FOLDED = [v for d in (cues.context_cues(), metric_words.metric_word_data()) for v in d.values() if isinstance(v, Folded)]
FOLDED += [notclaims._CTX_HINT, mentions._WORDS] + [v for v in vars(ruleset.default_rules().kinds).values()
                                                   if isinstance(v, Folded)]
WORDS = sorted({w for f in FOLDED for w in re.findall(r"[a-z]{2,}", f.pattern)})[:300]
PIECES = st.one_of(st.sampled_from(WORDS), st.sampled_from(WORDS).map(str.upper), st.sampled_from(WORDS).map(str.title),
                   st.sampled_from([" ", ", ", "(", ")", "%", "3.5", "7B", "-", ";", ".", "\n", "é", "K", "ſ", "İ"]),
                   st.text(max_size=3))


def _same(f: Folded, text: str, lo: int, hi: int):
    got, want = f.search(text, lo, hi), f._rx.search(text, lo, hi)
    assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups())), (f.pattern, text)
    got = [(m.span(), m.groups()) for m in f.finditer(text, lo, hi)]
    assert got == [(m.span(), m.groups()) for m in f._rx.finditer(text, lo, hi)], (f.pattern, text)


def test_the_case_insensitive_cues_are_folded():
    assert len(FOLDED) >= 30 and all(isinstance(f, Folded) for f in FOLDED)


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECES, max_size=25).map(" ".join), st.integers(0, 150), st.integers(0, 150))
def test_folded_is_the_pattern(text, lo, hi):
    for f in FOLDED:
        _same(f, text, min(lo, len(text)), min(hi, len(text)))
        assert [m.span() for m in f.finditer(text)] == [m.span() for m in f._rx.finditer(text)]


def test_on_the_corpus_sentences():
    texts = [json.loads(line)["abstract"] for line in open(ROOT / "data" / "papers.jsonl", encoding="utf-8")][:60]
    for text in texts:
        for f in FOLDED:
            _same(f, text, 0, len(text))


@pytest.mark.parametrize("pattern", [r"[A-Z]x", r"Ax", r"(?-i:a)b", r"\u212ab", r"[^A-Z]", r"(a)\1"])
def test_what_lower_case_cannot_match_alike_is_left_alone(pattern):
    rx = re.compile(pattern, re.I)
    assert folded(rx) is rx


def test_case_sensitive_patterns_are_left_alone():
    rx = re.compile("abc")
    assert folded(rx) is rx
