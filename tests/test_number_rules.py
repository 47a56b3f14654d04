"""Every number rule's examples and counter-examples are test cases (rules/numbers/*.yaml): an example
must yield exactly its listed claims (each field the example gives must agree) with the rule among those
that decided one of them; a counter-example must yield no claim the rule decided (no claim at all for a
not-a-claim rule). Also: the rule set loads once however it is asked for, and fast."""
import time
from pathlib import Path

import pytest
import yaml

from extract.errors import RuleError
from extract.match.decide import decide
from extract.match.numrules import default_dir, number_rules

RULES = number_rules()


def _claims_and_trace(text):
    trace = []
    return decide(text, RULES, trace), trace


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


EXAMPLES = [pytest.param(r, ex, id=f"{r.id}: {ex['text'][:50]!r}") for r in RULES.rules for ex in r.examples]
COUNTER = [pytest.param(r, t, id=f"{r.id}: {t[:50]!r}") for r in RULES.rules for t in r.counter_examples]


@pytest.mark.parametrize("rule, ex", EXAMPLES)
def test_rule_example(rule, ex):
    got, trace = _claims_and_trace(ex["text"])
    want = ex.get("claims", [])
    assert len(got) == len(want), f"expected {len(want)} claims, got {_show(got)}"
    for w in want:
        assert any(_agrees(c, w) for c in got), f"no claim agrees with {w}; got {_show(got)}"
    fired = {rid for surface, fam, contrib, _ in trace if fam != "none" for rid in contrib}
    assert rule.id in fired, f"{rule.id} decided none of {_show(got)} (fired: {sorted(fired)})"


@pytest.mark.parametrize("rule, text", COUNTER)
def test_rule_counter_example(rule, text):
    got, _ = _claims_and_trace(text)
    if rule.blocks:
        assert got == [], f"a not-a-claim example yielded {_show(got)}"
    else:
        assert not [c for c in got if c["rule"] == rule.id], f"{rule.id} decided a counter-example: {_show(got)}"


def test_every_example_text_holds_its_value_texts():
    for r in RULES.rules:
        for ex in r.examples:
            for c in ex.get("claims", []):
                if "value_text" in c:
                    assert c["value_text"] in ex["text"], f"{r.id}: {c['value_text']!r} not in {ex['text']!r}"


def test_every_deciding_rule_has_an_example_or_a_counter_example():
    for r in RULES.rules:
        if r.kind == "not-claim" or r.family in ("score", "speedup", "memory", "parameters", "compute", "data",
                                                 "perplexity"):
            assert r.examples or r.counter_examples or r.id.startswith(("sign-glued", "sign-paren", "sign-millions-data",
                                                                        "sign-count", "sign-year", "sign-name-part",
                                                                        "cue-achieve", "cue-model", "cue-dataset",
                                                                        "cue-speed-weak", "not-spread")), r.id


def test_one_cache_however_the_rules_are_asked_for():
    assert number_rules() is number_rules(None) is number_rules(default_dir()) is number_rules(default_dir().parent)


def test_rules_load_in_well_under_a_second(tmp_path):
    # a copy in a new directory is a new cache entry: this measures a cold load
    d = tmp_path / "numbers"
    d.mkdir()
    for f in default_dir().glob("*.yaml"):
        (d / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    t0 = time.perf_counter()
    rules = number_rules(d)
    assert time.perf_counter() - t0 < 1.0
    assert len(rules.rules) == len(RULES.rules)


def test_a_broken_rule_file_names_every_problem(tmp_path):
    d = tmp_path / "numbers"
    d.mkdir()
    cues = yaml.safe_load((default_dir() / "cues.yaml").read_text(encoding="utf-8"))
    cues["cues"].append({"id": "cue-odd", "family": "colour", "weight": 1, "words": ["x"], "bogus": 1})
    (d / "cues.yaml").write_text(yaml.safe_dump(cues), encoding="utf-8")
    (d / "not_claims.yaml").write_text("rules:\n  - {id: not-odd, test: no_such_test}\n", encoding="utf-8")
    with pytest.raises(RuleError) as e:
        number_rules(d)
    text = str(e.value)
    assert "rule 'cue-odd': unknown keys ['bogus']" in text
    assert "cue 'cue-odd': family must be one of" in text
    assert "rule 'not-odd': test must be one of" in text


def test_a_missing_rule_file_is_a_rule_error(tmp_path):
    with pytest.raises(RuleError, match="cannot read"):
        number_rules(Path(tmp_path) / "numbers")


def _rules_with(tmp_path, change, name="cues.yaml"):
    """The bundled number rules copied to ``tmp_path`` with ``change`` applied to the data of file ``name``."""
    d = tmp_path / "numbers"
    d.mkdir()
    for f in default_dir().glob("*.yaml"):
        (d / f.name).write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    data = yaml.safe_load((d / name).read_text(encoding="utf-8"))
    change(data)
    (d / name).write_text(yaml.safe_dump(data), encoding="utf-8")
    return number_rules(d)


def test_the_grammar_word_lists_are_read_from_the_rules_not_the_code(tmp_path):
    text = "The method yields a 5% performance gain."
    assert [c["metric"] for c in decide(text, RULES)] == ["score"]  # "performance" is too general to name one

    def drop(cues):
        cues["grammar"]["metric_generic"].remove("performance")
    assert [c["metric"] for c in decide(text, _rules_with(tmp_path, drop))] == ["performance"]


def test_an_unknown_or_malformed_grammar_list_is_a_rule_error_naming_it(tmp_path):
    def odd(cues):
        cues["grammar"]["np_ends"] = ["across"]
        cues["grammar"]["filler"] = "by up to"
    with pytest.raises(RuleError, match=r"cues.yaml: grammar: \['filler', 'np_ends'\] are not word lists"):
        _rules_with(tmp_path, odd)


def _blocks_with(tmp_path, change):
    """The same, ``change`` given not_claims.yaml's rules by id."""
    return _rules_with(tmp_path, lambda blocks: change({r["id"]: r for r in blocks["rules"]}), "not_claims.yaml")


def test_a_not_claim_rules_words_are_read_from_the_rules_file(tmp_path):
    text = "We train with 16 examples per speaker."
    assert decide(text, RULES) == []  # how many of each is a setting

    def narrow(rules):
        rules["not-per-item"]["words"] = ["class"]
    assert [c["value_text"] for c in decide(text, _blocks_with(tmp_path, narrow))] == ["16"]


def test_a_test_that_reads_words_without_them_is_a_rule_error(tmp_path):
    def drop(rules):
        del rules["not-year"]["words"]
    with pytest.raises(RuleError, match="rule 'not-year': test year needs its words"):
        _blocks_with(tmp_path, drop)
