"""The number-first engine's first pass and its decisions, property-tested: offsets slice back to the
surface text, any text never raises, a sentence's claims do not depend on the sentences around it, and
the number forms of the spec are read to the right value."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.match.decide import decide
from extract.match.mentions import find_mentions
from extract.match.numrules import number_rules

RULES = number_rules()
CLAIM_SENTENCES = [
    "Our method improves accuracy by 12.2% on GSM8K.",
    "The 7B model runs 2.5x faster than the baseline.",
    "It reduces KV cache memory by 60% at long contexts.",
    "Pre-training uses 1.3T tokens and 2,000 GPU hours.",
    "MaskLLM reaches 6.72 PPL on WikiText.",
]
FILLER = ["We study language models.", "This matters in practice.", "Code is available online."]


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_any_text_never_raises_and_offsets_slice_back(text):
    for m in find_mentions(text):
        assert 0 <= m.start < m.end <= len(text)
    for c in decide(text, RULES):
        assert text[c["start"]:c["end"]] == c["value_text"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["1", "2.5", "x", "%", "-", " ", "$", "\\times", "{,}", "e", "9", "B", "K", ",", ".",
                                 "+/-", "~", "(", ")", "^", "GPT-", "times", "twice", "half", "10^{", "}"]),
                max_size=40))
def test_number_like_soup_never_raises(parts):
    text = "".join(parts)
    for c in decide(text, RULES):
        assert text[c["start"]:c["end"]] == c["value_text"]


def test_a_value_that_overflows_a_float_is_no_claim():
    assert decide("It reaches 1e309 accuracy and 10^{400} tokens.", RULES) == []


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(CLAIM_SENTENCES), st.lists(st.sampled_from(FILLER + CLAIM_SENTENCES), max_size=3),
       st.lists(st.sampled_from(FILLER + CLAIM_SENTENCES), max_size=3))
def test_a_sentence_yields_the_same_claims_among_other_sentences(sentence, before, after):
    alone = [(c["value_text"], c["family"], c["value"], c["kind"]) for c in decide(sentence, RULES)]
    text = " ".join(before + [sentence] + after)
    at = len(" ".join(before)) + (1 if before else 0)
    inside = [(c["value_text"], c["family"], c["value"], c["kind"]) for c in decide(text, RULES)
              if at <= c["start"] < at + len(sentence)]
    assert inside == alone


@pytest.mark.parametrize("text, value, hint", [
    ("1,000", 1000, ""), ("10{,}000\\times", 10000, "x"), ("12.2\\%", 12.2, "%"), ("1.33$\\times$", 1.33, "x"),
    ("7B", 7e9, ""), ("52K", 52000, ""), ("1.3 trillion", 1.3e12, ""), ("2.1e22", 2.1e22, ""),
    ("10^{9}", 1e9, ""), ("$100K", 100000, ""), ("3 percentage points", 3, "%"), ("5times", 5, "x"),
    ("two-fold", 2, "x"), ("three times", 3, "x"), ("twice", 2, "x"), ("halves", 2, "x"),
    ("an order of magnitude", 10, "x"), ("two million", 2e6, ""), ("8+%", 8, "%"), ("0.31TB tokens", 0.31e12, ""),
])
def test_number_forms(text, value, hint):
    m = find_mentions(text)[0]
    assert abs(m.value - value) <= 1e-9 * max(1.0, value) and m.hint == hint


def test_a_range_gives_both_ends_with_the_shared_sign():
    lo, hi = find_mentions("by 3-5% on average")
    assert (lo.value, lo.hint, lo.range) == (3, "%", "lo") and (hi.value, hi.hint, hi.range) == (5, "%", "hi")


def test_a_spread_is_part_of_its_value():
    (m,) = find_mentions("92.3+/-0.2% accuracy")
    assert m.value == 92.3 and m.hint == "%" and m.pm_end == len("92.3+/-0.2%")


def test_a_list_shares_its_magnitude():
    assert [m.value for m in find_mentions("(7, 13, and 70 billion parameters)")] == [7e9, 13e9, 70e9]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789.,%x$-+ abBkMKe^{}()/±"), max_size=40))
def test_ascii_digit_scan_finds_the_same_mentions(text):
    # find_mentions jumps to digits with [0-9] on ASCII text, \d otherwise: the same mentions either way
    import extract.match.mentions as M
    fast = find_mentions(text)
    saved, M._ASCII_DIGIT = M._ASCII_DIGIT, M._DIGIT
    try:
        assert find_mentions(text) == fast
    finally:
        M._ASCII_DIGIT = saved
