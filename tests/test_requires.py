"""The literals read off a pattern (extract/requires.py) are really required: filtering rules by them
never hides a match."""
import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from extract.records import Paper
from extract.run.batch import extract_paper
from extract.match.requires import finder, requirements
from extract.match.ruleset import default_rules
from extract.match.text import sentence_spans

ROOT = Path(__file__).resolve().parent.parent
RULES = default_rules()
ABSTRACTS = [json.loads(line)["abstract"] for line in (ROOT / "data" / "papers.jsonl").read_text("utf-8").splitlines()
             if line.strip()]
SENTENCES = sorted({a[s:e] for a in ABSTRACTS for s, e in sentence_spans(a)}
                   | {ex["text"] for r in RULES.rules for ex in r.examples}
                   | {(c["text"] if isinstance(c, dict) else c) for r in RULES.rules for c in r.counter_examples})


@pytest.mark.parametrize("pattern, flags, expected", [
    (r"\bby\b(?=\s)\s*\d+(?:\.\d+)?%", {}, [{"by"}, {"%"}]),
    (r"(?:faster|Quicker)\s+than", {}, [{"faster", "quicker"}, {"than"}]),
    (r"(?:faster|\d+x)\s+than", {}, [{"than"}]),  # one way through has no word: the branch says nothing
    (r"(?:speed)?up", {}, [{"up"}]),  # an optional part requires nothing
    (r"(?=abc)\d+(?<=xyz)", {}, []),  # look-arounds require nothing
    (r"(?P<v>\d+)(?P<v>x)?\s+(?i:Times)", {}, [{"times"}]),  # a name used twice, as the regex module allows
    (r"(?:ab){2,}c", {}, [{"ab"}]),
    (r"a b  c", {"verbose": True}, [{"abc"}]),
    (r"[Ff]rom", {}, [{"rom"}]),
    (r"(", {}, []),  # beyond the parser: nothing is claimed
])
def test_requirements_of_small_patterns(pattern, flags, expected):
    assert sorted(map(set, requirements(pattern, **flags)), key=sorted) == sorted(expected, key=sorted)


def test_finder_reports_overlapping_literals_case_folded():
    f = finder({"acc", "accuracy", "%", "word error rate"})
    assert f.present("Top-1 ACCURACY up 3% (Word Error Rate)") == {"acc", "accuracy", "%", "word error rate"}
    assert finder(set()) is None


def _missing(sentence: str) -> list[str]:
    """Parts that match ``sentence`` although a requirement of theirs is absent from it."""
    present = RULES.gate.finder.present(sentence)
    bad = []
    for part, req in zip(RULES.parts, RULES.gate.requires):
        if any(ors.isdisjoint(present) for ors in req) and part.regex.search(sentence):
            bad.append(part.rule.id)
    return bad


def test_most_rules_have_requirements():
    assert RULES.gate.finder is not None
    assert sum(1 for r in RULES.gate.requires if r) >= len(RULES.parts) // 2


def test_no_match_lacks_its_requirements_on_corpus_and_examples():
    bad = {s[:80]: m for s in SENTENCES if (m := _missing(s))}
    assert not bad


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=4), st.integers(0, 10_000), st.integers(0, 200))
def test_no_match_lacks_its_requirements_on_spliced_text(parts, cut, length):
    """Text cut and spliced at arbitrary points (words broken, sentences run together)."""
    joined = " ".join(parts)
    i = cut % max(1, len(joined))
    text = joined[i:i + length] + joined[:i]
    assert not _missing(text)


def test_filtering_by_requirements_changes_no_claim():
    plain = copy.copy(RULES.gate)
    plain.finder = None
    unfiltered = copy.copy(RULES)
    object.__setattr__(unfiltered, "gate", plain)
    for i, a in enumerate(ABSTRACTS):
        p = Paper(id=str(i), title="", abstract=a)
        assert extract_paper(p, RULES) == extract_paper(p, unfiltered)
