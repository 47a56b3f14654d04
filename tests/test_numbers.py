"""Example-based tests of extract/numbers.py: the surface forms of the spec, read to value and unit hint.
(Property-based tests of the same module live in another file.)"""
import pytest

from extract.match.numbers import NotANumber, apply_magnitude, parse_number

CASES = [
    # plain digits, separators, decimals, signs
    ("12", 12, ""),
    ("2,000", 2000, ""),
    ("1,234,567.5", 1234567.5, ""),
    (".5", 0.5, ""),
    ("+4.2", 4.2, ""),
    ("-3.1", -3.1, ""),
    ("\u22123.2", -3.2, ""),  # U+2212 minus
    # percentages, LaTeX percent, percentage points
    ("12.2%", 12.2, "%"),
    ("12.2\\%", 12.2, "%"),
    ("85.3 %", 85.3, "%"),
    ("15 percent", 15, "%"),
    ("4.2 pp", 4.2, "%"),
    ("9 p.p.", 9, "%"),
    ("3 percentage points", 3, "%"),
    # points without a percent sign
    ("2.1 points", 2.1, "points"),
    ("12.5-point", 12.5, "points"),
    # factors
    ("2.5x", 2.5, "x"),
    ("2.5 x", 2.5, "x"),
    ("3.65 times", 3.65, "x"),
    ("5times", 5, "x"),
    ("1.33$\\times$", 1.33, "x"),
    ("2.5\\times", 2.5, "x"),
    ("4×", 4, "x"),
    ("7-fold", 7, "x"),
    ("two-fold", 2, "x"),
    ("three times", 3, "x"),
    ("twice", 2, "x"),
    ("halves", 2, "x"),
    ("doubles", 2, "x"),
    ("an order of magnitude", 10, "x"),
    ("two orders of magnitude", 100, "x"),
    # magnitudes
    ("7B", 7e9, ""),
    ("52K", 52e3, ""),
    ("1.3T", 1.3e12, ""),
    ("770M", 770e6, ""),
    ("6 billion", 6e9, ""),
    ("697 thousand", 697e3, ""),
    ("1 Trillion", 1e12, ""),
    ("30-billion", 30e9, ""),
    ("trillion", 1e12, ""),
    ("one million", 1e6, ""),
    # currency
    ("$100K", 100e3, ""),
    ("$1.2 million", 1.2e6, ""),
    ("$300", 300, ""),
    # scientific notation (FLOPs)
    ("1e21", 1e21, ""),
    ("3e+21", 3e21, ""),
    ("2.1 x 10^22", 2.1e22, ""),
    ("3.2\\times 10^{21}", 3.2e21, ""),
    ("10^{23}", 1e23, ""),
    # number words
    ("single day", 1, ""),
    ("a dozen", 12, ""),
    ("twenty-one", 21, ""),
    ("Thirty two times", 32, "x"),
    ("ninety-nine-fold", 99, "x"),
    # thousands grouped by spaces: plain, no-break, thin, narrow no-break, zero-width
    ("1 000", 1000, ""),
    ("10\u00a0000", 10000, ""),
    ("10\u2009000.5", 10000.5, ""),
    ("1\u202f000\u202f000", 1e6, ""),
    ("1\u200b000", 1000, ""),
    # odd input: a trillion in dollars, an en dash as minus, an HTML times sign, a LaTeX thin space, a spaced magnitude
    ("$2.174T", 2.174e12, ""),
    ("\u20130.4%", -0.4, "%"),
    ("2&#215;", 2, "x"),
    ("3&times;", 3, "x"),
    ("12\\,\\%", 12, "%"),
    ("7 B", 7e9, ""),
]


@pytest.mark.parametrize("text, value, hint", CASES, ids=[c[0] for c in CASES])
def test_parse_number(text, value, hint):
    got, got_hint = parse_number(text)
    assert got == pytest.approx(value, rel=1e-12)
    assert got_hint == hint


@pytest.mark.parametrize("text", ["", "abc", "%", "x", "tokens per second"])
def test_no_number_is_an_error(text):
    with pytest.raises(NotANumber):
        parse_number(text)


@pytest.mark.parametrize("value, word, want", [
    (7, "billion", 7e9), (13, "B", 13e9), (52, "K", 52e3), (1.3, "trillion", 1.3e12),
    (5, "M", 5e6), (3, "unknown", 3),
])
def test_apply_magnitude(value, word, want):
    assert apply_magnitude(value, word) == pytest.approx(want)


def test_bytes_are_not_read_as_a_magnitude_in_sizes():
    """'0.31TB tokens' is a typo for a count (T); a memory rule captures only the digits of '2.1 GB'."""
    assert parse_number("0.31TB")[0] == pytest.approx(0.31e12)
    assert parse_number("2.1")[0] == 2.1
