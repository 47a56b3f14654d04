"""Kind, direction, unit and qualifier of a decided number, from the words around it. The word lists
are data (``kinds`` in rules/numbers/cues.yaml, rules/lexicons/qualifiers.yaml); this module says how
they are read.

Kind: a factor ("2.5x", "twice") is a ratio; a change is a delta when the number follows "by" (after any
hedge: "by up to 45%"), follows a noun of change and "of" ("a reduction of 40%", "a drop of less than
1%"), follows a verb of change ("compresses 76.6% of the model"), is signed ("+3.1"), or is followed by a
word of change ("12% lower", "a 76% improvement"; not across a word that starts a phrase of its own:
"0.36 for the loss"); a value written after "=" is the value itself, as is anything else. The direction
is the nearest word of change, after the number first ("4x fewer"), then before it.
"""
from __future__ import annotations

import re

from extract.match.fold import folded
from extract.match.tail import ends_at


# "a significant increase (46.4% to 52.2%)": the values before and after the change, not the change
_PAIR = re.compile(r"\s*(?:to|->|→|\\rightarrow)\s*\$?[-+]?\d")


def _alt(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


class KindWords:
    """The compiled word lists of ``kinds`` (cues.yaml) and the qualifier cues (lexicons/qualifiers.yaml)."""

    def __init__(self, kinds: dict, qualifiers: dict):
        hedge = r"(?:" + _alt(kinds["hedges"]) + r")"
        self.by = re.compile(r"\bby(?:\s+" + hedge + r")*\s*\$?\(?$", re.I)
        # (or in parentheses right after the noun: "performance drops (up to 65%)", "degradation (<4.3%)")
        self.change_of = re.compile(r"\b(?:" + _alt(kinds["change_nouns"]) + r")(?:,?\s+(?:of|by|reaching|amounting\s+to|"
                                    r"ranging\s+from|up\s+to|as\s+(?:much|high|large)\s+as)|\s*\()(?:\s*" + hedge + r")*\s*$", re.I)
        self.change_after = re.compile(r"\s*\$?\s*(?:\)\s*)?(?:(?:" + _alt(kinds["change_modifiers"]) + r")\s+)*"
                                       r"(?:(?!(?:" + _alt(kinds.get("not_between") or ["(?!)"]) + r")\s)[\w-]+\s+){0,2}?"
                                       r"(?:" + _alt(kinds["change_after"]) + r")\b", re.I)
        # "compresses 76.6% of the model", "saving approximately 7.2 MJ": a verb of change right before the number
        verbs = kinds.get("change_verbs") or []
        self.verb = re.compile(r"\b(?:" + _alt(verbs) + r")(?:\s+" + hedge + r")*\s*\$?\(?$", re.I) if verbs else None
        # "... and further to 95.4%", "the Lift task reaching 99%": the number is where the measure got to
        targets = kinds.get("target_before") or []
        self.target = re.compile(r"(?<!\bup\s)\b(?:" + _alt(targets) + r")(?:\s+" + hedge + r")*\s*\$?$", re.I) if targets else None
        self.than = re.compile(r"\s*(?:more|less|fewer)\s+than\b", re.I)
        self.down = re.compile(r"\b(?:" + _alt(kinds["down_words"]) + r")\b", re.I)
        self.up = re.compile(r"\b(?:" + _alt(kinds["up_words"]) + r")\b", re.I)
        self.speedup = re.compile(r"speed-?ups?", re.I)
        esc = lambda ws: "|".join(re.escape(w) for w in sorted(ws, key=len, reverse=True))  # noqa: E731
        self.q_before = [(q, re.compile(r"(?:^|(?<=[\s(\[,;:]))(?:" + esc(ws) + r")[\s\u00a0]*(?:(?:a|an)\s+)?(?:by\s+)?$", re.I))
                         for q, ws in qualifiers["before"].items()]
        # one search for any of them first: most numbers have no hedge before them
        self.q_any_before = re.compile(r"(?:^|(?<=[\s(\[,;:]))(?:" + esc([w for ws in qualifiers["before"].values() for w in ws])
                                       + r")[\s\u00a0]*(?:(?:a|an)\s+)?(?:by\s+)?$", re.I)
        self.q_after = [(q, re.compile(r"\s*(?:" + esc(ws) + r")(?![A-Za-z])", re.I)) for q, ws in qualifiers["after"].items()]
        self.q_window = re.compile(r"(?<!\w)(?:" + esc(qualifiers["average_window"]) + r")(?!\w)", re.I)
        self.q_self = [(q, re.compile(esc(ws), re.I)) for q, ws in (qualifiers.get("self") or {}).items()]
        # the costly cues read right before the number (long word lists tried at every position of the
        # window) have their search gated (match/tail.py); "by", the verbs and the targets cost less than the gate
        for name in ("change_of", "q_any_before"):
            setattr(self, name, ends_at(getattr(self, name)))
        # and the other case-insensitive word lists are read in the lower-cased text (match/fold.py)
        # (not "by", the targets or the average window: short, they cost less than the lowering)
        for name in ("verb", "down", "up"):
            setattr(self, name, folded(getattr(self, name)))


_EQUALS = ends_at(re.compile(r"(?<![<>!])=\s*\$?\s*$"))
_AFTER_END = re.compile(r"[;,(]|\band\b|\bwhile\b")


def kind_of(kw: KindWords, text: str, m, hint: str, fam: str, lo: int, hi: int, s0: int | None = None) -> tuple[str, str]:
    """(kind, direction) of mention ``m``; ``lo``/``hi`` bound the words read around it, ``s0`` (the
    sentence start) the words read back for a direction when none is near ("cuts memory by 80% and
    latency by 35%")."""
    before, after = text[lo:m.start], text[m.end:hi]
    cut = _AFTER_END.search(after)
    if cut:
        after = after[:cut.start()]
    if hint == "x":
        kind = "ratio"
    elif m.sign in ("+", "-", "\u2212") and not before.rstrip().endswith(("=", "$")):
        kind = "delta"
    elif _EQUALS.search(before):
        return "absolute", ""  # "Rho = 0.36 for cross-entropy loss": a value written after "=" is the value
    elif fam == "parameters" and hint != "%":
        return "absolute", ""
    elif fam == "speedup" and not hint and kw.speedup.search(before[-40:] + " " + after[:20]):
        return "ratio", "up"  # "a 24.4 speedup", "speedup ranging from 1.41 up to 4.28": a bare factor
    elif kw.by.search(before) or (kw.change_of.search(before) and not (before.rstrip().endswith("(") and _PAIR.match(after))) or (
            kw.verb and kw.verb.search(before)) or (kw.change_after.match(after) and not kw.than.match(after)):
        kind = "delta"
    else:
        return "absolute", ""
    if m.sign in ("-", "\u2212"):
        return kind, "down"
    if m.sign == "+" and kind == "delta":
        return kind, "up"  # "+1.1 points": the sign says it
    a_down, a_up = kw.down.search(after), kw.up.search(after)
    if a_down or a_up:
        return kind, "down" if a_down and (not a_up or a_down.start() < a_up.start()) else "up"
    downs = [x.end() for x in kw.down.finditer(before)]
    ups = [x.end() for x in kw.up.finditer(before)]
    if not downs and not ups and s0 is not None and s0 < lo:
        back = text[max(s0, lo - 200):lo]
        downs, ups = [x.end() for x in kw.down.finditer(back)], [x.end() for x in kw.up.finditer(back)]
    return kind, "down" if downs and (not ups or downs[-1] > ups[-1]) else "up"


def is_target(kw: KindWords, text: str, start: int, lo: int) -> bool:
    """Whether the number is written as the value a measure reached ("and further to 95.4%", "the Lift
    task reaching 99%", "Rho = 0.36"), so that it takes no kind from the change before it."""
    before = text[max(lo, start - 40):start]
    return bool(_EQUALS.search(before) or (kw.target and kw.target.search(before)))


_MEAN = re.compile(r"\bmean\b[^,;.]{0,25}$", re.I)
_AP = re.compile(r"average\s+precision", re.I)
_AVG_REAL = re.compile(r"on average|an average of|average (?:improvement|gain)", re.I)
_CLAUSE_BREAK = re.compile(r"[;:]|,\s+(?:and|while|but|with)\b")


def qualifier(kw: KindWords, text: str, start: int, end: int, s0: int, s1: int, average: bool = True) -> str:
    """The hedge of the number at ``text[start:end]`` in the sentence ``[s0, s1)`` (spec section 5)."""
    left = text[max(s0, start - 40):start]
    if kw.q_any_before.search(left):
        for q, pat in kw.q_before:
            if pat.search(left):
                return q
    right = text[end:min(s1, end + 20)]
    for q, pat in kw.q_after:
        if pat.match(right):
            return q
    for q, pat in kw.q_self:  # the number's own words first: "an average of 24+%" is at least 24%
        if pat.search(text, start, end):
            return q
    if average:
        clause = _CLAUSE_BREAK.split(text[max(s0, start - 60):start])[-1]
        near = text[max(s0, start - 40):min(s1, end + 30)]
        if (kw.q_window.search(clause) or kw.q_window.search(text[end:min(s1, end + 25)].split(",")[0])
                or text[s0:s0 + 12].lower().startswith(("on average", "on avg"))):
            # "Average Precision" names a metric, it is no average
            return "exact" if _AP.search(near) and not _AVG_REAL.search(near) else "average"
        if _MEAN.search(text, max(s0, start - 30), start):
            return "average"  # "mean Spearman rho = 0.81", "a mean overall score of 8.46"
    return "exact"


def unit_of(fam: str, kind: str, hint: str, m, rw: list, lw: list) -> tuple[str, float]:
    """(unit, factor to apply to the value) from the family, the sign stuck to the number and the word
    after it: "3 GPU days" -> GPU-hours x 24, "90 min" of data -> hours / 60, "$100K" -> USD."""
    if hint == "%":
        return "%", 1.0
    if kind == "ratio":
        return "x", 1.0
    r0 = rw[0] if rw else ""
    if fam == "parameters":
        return "params", 1.0
    if fam == "score":
        return ("points", 1.0) if r0 in ("points", "point", "pts") or kind == "delta" else ("", 1.0)
    if fam == "data":
        if "tokens" in rw[:3] or "token" in rw[:3]:
            return "tokens", 1.0
        if r0 in ("hours", "hour", "h"):
            return "hours", 1.0
        return ("hours", 1 / 60) if r0 in ("min", "minutes") else ("examples", 1.0)
    if fam == "compute":
        gpu = "gpu" in " ".join(rw[:2] + lw[-2:])
        if m.currency or r0 in ("usd", "dollars", "budget") or "usd" in rw[:2]:
            return "USD", 1.0
        if r0.startswith("flop"):
            return "FLOPs", 1.0
        if r0 in ("days", "day", "gpu-days", "gpu days"):
            return ("GPU-hours" if gpu or r0.startswith("gpu") else "hours"), 24.0
        if r0.startswith("gpu") or "hour" in r0 or r0 == "h":
            return ("GPU-hours" if gpu or r0.startswith("gpu") else "hours"), 1.0
        return "", 1.0
    if fam == "speedup":
        return {"ms": "ms", "milliseconds": "ms", "s": "s", "seconds": "s", "sec": "s"}.get(r0, ""), 1.0
    if fam == "memory":
        return {"gb": "GB", "mb": "MB"}.get(r0, ""), 1.0
    return "", 1.0
