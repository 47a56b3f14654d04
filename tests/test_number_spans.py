"""What the rules take as a number's span, for every input of a shape: a number grouped by spaces is read
whole, and the tail group of one ("000" of "1 000") is never a claim of its own."""
import regex
from hypothesis import example, given, settings
from hypothesis import strategies as st

from extract import extract_claims

SEPARATORS = [" ", "\u00a0", "\u2009", "\u202f", "\u200b"]
# phrasings whose rules read a plain count
FRAMES = ["Training takes {} GPU hours.", "We collect {} image-text pairs.", "Labelling costs {} dollars."]
LEADING_ZERO = regex.compile(r"^[-+\u2212\u2013$]?0\d")


def _grouped(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1000, 10**9), sep=st.sampled_from(SEPARATORS), frame=st.sampled_from(FRAMES))
def test_space_grouped_thousands_are_one_number(n, sep, frame):
    text = frame.format(_grouped(n, sep))
    got = extract_claims(text).to_dict("records")
    assert [c["value"] for c in got] == [n], (text, got)
    assert got[0]["value_text"] == _grouped(n, sep)


WORDS = ["We", "use", "1", "000", "10", "050", "GPU", "hours", "samples", "$", "dollars", "costs", "7", "B", "model",
         "%", "x", "faster", "by", "0.5", "000.5", "on", "MMLU", "tokens", "GB", "memory", "reduces",
         "\u200b", "\u2009", "\u00a0"]


@settings(max_examples=60, deadline=None)
@given(words=st.lists(st.sampled_from(WORDS), min_size=1, max_size=12))
@example(words=["We", "use", "1", "000", "GPU", "hours"])
@example(words=["It", "scores", "1", "000.5", "on", "MMLU"])
@example(words=["costs", "10", "050", "dollars"])
def test_no_claim_starts_with_a_zero_and_a_digit(words):
    text = " ".join(words)
    for c in extract_claims(text).to_dict("records"):
        assert not LEADING_ZERO.match(c["value_text"]), (text, c)
