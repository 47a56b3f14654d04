"""The metric of a claim: the measure its text names (spec section 2), else the family's name.

The engine reads a few words around each number; here the sentence is read for metric names (the
registry lexicon's and `extra_metrics`, via metric_words) and a score or perplexity number takes, in turn:

1. the name at its place in a slash list ("SR/SPL from 0.83/0.56", "Success@1/2/3 of ...");
2. a name tied to it: right before it by "of", "=", "(" ("accuracy of 0.708", "NDCG@5 = 0.30", "Frechet
   BiomedCLIP Distance (FBD) of 1450", "PLCC = 0.78"), or right after it across fillers, a spread or
   the rest of its list ("85% accuracy", "92.3+/-0.2% F1", "15.7% and 18.2% error reduction") -- unless
   that name has a number of its own ("92.2% agreement, kappa = 0.80");
3. one word before a singular "score" ("an agreement score of 0.73");
4. with no name in its sentence: a measure noun after it ("1.9% cumulative error"), or what a verb of
   change takes ("reduces over-smoothing by 30%");
5. else the engine's name when it is written next to the number ("a TM-Score of 0.84"), a nearer measure
   changed ("the NDCG variant reduces preservation ratios to 0.51"), the nearest name before it in its
   clause, or the one name its sentence gives.

Speed, memory, compute, parameter and data numbers are measured in extract/context/measure.py. A name is
kept as written (lower case, singular), but "Full Name (ACR)" is the acronym when the registry's name is
it (PSNR); metric_info gives the canonical name and which way is better where a ranking needs them.
"""
from __future__ import annotations

import bisect
import re

from extract.context.cues import Ctx, clause_span, sentence_of
from extract.context.measure import counted_of, counted_data, measure_of
from extract.context.metric_words import (  # noqa: F401  (metric_info, metric_lexicon: for the Leaderboard and registry)
    changed_measure, metric_word_data, metric_lexicon, list_end, own_tied, is_generic, metric_info, tidy)
from extract.records import Claim

_METRIC_FAMILIES = ("score", "perplexity")
# a number right before a name, with only its unit between ("3.2 pp accuracy", "12% F1")
_NUMBER_BEFORE = re.compile(r"\d[\d.,]*\s*(?:\\?%|pp|p\.p\.|points?|pts)?\s*(?:absolute\s+|relative\s+)?$")
_AT_K = re.compile(r"@\d+(?![\w/])")


def mentions(ctx: Ctx, s0: int, s1: int) -> list[tuple[int, int]]:
    """The metric names in text[s0:s1], as (start, end), in order, never overlapping."""
    key = ("metrics", s0)
    hit = ctx.cache.get(key)
    if hit is not None:
        return hit
    text = ctx.text[s0:s1]
    spans = _metric_hits(ctx, s0, s1)
    if spans is None:
        lex = metric_lexicon()
        spans = [] if lex is None else [(a + s0, b + s0) for a, b, kind, _ in lex.find_names(text) if kind == "metric"]
    rx = metric_word_data()["extra_rx"]
    if rx is not None:
        spans += [(m.start() + s0, m.end() + s0) for m in rx.finditer(text)]
    spans.sort(key=lambda x: (x[0], -x[1]))
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a < out[-1][1]:
            continue  # overlaps a longer or earlier name
        at = _AT_K.match(ctx.text, b)
        b = at.end() if at else b  # "SPL@3", "Hits@10": the measure at a cut-off
        # "Pass@1 accuracy", "exact match accuracy": the first name is the measure, the second its kind;
        # "Critical Error Rate (CER)": the acronym is the name before it again
        if out and (ctx.text[out[-1][1]:a] in (" ", "-") or (ctx.text[out[-1][1]:a] == " ("
                                                               and ctx.text[b:b + 1] == ")")):
            continue
        out.append((a, b))
    ctx.cache[key] = out
    return out


def _metric_hits(ctx: Ctx, s0: int, s1: int) -> list[tuple[int, int]] | None:
    """The registry's metric names in text[s0:s1], read off the abstract's scan (scan_abstract), or None
    when that could differ from a search of the sentence alone: the sentence runs past the scanned head,
    an edge of it is not after or before a space (a piece could run across it), or a name found there
    runs across an edge (it would have taken pieces of the sentence the sentence alone would not)."""
    reg = ctx.cache.get("registry")
    if reg is None or s1 > reg[0]:
        return None
    text = ctx.text
    if (s0 and not text[s0 - 1].isspace()) or (s1 < reg[0] and not text[s1].isspace()):
        return None
    hits = reg[1]
    i = bisect.bisect_left(hits, (s0,))  # names never overlap: only the one before i may run into s0
    if i and hits[i - 1][1] > s0:
        return None
    out = []
    for a, b, kind, _ in hits[i:]:
        if a >= s1:
            break
        if b > s1:
            return None
        if kind == "metric":
            out.append((a, b))
    return out


def metric(ctx: Ctx, c: Claim) -> str:
    """The claim's metric: a name tied to the number (right after it, or right before it with "of",
    "=", "("), else the engine's when it named one, else its clause's."""
    if c.family == "data":
        return counted_of(ctx, c)
    if c.family not in _METRIC_FAMILIES:
        return measure_of(ctx, c)
    own = "" if is_generic(c.metric, c.family) else tidy(c.metric)
    listed = _slashed(ctx, c)
    if listed:
        return listed
    found, tied = _named(ctx, c)
    if not tied:
        # a measure written right after the number ("an improvement of 4.7pp in speaker similarity", "62% lower
        # loss") is its own, though no lexicon knows it, before any name elsewhere in the sentence
        phrase = _scored(ctx, c) or (found and _unknown_after(ctx, c))
        if phrase:
            return phrase
    if not found and not own:
        phrase = _noun_after(ctx, c) or changed_measure(ctx, c)
        if phrase:
            return phrase
    if found and not tied:
        ch = changed_measure(ctx, c, after=found[1])
        if ch:  # "NDCG variant (sNDCG) reduces preservation ratios to 0.51": the nearer measure changed
            return ch
    if not found and not own:
        prev = _previous(ctx, c) or _compared_in(ctx, c)
        if prev:
            return prev
    if not found:
        return own or c.family
    # a name the clause gives is surer than the engine's, read from a few words around the number
    # ("accuracy of 0.708 and an F1 score of 0.67"; "a 99% pass rate on HumanEval and 100% on X"),
    # unless the engine's is tied to the number too ("a TM-Score of 0.84, ... structural similarity")
    name = _name_at(ctx, found)
    if own and not tied and own not in name and own_tied(ctx, c, own):
        return own  # (a found name that holds the engine's is it in full: "Spearman Rho = 0.81")
    return name


_VALUES = re.compile(r"(?<![\w./])\d[\d.]*(?:/\d[\d.]*)+(?![\w/])")
_NAMES = re.compile(r"(?<![\w/-])[A-Za-z][\w@.-]*(?:/[\w@.-]+)+")


def _previous(ctx: Ctx, c: Claim) -> str | None:
    """"X performed best (0.91), with Y close behind (0.89)": a bare number in parentheses whose sentence
    names no measure is in the one measure the sentence before named."""
    if ctx.text[c.start - 1:c.start] != "(" or ctx.text[c.end:c.end + 1] != ")":
        return None
    s0, _, _ = sentence_of(ctx, c.start)
    if s0 < 2:
        return None
    p0, p1, _ = sentence_of(ctx, s0 - 1)
    ms = mentions(ctx, p0, p1)
    names = {_name_at(ctx, m) for m in ms}
    return names.pop() if len(names) == 1 else None


def _compared_in(ctx: Ctx, c: Claim) -> str | None:
    """"a GPT-4 score of 1.29, outperforming X (1.13) and Y (1.17)": a bare number in parentheses after the
    system it is of is in the measure the sentence gave the number before it, of its family and unit."""
    if ctx.text[c.start - 1:c.start] != "(" or ctx.text[c.end:c.end + 1] != ")" or not ctx.claims:
        return None
    s0, _, _ = sentence_of(ctx, c.start)
    before = [x for x in ctx.claims if s0 <= x.start < c.start and x.family == c.family and x.unit == c.unit
              and x.kind == c.kind and ctx.text[x.start - 1:x.start] != "("]
    if not before:
        return None
    name = metric(ctx, before[-1])
    return None if is_generic(name, c.family) else name


def _slashed(ctx: Ctx, c: Claim) -> str | None:
    """A value in a slash list takes the name at its place in a slash list of names before it: "SR/SPL
    from 0.83/0.56", "Success@1/2/3 of 0.93/0.96/0.97" (the cut-offs share the name before the @)."""
    if "/" not in ctx.text[max(0, c.start - 1):c.end + 1]:
        return None
    s0, s1, _ = sentence_of(ctx, c.start)
    vals = next((v for v in _VALUES.finditer(ctx.text, max(s0, c.start - 40), min(s1, c.end + 40))
                 if v.start() <= c.start and c.end <= v.end()), None)
    if vals is None:
        return None
    parts = vals.group().split("/")
    i = ctx.text[vals.start():c.start].count("/")
    a, _ = clause_span(ctx, s0, s1, c.start)
    groups = [g for g in _NAMES.finditer(ctx.text, a, vals.start()) if g.group().count("/") == len(parts) - 1]
    if not groups or i >= len(parts):
        return None
    names = groups[-1].group().split("/")
    base = names[0].rsplit("@", 1)[0] + "@" if "@" in names[0] else ""
    name = names[i] if not (base and names[i].isdigit()) else base + names[i]
    return tidy(name)


def _noun_after(ctx: Ctx, c: Claim) -> str | None:
    """"1.9% cumulative error", "a 2.3% optimality gap", "18.2% error reduction": a measure no lexicon
    knows, right after the number, that ends in a noun of measure (rules/lexicons/context.yaml)."""
    s0, s1, _ = sentence_of(ctx, c.start)
    d = metric_word_data()
    m = None
    for end in (c.end, list_end(ctx, c, s1)):
        gap = d["filler"].match(ctx.text, end, s1).end()
        m = m or d["noun_after"].match(ctx.text, gap, s1)
    if m is None or (m.group(1) or "").lower() in d["not_score_names"]:
        return None
    return tidy(m.group())


def _unknown_after(ctx: Ctx, c: Claim) -> str | None:
    """_noun_after's measure when it holds no name the lexicons know ("4.7pp in speaker similarity", not
    "86% diagnostic accuracy": that is accuracy) and opens on no function word ("0.36 for cross-entropy loss")."""
    phrase = _noun_after(ctx, c)
    if not phrase or phrase.split()[0] in metric_word_data()["stop"]:
        return None
    s0, s1, _ = sentence_of(ctx, c.start)
    if any(c.end <= a < c.end + 60 + len(phrase) and tidy(ctx.text[a:b]) in phrase for a, b in mentions(ctx, s0, s1)):
        return None
    return phrase


def _scored(ctx: Ctx, c: Claim) -> str | None:
    """"an agreement score of 0.73", "+45% in GPT-4 score": a score the text names by one word."""
    s0, s1, _ = sentence_of(ctx, c.start)
    d = metric_word_data()
    m = d["score_before"].search(ctx.text, max(s0, c.start - 60), c.start)
    if m is None:
        gap = d["filler"].match(ctx.text, c.end, s1).end()
        m = d["score_after"].match(ctx.text, gap, s1)
    w = m.group("w").lower() if m else ""
    if (m is None or w in d["not_score_names"] or w.rsplit("-", 1)[-1] in d["not_score_names"]
            or w.endswith("est") or is_generic(w, c.family)
            or metric_info(m.group("w")) is not None):  # "F1 score", "CHRF score": the metric's own name
        return None
    return tidy(m.group("w")) + " score"


def _name_at(ctx: Ctx, span: tuple[int, int]) -> str:
    """The name at ``span``; written in full before its acronym ("Peak Signal-to-Noise Ratio (PSNR)"),
    the acronym when the registry's canonical name is that acronym."""
    name = _name(ctx.text[span[0]:span[1]])
    acr = _ACRONYM.match(ctx.text, span[1])
    if acr:
        info = metric_info(name)
        if info and info[0].lower() == acr.group(1).lower():
            return acr.group(1).lower()
    return name


_ACRONYM = re.compile(r"\s*\(([A-Za-z][\w@-]{1,9})\)")


def _name(text: str) -> str:
    """How the claim writes a found name: as written, without a "score" a known metric does not need."""
    t = tidy(text)
    if t.endswith(" score") and metric_info(t[:-6]) is not None:
        t = t[:-6]
    # "answerability classification accuracy" is accuracy: a known measure with words before it
    info = metric_info(t)
    if info and t.endswith(" " + info[0]):
        t = info[0]
    return t


def _spelled(text: str, acr, a: int) -> bool:
    """Do the capitalised words right before "(ACR)" spell it ("Frechet BiomedCLIP Distance (FBD)")?"""
    letters = re.sub(r"[^A-Z]", "", acr.group("a"))
    words = re.findall(r"[A-Za-z]+", text[max(a, acr.start() - 80):acr.start()])[-len(letters):]
    return len(letters) >= 2 and len(words) == len(letters) and all(
        w[0].upper() == x and w[0].isupper() for w, x in zip(words, letters))


def _named(ctx: Ctx, c: Claim) -> tuple[tuple[int, int] | None, bool]:
    """The metric name the claim's sentence gives it, and whether that name is tied to the number."""
    s0, s1, _ = sentence_of(ctx, c.start)
    ms = mentions(ctx, s0, s1)
    a, b = clause_span(ctx, s0, s1, c.start)
    d = metric_word_data()
    before = [m for m in ms if a <= m[0] and m[1] <= c.start]
    acr = d["acronym_before"].search(ctx.text, max(a, c.start - 40), c.start)
    if acr and not (before and before[-1][1] > acr.start()) and _spelled(ctx.text, acr, a):
        return (acr.start(1), acr.end(1)), True  # "Frechet BiomedCLIP Distance (FBD) of 1450"
    eq = d["acronym_equals"].search(ctx.text, max(a, c.start - 16), c.start)
    if eq and not (before and before[-1][1] > eq.start()):
        return eq.span(1), True  # "PLCC = 0.778, SRCC = 0.802": an acronym set equal to the number
    if not ms:
        return None, False
    if before and d["tied_before"].fullmatch(ctx.text, before[-1][1], c.start):
        return before[-1], True  # 1. right before it: "accuracy of 0.708", "NDCG@5 = 0.30"
    end = list_end(ctx, c, b)
    for m in ms:  # 2. right after the number, unless it has its own
        if c.end <= m[0] <= b and (d["filler"].fullmatch(ctx.text, c.end, m[0])
                                   or d["filler"].fullmatch(ctx.text, end, m[0])):
            if not d["owns_next"].match(ctx.text, m[1]):
                return m, True
            break
    if before:  # 3. the nearest before it in its clause
        return before[-1], False
    # 4. the sentence's one measure, unless it comes later with a number of its own, after or before it
    # ("(41.2 pp drop when removed), with ... an additional 3.2 pp accuracy gain")
    ms = [m for m in ms if m[0] < c.start or not (d["owns_next"].match(ctx.text, m[1])
                                                  or _NUMBER_BEFORE.search(ctx.text, max(c.end, m[0] - 30), m[0]))]
    names = {tidy(ctx.text[x:y]) for x, y in ms}
    if len(names) == 1:
        return ms[0], False
    return None, False
