"""Apply the rule set to one paper: find numbers, pick the winning rule per number, build claims.

Speed: rules run only on the sentences that hold a number anchor (digits or a number word), each
sentence searched on its own by the rules whose ``needs`` cues occur in it. Offsets are the
abstract's, so ``abstract[start:end] == value_text`` always.
"""
from __future__ import annotations

import bisect
import re
import time
from dataclasses import dataclass, replace

from extract.match.numbers import NotANumber, apply_magnitude, parse_number
from extract.match.qualifiers import qualifier_at, qualifier_word
from extract.records import Claim, Paper
from extract.match.ruleset import TIMEOUT, RuleSet, default_rules
from extract.match.text import sentence_at, sentence_spans

# A sentence holds a number when it has a digit or one of these words (a factor or magnitude in words:
# "three times", "two-fold", "twice", "an order of magnitude", "halves", "a single day", "a million").
# Plain substring tests: far cheaper than a regex of words, and a false alarm only costs a rule run.
_DIGIT = re.compile(r"[0-9]")
_NUMBER_WORDS = ("time", "fold", "twice", "magnitude", "halv", "half", "doubl", "tripl", "quadrupl", "single",
                 "thousand", "million", "billion", "trillion", "dozen", "hundred")
_DOWN = re.compile(
    r"\b(?:reduc\w*|lower\w*|less|fewer|decreas\w*|drop\w*|smaller|cut\w*|sav(?:e|es|ed|ing|ings)|"
    r"compress\w*|shrink\w*|declin\w*|degrad\w*|loss|lose|los(?:es|ing)|cheaper|shorter|"
    r"minimi[sz]\w*|eliminat\w*|fall\w*|slash\w*|trim\w*|halv\w*|worse)\b", re.I)
# Seconds of rule time one paper may take in all: each rule also has its own limit (ruleset.TIMEOUT), but
# a huge abstract can keep every rule just under it; an ordinary abstract takes a few milliseconds.
PAPER_BUDGET = 2.0
# A sentence longer than this (a whole abstract with no full stop) gives each claim only a window around
# its number as evidence, cut at spaces, so 10,000 numbers do not make 10,000 copies of a megabyte.
LONG_SENTENCE = 1500
EVIDENCE_WINDOW = 600


class RuleTimeout(Exception):
    """A rule ran over its time limit on a paper's text, or the paper over its rule-time budget
    (the paper is reported, not hung on)."""

    def __init__(self, rule_id: str, paper_id: str, reason: str = ""):
        self.rule_id, self.paper_id = rule_id, paper_id
        super().__init__(reason or f"rule {rule_id!r} timed out on paper {paper_id!r}")


@dataclass(slots=True)
class Hit:
    start: int
    end: int
    rule: object
    match: object
    index: int  # which capture of group v


def has_number(text: str) -> bool:
    """Whether ``text`` can hold a claim at all (a digit or a number word)."""
    if _DIGIT.search(text):
        return True
    low = text.lower()
    return any(w in low for w in _NUMBER_WORDS)


def number_sentences(text: str, sentences) -> list[tuple[int, int]]:
    """The sentences of ``text`` that hold a number (a digit or a number word): the only ones a rule
    can fire in."""
    low = text.lower()
    words = [w for w in _NUMBER_WORDS if w in low]
    return [(s, e) for s, e in sentences
            if _DIGIT.search(text, s, e) or (words and any(low.find(w, s, e) >= 0 for w in words))]


def find_hits(text: str, rules: RuleSet, paper_id: str = "", sentences=None,
              budget: float | None = None) -> list[Hit]:
    """Every (number span, rule) pair that fires, before conflicts are resolved. Raises RuleTimeout when
    one rule runs over its limit or all of them over ``budget`` seconds (default PAPER_BUDGET).

    A rule runs only on the sentences that hold a number and one of its cues, each searched on its own
    (``pos``/``endpos``: a match never crosses a sentence end, a look-behind still sees the text before).
    Each attempt of a long rule pattern at a number is costly, so trying rules only on the sentences
    that hold their cues is most of the saving."""
    budget = PAPER_BUDGET if budget is None else budget
    deadline = time.monotonic() + budget
    hits: list[Hit] = []
    if not has_number(text):
        return hits
    spans = number_sentences(text, sentences if sentences is not None else sentence_spans(text))
    parts, rules_for = rules.parts, rules.gate.rules_for
    for s, e in spans:
        try:
            todo = rules_for(text[s:e])
        except TimeoutError as exc:
            raise RuleTimeout("needs", paper_id) from exc
        for i in todo:
            part = parts[i]
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuleTimeout(part.rule.id, paper_id, f"rules took over {budget:g} s on paper {paper_id!r} "
                                  f"({len(text):,} characters; stopped before rule {part.rule.id!r})")
            try:
                _search(part, text, s, e, min(TIMEOUT, left), hits)
            except TimeoutError as exc:
                if time.monotonic() >= deadline and left < TIMEOUT:
                    raise RuleTimeout(part.rule.id, paper_id, f"rules took over {budget:g} s on paper {paper_id!r} "
                                      f"({len(text):,} characters; stopped in rule {part.rule.id!r})") from exc
                raise RuleTimeout(part.rule.id, paper_id) from exc
    return hits


def _search(part, text: str, s: int, e: int, timeout: float, hits: list[Hit]) -> None:
    rule, rx = part.rule, part.regex
    has_v = "v" in rx.groupindex
    for m in rx.finditer(text, s, e, timeout=timeout):
        for k, (a, b) in enumerate(m.spans("v") if has_v else [m.span()]):
            if b > a:
                hits.append(Hit(a, b, rule, m, k))


def resolve(hits: list[Hit]) -> list[Hit]:
    """Keep, for each stretch of text, the hit of the highest priority (then the longest span)."""
    order = sorted(hits, key=lambda h: (-h.rule.priority, -(h.end - h.start), h.start))
    kept: list[Hit] = []
    # the spans taken never overlap, so sorted by start they are sorted by end too: the only one that can
    # overlap a new span is the last that starts before the new one ends
    starts: list[int] = []
    ends: list[int] = []
    for h in order:
        k = bisect.bisect_left(starts, h.end)
        if k and ends[k - 1] > h.start:
            continue
        starts.insert(k, h.start)
        ends.insert(k, h.end)
        kept.append(h)
    return sorted((h for h in kept if not h.rule.blocks), key=lambda h: h.start)


def _group(m, name: str, index: int) -> str:
    """The ``index``-th capture of group ``name`` (the last one when there are fewer)."""
    if name not in m.re.groupindex:
        return ""
    caps = m.captures(name)
    if not caps:
        return ""
    return caps[min(index, len(caps) - 1)]


def _enclosing(m, name: str, hit: Hit) -> str:
    """The capture of group ``name`` that holds the hit's number ("" when none does)."""
    if name not in m.re.groupindex:
        return ""
    for (a, b), t in zip(m.spans(name), m.captures(name)):
        if a <= hit.start and hit.end <= b:
            return t
    return ""


def build_claim(paper: Paper, hit: Hit, sentences) -> Claim | None:
    text = paper.abstract
    rule, m = hit.rule, hit.match
    surface = text[hit.start:hit.end]
    try:
        value, hint = parse_number(surface)
        rng = _enclosing(m, "rng", hit)
        if rng and not hint:  # "3-5%": the first end is a percentage too
            hint = parse_number(rng)[1]
        if _enclosing(m, "fac", hit):  # "by a factor of 3"
            hint = "x"
    except NotANumber:
        return None
    mag = _group(m, "mag", hit.index)
    if mag and abs(value) < 1e3:
        value = apply_magnitude(value, mag)
    value *= rule.scale
    sets = rule.sets
    # a multiplicative factor is a ratio and a percentage is in %, whatever the rule expected
    if hint == "x":
        kind, unit = "ratio", "x"
    else:
        kind = sets.get("kind") or "absolute"
        if kind == "ratio" and hint:  # "a speedup of 30%" is a change, not a factor
            kind = "delta"
        unit = "%" if hint == "%" else sets.get("unit") or (hint or sets.get("bare_unit", ""))
        if kind == "ratio":  # "a speedup of 2.5": a bare factor
            unit = "x"
    s0, s1 = sentence_at(sentences, hit.start)
    signed_down = kind == "delta" and value < 0  # "-3.2%": a fall of 3.2, the sign goes to the direction
    if signed_down:
        value = -value
    q = _group(m, "q", hit.index)
    qualifier = sets.get("qualifier") or ("range" if rng else "") or (q and qualifier_word(q)) \
        or qualifier_at(text, hit.start, hit.end, s0, s1, average=not (rule.family == "parameters" and kind == "absolute"))
    if kind == "absolute":
        direction = ""
    elif signed_down:
        direction = "down"
    elif sets.get("direction"):
        direction = sets["direction"]
    elif d := _group(m, "dir", hit.index):  # the rule captured the word that says which way ("fewer", "more")
        direction = "down" if _DOWN.search(d) else "up"
    else:
        direction = _direction(text, hit, s0, s1)
    metric = (_group(m, "metric", hit.index) or sets.get("metric") or rule.family)
    metric = " ".join(metric.lower().split())
    return Claim(
        paper_id=paper.id, title=paper.title, family=rule.family, metric=metric, kind=kind,
        direction=direction, value=_clean(value), unit=unit, qualifier=qualifier, value_text=surface,
        evidence=_evidence(text, s0, s1, hit.start, hit.end), start=hit.start, end=hit.end, rule=rule.id,
    )


def _evidence(text: str, s0: int, s1: int, start: int, end: int) -> str:
    """The sentence ``text[s0:s1]`` that holds the number at ``start:end``; of a very long sentence, only
    the words within EVIDENCE_WINDOW characters of the number."""
    if s1 - s0 <= LONG_SENTENCE:
        return text[s0:s1]
    a, b = max(s0, start - EVIDENCE_WINDOW), min(s1, end + EVIDENCE_WINDOW)
    if a > s0 and not text[a - 1].isspace():  # start at a word (no space in the window's head: keep the cut)
        sp = _SPACE_RE.search(text, a, start)
        a = sp.end() if sp else a
    if b < s1 and not text[b].isspace():  # end at a word
        cut = max(text.rfind(c, end, b) for c in " \n\t")
        b = cut if cut >= 0 else b
    return text[a:b].strip()


_SPACE_RE = re.compile(r"\s+")


def _direction(text: str, hit: Hit, s0: int, s1: int) -> str:
    window = text[max(s0, hit.start - 60):min(s1, hit.end + 40)]
    return "down" if _DOWN.search(window) else "up"


def _clean(value: float) -> float:
    """Round away binary noise (0.1 * 3) so 7e9 prints as 7000000000."""
    r = round(value, 9)
    return float(int(r)) if r == int(r) and abs(r) < 1e18 else r


def match_paper(paper: Paper, rules: RuleSet | None = None) -> tuple[list[Claim], list[tuple[int, int]]]:
    """The claims of one paper, in text order, without context, and the abstract's sentence spans
    (the driver attaches context with both: this stage does not import the context stage)."""
    rules = rules or default_rules()
    text = paper.abstract or ""
    if not has_number(text):
        return [], []
    sentences = sentence_spans(text)
    hits = resolve(find_hits(text, rules, paper.id, sentences))
    if not hits:
        return [], sentences
    built = [(h, c) for h in hits if (c := build_claim(paper, h, sentences)) is not None]
    return _share_list_qualifiers(built), sentences


_HEDGES = ("up_to", "approx")


def _share_list_qualifiers(built: list) -> list[Claim]:
    """The items of one list share its hedge: "by up to 12.2% for A and 19.5% for B" (both up to,
    spec 8), "107% for A, 18.6% for B and 3.2% for C on average" (all average). An item with its own
    cue keeps it."""
    out = [c for _, c in built]
    for k in range(1, len(built)):
        (h0, c0), (h1, c1) = built[k - 1], built[k]
        if h1.match is h0.match and c1.qualifier == "exact" and out[k - 1].qualifier in _HEDGES:
            out[k] = replace(c1, qualifier=out[k - 1].qualifier)
    for k in range(len(built) - 2, -1, -1):
        (h0, c0), (h1, c1) = built[k], built[k + 1]
        if h1.match is h0.match and out[k].qualifier == "exact" and out[k + 1].qualifier == "average" \
                and c1.family != "parameters":
            out[k] = replace(out[k], qualifier="average")
    return out
