"""What the metric steps share: the cues of rules/lexicons/context.yaml compiled once, the metric lexicon
(registry names via extract.lexicon, and `extra_metrics`), how a metric name is written (tidy) and which
names say nothing (is_generic), and where a list of numbers ends (its first items share the name after
the last). extract/context/metric.py names a score's measure, extract/context/measure.py a cost's or a
data count's.
"""
from __future__ import annotations

import functools
import re

from extract.context import names as N
from extract.context.cues import Ctx, clause_span, sentence_of
from extract.match.fold import folded
from extract.match.tail import ends_at
from extract.records import Claim


# a spread written after a number ("92.3+/-0.2% F1", "4.3 \\pm 0.3%") stands between it and its metric
SPREAD = r"\s*(?:\+/-|\+-|\u00b1|\$?\\pm\$?)\s*\d+(?:\.\d+)?"


@functools.lru_cache(maxsize=1)
def metric_word_data():
    # the costly cues read right before a number (long word lists) have their search gated (match/tail.py)
    # and the case-insensitive ones are read in the lower-cased text (match/fold.py)
    return {k: ends_at(v) if k in ("score_before", "changed") else folded(v) for k, v in _metric_word_data().items()}


def _metric_word_data():
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
        "filler": re.compile(r"(?:[\s,()]*(?:(?:" + fill + r")(?![\w])|\\?%|" + SPREAD + r"))*[\s()]*", re.I),
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
        "noun_after": re.compile(r"(?:([a-z][a-z-]*)\s+){0,2}?(?:" + alt_ws(c["measure_nouns"])
                                 + r")(?=\s*(?:[,.;:)]|$)|\s+(?:" + alt_ws(c["metric_phrase_ends"]) + r")\b)"),
        "changed": re.compile(r"(?:\b(?:" + alt_ws(c["change_verbs"]) + r")\s+(?:the\s+)?(?:[a-z][\w-]*\s+){0,2}?"
                              r"(?P<w>[a-z][\w-]*)(?:\s+of\s+[^,;()]{1,60}?)?|(?P<v>[a-z][\w-]*)\s+savings?\s+of)"
                              r"\s+(?:by|from|of|to)?\s*(?:(?:up\s+to|nearly|about|around|approximately|over|"
                              r"more\s+than|an?\s+average\s+of|almost)\s+)*"
                              # the first item of a range before it: "reduces X to 0.51-0.74"
                              r"(?:\$?[-+]?\d[\d.,]*\s*(?:\\?%|x)?\s*(?:-|\u2013|to|and|,)\s*)?\$?$"),
        "not_measures": frozenset(str(w).lower() for w in c["not_measures"]),
        "stop": frozenset(str(w).lower() for w in c["counted"]["stop"]),
        "measure_nouns": frozenset(str(w).lower() for w in c["measure_nouns"]),
        "change_verbs": frozenset(str(w).lower() for w in c["change_verbs"]),
        "tied_before": re.compile(r"[\s)]*(?:(?:(?:" + alt_ws(c["metric_links"]) + r")(?![\w])[\s$]*)+"
                                  # a statistic's symbol inside the parentheses: "correlation ($\\rho = -0.86$)"
                                  r"|\([\s$]*(?:" + "|".join(re.escape(str(w)) for w in c["stat_symbols"])
                                  + r")(?![\w^])[\s$]*(?:(?:" + alt_ws([w for w in c["metric_links"] if w != "("])
                                  + r")(?![\w])[\s$]*)+)$", re.I),
    }


@functools.lru_cache(maxsize=1)
def metric_lexicon():
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
    extra = metric_word_data()["extra"]
    if name in extra:
        return name, extra[name]
    lex = metric_lexicon()
    if lex is None:
        return None
    info = lex.metric_info(name)
    if info is None and name.endswith(" score"):
        info = lex.metric_info(name[:-6])
    cut = _CUTOFF.search(name)
    if cut and info is None:
        info = lex.metric_info(name[:cut.start()])  # "SPL@3": SPL at a cut-off
    if cut and info and not _CUTOFF.search(info[0]):
        # a ranking at one cut-off is not one at another: "nDCG@5" and "nDCG@10" are not both "ndcg"
        info = (re.sub(r"@k$", "", info[0]) + cut.group(), info[1])
    return info


_CUTOFF = re.compile(r"@\d+$")


_PLURAL = ((re.compile(r"\b(rate|score|cost|loss|ratio|correlation|speed|acceleration|overhead)(?:es|s)\b"), r"\1"),
           (re.compile(r"\baccuracies\b"), "accuracy"), (re.compile(r"\s+"), " "))


@functools.lru_cache(maxsize=65536)  # the same few names recur across claims and abstracts
def tidy(name: str) -> str:
    """A metric name as written, in lower case and singular ("Success Rates" -> "success rate")."""
    s = (name or "").strip().lower()
    for rx, rep in _PLURAL:
        s = rx.sub(rep, s)
    return s


def is_generic(name: str, family: str) -> bool:
    """Does ``name`` name no measure of its own (the family's name, "score", "performance")?"""
    t = tidy(name)
    return not t or t == family or t in metric_word_data()["generic"]


def own_tied(ctx: Ctx, c: Claim, own: str) -> bool:
    """Is ``own`` written right before the number ("TM-Score of 0.84", "hallucination by 1.6%") or
    right after it ("7-fold reduction in FLOPs", "a 100K budget")?"""
    s0, s1, _ = sentence_of(ctx, c.start)
    d = metric_word_data()
    low = ctx.text[max(s0, c.start - 80):c.start].lower()
    i = low.rfind(own)
    if i >= 0 and d["own_before"].fullmatch(low, i + len(own)):
        return True
    gap = d["filler"].match(ctx.text, c.end, s1).end()
    return ctx.text[gap:gap + len(own)].lower() == own


def _adjective_end(w: str) -> bool:
    return w.endswith(("ed", "ly", "al", "ive", "ous", "ful", "ic", "able", "ible", "est", "ing"))


# the next number of a list or range: ", 18.2%", "and 18.2%", "-40", "to 4.28x"
_LIST_NEXT = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|-|\u2013|to\s+)\$?[-+]?\d[\d.,]*"
                        r"(?:[KMBT]\b|\s*(?:thousand|million|billion|trillion)\b)?"
                        r"\s*(?:\\?%|x\b|\u00d7|\$\\times\$|\\times|-?times\b|-?fold\b)?")


def list_end(ctx: Ctx, c: Claim, b: int) -> int:
    """Where the list or range that the number starts ends: its first items share the name written
    after the last ("15.7% and 18.2% error reduction", "3.6-10.4x input token reduction")."""
    end, filler = c.end, metric_word_data()["filler"]
    for _ in range(20):
        nxt = _LIST_NEXT.match(ctx.text, filler.match(ctx.text, end, max(b, end)).end(), max(b, end))
        if nxt is None:
            break
        end = nxt.end()
    return end




def changed_measure(ctx: Ctx, c: Claim, after: int = 0, cost: bool = False) -> str | None:
    """"reduces over-smoothing by 30%", "increases the effectiveness of X from 87.8% to 95.0%", "a power
    saving of nearly 30%": the measure a verb or noun of change takes, before the number in its clause.
    A cost (``cost``) is named by two words where the text gives them ("compresses reasoning length to 20%",
    "reduces per-minute image payloads by 9x")."""
    s0, s1, _ = sentence_of(ctx, c.start)
    a, _ = clause_span(ctx, s0, s1, c.start)
    d = metric_word_data()
    m = d["changed"].search(ctx.text, max(a, after, c.start - 120), c.start)
    if m is None:
        return None
    w = (m.group("w") or m.group("v")).lower()
    stop = d["stop"]
    if (w in d["not_score_names"] or w in stop or is_generic(w, c.family)
            or w in d["not_measures"] or w.endswith(("ly", "ed"))):  # "improve it further", "compared to"
        return None
    prev = re.findall(r"[\w-]+", ctx.text[m.start():m.start("w") if m.group("w") else m.start("v")])[-1:]
    p = prev[0] if prev else ""
    if (p and (cost or tidy(w) in d["measure_nouns"]) and p.isalpha() and p.islower() and p not in stop
            and p not in d["change_verbs"] and (not _adjective_end(p) or cost and p.endswith("ing"))):
        return tidy(p + " " + w)  # "preservation ratios": which ratio; "reasoning length"
    return tidy(w)


# Read the lexicons when the module is imported, not inside the first paper's context budget (the
# engine gives each paper's context a deadline; a worker's first paper would spend it loading).
N.cues()
metric_lexicon()
