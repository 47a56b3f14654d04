"""extract/match/tail.py: a ``$``-ended cue's gated search finds exactly what the plain search finds,
for every window of every text (the gate only skips searches that cannot match)."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.context import benchmark, cues, fields, measure, metric, metric_words
from extract.match import decide, kinds, notclaims, ruleset, window
from extract.match.tail import EndsAt, backwards, ends_at

ROOT = Path(__file__).resolve().parent.parent


def _gated() -> list[EndsAt]:
    """Every gated pattern the engine uses."""
    found = []
    for mod in (cues, fields, benchmark, metric, decide, kinds, notclaims, window):
        found += [v for v in vars(mod).values() if isinstance(v, EndsAt)]
    for d in (cues.context_cues(), metric_words.metric_word_data(), measure._measure_data()):
        found += [v for v in d.values() if isinstance(v, EndsAt)]
    kw = ruleset.default_rules().kinds
    found += [v for v in vars(kw).values() if isinstance(v, EndsAt)]
    return found


def _every_end_cue() -> list[EndsAt]:
    """Every "$"-ended pattern of these modules, gated, whether the engine gates it or not: the backwards
    reading is tested on all of them."""
    found = []
    for mod in (cues, fields, benchmark, metric, decide, kinds, notclaims, window):
        found += [v for v in vars(mod).values() if isinstance(v, re.Pattern)]
    for d in (cues._context_cues(), metric_words._metric_word_data(), measure._measure_data(),
              vars(ruleset.default_rules().kinds)):
        found += [v for v in d.values() if isinstance(v, re.Pattern)]
    return [g for g in map(ends_at, found) if isinstance(g, EndsAt)]


GATED = _gated() + _every_end_cue()
# the words the cues are made of, so that random text often comes near a match
WORDS = sorted({w for g in GATED for w in re.findall(r"[A-Za-z]{2,}", g.pattern.replace("\\s", " "))})[:400]
PIECES = st.one_of(st.sampled_from(WORDS), st.sampled_from([" ", "  ", ", ", "(", ")", "'s ", "=", "$", "%", "\n",
                                                            "7B", "3.5", "12%", "-", "[", ";", "\u00a0", "é", "ſ", "K"]),
                   st.text(max_size=3))


def test_the_engine_gates_its_cues():
    assert len(_gated()) >= 20 and len(GATED) >= 60
    assert all(g.gate().pattern for g in GATED)  # every backwards reading compiles (none fell back to no gate)
    assert {"possessive", "base_tight", "base_verb"} <= {k for k, v in cues.context_cues().items() if isinstance(v, EndsAt)}


def _same(g: EndsAt, text: str, lo: int, hi: int):
    got, want = g.search(text, lo, hi), g._rx.search(text, lo, hi)
    assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups())), (g.pattern, text, lo, hi)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=25).map(" ".join), st.integers(0, 200), st.integers(0, 200))
def test_gated_search_is_the_plain_search(text, lo, hi):
    for g in GATED:
        _same(g, text, min(lo, len(text)), min(hi, len(text)))
        _same(g, text, 0, len(text))


def test_on_every_number_window_of_the_corpus():
    # each gated cue at each number of the bundled abstracts, as the engine reads them: the window ends at the number
    papers = [json.loads(line)["abstract"] for line in open(ROOT / "data" / "papers.jsonl", encoding="utf-8")][:120]
    for text in papers:
        for m in re.finditer(r"\d[\d.,]*", text):
            for g in GATED:
                _same(g, text, max(0, m.start() - 60), m.start())


@pytest.mark.parametrize("pattern, text, hit", [
    (r"(?:\bthe\s+)?(?P<np>(?:[a-z][\w-]*\s+){0,2}?(?:model|LLM))'s\s+$", "beats the dense model's ", True),
    (r"(?<![<>!])=\s*\$?\s*$", "a <= ", False),
    (r"(?<![<>!])=\s*\$?\s*$", "F1 = ", True),
    (r"(?:^|(?<=[\s(]))(?:about|over)\s*$", "over ", True),       # "^" at the text's start
    (r"(?:^|(?<=[\s(]))(?:about|over)\s*$", "moreover ", False),
    (r"\bby(?:\s+(?:up\s+to|about))*\s*$", "improves BY up to ", False),  # case matters without re.I
    (r"(?i)\bby(?:\s+(?:up\s+to|about))*\s*$", "improves BY up to ", True),
    (r"(?:x|y(?=z))\s$", "y ", True),                             # a look-ahead is dropped: the gate lets it through
])
def test_backwards_gate(pattern, text, hit):
    g = ends_at(re.compile(pattern))
    assert isinstance(g, EndsAt)
    assert bool(g.search(text)) == bool(g._rx.search(text))
    assert bool(g.gate().match(text[::-1])) == hit or pattern.endswith(r"(?=z))\s$")


@pytest.mark.parametrize("pattern", [r"(\w)\1$", r"(?>ab)$", r"a++$", r"(?m)a$", r"abc", r"a$|b"])
def test_what_cannot_be_read_backwards_is_left_alone(pattern):
    rx = re.compile(pattern)
    assert backwards(rx) is None and ends_at(rx) is rx


def test_a_newline_at_the_window_end_is_not_gated():
    g = ends_at(re.compile(r"over$"))
    assert g.search("over\n").span() == (0, 4)
