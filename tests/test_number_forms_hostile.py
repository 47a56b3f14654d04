"""Numbers written with invisible or non-ASCII characters are read whole, through the public API, whichever
engine is behind it (issue 14)."""
import pytest

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
