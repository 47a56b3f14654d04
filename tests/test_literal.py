"""extract/match/literal.py: a pattern searched only where the window holds a literal it needs finds what
it always found; the literals read off a pattern are ones every match holds."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.context import cues
from extract.match.literal import Needs, needs, required

PATTERNS = [cues._CLAUSE_BREAK._rx, cues.LIST_SEP, cues.LIST_BEFORE_NOUN, cues.HAS_SIZE, cues.PREP_BEFORE, cues.LISTED,
            re.compile(r"\brespectively\b"), re.compile(r"(?:ab|cd)+x"), re.compile(r"ab(?=cd)|e"),
            re.compile(r"(?i:ab)c"), re.compile(r"x(?:yz)?w")]
ALPHABET = st.sampled_from([" ", ";", ": ", ":", ",", "/", "&", " and ", " or ", " but ", " whereas ", " while ",
                            " walking", "respectively", "ab", "cd", "x", "AB", "c", "yz", "w", "model", "LLMs",
                            "benchmarks", "has", "with", "on", "the ", "(", ")", "\n"])


def test_the_literals_are_needed():
    assert required(re.compile(r"\brespectively\b")) == ("respectively",)
    assert set(required(cues._CLAUSE_BREAK._rx)) == {";", ":", "whereas", "but", "although", "though", "while"}
    assert required(re.compile(r"(?i:ab)c")) == ("c",)          # a case-insensitive part gives none
    assert required(re.compile(r"ab(?=cdef)")) == ("ab",)         # a look-around's literals are not the match's
    assert required(re.compile(r"x|[ab]")) is None               # one way through needs no literal
    assert required(re.compile("respectively", re.I)) is None    # case-insensitive: not read
    assert isinstance(cues._CLAUSE_BREAK, Needs)


@settings(max_examples=400, deadline=None)
@given(st.lists(ALPHABET, max_size=20).map("".join), st.integers(-3, 80), st.integers(-3, 80))
def test_needs_is_the_pattern(text, lo, hi):
    for rx in PATTERNS:
        lits = required(rx)
        if lits:  # every match holds one of them
            assert all(any(s in m.group() for s in lits) for m in rx.finditer(text)), rx.pattern
        g = needs(rx)
        a, b = g.search(text, lo, hi), rx.search(text, lo, hi)
        assert (a and a.span()) == (b and b.span())
        assert [m.span() for m in g.finditer(text, lo, hi)] == [m.span() for m in rx.finditer(text, lo, hi)]
        assert (g.search(text) and g.search(text).span()) == (rx.search(text) and rx.search(text).span())


@pytest.mark.parametrize("pattern", [r"[ab]+", r"a?b?", r"(\w)\1"])
def test_a_pattern_that_needs_no_literal_is_left_alone(pattern):
    rx = re.compile(pattern)
    assert needs(rx) is rx
