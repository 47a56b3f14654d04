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


@functools.lru_cache(maxsize=1)
def _data():
    c = N.cues()
    extra = {str(k).lower(): str(v) for k, v in (c.get("extra_metrics") or {}).items()}
    # "success rates": a name in the plural is the same measure
    alt = "|".join(re.escape(k).replace(r"\ ", r"[\s-]") + "s?" for k in sorted(extra, key=len, reverse=True))
    fill = "|".join(re.escape(str(w)) for w in sorted(c["metric_fillers"], key=len, reverse=True))
    return {
        "extra": extra,
        "extra_rx": re.compile(r"(?<![\w-])(?:" + alt + r")(?![\w-])", re.I) if alt else None,
        "generic": frozenset(str(w).lower() for w in c["generic_metrics"]),
        # only filler words (or nothing) between a number and its metric
        "filler": re.compile(r"(?:[\s,()]*(?:(?:" + fill + r")(?![\w])|\\?%))*[\s()]*", re.I),
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


_PLURAL = ((re.compile(r"\b(rate|score|cost|loss)(?:es|s)\b"), r"\1"), (re.compile(r"\baccuracies\b"), "accuracy"),
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
        # "Pass@1 accuracy", "exact match accuracy": the first name is the measure, the second its kind;
        # "Critical Error Rate (CER)": the acronym is the name before it again
        if out and ctx.text[out[-1][1]:a] in (" ", "-", " ("):
            continue
        out.append((a, b))
    ctx.cache[key] = out
    return out


def metric(ctx: _Ctx, c: Claim) -> str:
    """The claim's metric: the engine's when it named one tied to the number, else its clause's."""
    if c.family not in _METRIC_FAMILIES:
        return _measure(ctx, c)
    own = "" if is_generic(c.metric, c.family) else tidy(c.metric)
    found = _named(ctx, c)
    if not found:
        return own or c.family
    name = _name(ctx.text[found[0]:found[1]])
    # the engine's metric is the number's own ("85% accuracy"); a longer name that holds it is the
    # same measure written in full ("88.56% Average Precision" caught as "precision")
    if own and own != name and own not in name:
        return own
    return name


@functools.lru_cache(maxsize=1)
def _measure_data():
    c = N.cues()

    def alt(ws):
        return "|".join(re.escape(str(w)).replace(r"\ ", r"\s+") for w in sorted(ws, key=len, reverse=True))

    out = {}
    for fam, d in (c.get("measures") or {}).items():
        mods = alt(d["modifiers"])
        out[fam] = re.compile(r"(?<![\w-])(?:(?:" + mods + r")\s+){0,2}(?:" + alt(d["heads"]) + r")s?(?![\w-])", re.I)
    speed = c["measures"]["speedup"]["modifiers"]
    out["faster"] = re.compile(r"(?:" + alt(c["faster_words"]) + r")\s+(?P<what>" + alt(speed) + r")(?![\w-])", re.I)
    return out


_SPEEDUP = re.compile(r"\bspeed-?ups?\b")


def _measure(ctx: _Ctx, c: Claim) -> str:
    """The measure a speed, memory, compute or parameter number is of, when its clause names one
    the engine did not ("1.3x end-to-end decoding speedup", "3.8x faster training")."""
    own = _SPEEDUP.sub("speedup", tidy(c.metric))
    rx = _measure_data().get(c.family)
    if rx is None or own not in (c.family, "faster", "speedup", "memory", "compute", "parameters", "time"):
        return c.metric
    s0, s1, _ = _sentence(ctx, c.start)
    a, b = _clause(ctx, s0, s1, c.start)
    text, filler = ctx.text, _data()["filler"]
    # max(): a clause break can fall inside the number's own text ("2&#215;" holds a ";")
    gap = filler.match(text, c.end, max(b, c.end)).end()
    m = rx.match(text, gap)
    if m is None and c.family == "speedup":
        f = _measure_data()["faster"].match(text, gap)
        if f:
            return tidy(f.group("what")) + " speed"
    if m is None and c.family != "parameters":  # a parameter count's kind is written right after it
        # the nearest before it, a compound ("optimizer memory") before a bare head ("memory buffers")
        before = list(rx.finditer(text, a, c.start))
        full = [x for x in before if " " in x.group().strip()]
        m = (full or before or [None])[-1]
    if m is None:
        return "speedup" if own in ("faster", "speedup") and c.family == "speedup" else c.metric
    name = _SPEEDUP.sub("speedup", tidy(m.group()))
    return c.metric if name in (c.family, "speed") else name


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


def _named(ctx: _Ctx, c: Claim) -> tuple[int, int] | None:
    s0, s1, _ = _sentence(ctx, c.start)
    ms = mentions(ctx, s0, s1)
    if not ms:
        return None
    a, b = _clause(ctx, s0, s1, c.start)
    filler = _data()["filler"]
    for m in ms:  # 1. right after the number
        if c.end <= m[0] <= b and filler.fullmatch(ctx.text, c.end, m[0]):
            return m
    before = [m for m in ms if a <= m[0] and m[1] <= c.start]
    if before:  # 2. the nearest before it in its clause
        return before[-1]
    names = {tidy(ctx.text[x:y]) for x, y in ms}
    if len(names) == 1:  # 3. the sentence's one measure
        return ms[0]
    return None


# Read the lexicons when the module is imported, not inside the first paper's context budget (the
# engine gives each paper's context a deadline; a worker's first paper would spend it loading).
N.cues()
_lexicon()
