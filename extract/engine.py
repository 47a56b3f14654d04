"""Apply the rule set to one paper: find numbers, pick the winning rule per number, build claims."""
from __future__ import annotations

from dataclasses import dataclass

import regex

from . import context
from .numbers import NotANumber, apply_magnitude, parse_number
from .qualifiers import qualifier_at
from .records import Claim, Paper
from .ruleset import TIMEOUT, RuleSet, default_rules
from .text import sentence_at, sentence_spans

# A text with none of these cannot hold a claim: skip it before running any rule.
_PREFILTER = regex.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twice|double|half|hundred|thousand|"
    r"million|billion|trillion|dozen|order of magnitude|fold)\b", regex.I)
_DOWN = regex.compile(
    r"\b(?:reduc\w*|lower\w*|less|fewer|decreas\w*|drop\w*|smaller|cut\w*|sav(?:e|es|ed|ing|ings)|"
    r"compress\w*|shrink\w*|declin\w*|degrad\w*|loss|lose|los(?:es|ing)|cheaper|shorter|"
    r"minimi[sz]\w*|eliminat\w*|fall\w*|slash\w*|trim\w*|halv\w*)\b", regex.I)


class RuleTimeout(Exception):
    """A rule ran over its time limit on a paper's text (the paper is reported, not hung on)."""

    def __init__(self, rule_id: str, paper_id: str):
        self.rule_id, self.paper_id = rule_id, paper_id
        super().__init__(f"rule {rule_id!r} timed out on paper {paper_id!r}")


@dataclass(slots=True)
class Hit:
    start: int
    end: int
    rule: object
    match: object
    index: int  # which capture of group v


def find_hits(text: str, rules: RuleSet, paper_id: str = "") -> list[Hit]:
    """Every (number span, rule) pair that fires, before conflicts are resolved."""
    hits: list[Hit] = []
    if not _PREFILTER.search(text):
        return hits
    for rule in rules.rules:
        try:
            for m in rule.regex.finditer(text, timeout=TIMEOUT):
                if "v" in rule.regex.groupindex:
                    spans = m.spans("v")
                else:
                    spans = [m.span()]
                for i, (s, e) in enumerate(spans):
                    if e > s:
                        hits.append(Hit(s, e, rule, m, i))
        except TimeoutError as exc:
            raise RuleTimeout(rule.id, paper_id) from exc
    return hits


def resolve(hits: list[Hit]) -> list[Hit]:
    """Keep, for each stretch of text, the hit of the highest priority (then the longest span)."""
    order = sorted(hits, key=lambda h: (-h.rule.priority, -(h.end - h.start), h.start))
    kept: list[Hit] = []
    taken: list[tuple[int, int]] = []
    for h in order:
        if any(h.start < e and s < h.end for s, e in taken):
            continue
        taken.append((h.start, h.end))
        kept.append(h)
    return sorted((h for h in kept if not h.rule.blocks), key=lambda h: h.start)


def _group(m, name: str, index: int) -> str:
    if name not in m.re.groupindex:
        return ""
    caps = m.captures(name)
    if not caps:
        return ""
    return caps[min(index, len(caps) - 1)]


def build_claim(paper: Paper, hit: Hit, sentences) -> Claim | None:
    text = paper.abstract
    rule, m = hit.rule, hit.match
    surface = text[hit.start:hit.end]
    try:
        value, hint = parse_number(surface)
    except NotANumber:
        return None
    mag = _group(m, "mag", hit.index)
    if mag and abs(value) < 1e3:
        value = apply_magnitude(value, mag)
    value *= rule.scale
    sets = rule.sets
    kind = sets.get("kind") or ("ratio" if hint == "x" else "absolute")
    unit = sets.get("unit")
    if unit is None:
        unit = hint if hint in ("%", "x") else ""
    s0, s1 = sentence_at(sentences, hit.start)
    qualifier = sets.get("qualifier") or _group(m, "q", hit.index) and _qual_word(_group(m, "q", hit.index)) \
        or qualifier_at(text, hit.start, hit.end, s0, s1)
    direction = "" if kind == "absolute" else sets.get("direction") or _direction(text, hit, s0, s1)
    metric = (_group(m, "metric", hit.index) or sets.get("metric") or rule.family).lower().strip()
    return Claim(
        paper_id=paper.id, title=paper.title, family=rule.family, metric=metric, kind=kind,
        direction=direction, value=_clean(value), unit=unit, qualifier=qualifier, value_text=surface,
        evidence=text[s0:s1], start=hit.start, end=hit.end, rule=rule.id,
    )


def _qual_word(word: str) -> str:
    w = word.lower()
    for q, cues in (("up_to", ("up to", "as much")), ("at_least", ("over", "more", "least", ">")),
                    ("at_most", ("less", "under", "below", "fewer", "<")),
                    ("approx", ("about", "around", "approx", "nearly", "roughly", "~"))):
        if any(c in w for c in cues):
            return q
    return ""


def _direction(text: str, hit: Hit, s0: int, s1: int) -> str:
    window = text[max(s0, hit.start - 60):min(s1, hit.end + 40)]
    return "down" if _DOWN.search(window) else "up"


def _clean(value: float) -> float:
    """Round away binary noise (0.1 * 3) so 7e9 prints as 7000000000."""
    r = round(value, 9)
    return float(int(r)) if r == int(r) and abs(r) < 1e18 else r


def extract_paper(paper: Paper, rules: RuleSet | None = None) -> list[Claim]:
    """All claims of one paper, in text order, with their context attached."""
    rules = rules or default_rules()
    text = paper.abstract or ""
    hits = resolve(find_hits(text, rules, paper.id))
    if not hits:
        return []
    sentences = sentence_spans(text)
    claims = [c for h in hits if (c := build_claim(paper, h, sentences)) is not None]
    return context.attach(paper, claims, sentences)
