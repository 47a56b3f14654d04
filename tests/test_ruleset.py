"""The rule loader: broken rule files give every problem at once, each with file:line; duplicate ids
and keys are rejected; unknown pieces, keys and values are named; good files compose and compile."""
import textwrap

import pytest

from extract.errors import RuleError
from extract.match.ruleset import default_rules, load_rules, word_list

BASE = """\
pieces:
  SP: '[\\s\\u00a0]'
  NUM: '\\d+(?:\\.\\d+)?'
  PCT: '{NUM}{SP}?%'
  WORDS: ['faster', 'quicker', 'speed\\w*']
cues:
  speedwords: ['faster', 'quicker']
"""

GOOD = """\
family: speedup
rules:
  - id: fast-pct
    comment: a percentage before a speed word
    pattern: '(?P<v>{PCT}){SP}{WORDS}'
    sets: {kind: delta, direction: up}
    priority: 50
    needs: ['@speedwords']
    examples:
      - text: "It is 30% faster."
        claims:
          - {value_text: "30%", value: 30, family: speedup, kind: delta}
    counter_examples:
      - "It is fast."
"""


def _write(tmp_path, files: dict):
    for name, text in files.items():
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def _problems(tmp_path, files):
    with pytest.raises(RuleError) as e:
        load_rules(_write(tmp_path, files))
    return e.value.problems


def test_good_rules_load_and_compose(tmp_path):
    rules = load_rules(_write(tmp_path, {"_base.yaml": BASE, "speedup.yaml": GOOD}))
    (rule,) = rules.rules
    assert rule.id == "fast-pct" and rule.family == "speedup" and rule.priority == 50
    assert rule.needs == ("faster", "quicker")  # @speedwords expanded
    assert rule.regex.search("It is 30% faster.").group("v") == "30%"
    assert rule.source == "speedup.yaml:3"
    assert len(rules.version) == 12


def test_every_problem_is_reported_at_once_with_file_and_line(tmp_path):
    bad = """\
    family: score
    rules:
      - id: one
        pattern: '(?P<v>{NOPE})'
        examples: [{text: "x 1", claims: []}]
      - id: two
        pattern: '(?P<v>\\d+'
        examples: [{text: "x 1", claims: []}]
      - id: three
        pattern: '\\d+'
        examples: [{text: "x 1", claims: []}]
      - id: four
        pattern: '(?P<v>\\d+)'
        sets: {kind: sideways, colour: red}
        examples: [{text: "x 1", claims: []}]
      - id: five
        pattern: '(?P<v>\\d+)'
        bogus: 1
    """
    problems = _problems(tmp_path, {"_base.yaml": BASE, "score.yaml": bad})
    text = "\n".join(problems)
    assert "score.yaml:3: rule 'one': unknown piece {NOPE}" in text
    assert "score.yaml:6: rule 'two': pattern: does not compile" in text
    assert "score.yaml:9: rule 'three': pattern: needs a named group (?P<v>...)" in text
    assert "score.yaml:12: rule 'four': sets: kind='sideways' is not one of" in text
    assert "score.yaml:12: rule 'four': sets: unknown key 'colour'" in text
    assert "score.yaml:16: rule 'five': unknown keys ['bogus']" in text
    assert "score.yaml:16: rule 'five': examples: a rule needs at least one example" in text


def test_duplicate_ids_across_files_are_rejected(tmp_path):
    other = GOOD.replace("family: speedup", "family: score")
    problems = _problems(tmp_path, {"_base.yaml": BASE, "speedup.yaml": GOOD, "score.yaml": other})
    assert any("rule 'fast-pct': duplicate id (first in" in p for p in problems)


def test_duplicate_keys_are_rejected_with_their_line(tmp_path):
    dup = GOOD.replace("    priority: 50\n", "    priority: 50\n    priority: 60\n")
    problems = _problems(tmp_path, {"_base.yaml": BASE, "speedup.yaml": dup})
    assert any(p.startswith("speedup.yaml:8: duplicate key 'priority'") for p in problems), problems


def test_bad_examples_are_named(tmp_path):
    bad = GOOD.replace('{value_text: "30%", value: 30, family: speedup, kind: delta}',
                       '{value_text: "30%", family: speed, flavour: sweet}')
    bad = bad.replace('      - text: "It is 30% faster."\n', '      - text: "It is 30% faster."\n        expect: maybe\n')
    problems = _problems(tmp_path, {"_base.yaml": BASE, "speedup.yaml": bad})
    text = "\n".join(problems)
    assert "unknown claim fields ['flavour']" in text
    assert "claim family='speed' is not one of" in text
    assert "expect must be 'fail'" in text


def test_known_miss_needs_a_comment(tmp_path):
    bad = GOOD.replace('      - text: "It is 30% faster."\n', '      - text: "It is 30% faster."\n        expect: fail\n')
    problems = _problems(tmp_path, {"_base.yaml": BASE, "speedup.yaml": bad})
    assert any("a known miss (expect: fail) needs a comment" in p for p in problems)


def test_unknown_family_unknown_top_key_and_bad_yaml(tmp_path):
    problems = _problems(tmp_path, {
        "_base.yaml": BASE,
        "a.yaml": "family: astrology\nrules: []\n",
        "b.yaml": "family: score\nrulez: []\n",
        "c.yaml": "family: score\nrules: [\n",
    })
    text = "\n".join(problems)
    assert "a.yaml: family 'astrology' is not one of" in text
    assert "b.yaml: unknown top-level keys ['rulez']" in text
    assert "c.yaml: not valid YAML" in text


def test_unknown_cue_list_and_bad_cue(tmp_path):
    bad = GOOD.replace("needs: ['@speedwords']", "needs: ['@nosuch', '(unclosed']")
    problems = _problems(tmp_path, {"_base.yaml": BASE, "speedup.yaml": bad})
    text = "\n".join(problems)
    assert "needs: unknown cue list '@nosuch'" in text
    assert "needs: cue '(unclosed' does not compile" in text


def test_parts_and_local_pieces(tmp_path):
    parts = GOOD.replace(
        "    pattern: '(?P<v>{PCT}){SP}{WORDS}'\n",
        "    pattern:\n"
        "      - '(?P<v>{PCT}){TAIL}'\n"
        "      - {pattern: '(?P<v>twice){TAIL}', needs: ['twice']}\n"
        "    pieces:\n"
        "      TAIL: '{SP}{WORDS}'\n")
    rules = load_rules(_write(tmp_path, {"_base.yaml": BASE, "speedup.yaml": parts}))
    (rule,) = rules.rules
    assert len(rule.parts) == 2 and len(rules.parts) == 2
    assert rule.parts[1].needs == ("twice",) and rule.parts[0].needs == ("faster", "quicker")
    assert rule.parts[1].regex.search("twice faster").group("v") == "twice"


def test_gate_runs_only_rules_whose_cues_occur(tmp_path):
    rules = load_rules(_write(tmp_path, {"_base.yaml": BASE, "speedup.yaml": GOOD}))
    assert rules.gate.rules_for("It is 30% faster.") == [0]
    assert rules.gate.rules_for("It is 30% better.") == []


def test_word_list_matches_like_a_plain_alternation():
    import regex

    words = ["accuracy", "acc\\.", "f1", "error rates?", "error", "EM", "bleu\\w*", "top-?[15] accuracy"]
    trie = regex.compile(word_list(words) + r"(?!\w)")
    flat = regex.compile("(?i:" + "|".join(words) + r")(?!\w)")
    for text in ["Accuracy", "acc.", "F1", "error rate", "error rates", "Error", "em", "BLEU-4x", "top-1 accuracy",
                 "bleurt", "accurate", "errors"]:
        a, b = trie.match(text), flat.match(text)
        assert (a and a.group()) == (b and b.group()), text


def test_bundled_rules_load():
    rules = default_rules()
    assert len(rules.rules) > 50
    families = {r.family for r in rules.rules}
    assert families >= {"score", "perplexity", "speedup", "memory", "parameters", "compute", "data", "none"}
