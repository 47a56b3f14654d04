"""Every rule's own examples are test cases: the whole engine, run on the example text, must yield
exactly the listed claims (matched on every field the example gives), and a counter-example nothing."""
import pytest

from extract import extract_claims
from extract.ruleset import default_rules

RULES = default_rules().rules
EXAMPLES = [(r, ex) for r in RULES for ex in r.examples]
COUNTER = [(r, text) for r in RULES for text in r.counter_examples]


def _id(pair):
    rule, ex = pair
    text = ex["text"] if isinstance(ex, dict) else ex
    return f"{rule.id}: {text[:50]!r}"


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


@pytest.mark.parametrize("pair", EXAMPLES, ids=[_id(p) for p in EXAMPLES])
def test_rule_example(pair):
    rule, ex = pair
    got = _claims(ex["text"])
    want = ex.get("claims", [])
    if ex.get("expect") == "fail":
        pytest.xfail(ex.get("comment", "known failure"))
    assert len(got) == len(want), f"expected {len(want)} claims, got {[(c['value_text'], c['family'], c['rule']) for c in got]}"
    for w in want:
        assert any(_agrees(c, w) for c in got), f"no claim agrees with {w}; got {[(c['value_text'], c['value'], c['unit'], c['kind'], c['qualifier'], c['model'], c['rule']) for c in got]}"
    assert any(c["rule"] == rule.id for c in got) or rule.blocks, f"rule {rule.id} produced none of {[(c['value_text'], c['rule']) for c in got]}"


@pytest.mark.parametrize("pair", COUNTER, ids=[_id(p) for p in COUNTER])
def test_rule_counter_example(pair):
    rule, text = pair
    got = _claims(text)
    assert not [c for c in got if c["rule"] == rule.id], f"{rule.id} fired on a counter-example: {[(c['value_text'], c['rule']) for c in got]}"
    if rule.blocks:
        assert got == [], f"a not-claim example yielded {[(c['value_text'], c['rule']) for c in got]}"


def test_every_rule_has_examples():
    for r in RULES:
        assert r.examples or r.blocks, f"{r.source}: rule {r.id} has no examples"
        assert r.counter_examples or not r.blocks, f"{r.source}: block rule {r.id} has no counter-examples"
