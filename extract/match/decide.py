"""Decide every number mention of a text: claim or not, of which family, and build its fields.

Each mention is scored for each family by the cue rules around it (window.py, weights from
rules/numbers/cues.yaml); the best family wins when it beats "none". A mention with no word of a
measure of its own that continues a list ("2% in general tasks, 9% in math and 11% in coding", "from
843M to 15B") takes the family of the item before it. The rule named in a claim is the rule that added
most to its family's score ("list-item" for an item that took its list's family).
"""
from __future__ import annotations

import re
import time

from . import kinds as K
from .mentions import find_mentions
from .notclaims import blocked
from .window import Sentence, features, sentence_spans

FAMILIES = ("none", "score", "perplexity", "speedup", "memory", "parameters", "compute", "data")
# cue categories that do not name a measure of their own (they only say "a result", "a change")
# "and 16.05 on PTB datasets": a dataset word beside a later item names where, not a family of its own
_NOT_OWN = frozenset({"achieve", "up", "model", "speed-weak", "rate", "down", "compare", "hedge", "dataset"})
_KIND_SEP = re.compile(r",|\band\b|/|\bor\b")
_COORD = re.compile(r"\s*(?:,\s*and|,|and|or|/)\s*")
# a number introduced afresh ("and total memory by 63.3%", "and a 7.9% improvement") has a hedge of its own or none
_OWN_START = re.compile(r"\b(?:by|an?)\s*\$?$", re.I)
_LIST_SEP = re.compile(r",|\band\b|/|\bor\b|\bto\b")
_SAME_SIZE_SEP = re.compile(r"\s*(?:,|and|to|or|,\s*and)\s*")
_SPAN = re.compile(r"\s*(?:up\s+to|to|-|–|~|\\sim|\$\\sim\$|∼)(?:\s+(?:an?|the|impressive|remarkable|nearly|about|over))*\s*\+?$")
_TO = re.compile(r"\s*to\s*")
_OF_END = re.compile(r"\bof\s*(?:(?:up to|about|around|approximately|roughly|nearly)\s*)?\$?$")
_AND = re.compile(r"\s*and\s*\$?")
_BETWEEN = re.compile(r"\bbetween\s*\$?$")
_PAREN = re.compile(r"\s*\([^()]{0,60}\)")
_HEDGES = ("up_to", "approx", "average")
_METRIC_CATS = {"score": ("metric",), "perplexity": ("perplexity",), "speedup": ("speed", "speed-weak"),
                "memory": ("memory",)}


def decide(text: str, rules, trace: list | None = None, sentences=None, deadline: float | None = None,
           scorer=None) -> list[dict]:
    """The claims of ``text`` as dicts (family, metric, kind, direction, value, unit, qualifier,
    value_text, start, end, rule, sentence), in text order. ``trace``: a list that receives, for every
    mention, (surface text, family, {rule id: weight it added to that family}, not-a-claim rule id).
    ``sentences``: the text's sentence spans, if already known. Past ``deadline`` (a
    time.perf_counter() value, checked once every 32 numbers) it raises TimeoutError. ``scorer``: a
    function (mention, feature names) -> family that stands in for the cue weights (bench/cross_fit.py
    measures a learned one with it); every other decision stays the rules'."""
    kw = rules.kinds
    found = find_mentions(text)
    if not found:
        return []
    spans = sentences or sentence_spans(text)
    found = _drop_number_dumps(found, spans)
    whys = []
    for i, m in enumerate(found):
        if deadline is not None and not i % 256 and time.perf_counter() > deadline:
            raise TimeoutError(f"stopped after reading {i:,} of {len(found):,} numbers")
        whys.append(blocked(text, m, rules.tests, rules.measure))
    # a range is read as one: an end blocked ("1500-2000", years) blocks its partner
    for i in range(len(found) - 1):
        if found[i].range == "lo" and found[i + 1].range == "hi" and bool(whys[i]) != bool(whys[i + 1]):
            whys[i] = whys[i + 1] = whys[i] or whys[i + 1]
    ms = []
    for m, why in zip(found, whys):
        if not why:
            ms.append(m)
        elif trace is not None:
            trace.append((text[m.start:m.end], "none", {}, why))
    if not ms:
        return []
    sents: dict = {}
    out: list[dict] = []
    last_metric: dict = {}
    prev = None  # (mention, family, sentence start, kind, direction) of the mention before
    k = 0
    for i, m in enumerate(ms):
        if deadline is not None and not i % 32 and time.perf_counter() > deadline:
            raise TimeoutError(f"stopped after {i:,} of {len(ms):,} numbers")
        while k + 1 < len(spans) and spans[k][1] <= m.start:
            k += 1
        s, e = spans[k]
        sent = sents.get(k) or sents.setdefault(k, Sentence(text, s, e))
        # the window stops at the neighbouring numbers; a range's first end reads past its second
        lo = ms[i - 1].end if i and ms[i - 1].end > s else s
        if m.range == "hi" and i >= 2 and ms[i - 2].end > s:
            lo = ms[i - 2].end
        elif m.range == "hi":
            lo = s
        # a range's first end reads past its second, when that second end was not blocked ("1500-2000 g")
        paired = m.range == "lo" and i + 1 < len(ms) and ms[i + 1].range == "hi"
        # "at 3 and 2 bits", "on 4 or 8 GPUs": the first of two joined numbers is the same setting as the second
        paired = paired or (i + 1 < len(ms) and not m.range and _JOINED.fullmatch(text, m.end, ms[i + 1].start) is not None
                            and _setting_after(text, ms[i + 1].end, rules.cats))
        j = i + 2 if paired else i + 1
        hi = ms[j].start if j < len(ms) and ms[j].start < e else e
        feats = features(text, m, sent, rules, lo, hi, ms[i + 1].end if paired else -1)
        if scorer is None:
            score = dict.fromkeys(FAMILIES, 0.0)
            for f in feats:
                for fam_, w in (rules.weights.get(f) or {}).items():
                    score[fam_] += w
            fam = max(FAMILIES, key=score.__getitem__)
        else:
            fam = scorer(m, feats)
        rule = None
        if prev is not None and prev[1] != "none" and prev[2] == s and _continues(text, m, prev, feats):
            fam, rule = prev[1], "list-item"
        if trace is not None:
            trace.append((text[m.start:m.end], fam, _contributions(feats, rules, fam), rule or ""))
        if fam == "none":
            prev = (m, "none", s, "", "")
            continue
        out_item = _build(text, m, fam, rule or _best_rule(feats, rules, fam), sent, prev, kw, out)
        metric = _metric(fam, sent, m, lo, hi, rules)
        if metric == fam:  # "a macro-F1 of 0.82, followed by B (0.79)": the sentence's measure so far
            metric = last_metric.get((s, fam), fam)
        if out_item["qualifier"] == "range" and len(out) and out[-1]["qualifier"] == "range" and out[-1]["family"] == fam \
                and out[-1]["end"] == prev[0].end and (m.range == "hi" or m.range == prev[0].range == ""):
            metric = _one_range(out[-1], out_item, metric, fam)
        out_item["metric"] = last_metric[(s, fam)] = metric
        out.append(out_item)
        prev = (m, fam, s, out_item["kind"], out_item["direction"])
    return out


# A sentence with more numbers than this is a table or a dump of numbers, not prose that reports a result:
# its numbers are not decided (no abstract sentence comes near; it bounds the work on pathological text).
MAX_NUMBERS_PER_SENTENCE = 300
_JOINED = re.compile(r"\s*,?\s*(?:and|or|to)\s+\$?")
_WORD_AFTER = re.compile(r"[\s$-]?([A-Za-z][A-Za-z-]*)")


def _setting_after(text: str, end: int, cats) -> bool:
    w = _WORD_AFTER.match(text, end)
    return w is not None and "setting" in cats(w.group(1).lower())


def _drop_number_dumps(found, spans):
    counts: dict = {}
    where = []
    k = 0
    for m in found:
        while k + 1 < len(spans) and spans[k][1] <= m.start:
            k += 1
        where.append(k)
        counts[k] = counts.get(k, 0) + 1
    if max(counts.values()) <= MAX_NUMBERS_PER_SENTENCE:
        return found
    return [m for m, k in zip(found, where) if counts[k] <= MAX_NUMBERS_PER_SENTENCE]


def _continues(text, m, prev, feats) -> bool:
    """Whether ``m`` is the next item of the list or range that ``prev`` started."""
    pm = prev[0]
    between = text[pm.end:m.start]
    if m.range == "hi":
        return True
    if m.mag and m.mag == pm.mag and _SAME_SIZE_SEP.fullmatch(between):
        return True  # "from 843M to 15B", "7B, 13B and 70B"
    own = any(f.partition("@")[0] not in _NOT_OWN and "@" in f and not f.startswith(("setting", "counted", "items",
              "reference", "model-count", "bigcount", "data%", "counted%", "items%")) for f in feats)
    return (not own and m.start - pm.end < 60 and pm.hint == m.hint and pm.mag == m.mag
            and bool(_LIST_SEP.search(between)))


def _contributions(feats, rules, fam) -> dict:
    out: dict = {}
    for f in feats:
        w = (rules.weights.get(f) or {}).get(fam)
        if w:
            rid = rules.feature_rule.get((f, fam), f)
            out[rid] = out.get(rid, 0.0) + w
    return out


def _best_rule(feats, rules, fam) -> str:
    best, arg = 0.0, "bias"
    for f in feats:
        w = (rules.weights.get(f) or {}).get(fam, 0.0)
        if w > best:
            best, arg = w, f
    return rules.feature_rule.get((arg, fam), "sign-bare")


def _one_range(a: dict, b: dict, metric: str, fam: str) -> str:
    """The two ends ``a`` and ``b`` of a range measure one thing ("between 25% and 50% while keeping
    generation quality") and share one change ("24.6%-44.6% shorter" is two falls, though only the second
    end touches "shorter"): ``a`` and ``b`` are made to agree; returns the metric of ``b``."""
    if a["kind"] != b["kind"] and "absolute" in (a["kind"], b["kind"]) and a["_hint"] == b["_hint"]:
        src, dst = (a, b) if b["kind"] == "absolute" else (b, a)
        dst["kind"], dst["direction"] = src["kind"], src["direction"]
    if a["metric"] != fam:
        return a["metric"]
    a["metric"] = metric
    return metric


def _span_end(text, m, prev, s, fam) -> bool:
    """The second end of "ranging from X to Y", "X ~ Y", or for sizes "from 843M to 15B": both ends are a
    range (for scores "from 36.2% to 40.7%" is a before/after pair: two absolute values)."""
    if prev is None or prev[2] != s or prev[1] != fam:
        return False
    between = _PAREN.sub("", text[prev[0].end:m.start])
    lead = text[max(s, prev[0].start - 30):prev[0].start].lower()
    if _AND.fullmatch(between) and _BETWEEN.search(lead):
        return True  # "accelerations between 25% and 50%"
    if not _SPAN.match(between):
        return False
    return ("ranging" in lead or "range" in lead or "between" in lead or "~" in between or "sim" in between
            or (fam == "parameters" and "from" in lead[-12:])
            # "an improvement of 12% to 15%" (not "from the previous SOTA of 13% to 31%")
            or (_TO.fullmatch(between) is not None and _OF_END.search(lead) is not None and "from" not in lead))


def _metric(fam: str, sent, m, lo: int, hi: int, rules) -> str:
    """The measure named next to the number, else the family's name: "85.3% accuracy", "a PSNR of
    28.67", "success rate", "2.5x inference speedup", "reduces latency by 40%"
    """
    # (a count of data names the thing counted, not a measure: its metric is the family's, as the spec asks)
    want = _METRIC_CATS.get(fam, ("compute",) if fam == "compute" else ())
    if not want:
        return fam
    cats, g = rules.cats, rules.words
    skip = g["metric_skip"]
    right = [t for t in sent.between(m.end, hi) if t[2] not in skip][:4]
    left = [t for t in sent.between(max(lo, sent.start), m.start) if t[2] not in skip][-5:]
    toks = right + left[::-1]
    for k, t in enumerate(toks):
        w = t[2]
        if any(c in want for c in cats(w)):
            seq = right if k < len(right) else left
            i = seq.index(t)
            nxt = seq[i + 1][2] if i + 1 < len(seq) else ""
            before = seq[i - 1][2] if i else ""
            if nxt in g["metric_heads"]:
                return f"{w} {nxt.removesuffix('s')}"  # "success rate", "exact match"
            if before in g["metric_stages"] and fam in ("speedup", "compute", "memory"):
                return f"{before} {w}"  # "inference speedup", "token consumption"
            if w not in g["metric_generic"]:
                return w
        elif fam == "score" and w in ("rate", "rates"):
            # "a 0.68% misalignment rate": the word before "rate" names the measure
            seq = right if k < len(right) else left
            i = seq.index(t)
            before = seq[i - 1][2] if i else ""
            if before.isalpha() and before not in g["not_before_rate"] and t[0] - seq[i - 1][1] <= 1:
                return f"{before} rate"
    return fam




def _build(text, m, fam, rule, sent, prev, kw, out) -> dict:
    s, e = sent.start, sent.end
    hint, value = m.hint, abs(m.value)
    if hint == "half":  # "roughly half the error" is a factor of 2; "less than half the parameters" 50%
        before = text[max(s, m.start - 12):m.start].lower()
        if fam != "parameters" and "less than" not in before and text[m.end:m.end + 4].lower() == " the":
            value, hint = 2.0, "x"
        else:
            value, hint = 50.0, "%"
    lo = prev[0].end if prev is not None and prev[2] == s else s
    kind, direction = K.kind_of(kw, text, m, hint, fam, max(s, lo, m.start - 80), min(e, m.end + 60), s)
    span_end = _span_end(text, m, prev, s, fam)
    # the claim before of this family in the sentence, over numbers of names between ("GSM8K", "LLaMA-2 7B")
    ref = next((c for c in reversed(out) if c["sentence"][0] == s and c["family"] == fam), None) if out else None
    if kind == "absolute" and (span_end or m.range or not K.is_target(kw, text, m.start, lo)) and (
            (prev is not None and prev[3] not in ("", "absolute") and ((rule == "list-item" and hint == prev[0].hint) or span_end)) or (
            ref is not None and ref["kind"] != "absolute" and ref["_hint"] == hint and m.start - ref["end"] < 80
            and _KIND_SEP.search(text, ref["end"], m.start))):
        src = prev if rule == "list-item" else (None, None, None, ref["kind"], ref["direction"])
        kind, direction = src[3], src[4]  # "by 7.3% on A and 8.0% on B": the items share the change
    rw = [t[2] for t in sent.between(m.end, min(e, m.end + 40))[:3]]
    lw = [t[2] for t in sent.between(max(s, m.start - 40), m.start)[-3:]]
    unit, factor = K.unit_of(fam, kind, hint, m, rw, lw)
    value *= factor
    if kind == "absolute" and m.value < 0:
        value = m.value  # "rho = -0.863": a negative value, not a fall
    if m.range or span_end:
        q = "range"
        if span_end and out and out[-1]["end"] == prev[0].end:
            out[-1]["qualifier"] = "range"
    else:  # the spread of "92.3+/-0.2%" is no "+" of "100+"
        q = K.qualifier(kw, text, m.start, max(m.end, m.pm_end), s, e, average=fam != "parameters")
        if rule == "list-item" and q == "exact" and out and out[-1]["qualifier"] in _HEDGES \
                and out[-1]["end"] == prev[0].end:
            q = out[-1]["qualifier"]  # "by up to 12.2% for A and 19.5% for B": the list shares its hedge
        elif q == "exact" and ref is not None and ref["qualifier"] in _HEDGES and ref["_hint"] == hint \
                and ref["kind"] == kind and m.start - ref["end"] < 80 and _KIND_SEP.search(text, ref["end"], m.start) \
                and not _OWN_START.search(text, ref["end"], m.start):
            q = ref["qualifier"]  # "up to 1.82x prefill speedup and 1.48x decode speedup": so does a list of its own
    if kind == "delta":  # "15.7% and 18.2% error reduction", "2.2%, 11.4% and 7.0% higher": the change is all's
        nxt = m.start
        for c in reversed(out):
            if (c["sentence"][0] != s or c["family"] != fam or c["kind"] != "absolute" or c["_hint"] != hint
                    or c["qualifier"] == "range" or not _COORD.fullmatch(text, c["end"], nxt)):
                break
            c["kind"], c["direction"], nxt = kind, direction, c["start"]
    return dict(family=fam, metric=fam, kind=kind, direction=direction, value=_clean(value), unit=unit,
                qualifier=q, value_text=text[m.start:m.end], start=m.start, end=m.end, rule=rule,
                sentence=(s, e), _hint=hint)


def _clean(v: float) -> float:
    """Round away binary noise (0.1 * 3) so 7e9 prints as 7000000000."""
    r = round(v, 9)
    return float(int(r)) if r == int(r) and abs(r) < 1e18 else r
