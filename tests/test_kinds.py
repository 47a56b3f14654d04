"""Kind and direction of a claim (spec section 3), decided in the match step from the words of
``kinds`` in rules/numbers/cues.yaml: its examples must yield exactly their claims, and the phrasings
it promises hold for any numbers (hypothesis)."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from extract.match.decide import decide
from extract.match.numrules import number_rules

RULES = number_rules()


def _show(got):
    return [(c["value_text"], c["family"], c["kind"], c["direction"], c["qualifier"]) for c in got]


def test_the_kinds_have_examples():
    assert len(RULES.kind_examples) >= 10


@pytest.mark.parametrize("ex", RULES.kind_examples, ids=lambda ex: ex["text"][:60])
def test_kind_example(ex):
    got = decide(ex["text"], RULES)
    want = ex.get("claims", [])
    assert len(got) == len(want), f"expected {len(want)} claims, got {_show(got)}"
    for w, c in zip(want, got):  # in text order
        assert all(str(c.get(k)) == str(v) for k, v in w.items()), f"{w} != {_show([c])}"


_pct = st.decimals(min_value="0.1", max_value="99.9", places=1).map(lambda d: f"{d}%")


def _join(items, last_sep):
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + last_sep + items[-1]


@settings(max_examples=60, deadline=None)
@given(st.lists(_pct, min_size=2, max_size=6, unique=True), st.sampled_from([" and ", ", and ", ", "]),
       st.sampled_from([("higher accuracy than the baseline", "up"), ("lower error than the baseline", "down"),
                        ("error reduction", "down"), ("improvement in accuracy", "up")]))
def test_a_list_before_a_change_word_is_all_changes(items, sep, tail):
    words, direction = tail
    text = f"The method gives {_join(items, sep)} {words}."
    got = decide(text, RULES)
    assert [c["value_text"] for c in got] == items
    assert all(c["kind"] == "delta" and c["direction"] == direction for c in got), _show(got)


@settings(max_examples=60, deadline=None)
@given(_pct, _pct, st.sampled_from(["further to", "then reaching", "finally to"]))
def test_a_value_reached_takes_no_change_from_the_list(gain, reached, words):
    text = f"Tuning improves accuracy by {gain} on the first split, and {words} {reached} with retrieval."
    got = decide(text, RULES)
    assert [(c["value_text"], c["kind"]) for c in got] == [(gain, "delta"), (reached, "absolute")], _show(got)


@settings(max_examples=60, deadline=None)
@given(st.decimals(min_value="0.01", max_value="0.99", places=2), st.sampled_from(["loss", "drop", "gain"]))
def test_a_value_after_equals_is_the_value(v, word):
    text = f"The proxy ranks models with Spearman rho = {v} for the cross-entropy {word}."
    got = decide(text, RULES)
    assert [(c["value_text"], c["kind"]) for c in got] == [(str(v), "absolute")], _show(got)
