"""Load the number rules (rules/numbers/*.yaml) once per process: cue categories with their family,
weight and the positions where they count, signs of the number itself, and not-a-claim contexts.

A rule set is cached under its directory's resolved path, so ``number_rules()``,
``number_rules(None)`` and ``number_rules(<the default directory>)`` are one load. Loading is plain
YAML and dict building, no regex compiling: it takes milliseconds.
"""
from __future__ import annotations

import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

# the C parser when PyYAML has it: ten times faster than the pure-Python one on the rule files
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

from extract.errors import RuleError
from extract.records import FAMILIES

from . import notclaims
from .kinds import KindWords

SUBDIR = "numbers"
RULE_KEYS = {"id", "family", "weight", "at", "words", "feature", "test", "comment", "examples", "counter_examples"}
EXAMPLE_KEYS = {"text", "claims", "comment"}
NONE = "none"  # the family of cues that speak against a claim
# the words that name a measure: "PSNR 33.9" is a result where "Llama 3.1" is a version
_NOT_METRIC_WORDS = frozenset({"cis", "perplexities", "perplexity", "ppl"})  # perplexity has its own family
MEASURES = ("metric", "perplexity", "rate", "speed", "memory")


@dataclass
class NumberRule:
    id: str
    kind: str  # "cue", "sign" or "not-claim"
    family: str = ""
    comment: str = ""
    examples: list = field(default_factory=list)
    counter_examples: list = field(default_factory=list)
    source: str = ""
    blocks: bool = False


# the word lists of cues.yaml's `grammar` section, each read by extract/match/window.py or decide.py
GRAMMAR = ("filler", "right_stop", "left_stop", "np_end", "prepositions", "time_units", "spent", "training",
           "metric_skip", "metric_generic", "metric_heads", "metric_stages", "not_before_rate")


@dataclass
class NumberRules:
    rules: list
    weights: dict  # feature -> {family: weight}
    feature_rule: dict  # (feature, family) -> id of the rule its weight comes from
    tests: list  # (rule id, not-a-claim test), in file order
    exact: dict  # word -> categories
    prefix: dict  # stem -> categories
    kinds: KindWords | None = None  # the words of kind, direction and qualifier
    directory: str = ""
    kind_examples: list = field(default_factory=list)  # texts and the kinds they must yield (cues.yaml kinds)
    version: str = ""  # a short checksum of the rule files, so a run records which rules it used
    words: dict = field(default_factory=dict)  # the grammar lists of cues.yaml: name -> frozenset of words

    def cats(self, word: str) -> list:
        """The cue categories of a lower-case word: exact words first, then the longest stem, then the
        last part of a hyphenated word ("gpu-hours" -> "hours")."""
        got = self.exact.get(word)
        if got is None:
            got = []
            for k in range(min(len(word), 14), 2, -1):
                p = self.prefix.get(word[:k])
                if p:
                    got = p
                    break
            if not got and "-" in word:
                got = self.exact.get(word.rsplit("-", 1)[-1], [])
            if len(self.exact) < 200_000:  # a memo, bounded: odd corpora have endless distinct words
                self.exact[word] = got
        return got

    def measure(self, word: str) -> bool:
        return any(c in MEASURES for c in self.cats(word.lower()))


def default_dir() -> Path:
    from importlib import resources

    return Path(str(resources.files("extract.rules"))) / SUBDIR


def number_rules(directory: str | Path | None = None) -> NumberRules:
    """The number rules of ``directory`` (default: the bundled ones), loaded once per process."""
    d = Path(directory) if directory else default_dir()
    if d.name != SUBDIR and (d / SUBDIR).is_dir():
        d = d / SUBDIR  # a rules directory given whole
    return _load(str(d.resolve()))


@functools.lru_cache(maxsize=8)
def _load(directory: str) -> NumberRules:
    d = Path(directory)
    problems: list[str] = []
    cues = _read(d / "cues.yaml", problems)
    blocks = _read(d / "not_claims.yaml", problems)
    qpath = d.parent / "lexicons" / "qualifiers.yaml"  # shared with the rest of the rules
    if not qpath.is_file():
        qpath = default_dir().parent / "lexicons" / "qualifiers.yaml"
    qualifiers = _read(qpath, problems)
    if problems:
        raise RuleError(problems)
    pos = cues.get("positions") or {}
    # (a list left out is empty: a small rule set of one's own needs none)
    grammar = cues.get("grammar") or {}
    bad = [g for g in grammar if g not in GRAMMAR or not isinstance(grammar[g], list)] if isinstance(grammar, dict) else ["grammar"]
    if bad:
        problems.append(f"cues.yaml: grammar: {bad} are not word lists it knows ({list(GRAMMAR)})")
        grammar = {}
    words = {g: frozenset(str(w).lower() for w in grammar.get(g) or []) for g in GRAMMAR}
    weights: dict = {}
    feature_rule: dict = {}
    rules: list = []
    exact: dict = {}
    prefix: dict = {}
    for r in _items(cues, "signs", "cues.yaml", problems):
        fam, w, feat = r.get("family", ""), r.get("weight"), r.get("feature")
        if fam not in FAMILIES + (NONE,) or not isinstance(w, (int, float)) or not isinstance(feat, str):
            problems.append(f"cues.yaml: sign {r.get('id')!r}: needs feature, family (one of {FAMILIES + (NONE,)}) and weight")
            continue
        weights.setdefault(feat, {})[fam] = float(w)
        feature_rule[(feat, fam)] = r["id"]
        rules.append(_rule(r, "sign", "cues.yaml"))
    for r in _items(cues, "cues", "cues.yaml", problems):
        fam, w, name = r.get("family", ""), r.get("weight", 0.0), r["id"]
        if fam not in FAMILIES + (NONE, "") or not isinstance(w, (int, float)):
            problems.append(f"cues.yaml: cue {name!r}: family must be one of {FAMILIES + (NONE,)} or empty, weight a number")
            continue
        cat = name.removeprefix("cue-")
        at = r.get("at") or [p for p in pos if p != "head"]  # the phrase head counts only where named
        bad = [p for p in at if p not in pos]
        if bad:
            problems.append(f"cues.yaml: cue {name!r}: unknown positions {bad} (known: {list(pos)})")
        for p in at:
            if fam and p in pos:
                feat = f"{cat}@{p}"
                weights.setdefault(feat, {})[fam] = float(w) * float(pos[p])
                feature_rule[(feat, fam)] = name
        for word in r.get("words") or []:
            word = str(word).lower()
            table, key = (prefix, word[:-1]) if word.endswith("*") else (exact, word)
            table.setdefault(key, []).append(cat)
        rules.append(_rule(r, "cue", "cues.yaml"))
    # metric names the registries know (rules/lexicons/registry/metrics.yaml, from evaluate/torchmetrics/...)
    # are quality measures too, where the cue list does not already say what the word is
    mpath = d.parent / "lexicons" / "registry" / "metrics.yaml"
    if not mpath.is_file():
        mpath = default_dir().parent / "lexicons" / "registry" / "metrics.yaml"
    for spellings in (_read(mpath, problems).get("metrics") or {}).values():
        for w in spellings or []:
            w = str(w).lower()
            if " " not in w and len(w) >= 3 and w not in _NOT_METRIC_WORDS and w not in exact:
                exact[w] = ["metric"]
    tests = []
    for r in _items(blocks, "rules", "not_claims.yaml", problems):
        test = notclaims.TESTS.get(r.get("test", ""))
        if test is None:
            problems.append(f"not_claims.yaml: rule {r['id']!r}: test must be one of {sorted(notclaims.TESTS)}")
            continue
        if r["test"] in notclaims.WORDS:
            if not isinstance(r.get("words"), list) or not r["words"]:
                problems.append(f"not_claims.yaml: rule {r['id']!r}: test {r['test']} needs its words (a list)")
                continue
            test = notclaims.with_words(r["test"], r["words"])
        tests.append((r["id"], test))
        rules.append(_rule(r, "not-claim", "not_claims.yaml", blocks=True))
    kind_examples = list((cues.get("kinds") or {}).get("examples") or [])
    for ex in kind_examples:
        if not isinstance(ex, dict) or "text" not in ex or set(ex) - EXAMPLE_KEYS:
            problems.append("cues.yaml: kinds: an example needs text (and claims), nothing else")
    try:
        kinds = KindWords(cues.get("kinds") or {}, qualifiers)
    except (KeyError, TypeError, re.error) as e:
        problems.append(f"cues.yaml: kinds: {type(e).__name__}: {e}")
    if problems:
        raise RuleError(problems)
    h = hashlib.sha1()
    for f in sorted(d.glob("*.yaml")) + [qpath, mpath]:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return NumberRules(rules, weights, feature_rule, tests, exact, prefix, kinds, directory, kind_examples,
                       h.hexdigest()[:12], words)


def _read(path: Path, problems: list[str]) -> dict:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except OSError as e:
        problems.append(f"{path}: cannot read: {e.strerror}")
        return {}
    except yaml.YAMLError as e:
        problems.append(f"{path.name}: not valid YAML: {e}".replace("\n", " "))
        return {}
    if not isinstance(data, dict):
        problems.append(f"{path.name}: expected a mapping at the top")
        return {}
    return data


def _items(data: dict, key: str, source: str, problems: list[str]) -> list[dict]:
    out, seen = [], set()
    for i, r in enumerate(data.get(key) or []):
        if not isinstance(r, dict) or not isinstance(r.get("id"), str):
            problems.append(f"{source}: {key} item {i + 1}: expected a mapping with an id")
            continue
        extra = set(r) - RULE_KEYS
        if extra:
            problems.append(f"{source}: rule {r['id']!r}: unknown keys {sorted(extra)}")
        if r["id"] in seen:
            problems.append(f"{source}: rule {r['id']!r}: duplicate id")
        seen.add(r["id"])
        for ex in r.get("examples") or []:
            if not isinstance(ex, dict) or "text" not in ex or set(ex) - EXAMPLE_KEYS:
                problems.append(f"{source}: rule {r['id']!r}: an example needs text (and claims), nothing else")
        out.append(r)
    return out


def _rule(r: dict, kind: str, source: str, blocks: bool = False) -> NumberRule:
    return NumberRule(r["id"], kind, r.get("family", ""), r.get("comment", ""), list(r.get("examples") or []),
                      list(r.get("counter_examples") or []), source, blocks)
