"""Load the rule sets in ``rules/``: validate every file, compose named pieces, compile once.

A rule file holds ``family`` and a list of ``rules``; ``_base.yaml`` holds the shared ``pieces``.
A pattern writes ``{PIECE}`` to use a piece (pieces may use other pieces). Every problem in every
file is collected and raised at once as a :class:`RuleError`, each line ``file:line: rule 'id': ...``.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import regex
import yaml

from extract.errors import RuleError
from extract.match.requires import finder, requirements
from extract.records import FAMILIES, KINDS, QUALIFIERS, UNITS

REF = regex.compile(r"\{([A-Z][A-Z0-9_]*)\}")
RULE_KEYS = {"id", "pattern", "sets", "priority", "flags", "examples", "counter_examples", "comment",
             "mag", "scale", "expect", "needs", "pieces"}
FILE_KEYS = {"family", "rules", "cues"}  # cues: named lists of needs, shared with YAML anchors (&name, *name)
EXAMPLE_KEYS = {"text", "claims", "expect", "comment"}
CLAIM_KEYS = {"value_text", "value", "family", "metric", "kind", "direction", "unit", "qualifier",
              "model", "benchmark", "baseline", "method"}
SET_KEYS = {"kind", "direction", "unit", "bare_unit", "metric", "qualifier", "family"}
BLOCK = "none"  # family of rules that mark numbers as not-claims
_META = re.compile(r"[\\.^$*+?{}\[\]|()]")  # a cue with none of these is a plain word (looked up, not matched)
TIMEOUT = 1.0  # seconds per rule per text: a pattern that backtracks for ever is stopped


@dataclass(frozen=True)
class Part:
    """One compiled pattern of a rule, with the cues it needs (a rule may split its pattern into parts
    so that each part starts cheaply: a number, a literal word, or a word list behind its own cues)."""

    rule: "Rule"
    regex: regex.Pattern
    needs: tuple = ()


@dataclass(frozen=True)
class Rule:
    id: str
    family: str
    pattern: object  # a string, or a list of strings / {pattern, needs} mappings
    regex: regex.Pattern  # the first part's
    sets: dict
    priority: int
    source: str
    examples: list = field(default_factory=list)
    counter_examples: list = field(default_factory=list)
    scale: float = 1.0
    needs: tuple = ()  # cue words: the rule runs only on texts holding one (empty: always runs)
    part_specs: tuple = ()  # (compiled, needs) of each part

    @property
    def blocks(self) -> bool:
        return self.family == BLOCK

    @property
    def parts(self) -> tuple:
        return tuple(Part(self, rx, needs) for rx, needs in self.part_specs)


@dataclass(frozen=True)
class RuleSet:
    rules: tuple[Rule, ...]
    pieces: dict
    version: str
    gate: "Gate | None" = None
    parts: tuple = ()

    def __post_init__(self):
        if not self.parts:
            object.__setattr__(self, "parts", tuple(p for r in self.rules for p in r.parts))
        if self.gate is None:
            object.__setattr__(self, "gate", Gate(self.parts))


class Gate:
    """Which rules can fire on a text, from the words it holds: a rule with ``needs`` runs only when
    one of its cues is one of the text's tokens, and only when the text holds the literals its pattern
    cannot match without (extract/requires.py: read off the pattern, so never wrong).

    A token is a word (letters, maybe digits after them) or one symbol ("%", "+"); digits alone are no cue. A cue is a
    case-insensitive regex fragment that must match a whole token ("faster", "speed\\w*", "%").
    Which rules a token opens is computed once per distinct token and cached.
    """

    # letters (with digits after them: "a100s", "gpt4"; "350GB" gives "gb"), or one symbol
    _TOKEN = re.compile(r"[^\W\d_]+(?:\d+[^\W\d_]*)?|[^\w\s]")
    CACHE = 200_000

    def __init__(self, rules):
        """``rules``: anything with ``needs`` and maybe ``regex`` (the rule set's parts)."""
        self.always = frozenset(i for i, r in enumerate(rules) if not r.needs)
        rx = [getattr(r, "regex", None) for r in rules]
        self.requires = [requirements(x.pattern, bool(x.flags & regex.VERBOSE), bool(x.flags & regex.IGNORECASE))
                         if x is not None else () for x in rx]
        self.finder = finder({w for req in self.requires for ors in req for w in ors})
        cues = sorted({c for r in rules for c in r.needs})
        opens = {c: frozenset(i for i, r in enumerate(rules) if c in r.needs) for c in cues}
        # plain words are looked up; only tokens that some pattern cue matches are tested one by one
        self.words = {c.lower(): opens[c] for c in cues if not _META.search(c)}
        patterns = [c for c in cues if c.lower() not in self.words]
        self.cues = [(regex.compile("(?:" + c + ")", regex.I), opens[c]) for c in patterns]
        self.any_cue = regex.compile("|".join(f"(?:{c})" for c in patterns), regex.I) if patterns else None
        self._token_rules: dict[str, frozenset] = {}

    def _rules_of(self, token: str) -> frozenset:
        got = self._token_rules.get(token)
        if got is None:
            got = self.words.get(token, frozenset())
            if self.any_cue is not None and self.any_cue.fullmatch(token, timeout=TIMEOUT):
                got = got.union(*(idx for cre, idx in self.cues if cre.fullmatch(token, timeout=TIMEOUT)))
            if len(self._token_rules) < self.CACHE:
                self._token_rules[token] = got
        return got

    def rules_for(self, text: str) -> list[int]:
        """Indices of the rules to run on ``text``, in rule order."""
        found = set(self.always)
        known = self._token_rules.get
        for token in set(self._TOKEN.findall(text.lower())):
            got = known(token)
            if got is None:
                got = self._rules_of(token)
            if got:
                found |= got
        if self.finder is not None and found:
            present = self.finder.present(text)
            req = self.requires
            return [i for i in sorted(found) if all(not ors.isdisjoint(present) for ors in req[i])]
        return sorted(found)


class _Loader(yaml.SafeLoader):
    """Records each mapping's line and collects duplicate keys (a silent overwrite hides a rule)."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[str] = []


def _construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            loader.duplicates.append(f"line {key_node.start_mark.line + 1}: duplicate key {key!r}")
        seen.add(key)
    mapping = loader.construct_mapping(node, deep=deep)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def rules_dir() -> Path:
    return Path(str(resources.files("extract.rules")))


def _read(path: Path, problems: list[str]) -> dict | None:
    try:
        loader = _Loader(path.read_text(encoding="utf-8"))
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
        for d in loader.duplicates:
            problems.append(f"{path.name}:{d.removeprefix('line ')}")
    except yaml.YAMLError as e:
        problems.append(f"{path.name}: not valid YAML: {e}".replace("\n", " "))
        return None
    if not isinstance(data, dict):
        problems.append(f"{path.name}: expected a mapping at the top, found {type(data).__name__}")
        return None
    return data


def word_list(words: list[str]) -> str:
    """A case-insensitive alternation of ``words`` (regex fragments), grouped by their first letters.

    Same matches as ``(?i:w1|w2|...)``, but the engine tries only the words that start with the letter
    at hand instead of every word at every position: a list of a hundred metric names stays cheap.
    """

    def group(items: list[str], depth: int) -> str:
        if depth == 2 or len(items) < 4:
            return "|".join(items)
        heads: dict[str, list[str]] = {}
        order: list[str] = []
        for w in items:
            k = w[0].lower() if w[:1].isalnum() and w[1:2] not in ("?", "*", "+", "{") else ""
            if k not in heads:
                heads[k] = []
                order.append(k)
            heads[k].append(w[1:] if k else w)
        alts = []
        for k in order:
            rest = heads[k]
            if not k:
                alts.extend(rest)
            elif len(rest) == 1:
                alts.append(k + rest[0])
            else:
                alts.append(k + "(?:" + group(rest, depth + 1) + ")")
        return "|".join(alts)

    return "(?i:" + group(list(words), 0) + ")"


def expand(pattern: str, pieces: dict, where: str, problems: list[str], _stack=()) -> str:
    """Replace each ``{PIECE}`` by its (expanded) pattern, in a non-capturing group."""

    def sub(m):
        name = m.group(1)
        if name not in pieces:
            problems.append(f"{where}: unknown piece {{{name}}} (known: {', '.join(sorted(pieces))})")
            return ""
        if name in _stack:
            problems.append(f"{where}: piece {{{name}}} refers to itself")
            return ""
        return "(?:" + expand(pieces[name], pieces, where, problems, _stack + (name,)) + ")"

    return REF.sub(sub, pattern)


def _check_sets(sets: dict, where: str, problems: list[str]) -> None:
    allowed = {"kind": KINDS, "direction": ("", "up", "down"), "unit": UNITS, "bare_unit": UNITS, "qualifier": QUALIFIERS,
               "family": FAMILIES}
    for k, v in sets.items():
        if k == "__line__":
            continue
        if k not in SET_KEYS:
            problems.append(f"{where}: sets: unknown key {k!r} (allowed: {', '.join(sorted(SET_KEYS))})")
        elif k in allowed and v not in allowed[k]:
            problems.append(f"{where}: sets: {k}={v!r} is not one of {list(allowed[k])}")


def load_rules(directory: str | Path | None = None) -> RuleSet:
    """Load and compile every ``*.yaml`` rule file of ``directory`` (default: the bundled rules)."""
    d = Path(directory) if directory else rules_dir()
    problems: list[str] = []
    base = d / "_base.yaml"
    pieces: dict = {}
    base_cues: dict = {}
    if base.exists():
        data = _read(base, problems) or {}
        pieces = {k: v for k, v in (data.get("pieces") or {}).items() if k != "__line__"}
        base_cues = {k: v for k, v in (data.get("cues") or {}).items() if k != "__line__"}
        for name, pat in list(pieces.items()):
            if isinstance(pat, list) and pat and all(isinstance(x, str) and x for x in pat):
                pieces[name] = word_list(pat)
            elif not isinstance(pat, str):
                problems.append(f"_base.yaml: piece {name}: must be a pattern string or a list of words")
    rules: list[Rule] = []
    seen: dict[str, str] = {}
    for path in sorted(d.glob("*.yaml")):
        if path.name == "_base.yaml":
            continue
        data = _read(path, problems)
        if data is None:
            continue
        unknown_top = set(data) - FILE_KEYS - {"__line__"}
        if unknown_top:
            problems.append(f"{path.name}: unknown top-level keys {sorted(unknown_top)} (allowed: {sorted(FILE_KEYS)})")
        family = data.get("family")
        if family not in FAMILIES + (BLOCK,):
            problems.append(f"{path.name}: family {family!r} is not one of {list(FAMILIES) + [BLOCK]}")
            continue
        for i, r in enumerate(data.get("rules") or []):
            line = r.get("__line__", 0) if isinstance(r, dict) else 0
            rid = r.get("id") if isinstance(r, dict) else None
            where = f"{path.name}:{line}: rule {rid!r}"
            if not isinstance(r, dict) or not isinstance(rid, str) or not rid:
                problems.append(f"{path.name}:{line}: rule #{i + 1}: needs an 'id' (a kebab-case string)")
                continue
            unknown = set(r) - RULE_KEYS - {"__line__"}
            if unknown:
                problems.append(f"{where}: unknown keys {sorted(unknown)} (allowed: {sorted(RULE_KEYS)})")
            if rid in seen:
                problems.append(f"{where}: duplicate id (first in {seen[rid]})")
            seen[rid] = f"{path.name}:{line}"
            pat = r.get("pattern")
            items = pat if isinstance(pat, list) else [pat]
            if not items or not all(_part_text(x) for x in items):
                problems.append(f"{where}: pattern: missing or empty (a string, or a list of strings or "
                                f"{{pattern, needs}} mappings)")
                continue
            sets = dict(r.get("sets") or {})
            _check_sets(sets, where, problems)
            flags = regex.VERBOSE | regex.V0
            for f in r.get("flags") or []:
                flags |= getattr(regex, str(f).upper(), 0)
            needs = _named_cues(_flatten(r.get("needs") or []), base_cues, where, problems)
            local = {k: v for k, v in (r.get("pieces") or {}).items() if k != "__line__"}
            for name, text in local.items():
                if not REF.fullmatch("{" + str(name) + "}") or not isinstance(text, str):
                    problems.append(f"{where}: pieces: {name!r} needs an UPPER_CASE name and a pattern string")
            rule_pieces = {**pieces, **local} if local else pieces
            specs, ok = [], True
            for k, item in enumerate(items):
                at = where if len(items) == 1 else f"{where}: pattern #{k + 1}"
                full = expand(_part_text(item), rule_pieces, at, problems)
                try:
                    compiled = regex.compile(full, flags)
                except regex.error as e:
                    problems.append(f"{at}: pattern: does not compile ({e})")
                    ok = False
                    continue
                if family != BLOCK and "v" not in compiled.groupindex:
                    problems.append(f"{at}: pattern: needs a named group (?P<v>...) around the number")
                    ok = False
                    continue
                part_needs = _flatten(item.get("needs") or []) if isinstance(item, dict) else []
                part_needs = _named_cues(part_needs, base_cues, at, problems)
                specs.append((compiled, tuple(str(c) for c in (part_needs or needs))))
                if isinstance(item, dict) and set(item) - {"pattern", "needs", "__line__"}:
                    problems.append(f"{at}: pattern: unknown keys {sorted(set(item) - {'pattern', 'needs', '__line__'})} "
                                    f"(a part has pattern and needs)")
                for cue in part_needs:
                    try:
                        regex.compile(str(cue))
                    except regex.error as e:
                        problems.append(f"{at}: needs: cue {cue!r} does not compile ({e})")
            if not ok:
                continue
            compiled = specs[0][0]
            if family != BLOCK and not r.get("examples"):
                problems.append(f"{where}: examples: a rule needs at least one example")
            for cue in needs:
                try:
                    regex.compile(str(cue))
                except regex.error as e:
                    problems.append(f"{where}: needs: cue {cue!r} does not compile ({e})")
            _check_examples(r, path.name, rid, problems)
            sets.pop("__line__", None)
            rules.append(Rule(
                id=rid, family=sets.pop("family", family), pattern=pat, regex=compiled, sets=sets,
                priority=int(r.get("priority", 50)), source=f"{path.name}:{line}",
                examples=_strip_lines(r.get("examples") or []),
                counter_examples=_strip_lines(r.get("counter_examples") or []),
                scale=float(r.get("scale", 1.0)),
                needs=tuple(str(c) for c in needs), part_specs=tuple(specs),
            ))
    if problems:
        raise RuleError(problems)
    version = _version(d)
    return RuleSet(rules=tuple(rules), pieces=pieces, version=version)


def _named_cues(cues: list, named: dict, where: str, problems: list[str]) -> list:
    """Expand ``@name`` items to the cue list ``name`` of _base.yaml's ``cues``."""
    out = []
    for c in cues:
        if c.startswith("@"):
            if c[1:] not in named:
                problems.append(f"{where}: needs: unknown cue list {c!r} (known: {', '.join('@' + k for k in sorted(named))})")
            else:
                out.extend(_flatten(named[c[1:]]))
        else:
            out.append(c)
    return out


def _part_text(item) -> str:
    """The pattern text of one part (a string, or the ``pattern`` of a mapping); "" when unusable."""
    if isinstance(item, dict):
        item = item.get("pattern")
    return item if isinstance(item, str) and item.strip() else ""


def _flatten(items) -> list:
    """needs may mix cues and lists of cues (YAML aliases of shared cue lists)."""
    if isinstance(items, (str, int, float)):
        return [str(items)]
    out = []
    for x in items:
        out.extend(_flatten(x))
    return out


def _check_examples(r: dict, fname: str, rid: str, problems: list[str]) -> None:
    """Examples are {text, claims[, expect, comment]}; counter-examples are plain strings."""
    where = f"{fname}:{r.get('__line__', 0)}: rule {rid!r}"
    for ex in r.get("examples") or []:
        line = ex.get("__line__", r.get("__line__", 0)) if isinstance(ex, dict) else r.get("__line__", 0)
        at = f"{fname}:{line}: rule {rid!r}"
        if not isinstance(ex, dict) or not isinstance(ex.get("text"), str):
            problems.append(f"{at}: examples: each example needs a 'text' string")
            continue
        unknown = set(ex) - EXAMPLE_KEYS - {"__line__"}
        if unknown:
            problems.append(f"{at}: examples: unknown keys {sorted(unknown)} (allowed: {sorted(EXAMPLE_KEYS)})")
        if ex.get("expect") not in (None, "fail"):
            problems.append(f"{at}: examples: expect must be 'fail' (a known miss), not {ex.get('expect')!r}")
        if ex.get("expect") == "fail" and not ex.get("comment"):
            problems.append(f"{at}: examples: a known miss (expect: fail) needs a comment saying why")
        claims = ex.get("claims", [])
        if not isinstance(claims, list):
            problems.append(f"{at}: examples: claims must be a list")
            continue
        for c in claims:
            if not isinstance(c, dict):
                problems.append(f"{at}: examples: each claim must be a mapping of field: value")
                continue
            bad = set(c) - CLAIM_KEYS - {"__line__"}
            if bad:
                problems.append(f"{at}: examples: unknown claim fields {sorted(bad)} (allowed: {sorted(CLAIM_KEYS)})")
            for k, allowed in (("family", FAMILIES), ("kind", KINDS), ("unit", UNITS), ("qualifier", QUALIFIERS)):
                if k in c and c[k] not in allowed:
                    problems.append(f"{at}: examples: claim {k}={c[k]!r} is not one of {list(allowed)}")
    for ce in r.get("counter_examples") or []:
        if not isinstance(ce, str):
            problems.append(f"{where}: counter_examples: each counter-example must be a plain string")


def _strip_lines(obj):
    if isinstance(obj, dict):
        return {k: _strip_lines(v) for k, v in obj.items() if k != "__line__"}
    if isinstance(obj, list):
        return [_strip_lines(v) for v in obj]
    return obj


def _version(d: Path) -> str:
    """A short checksum of the rule files, so a run records exactly which rules it used."""
    import hashlib

    h = hashlib.sha1()
    for p in sorted(d.rglob("*.yaml")):
        h.update(p.name.encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


@functools.lru_cache(maxsize=4)
def default_rules(directory: str | None = None) -> RuleSet:
    """The compiled rule set, once per process."""
    return load_rules(directory)
