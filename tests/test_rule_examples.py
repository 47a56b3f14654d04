"""Every rule's own examples are test cases: the whole engine, run on the example text, must yield
exactly the listed claims (matched on every field the example gives), and a counter-example nothing
from that rule (nothing at all for a block rule). An example marked ``expect: fail`` is a known miss:
it runs as a strict xfail, so the day it passes the suite says so and the mark must go."""
import pytest

from extract import extract_claims
from extract.match.ruleset import default_rules

RULES = default_rules().rules


def _id(rule, text):
    return f"{rule.id}: {text[:50]!r}"


def _example_params():
    out = []
    for r in RULES:
        for ex in r.examples:
            marks = ()
            if ex.get("expect") == "fail":
                marks = (pytest.mark.xfail(strict=True, reason=ex.get("comment", "known miss")),)
            out.append(pytest.param(r, ex, id=_id(r, ex["text"]), marks=marks))
    return out


COUNTER = [pytest.param(r, text, id=_id(r, text)) for r in RULES for text in r.counter_examples]


def _claims(text):
    return extract_claims(text).to_dict("records")


def _agrees(claim, want):
    for k, v in want.items():
        got = claim.get(k)
        if k == "value":
            if abs(float(got) - float(v)) > 1e-6 * max(1.0, abs(float(v))):
                return False
        elif str(got) != str(v):
            return False
    return True


def _show(got):
    return [(c["value_text"], c["value"], c["family"], c["unit"], c["kind"], c["direction"], c["qualifier"], c["rule"])
            for c in got]


@pytest.mark.parametrize("rule, ex", _example_params())
def test_rule_example(rule, ex):
    got = _claims(ex["text"])
    want = ex.get("claims", [])
    assert len(got) == len(want), f"expected {len(want)} claims, got {_show(got)}"
    for w in want:
        assert any(_agrees(c, w) for c in got), f"no claim agrees with {w}; got {_show(got)}"
    assert any(c["rule"] == rule.id for c in got) or rule.blocks, f"rule {rule.id} produced none of {_show(got)}"


@pytest.mark.parametrize("rule, text", COUNTER)
def test_rule_counter_example(rule, text):
    got = _claims(text)
    assert not [c for c in got if c["rule"] == rule.id], f"{rule.id} fired on a counter-example: {_show(got)}"
    if rule.blocks:
        assert got == [], f"a not-claim example yielded {_show(got)}"


def test_every_rule_has_examples():
    for r in RULES:
        assert r.examples or r.blocks, f"{r.source}: rule {r.id} has no examples"
        assert r.counter_examples, f"{r.source}: rule {r.id} has no counter-examples"


def test_every_example_text_holds_its_value_texts():
    """An example's value_text must occur in its text (else the example cannot be met, only mistyped)."""
    for r in RULES:
        for ex in r.examples:
            for c in ex.get("claims", []):
                if "value_text" in c:
                    assert c["value_text"] in ex["text"], f"{r.source}: {c['value_text']!r} not in {ex['text']!r}"
