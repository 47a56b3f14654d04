"""Which claims are Leaderboard rows, and how they rank (issue 13: "what a right row is").

A row says: this model or method obtained this value, under this metric, on this benchmark, in this
paper. So a row is an absolute result of the score or perplexity family with a named benchmark, a
specific metric (not the family's name) written beside the number (not carried over from another
number of the sentence, nor one of a slash list "SR/SPL of 0.83/0.56"; but a number alone in parentheses
after its system, "outperforming X (23.6%)", is in the metric its sentence or the one before names; and
a before/after pair is in the metric written before it in its sentence, or, on a named benchmark, "from 39.33
to 42.83 on InfiniteBench", in its score when no measure is named), and a model or method that
names one system (not "our model", "a 7B-parameter LLM" or a list of several models), on one benchmark (not
"multiple e-commerce datasets"). Deltas, ranges, counts, confidence
levels, agreement between annotators, the share of a gap closed and a share of what is used ("20% of the
tokens") are not results; a judge the metric
is named after ("GPT-4 score") is not the system rated, and "vs 9.76 in X" is X's number; a repeated abstract or a number stated
twice gives one row. Rows rank within (benchmark, metric, unit), best first by the metric's
direction (extract.context.metric.metric_info, else the word list of leaderboard.py).
"""
from __future__ import annotations

import re

import pandas as pd

RESULT_FAMILIES = ("score", "perplexity")
RESULT_UNITS = ("%", "points", "")
# measures of the annotation or of the statistics, not of the system ranked
NOT_RESULTS = re.compile(r"\b(?:agreement|kappa|confidence|p-value|significance|inter-rater|inter-annotator)\b")
# a model named by a phrase, not a name: "our model", "a 7B-parameter LLM", "the dense model", "7B model"
_DETERMINER = re.compile(r"^(?:our|a|an|the|this|these|those|its|their|each|both|all|some|several|many|"
                         r"various|other|existing|prior|previous|larger|smaller|open|proprietary)\b", re.I)
_SIZE_NOUN = re.compile(r"^[\d.,]+\s*[BMK]?\b", re.I)
_NAMED = re.compile(r"[A-Z0-9]")
_ARXIV_ID = re.compile(r"^(?:arxiv:)?(?P<id>\d{4}\.\d{4,5}(?:v\d+)?|[a-z-]+(?:\.[A-Z]{2})?/\d{7}(?:v\d+)?)$", re.I)


def _where(evidence, value_text) -> tuple[str, str, int]:
    """The evidence and number as text, and where the number is first written in it (-1: nowhere)."""
    evidence, value_text = str(evidence or ""), str(value_text or "")
    return evidence, value_text, evidence.find(value_text) if value_text else -1


def names_one_system(name: str) -> bool:
    """Does ``name`` name one model or method ("GPT-4", "LLaMA-2 7B", "MaskLLM"), rather than a
    phrase ("our model", "dense model", "a 7B-parameter LLM") or a list ("GPT-4; Claude")?"""
    name = (name or "").strip()
    if not name or ";" in name or _DETERMINER.match(name) or _SIZE_NOUN.match(name):
        return False
    # a name has a capital or a digit somewhere ("dense model", "baseline" have neither)
    return any(ch.isupper() or ch.isdigit() for ch in name)


_PAREN_OWNER = re.compile(r"(?P<name>[A-Z][\w.+-]*(?:\s[A-Z][\w.+-]*)?)\s*\(\s*$")


def owned_by_another(evidence: str, value_text: str, model: str, method: str, benchmark: str = "") -> bool:
    """Is the number written in parentheses after a name that is neither the row's model, its method
    nor its benchmark ("outperforming LoRA (5.50%), Full FT (7.22%)"; "on ZINC (0.059 MAE)" is where)?
    It is that system's result, which the row's columns cannot name."""
    evidence, value_text = str(evidence or ""), str(value_text or "")
    i = evidence.find("(" + value_text) if value_text else -1
    if i < 0:
        i = evidence.find("( " + value_text) if value_text else -1
    if i < 0:
        return False
    m = _PAREN_OWNER.search(evidence, max(0, i - 40), i + 1)
    if not m:
        return False
    owner = re.sub(r"[^a-z0-9]", "", m.group("name").lower())
    mine = [re.sub(r"[^a-z0-9]", "", str(x or "").lower()) for x in (model, method, benchmark)]
    return not any(x and (owner in x or x in owner) for x in mine)


# "SR/SPL of 0.835/0.560", "EM/F1 of 85.2/91.0": scores written as a slash pair go with a slash list of
# metrics, and a row names one metric; "9.33/10" (a rating out of its scale) is one score
_PAIRED = re.compile(r"\d\.\d+\s*/\s*$|^\s*/\s*\d*\.\d")


def slash_paired(evidence: str, value_text: str) -> bool:
    """Is the number one of several scores written "a/b"?"""
    evidence, value_text, i = _where(evidence, value_text)
    while i >= 0:
        if _PAIRED.search(evidence[max(0, i - 12):i]) or _PAIRED.search(evidence[i + len(value_text):i + len(value_text) + 12]):
            return True
        i = evidence.find(value_text, i + 1)
    return False


def _alnum(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", s.lower())


def metric_beside(evidence: str, value_text: str, metric: str) -> bool:
    """Is the metric written beside the number (60 characters before it to 40 after)? A metric
    carried over from another number of the sentence ("92.3% F1 on X (4.3% false-negative rate, ...)")
    is no name a row can stand on. A rate may be written by what it counts ("99% success" in the success
    rate its sentence named)."""
    evidence, value_text, want = str(evidence or ""), str(value_text or ""), _alnum(str(metric or ""))
    if not want:
        return False
    short = _alnum(re.sub(r"\s+rates?$", "", str(metric or "").strip(), flags=re.I)) or want
    i = evidence.find(value_text) if value_text else -1
    while i >= 0:
        near = _alnum(evidence[max(0, i - 60):i + len(value_text) + 40])
        if want in near or short != want and short in _alnum(evidence[i:i + len(value_text) + 20]):
            return True
        i = evidence.find(value_text, i + 1)
    return False


def in_parentheses_after(evidence: str, value_text: str, metric: str) -> bool:
    """Is the number written alone in parentheses after whom it belongs to ("outperforming a pure LLM
    baseline (23.6%)", "Llama-3.1 8B performed best (0.91)"), with the metric named earlier in the
    sentence for the number it is compared with, or nowhere in it (its sentence names no measure, and the
    metric is the one the sentence before named)? Such a number is in that metric: a note in parentheses
    gives no other."""
    evidence, value_text, want = str(evidence or ""), str(value_text or ""), _alnum(str(metric or ""))
    i = evidence.find("(" + value_text + ")") if value_text else -1
    return i >= 0 and bool(want) and (want in _alnum(evidence[:i]) or want not in _alnum(evidence))


# "from 39.33 to 42.83 on InfiniteBench", "improves on Winoground from 49.5% to 54.8%"
# (no noun after it: "from 3 to 5 layers" counts things)
_PAIR = re.compile(r"\bfrom\s+(?P<a>\d[\d.,]*\s*(?:\\?%)?)\s+to\s+(?P<b>\d[\d.,]*\s*(?:\\?%)?)"
                   r"(?=\s*(?:[,.;:()]|(?:on|in|for|with|and|while|when|after|using|across)\b|$))")


def before_after_on(evidence: str, value_text: str, benchmark: str) -> bool:
    """Is the number one end of a before/after pair on the row's benchmark, named by "on"/"in" beside the
    pair ("from 39.33 to 42.83 on InfiniteBench")? Both ends are results there, in the benchmark's own
    score when the text names no measure."""
    evidence, value_text = str(evidence or ""), str(value_text or "").strip()
    bench = str(benchmark or "").split(";")[0].strip()
    if not bench or ";" in str(benchmark) or not value_text:
        return False
    on = re.compile(r"\b(?:on|in)\s+(?:the\s+)?" + re.escape(bench) + r"(?![\w-])")
    return any(value_text in (m.group("a").strip(), m.group("b").strip())
               and on.search(evidence, max(0, m.start() - 40), m.end() + 30) is not None
               for m in _PAIR.finditer(evidence))


def pair_after_metric(evidence: str, value_text: str, metric: str) -> bool:
    """Is the number one end of a before/after pair written after the metric it changes ("improves the success
    rate of A from 4.8% to 42.4%, and from 6.1% to 43% for B", "an improvement in F1 ... (from 19.5 to 31.5)")?"""
    evidence, value_text, want = str(evidence or ""), str(value_text or "").strip(), _alnum(str(metric or ""))
    return bool(want) and bool(value_text) and any(
        value_text in (m.group("a").strip(), m.group("b").strip()) and want in _alnum(evidence[:m.start()])
        for m in _PAIR.finditer(evidence))


def _names_benchmark(metric: str, benchmark: str) -> bool:
    m, b = _alnum(str(metric or "")), _alnum(str(benchmark or ""))
    return bool(b) and (m == b or len(b) >= 4 and b in m)


# "ROUGE-1 of 0.92, ROUGE-L of 0.91": the measure written right before "of" / "=" is the number's own
_NAMED_BEFORE = re.compile(r"(?:(?P<two>[A-Za-z][\w@.+-]*\s+)?(?P<one>[A-Za-z][\w@.+-]*))\s*(?:of|=|:)\s*(?:about\s+|only\s+)?$")


# "4.3+/-0.3% false-negative rate": the measure written right after the number (and its spread)
_NAMED_AFTER = re.compile(r"\s*(?:(?:\+/-|±|\\pm)\s*[\d.]+)?\s*(?:\\?%)?\s*(?P<one>[A-Za-z][\w@+-]*)(?:\s+(?P<two>[A-Za-z][\w@+-]*))?")


def other_metric_named(evidence: str, value_text: str, metric: str, info) -> bool:
    """Is another known metric written right before the number ("ROUGE-1 of 0.92" on a row that says
    ROUGE-L), or right after it ("4.3% false-negative rate" on a row that says F1)? ``info(name)``
    gives a metric's (canonical name, direction), or None."""
    evidence, value_text, i = _where(evidence, value_text)
    if i < 0:
        return False
    mine = info(str(metric or ""))
    mine = _alnum(mine[0] if mine else str(metric or ""))
    after = _NAMED_AFTER.match(evidence, i + len(value_text))
    if after:
        for cand in filter(None, (after.group("one") + " " + (after.group("two") or ""), after.group("one"))):
            got = info(cand.strip())
            if got:
                return _alnum(got[0]) != mine and not _alnum(cand).startswith(_alnum(str(metric or "")) or "\0")
    m = _NAMED_BEFORE.search(evidence, max(0, i - 40), i)
    if not m:
        return False
    if _alnum(evidence[max(0, i - 40):m.end("one")]).endswith(_alnum(str(metric or "")) or "\0"):
        return False  # "a word error rate of 3.3%": the row's own metric, written in full
    for cand in filter(None, ((m.group("two") or "") + m.group("one"), m.group("one"))):
        got = info(cand)
        if got:
            return _alnum(got[0]) != mine and _alnum(cand) != _alnum(str(metric or ""))
    return False


# "closing 90% of the performance gap": a share of a gap closed, not a result
_GAP_SHARE = re.compile(r"\s*(?:\\?%|percent)?\s+of\s+(?:the\s+|its\s+|this\s+|that\s+)?(?:[\w-]+\s+){0,3}?gaps?\b")


def share_of_gap(evidence: str, value_text: str) -> bool:
    """Is the number the share of a gap that a method closes ("closing 90% of the gap with X")?"""
    evidence, value_text, i = _where(evidence, value_text)
    return i >= 0 and _GAP_SHARE.match(evidence, i + len(value_text)) is not None


# "comparable accuracy using only 20% of the tokens": a share of what a system uses, not a score of it
_COST_SHARE = re.compile(r"\s*(?:\\?%|percent)\s+of\s+(?:the\s+|its\s+|their\s+|our\s+)?(?:[\w-]+\s+){0,2}?"
                         r"(?:tokens?|parameters?|params|weights|layers|heads|experts|data|samples|examples|labels|"
                         r"compute|FLOPs|memory|cost|time|budget|steps)\b", re.I)


def share_of_cost(evidence: str, value_text: str) -> bool:
    """Is the number a share of what a system uses ("using only 20% of the tokens")?"""
    evidence, value_text, i = _where(evidence, value_text)
    return i >= 0 and _COST_SHARE.match(evidence, i + len(value_text) - (1 if value_text.endswith("%") else 0)) is not None


# "7.59 (... vs 9.76 in AffineQuant)": the number written as another system's
_OWNER_AFTER = re.compile(r"\s*(?:\\?%)?\s+(?:in|of|by|from)\s+(?P<x>[A-Z][\w.+-]*)")


def written_as_anothers(evidence: str, value_text: str, model: str, method: str, benchmark: str) -> bool:
    """Is the number written as another system's, "N in/of/by <Name>", where the name is neither the
    row's model, method nor benchmark ("vs 9.76 in AffineQuant")?"""
    evidence, value_text, i = _where(evidence, value_text)
    m = _OWNER_AFTER.match(evidence, i + len(value_text)) if i >= 0 else None
    if not m:
        return False
    x = _alnum(m.group("x"))
    return not any(y and (x in y or y in x) for y in (_alnum(str(v or "")) for v in (model, method, benchmark)))


def several_described(benchmark: str, evidence: str) -> bool:
    """Is the benchmark a description of several sets, none named ("on multiple e-commerce datasets":
    "e-commerce"), so no one benchmark to rank on?"""
    b = str(benchmark or "")
    return bool(b) and not _NAMED.search(b) and bool(
        re.search(r"(?<![\w-])" + re.escape(b) + r"\s+(?:benchmarks|datasets|tasks|suites|corpora)\b", str(evidence or "")))


def judged_by(model: str, metric: str) -> bool:
    """Is the row's model the judge its metric is named after ("a GPT-4 score of 1.29": GPT-4 rates,
    it is not the system rated)?"""
    m = _alnum(str(model or ""))
    return len(m) >= 3 and m in _alnum(str(metric or ""))


def arxiv_link(paper_id: str) -> str:
    """The arXiv page of a paper whose id is an arXiv id ("2401.01234", "cs/0112017"), else ""."""
    m = _ARXIV_ID.match(str(paper_id or "").strip())
    return f"https://arxiv.org/abs/{m.group('id')}" if m else ""


def result_rows(d: pd.DataFrame, generic, info=lambda name: None) -> pd.Series:
    """The rows of a conformed claims frame that are Leaderboard results (a boolean mask).
    ``generic(metric, family)`` says whether a metric names no measure of its own; ``info(name)`` gives
    a known metric's (canonical name, direction)."""
    import numpy as np

    # The column tests first: the per-row tests below (a Python call and regexes per row) run only on
    # the rows those leave, the same answer for a fraction of the rows (a quarter of the claims).
    base = (d["valid"].astype(bool) & (d["kind"] == "absolute") & d["family"].isin(RESULT_FAMILIES)
            & d["value"].notna() & d["unit"].isin(RESULT_UNITS) & (d["qualifier"] != "range")
            & (d["benchmark"] != "")).to_numpy(dtype=bool)
    out = np.zeros(len(d), dtype=bool)
    r = d[base]
    if not len(r):
        return pd.Series(out, index=d.index, dtype=bool)

    def mask(values) -> np.ndarray:
        return np.fromiter(values, dtype=bool, count=len(r))

    # plain lists: iterating an Arrow-backed column converts one element a call, 5x slower
    col = {c: r[c].tolist() for c in ("model", "method", "evidence", "value_text", "metric", "benchmark", "family")}

    who = mask((names_one_system("" if judged_by(a, m) else a) or names_one_system(b))
               and not owned_by_another(e, v, a, b, bench) and not slash_paired(e, v) and not share_of_gap(e, v)
               and not share_of_cost(e, v)
               and not written_as_anothers(e, v, a, b, bench)
               for a, b, e, v, m, bench in zip(col["model"], col["method"], col["evidence"], col["value_text"],
                                               col["metric"], col["benchmark"]))
    # a metric that is the benchmark's own name ("100% on VerilogEval-Human") names no measure
    specific = mask((f == "perplexity" or not generic(m, f) and (metric_beside(e, v, m) or in_parentheses_after(e, v, m)
                                                                  or pair_after_metric(e, v, m))
                     or m == f == "score" and before_after_on(e, v, b))
                    and not NOT_RESULTS.search(str(m).lower()) and not _names_benchmark(m, b)
                    and not other_metric_named(e, v, m, info)
                    for m, f, e, v, b in zip(col["metric"], col["family"], col["evidence"], col["value_text"],
                                             col["benchmark"]))
    out[np.flatnonzero(base)] = ~mask(map(several_described, col["benchmark"], col["evidence"])) & specific & who
    return pd.Series(out, index=d.index, dtype=bool)


def one_row_each(d: pd.DataFrame) -> pd.DataFrame:
    """A repeated abstract (the same sentence under two ids) or a number its paper states twice
    (same paper, same result) gives one row: the first."""
    what = [d[c].astype(str).str.casefold() for c in ("benchmark", "metric", "model", "method", "unit")]
    what.append(d["value"].round(9).astype(str))
    sentence = d["evidence"].astype(str).str.split().str.join(" ").str.casefold()
    twice = pd.concat(what + [d["paper_id"].astype(str)], axis=1).duplicated()
    repeated = pd.concat(what + [sentence], axis=1).duplicated()
    return d[~(twice | repeated).to_numpy()]
