"""decide's ``scorer`` stands in for the cue weights and for nothing else (bench/cross_fit.py measures a
learned scorer through it)."""
from hypothesis import given, settings, strategies as st

from extract.match.decide import FAMILIES, decide
from extract.match.ruleset import default_rules

TEXTS = ["Our 7B model is 2.5x faster than LLaMA-2-13B and reaches 86.4% on MMLU.",
         "Training takes 2,000 GPU hours on 1.3T tokens and cuts memory by 40%."]


def _weights(rules):
    def scorer(m, feats):
        score = dict.fromkeys(FAMILIES, 0.0)
        for f in feats:
            for fam, w in (rules.weights.get(f) or {}).items():
                score[fam] += w
        return max(FAMILIES, key=score.__getitem__)
    return scorer


@given(st.sampled_from(TEXTS) | st.text(alphabet=st.sampled_from(list("0123456789.%xB accuracy faster tokens")), max_size=80))
@settings(max_examples=60)
def test_a_scorer_that_adds_the_cue_weights_decides_as_the_rules(text):
    rules = default_rules()
    assert decide(text, rules, scorer=_weights(rules)) == decide(text, rules)


def test_the_scorer_decides_the_family_and_none_drops_the_number():
    rules = default_rules()
    seen = []
    assert decide(TEXTS[0], rules, scorer=lambda m, f: seen.append(f) or "none") == []
    assert seen and all("bias" in f for f in seen)  # it was given each mention's features
    out = decide(TEXTS[1], rules, scorer=lambda m, f: "data")
    assert out and {c["family"] for c in out} == {"data"}
