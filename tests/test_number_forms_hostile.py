"""Numbers written with invisible or non-ASCII characters are read whole, through the public API, whichever
engine is behind it (issue 14)."""
import pytest
from hypothesis import given, strategies as st

from extract import extract_claims


@pytest.mark.parametrize("text, value_text, value", [
    ("Accuracy of 1\u200b2% on MNIST.", "1\u200b2%", 12.0),  # zero-width space: was 2%
    ("Accuracy of 1\u00ad2% on MNIST.", "1\u00ad2%", 12.0),  # soft hyphen: was 2%
    ("Accuracy of 1\u066b5% on MNIST.", "1\u066b5%", 1.5),  # Arabic decimal separator: was 5%
    ("Accuracy of \u0669\u0665% on MNIST.", "\u0669\u0665%", 95.0),  # Arabic-Indic digits, no ASCII digit near
    ("Accuracy of \u0969\u096b% on MNIST.", "\u0969\u096b%", 35.0),  # Devanagari digits
])
def test_a_number_with_invisible_or_other_script_characters_is_read_whole(text, value_text, value):
    df = extract_claims(text)
    assert df[["value_text", "value"]].values.tolist() == [[value_text, value]]


def test_a_power_of_ten_in_dollars_is_no_cost_of_ten_dollars():
    df = extract_claims("Training needs $10^{12}$ FLOPs.")
    assert not ((df["unit"] == "USD") & (df["value"] == 10)).any()  # was a cost of "$10"
    assert set(df["value"]) <= {1e12}


@pytest.mark.parametrize("styled", [r"\textbf{10.0\%}", r"\emph{10.0\%}", r"$\mathbf{10.0\%}$", r"\underline{10.0\%}"])
def test_a_result_set_in_a_latex_text_style_is_read_as_the_plain_one(styled):
    """LaTeX abstracts bold their results; the style's command and braces are neither part of the number
    nor a word between it and "improvement" (was: no claim at all)."""
    plain = extract_claims(r"On CIFAR-10, our method achieves a 10.0\% improvement in accuracy.")
    df = extract_claims(rf"On CIFAR-10, our method achieves a {styled} improvement in accuracy.")
    cols = ["value", "unit", "family", "metric", "kind", "direction", "benchmark"]
    assert df[cols].values.tolist() == plain[cols].values.tolist() != []
    assert df["value_text"].tolist() == [r"10.0\%"]


@given(st.text(alphabet=st.sampled_from(list("\\{}textbfemph 10.%$")), max_size=60))
def test_unstyled_keeps_every_offset(text):
    from extract.match.engine import unstyled
    out = unstyled(text)
    assert len(out) == len(text)
    assert all(a == b or b == " " for a, b in zip(text, out))


def test_a_percentage_opened_by_a_latex_dollar_is_no_money():
    df = extract_claims(r"It preserves generation quality (VBench: $1\%\downarrow$ and $0.01\%\downarrow$).")
    assert df["value_text"].tolist() == [r"1\%", r"0.01\%"]  # was "$1\%": one US dollar of compute
    assert set(df["family"]) == {"score"} and set(df["unit"]) == {"%"}


def test_a_spaced_letter_that_starts_a_name_is_no_magnitude():
    df = extract_claims("The trial involves 1,800 K-12 students from public schools.")
    assert df["value"].tolist() == [1800.0]  # was 1.8 million (a "K" magnitude) and a claim of 12
    sizes = extract_claims("Model sizes span 7 B-13 B in all runs.")  # a spaced magnitude range stays one
    assert sizes["value"].tolist() == [7e9, 13e9]
