"""The metric of a score or perplexity claim: the measure its clause names (spec section 2).

The engine names a metric only when it sits in the number's own pattern ("85.3% accuracy"); a
number whose measure is written elsewhere in its clause ("the AUC of X improved by 8.2%", "boosts
Pass@1 by 1.9%", "44% improvement in NDCG@5", "a baseline (23.6%)" after "78.5% Pass@1") gets the
family name from it. Here the clause is read for metric names (the registry lexicon's, via
extract.lexicon, and the few in rules/lexicons/context.yaml `extra_metrics`) and the number takes:

1. a name right after it, across filler words only ("85% accuracy", "+5 accuracy points",
   "44% improvement in NDCG@5");
2. else the nearest name before it in its clause ("accuracy of 85%", "AUC ... improved by 8.2%");
3. else the one name its sentence gives, when the sentence gives exactly one.

The name is kept as the text writes it (lower case, "rates" -> "rate"): the canonical name and
which way is better are looked up from it (metric_info) where a ranking needs them.
"""
from __future__ import annotations

import functools
import re

from extract.context import names as N
from extract.context.cues import _Ctx, _clause, _sentence
from extract.records import Claim

_METRIC_FAMILIES = ("score", "perplexity")
# a spread written after a number ("92.3+/-0.2% F1", "4.3 \\pm 0.3%") stands between it and its metric
_SPREAD = r"\s*(?:\+/-|\+-|\u00b1|\$?\\pm\$?)\s*\d+(?:\.\d+)?"


@functools.lru_cache(maxsize=1)
def _data():
    c = N.cues()
    extra = {str(k).lower(): str(v) for k, v in (c.get("extra_metrics") or {}).items()}
    # "success rates": a name in the plural is the same measure
    alt = "|".join(re.escape(k).replace(r"\ ", r"[\s-]") + "s?" for k in sorted(extra, key=len, reverse=True))
    fill = "|".join(re.escape(str(w)) for w in sorted(c["metric_fillers"], key=len, reverse=True))

    def alt_ws(ws):
        return "|".join(re.escape(str(w)).replace(r"\ ", r"\s+") for w in sorted(ws, key=len, reverse=True))
    return {
        "extra": extra,
        "extra_rx": re.compile(r"(?<![\w-])(?:" + alt + r")(?![\w-])", re.I) if alt else None,
        "generic": frozenset(str(w).lower() for w in c["generic_metrics"]),
        # only filler words (or nothing) between a number and its metric
        "filler": re.compile(r"(?:[\s,()]*(?:(?:" + fill + r")(?![\w])|\\?%|" + _SPREAD + r"))*[\s()]*", re.I),
        # a name tied to the number before it: "accuracy of 0.708", "NDCG@5 = 0.30", "accuracy (82.8%)"
        "score_before": re.compile(r"(?<![\w-])(?P<w>[A-Za-z][\w-]*)\s+score[\s)]*(?:(?:" + alt_ws(c["metric_links"])
                                   + r")(?![\w])[\s$]*)+$"),
        "score_after": re.compile(r"(?P<w>[A-Za-z][\w-]*)\s+score(?![\w-])"),
        "not_score_names": frozenset(str(w).lower() for w in c["not_score_names"]),
        # a name with its own number after it ("92.2% agreement, kappa = 0.80") is that number's
        # (not "(": "ROUGE-L (95% interval: ...)" is a note on the name's number)
        "owns_next": re.compile(r"[\s)]*(?:" + alt_ws([w for w in c["metric_links"] if w != "("]) + r")\s*\$?[-+]?\d",
                                re.I),
        # (not after a verb: "Vision Transformer (ViT) reaches 81.2" names a model)
        "acronym_before": re.compile(r"\((?P<a>[A-Z][A-Za-z0-9@-]{1,9})\)\s*(?:of|=|:)\s*\$?$"),
        # the engine's own name before the number: tied, or the thing a change is of ("hallucination by")
        "own_before": re.compile(r"[\s)-]*(?:(?:" + alt_ws(list(c["metric_links"]) + ["by"]) + r")(?![\w])[\s$]*)+"),
        "acronym_equals": re.compile(r"(?<![\w-])([A-Z][A-Z0-9]{2,7}(?:@\d+)?)\s*[=:]\s*\$?$"),
        # up to two lower-case words and a noun of measure, then the end of the phrase
        "noun_after": re.compile(r"(?:([a-z][a-z-]*)\s+){0,2}?(?:" + alt_ws(c["measure_nouns"]) + r")(?=\s*(?:[,.;:)]|$)"
                                 r"|\s+(?:" + alt_ws(c["metric_phrase_ends"]) + r")\b)"),
        "changed": re.compile(r"(?:\b(?:" + alt_ws(c["change_verbs"]) + r")\s+(?:the\s+)?(?:[a-z][\w-]*\s+){0,2}?"
                              r"(?P<w>[a-z][\w-]*)(?:\s+of\s+[^,;()]{1,60}?)?|(?P<v>[a-z][\w-]*)\s+savings?\s+of)"
                              r"\s+(?:by|from|of|to)?\s*(?:(?:up\s+to|nearly|about|around|approximately|over|more\s+than|"
                              r"an?\s+average\s+of|almost)\s+)*\$?$"),
        "not_measures": frozenset(str(w).lower() for w in c["not_measures"]),
        "measure_nouns": frozenset(str(w).lower() for w in c["measure_nouns"]),
        "change_verbs": frozenset(str(w).lower() for w in c["change_verbs"]),
        "tied_before": re.compile(r"[\s)]*(?:(?:" + alt_ws(c["metric_links"]) + r")(?![\w])[\s$]*)+$", re.I),
    }


@functools.lru_cache(maxsize=1)
def _lexicon():
    """extract.lexicon (registry-built names), or None where it is not installed."""
    try:
        from extract import lexicon
        lexicon.find_names("accuracy")  # reads the lexicons and builds the index (~0.2 s) now
        return lexicon
    except (ImportError, OSError, KeyError):
        return None


def metric_info(name: str) -> tuple[str, str] | None:
    """(canonical name, "higher" | "lower") of a metric as written, or None when no lexicon knows it."""
    name = tidy(name)
    if not name:
        return None
    extra = _data()["extra"]
    if name in extra:
        return name, extra[name]
    lex = _lexicon()
    if lex is None:
        return None
    info = lex.metric_info(name)
    if info is None and name.endswith(" score"):
        info = lex.metric_info(name[:-6])
    return info


_PLURAL = ((re.compile(r"\b(rate|score|cost|loss|ratio)(?:es|s)\b"), r"\1"), (re.compile(r"\baccuracies\b"), "accuracy"),
           (re.compile(r"\s+"), " "))


def tidy(name: str) -> str:
    """A metric name as written, in lower case and singular ("Success Rates" -> "success rate")."""
    s = (name or "").strip().lower()
    for rx, rep in _PLURAL:
        s = rx.sub(rep, s)
    return s


def is_generic(name: str, family: str) -> bool:
    """Does ``name`` name no measure of its own (the family's name, "score", "performance")?"""
    t = tidy(name)
    return not t or t == family or t in _data()["generic"]


_AT_K = re.compile(r"@\d+(?![\w/])")


def mentions(ctx: _Ctx, s0: int, s1: int) -> list[tuple[int, int]]:
    """The metric names in text[s0:s1], as (start, end), in order, never overlapping."""
    key = ("metrics", s0)
    hit = ctx.cache.get(key)
    if hit is not None:
        return hit
    text = ctx.text[s0:s1]
    spans = []
    lex = _lexicon()
    if lex is not None:
        spans = [(a + s0, b + s0) for a, b, kind, _ in lex.find_names(text) if kind == "metric"]
    rx = _data()["extra_rx"]
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


def metric(ctx: _Ctx, c: Claim) -> str:
    """The claim's metric: a name tied to the number (right after it, or right before it with "of",
    "=", "("), else the engine's when it named one, else its clause's."""
    if c.family == "data":
        return _counted(ctx, c)
    if c.family not in _METRIC_FAMILIES:
        return _measure(ctx, c)
    own = "" if is_generic(c.metric, c.family) else tidy(c.metric)
    listed = _slashed(ctx, c)
    if listed:
        return listed
    found, tied = _named(ctx, c)
    if not tied:
        phrase = _scored(ctx, c)
        if phrase:
            return phrase
    if not found and not own:
        phrase = _noun_after(ctx, c) or _changed(ctx, c)
        if phrase:
            return phrase
    if found and not tied:
        ch = _changed(ctx, c, after=found[1])
        if ch:  # "NDCG variant (sNDCG) reduces preservation ratios to 0.51": the nearer measure changed
            return ch
    if not found:
        return own or c.family
    # a name the clause gives is surer than the engine's, read from a few words around the number
    # ("accuracy of 0.708 and an F1 score of 0.67"; "a 99% pass rate on HumanEval and 100% on X"),
    # unless the engine's is tied to the number too ("a TM-Score of 0.84, ... structural similarity")
    name = _name_at(ctx, found)
    if own and not tied and own not in name and _own_tied(ctx, c, own):
        return own  # (a found name that holds the engine's is it in full: "Spearman Rho = 0.81")
    return name


def _own_tied(ctx: _Ctx, c: Claim, own: str) -> bool:
    """Is ``own`` written right before the number ("TM-Score of 0.84", "hallucination by 1.6%") or
    right after it ("7-fold reduction in FLOPs", "a 100K budget")?"""
    s0, s1, _ = _sentence(ctx, c.start)
    d = _data()
    low = ctx.text[max(s0, c.start - 80):c.start].lower()
    i = low.rfind(own)
    if i >= 0 and d["own_before"].fullmatch(low, i + len(own)):
        return True
    gap = d["filler"].match(ctx.text, c.end, s1).end()
    return ctx.text[gap:gap + len(own)].lower() == own


_VALUES = re.compile(r"(?<![\w./])\d[\d.]*(?:/\d[\d.]*)+(?![\w/])")
_NAMES = re.compile(r"(?<![\w/-])[A-Za-z][\w@.-]*(?:/[\w@.-]+)+")


def _slashed(ctx: _Ctx, c: Claim) -> str | None:
    """A value in a slash list takes the name at its place in a slash list of names before it: "SR/SPL
    from 0.83/0.56", "Success@1/2/3 of 0.93/0.96/0.97" (the cut-offs share the name before the @)."""
    if "/" not in ctx.text[max(0, c.start - 1):c.end + 1]:
        return None
    s0, s1, _ = _sentence(ctx, c.start)
    vals = next((v for v in _VALUES.finditer(ctx.text, max(s0, c.start - 40), min(s1, c.end + 40))
                 if v.start() <= c.start and c.end <= v.end()), None)
    if vals is None:
        return None
    parts = vals.group().split("/")
    i = ctx.text[vals.start():c.start].count("/")
    a, _ = _clause(ctx, s0, s1, c.start)
    groups = [g for g in _NAMES.finditer(ctx.text, a, vals.start()) if g.group().count("/") == len(parts) - 1]
    if not groups or i >= len(parts):
        return None
    names = groups[-1].group().split("/")
    base = names[0].rsplit("@", 1)[0] + "@" if "@" in names[0] else ""
    name = names[i] if not (base and names[i].isdigit()) else base + names[i]
    return tidy(name)


def _noun_after(ctx: _Ctx, c: Claim) -> str | None:
    """"1.9% cumulative error", "a 2.3% optimality gap", "18.2% error reduction": a measure no lexicon
    knows, right after the number, that ends in a noun of measure (rules/lexicons/context.yaml)."""
    s0, s1, _ = _sentence(ctx, c.start)
    d = _data()
    m = None
    for end in (c.end, _list_end(ctx, c, s1)):
        gap = d["filler"].match(ctx.text, end, s1).end()
        m = m or d["noun_after"].match(ctx.text, gap, s1)
    if m is None or (m.group(1) or "").lower() in d["not_score_names"]:
        return None
    return tidy(m.group())


def _adjective_end(w: str) -> bool:
    return w.endswith(("ed", "ly", "al", "ive", "ous", "ful", "ic", "able", "ible", "est", "ing"))


def _changed(ctx: _Ctx, c: Claim, after: int = 0) -> str | None:
    """"reduces over-smoothing by 30%", "increases the effectiveness of X from 87.8% to 95.0%", "a power
    saving of nearly 30%": the measure a verb or noun of change takes, before the number in its clause."""
    s0, s1, _ = _sentence(ctx, c.start)
    a, _ = _clause(ctx, s0, s1, c.start)
    d = _data()
    m = d["changed"].search(ctx.text, max(a, after, c.start - 120), c.start)
    if m is None:
        return None
    w = (m.group("w") or m.group("v")).lower()
    if (w in d["not_score_names"] or w in _counted_data()["stop"] or is_generic(w, c.family)
            or w in d["not_measures"] or w.endswith("ly")):  # "improve the performance further/greatly"
        return None
    prev = re.findall(r"[\w-]+", ctx.text[m.start():m.start("w") if m.group("w") else m.start("v")])[-1:]
    if prev and tidy(w) in d["measure_nouns"] and prev[0].islower() and not _adjective_end(prev[0]) \
            and prev[0] not in _counted_data()["stop"] and prev[0].lower() not in d["change_verbs"]:
        return tidy(prev[0] + " " + w)  # "preservation ratios": which ratio
    return tidy(w)


def _scored(ctx: _Ctx, c: Claim) -> str | None:
    """"an agreement score of 0.73", "+45% in GPT-4 score": a score the text names by one word."""
    s0, s1, _ = _sentence(ctx, c.start)
    d = _data()
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


def _name_at(ctx: _Ctx, span: tuple[int, int]) -> str:
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
    out["accelerate"] = re.compile(r"(?:" + alt(c["accelerate_words"]) + r")\s+(?:the\s+)?(?P<what>[\w-]+)"
                                   r"(?:\s+\w+){0,3}?\s+by(?:\s+\w+){0,3}?\s*$", re.I)
    out["faster"] = re.compile(r"(?:" + alt(c["faster_words"]) + r")\s+(?P<what>[a-z-]+(?:\s+[a-z-]+){0,2})", re.I)
    return out


_SPEEDUP = re.compile(r"\bspeed-?ups?\b")
# the next number of a list or range: ", 18.2%", "and 18.2%", "-40", "to 4.28x"
_LIST_NEXT = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|-|\u2013|to\s+)\$?[-+]?\d[\d.,]*(?:[KMBT]\b|\s*(?:thousand|million|billion|trillion)\b)?\s*(?:\\?%|x\b|\u00d7|\$\\times\$|\\times|-?times\b|-?fold\b)?")
def _list_end(ctx: _Ctx, c: Claim, b: int) -> int:
    """Where the list or range that the number starts ends: its first items share the name written
    after the last ("15.7% and 18.2% error reduction", "3.6-10.4x input token reduction")."""
    end, filler = c.end, _data()["filler"]
    for _ in range(20):
        nxt = _LIST_NEXT.match(ctx.text, filler.match(ctx.text, end, max(b, end)).end(), max(b, end))
        if nxt is None:
            break
        end = nxt.end()
    return end




def _measure(ctx: _Ctx, c: Claim) -> str:
    """The measure a speed, memory, compute or parameter number is of, when its clause names one: right
    after the number ("1.3x end-to-end decoding speedup", "3.8x faster training" = training speed), else
    the nearest before it in its clause ("reduces communication costs by 10x"); else the engine's."""
    rx = _measure_data().get(c.family)
    if rx is None:
        return c.metric
    own = _SPEEDUP.sub("speedup", tidy(c.metric))
    s0, s1, _ = _sentence(ctx, c.start)
    a, b = _clause(ctx, s0, s1, c.start)
    text, filler = ctx.text, _data()["filler"]
    # max(): a clause break can fall inside the number's own text ("2&#215;" holds a ";")
    gap = filler.match(text, c.end, max(b, c.end)).end()
    m = _trim(rx.match(text, gap), rx)
    if m is None:  # the first items of a list or range share the measure after the last
        end = _list_end(ctx, c, b)
        gap = filler.match(text, end, max(b, end)).end()
        m = _trim(rx.match(text, gap), rx)
    if m is not None:  # right after the number: its own measure ("a 24.4 speedup", "90% of operational energy")
        return _measure_name(m)
    tied = own not in (c.family, "faster", "speedup", "time") and _own_tied(ctx, c, own)
    if c.family == "speedup":
        f = _measure_data()["faster"].match(text, gap)
        if f:
            what = _trim(rx.match(f.group("what")), rx)  # "2.2x faster end-to-end training runtime"
            if what is not None:
                return _measure_name(what)
            lead = f.group("what").split()[0].lower()
            if lead in _measure_mods(c.family):
                return lead + " speed"
        f = _measure_data()["accelerate"].search(text, a, c.start)
        if f and f.group("what").lower() in _measure_mods(c.family):
            return f.group("what").lower() + " speed"  # "accelerating inference by 5.48x"
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


def _counted(ctx: _Ctx, c: Claim) -> str:
    """A count of data is of the thing the text counts: the plural noun after the number, with the noun
    before it that says which kind ("40,833 CT reports", "1.28M culturally-relevant images", "38,522 QA
    pairs", "1-10% of selected annotations"); the family's name when it names none or only says data
    or examples in general ("4M samples", "50K data")."""
    s0, s1, _ = _sentence(ctx, c.start)
    d = _counted_data()
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
        if prev and _kind_word(prev, lw, d):
            return f"{prev.lower()} {lw}"  # "navigation samples": a kind of sample is named
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
        return lw
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
            and not p.endswith(("ed", "ly", "al", "ive", "ous", "ful", "ic", "able", "ible", "est", "er")))


@functools.lru_cache(maxsize=1)
def _counted_data():
    c = N.cues()["counted"]
    return {"stop": frozenset(map(str, c["stop"])), "generic": frozenset(map(str, c["generic"])),
            "adjectives": frozenset(map(str, c["adjectives"])), "verbs": frozenset(map(str, c["verbs"])),
            # between the number and what it counts: its sign, hedge, "of (the)" after a share
            "time": frozenset(("hours", "minutes", "days")),
            # between the number and what it counts: its sign, spread, "of (the)" after a share, "times
            # fewer" after a factor ("200x fewer tokens")
            "lead": re.compile(r"(?:\s|\\?%|percent\b|\)|\+|" + _SPREAD + r")*(?:(?:times|x|\\times|fold)?\s*"
                               r"(?:more|fewer|less)\s+)?(?:of\s+(?:the\s+)?)?", re.I)}


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


def _named(ctx: _Ctx, c: Claim) -> tuple[tuple[int, int] | None, bool]:
    """The metric name the claim's sentence gives it, and whether that name is tied to the number."""
    s0, s1, _ = _sentence(ctx, c.start)
    ms = mentions(ctx, s0, s1)
    a, b = _clause(ctx, s0, s1, c.start)
    d = _data()
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
    end = _list_end(ctx, c, b)
    for m in ms:  # 2. right after the number, unless it has its own
        if c.end <= m[0] <= b and (d["filler"].fullmatch(ctx.text, c.end, m[0])
                                   or d["filler"].fullmatch(ctx.text, end, m[0])):
            if not d["owns_next"].match(ctx.text, m[1]):
                return m, True
            break
    if before:  # 3. the nearest before it in its clause
        return before[-1], False
    # 4. the sentence's one measure, unless it comes later with a number of its own
    ms = [m for m in ms if m[0] < c.start or not d["owns_next"].match(ctx.text, m[1])]
    names = {tidy(ctx.text[x:y]) for x, y in ms}
    if len(names) == 1:
        return ms[0], False
    return None, False


# Read the lexicons when the module is imported, not inside the first paper's context budget (the
# engine gives each paper's context a deadline; a worker's first paper would spend it loading).
N.cues()
_lexicon()
