"""The measure of a speed, memory, compute or parameter number, and what a count of data counts (spec
section 2: the metric names the measure where the text says it, else the family's name).

A cost number takes the measure written right after it ("1.3x end-to-end decoding speedup", "3.8x faster
training" = training speed), else the nearest before it in its clause ("reduces communication costs by
10x"), else the engine's; a data count takes the plural noun it counts, with the word that says which
kind ("40,833 CT reports", "38,522 QA pairs"), or "data" when the text names none.
"""
from __future__ import annotations

import functools
import re

from extract.context import names as N
from extract.context.cues import Ctx, clause_span, sentence_of
from extract.match.tail import ends_at
from extract.records import Claim
from extract.context.metric_words import SPREAD, changed_measure, metric_word_data, list_end, own_tied, tidy


@functools.lru_cache(maxsize=1)
def _measure_data():
    c = N.cues()

    def alt(ws):
        return "|".join(re.escape(str(w)).replace(r"\ ", r"\s+") for w in sorted(ws, key=len, reverse=True))

    out = {}
    for fam, d in (c.get("measures") or {}).items():
        mods = r"(?:" + alt(list(d["modifiers"]) + list(c["measure_modifiers_any"])) + r")"
        # "per-task tool calls": a "per-" word says how it is counted, not what
        out[fam] = re.compile(r"(?<![\w-])(?:per-\w+\s+)?(?P<m>(?:" + mods + r"\s+){0,3}(?:" + alt(d["heads"])
                              + r")s?)(?![\w-])", re.I)
    # (the stage may follow a word that says whose: "accelerates LLM prefilling by up to 2.9x")
    stages = alt(c["measures"]["speedup"]["modifiers"])
    out["accelerate"] = ends_at(re.compile(r"(?:" + alt(c["accelerate_words"]) + r")\s+(?:the\s+)?(?:(?:[\w-]+\s+){1,2}?"
                                   r"(?P<stage>" + stages + r")|(?P<what>[\w-]+))"
                                   r"(?:\s+\w+){0,3}?\s+by(?:\s+\w+){0,3}?\s*$", re.I))
    out["faster_before"] = ends_at(re.compile(r"(?:" + alt(c["faster_words"]) + r")\s+(?P<what>[a-z-]+)\s*\([^()]*$", re.I))
    out["compress_by"] = ends_at(re.compile(r"(?<![\w-])(?:" + alt(c["compress_verbs"]) + r")\s[^,;:()]{0,80}?\bby\s+"
                                            r"(?:(?:up\s+to|a\s+factor\s+of|over|about|more\s+than)\s+)*"
                                            r"(?:\d[\d.]*\s*(?:x|\u00d7)?\s*(?:-|\u2013|to)\s*)?\$?$", re.I))
    out["faster"] = re.compile(r"(?:" + alt(c["faster_words"]) + r")\s+(?P<what>[a-z-]+(?:\s+[a-z-]+){0,2})", re.I)
    return out


_SPEEDUP = re.compile(r"\bspeed-?ups?\b")
_CAPS = re.compile(r"[A-Z][A-Z0-9-]{1,9}\s+")
_NOUN = re.compile(r"([a-z]{3,})\s+")


def _plain_noun(w: str) -> bool:
    """A lower-case word that can say which cost it is ("indexer computations"), not a verb, a word of
    rating or a function word."""
    d = counted_data()
    return (w not in d["stop"] and w not in d["adjectives"] and w not in d["verbs"] and not w.endswith("s")
            and w not in metric_word_data()["not_measures"]
            and not w.endswith(("ed", "ly", "al", "ive", "ous", "ful", "ic", "able", "ible", "est", "ing")))


def measure_of(ctx: Ctx, c: Claim) -> str:
    """_measure_of, written as a measure: singular ("speeds" is speed), a stage of running a model alone is
    its speed ("prefilling by 2.9x and decoding by 1.3x": decoding speed), and no unit or hardware name
    ("774.5 TB", "2400 H100 GPU hours": GPU hours)."""
    name = tidy(_measure_of(ctx, c))
    if name in _not_measure_names() or N.lexicon_data()["hardware"].fullmatch(name.upper()):
        return "gpu hours" if c.unit == "GPU-hours" else c.family
    if c.family == "speedup" and name in _measure_mods("speedup") and name not in ("end-to-end", "e2e", "overall", "token"):
        return name + " speed"
    return "speedup" if c.family == "speedup" and name == "speed" else name


@functools.lru_cache(maxsize=1)
def _not_measure_names() -> frozenset:
    return frozenset(str(w).lower() for w in N.cues()["not_measure_names"])


def _measure_of(ctx: Ctx, c: Claim) -> str:
    """The measure a speed, memory, compute or parameter number is of, when its clause names one: right
    after the number ("1.3x end-to-end decoding speedup", "3.8x faster training" = training speed), else
    the nearest before it in its clause ("reduces communication costs by 10x"); else the engine's."""
    rx = _measure_data().get(c.family)
    if rx is None:
        return c.metric
    own = _SPEEDUP.sub("speedup", tidy(c.metric))
    s0, s1, _ = sentence_of(ctx, c.start)
    a, b = clause_span(ctx, s0, s1, c.start)
    text, filler = ctx.text, metric_word_data()["filler"]
    # max(): a clause break can fall inside the number's own text ("2&#215;" holds a ";")
    gap = filler.match(text, c.end, max(b, c.end)).end()
    m = _trim(rx.match(text, gap), rx)
    if m is None:  # the first items of a list or range share the measure after the last
        end = list_end(ctx, c, b)
        gap = filler.match(text, end, max(b, end)).end()
        m = _trim(rx.match(text, gap), rx)
    if m is None:  # "90% of AI operational energy": a name in capitals before the measure
        skip = _CAPS.match(text, gap)
        m = _trim(rx.match(text, skip.end()), rx) if skip else None
    if m is None and c.family != "parameters":  # "75% of indexer computations": one plain noun says which
        word = _NOUN.match(text, gap)
        m = _trim(rx.match(text, word.end()), rx) if word and _plain_noun(word.group(1)) else None
        m = f"{word.group(1)} {m}" if m and " " not in m else None
    if m is not None:  # right after the number: its own measure ("a 24.4 speedup", "90% of operational energy")
        return _measure_name(m)
    tied = own not in (c.family, "faster", "speedup", "time") and own_tied(ctx, c, own)
    if c.family == "speedup":
        f = _measure_data()["faster"].match(text, gap)
        if f:
            what = _trim(rx.match(f.group("what")), rx)  # "2.2x faster end-to-end training runtime"
            if what is not None:
                return _measure_name(what)
            lead = f.group("what").split()[0].lower()
            if lead in _measure_mods(c.family):
                return lead + " speed"
        f = _measure_data()["faster_before"].search(text, a, c.start)
        if f and c.unit in ("s", "ms") and f.group("what").lower() in _measure_mods(c.family):
            return f.group("what").lower() + " time"  # "3x faster inference (0.07s vs. 2.1s)": the times
        f = _measure_data()["accelerate"].search(text, a, c.start)
        what = f and (f.group("stage") or f.group("what")).lower()
        if what and what in _measure_mods(c.family):
            return what + " speed"  # "accelerating inference by 5.48x"
    # a parameter count's kind is written right after it ("2B activated parameters"); a change of one
    # may name it before ("reduces activated parameters by 15%")
    if c.family != "parameters" or c.kind != "absolute":
        # the nearest before it, a compound ("optimizer memory") before a bare head ("memory buffers")
        # (bare "tokens" says what is counted, not which cost: "on 20T tokens requires 120M exaflops")
        before = [x for x in (_trim(x, rx) for x in rx.finditer(text, a, c.start))
                  if x is not None and x.lower() not in ("token", "tokens")]
        full = [x for x in before if " " in x.strip()]
        m = (full or before or [None])[-1]
    if tied and (m is None or own not in tidy(m)):
        return c.metric  # the engine's, written next to the number ("a 100K budget", "reduction in FLOPs")
    if m is None and c.family == "memory" and c.kind == "ratio" and _measure_data()["compress_by"].search(text, a, c.start):
        return "compression ratio"  # "compress LLMs by a factor of 2-4x"
    if m is None and c.family != "parameters" and own in (c.family, "compute", "computation", "cost"):
        return changed_measure(ctx, c, cost=True) or c.metric  # "compresses reasoning length to 20%"
    if m is None:
        return "speedup" if own in ("faster", "speedup") and c.family == "speedup" else c.metric
    name = _measure_name(m)
    return c.metric if name in (c.family, "speed") else name


def _trim(m, rx) -> str | None:
    """The matched measure as written (its modifiers are listed words: "reduces optimizer memory")."""
    return None if m is None else m.group("m")


def _measure_mods(fam: str) -> frozenset:
    return frozenset(str(w).lower() for w in N.cues()["measures"][fam]["modifiers"])


def _measure_name(found: str) -> str:
    name = _SPEEDUP.sub("speedup", tidy(found))
    # "input token reduction": the tokens are counted; "non-embedding parameter variants"
    return re.sub(r"(?<!first )\b(token|parameter|call)$", r"\1s", name)


_WORD = re.compile(r"[^\W\d_][\w'@-]*|\S", re.UNICODE)


def _plural(w: str) -> bool:
    return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")) and w.isalpha()


def counted_of(ctx: Ctx, c: Claim) -> str:
    """A count of data is of the thing the text counts: the plural noun after the number, with the noun
    before it that says which kind ("40,833 CT reports", "1.28M culturally-relevant images", "38,522 QA
    pairs", "1-10% of selected annotations"); the family's name when it names none or only says data
    or examples in general ("4M samples", "50K data")."""
    s0, s1, _ = sentence_of(ctx, c.start)
    d = counted_data()
    text = ctx.text[c.end:s1]
    m = d["lead"].match(text)
    if text[:1].isalnum() and not m.group().strip():
        return c.family  # "a 50M-example dataset": the number is part of a word
    words = _WORD.findall(text[m.end():][:80])[:5]
    for i, w in enumerate(words):
        lw = w.lower()
        if not w[:1].isalpha() or lw in d["stop"]:
            return c.family
        if not _plural(lw):
            continue
        prev = words[i - 1] if i else ""
        if prev.endswith("ed") and i > 1 and words[i - 2].lower().endswith("ly"):
            prev = ""  # "randomly sampled narrations": how they were chosen; "contaminated turns": which
        if prev and _kind_word(prev, lw, d):
            return tidy(f"{prev.lower()} {lw}")  # "navigation samples": a kind of sample is named
        if lw in d["verbs"]:
            return c.family  # "at 75% achieves near-optimal loss": a verb, not what is counted
        if lw in d["generic"]:
            return c.family
        if lw in d["time"]:  # "14K hours of speech": what was recorded; "90 min of guitar audio" stays data
            rest = text[m.end() + text[m.end():].lower().find(lw) + len(lw):]
            after = re.match(r"\s+of\s+([a-z]+)(?:\s*(?:[,.;)]|$)|\s+([a-z]+))", rest)
            if after and (after.group(2) is None or after.group(2) in d["stop"]):
                return f"{lw} of {after.group(1)}"
            return c.family
        return tidy(lw)
    return c.family


def _kind_word(prev: str, head: str, d) -> bool:
    """Does ``prev`` say which kind of ``head`` is counted ("CT reports", "proof targets", "image-text
    pairs"), not how good or big they are ("high-quality images", "selected annotations")?"""
    p = prev.lower()
    if "-" in p:  # "image-text pairs": what is paired; "real-world videos": a quality
        return head == "pairs" and all(x.isalpha() for x in p.split("-"))
    if prev.isupper():
        return 2 <= len(prev) <= 3 and prev.isalpha()  # "QA pairs", "CT reports"
    return (prev.isalpha() and prev.islower() and p not in d["adjectives"]
            and not p.endswith(("ly", "al", "ive", "ous", "ful", "ic", "able", "ible", "est", "er")))


@functools.lru_cache(maxsize=1)
def counted_data():
    c = N.cues()["counted"]
    return {"stop": frozenset(map(str, c["stop"])), "generic": frozenset(map(str, c["generic"])),
            "adjectives": frozenset(map(str, c["adjectives"])), "verbs": frozenset(map(str, c["verbs"])),
            # between the number and what it counts: its sign, hedge, "of (the)" after a share
            "time": frozenset(("hours", "minutes", "days", "weeks", "months", "years")),
            # between the number and what it counts: its sign, spread, "of (the)" after a share, "times
            # fewer" after a factor ("200x fewer tokens")
            "lead": re.compile(r"(?:\s|\\?%|percent\b|\)|\+|" + SPREAD + r")*(?:(?:times|x|\\times|fold)?\s*"
                               r"(?:more|fewer|less)\s+)?(?:of\s+(?:the\s+)?)?", re.I)}
