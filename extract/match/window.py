"""The neighbourhood of a number mention, as feature names: the signs stuck to it, the shape of its
value, and which cue categories (rules/numbers/cues.yaml) occur where around it.

Where a cue sits matters more than that it occurs: the noun right after a number is what it counts
("24,000 reasoning tasks", "2.5x faster"), the words right before it name the measure that changed
("reduces memory usage by 4.4x"). Words that name nothing ("by up to", "the", "significantly") are
skipped when counting that distance, and the window stops at the neighbouring numbers and at the
words that end a phrase (";", "and", "while", "without"): what follows is another item's.
"""
from __future__ import annotations

import bisect
import re

from extract.match.tail import ends_at

# "gpu hours" is one cue; a word may hold digits, @, / and - ("pass@1", "tokens/s", "end-to-end")
_TOKEN = re.compile(r"(?i:gpu)[\s-]+(?:hours?|days?)|[A-Za-z][\w@/\-']*[\w@]|[A-Za-z]|[;,]")
# one leading character class keeps the scan fast; the glued case ("mechanisms.Experimental") is
# checked after the match
_SENT = re.compile(r"[.!?](?:(?=\s+[\"'(\[]?[A-Z0-9])|(?=[A-Z][a-z]{2,}))")
_GLUED = frozenset("abcdefghijklmnopqrstuvwxyz%)")
_ABBREV = ("e.g", "i.e", " vs", "t al", " cf", "Fig", " Eq", "etc", "No", "Sec", "approx")
# a model name: with a digit, an inner capital or a hyphen ("Llama-3.1", "LLaMA", "Qwen-VL"), not "Our"
_AFTER_NAME = ends_at(re.compile(r"(?:[A-Za-z][\w.-]*\d[\w.]*|[A-Z][a-z]*[A-Z][\w.-]*|[A-Z]\w*-[\w.-]+)\s$"))
_OF = re.compile(r"\s*\w+\s+of\b")
# a percentage that a preposition other than "of" follows is a share of no data ("19.5% for training");
# "0.3% of the training data", "less than 10% data", "0.02% pre-training tokens" are shares of it
_NOT_SHARE = re.compile(r"\)?\s*(?:for|in|on|with|to|by|at|over|across|when|while|after|under)\b")
_SAMPLE = re.compile(r"\b[nN]\s*=\s*$")
_STUDIED = frozenset({"counted", "items", "model"})  # counts of things studied are few
_DATA_CATS = frozenset({"data", "audio", "dataset"})
_COSTS = frozenset({"speed", "speed-weak", "compute", "memory"})
_STAGES = _DATA_CATS | {"speed-weak"}
_RPOS = ("r1", "r2", "r3", "r4", "r5", "r5")
_LPOS = ("l1", "l2", "l3", "l4", "l4", "l6", "l6", "l6")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; a full stop after an abbreviation ("e.g.", "et al.") ends none."""
    spans, start = [], 0
    for m in _SENT.finditer(text):
        i = m.start()
        if text.endswith(_ABBREV, 0, i):
            continue
        if m.end() < len(text) and not text[m.end()].isspace() and (text[i] != "." or i == 0 or text[i - 1] not in _GLUED):
            continue
        spans.append((start, m.end()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


class Sentence:
    """The tokens of one sentence, lower-cased, with their offsets (looked up by bisection)."""

    __slots__ = ("start", "end", "toks", "starts")

    def __init__(self, text: str, start: int, end: int):
        self.start, self.end = start, end
        self.toks = [(m.start(), m.end(), m.group().lower()) for m in _TOKEN.finditer(text, start, end)]
        self.starts = [t[0] for t in self.toks]

    def between(self, lo: int, hi: int) -> list:
        """The tokens that lie inside [lo, hi)."""
        i = bisect.bisect_left(self.starts, lo)
        j = bisect.bisect_left(self.starts, hi)
        return [t for t in self.toks[i:j] if t[1] <= hi]


def _shape(m) -> str:
    v = abs(m.value)
    if m.word:
        return "word"
    if m.mag:
        return "mag"
    if float(v).is_integer():
        if 1900 <= v <= 2099 and not m.hint and m.end - m.start == 4:
            return "year"
        return "int<=10" if v <= 10 else "int<=100" if v <= 100 else "int<=1000" if v <= 1000 else "int>1000"
    return "dec<1" if v < 1 else "dec<=100" if v <= 100 else "dec>100"


def _variant(cat: str, m, share: bool = True) -> str:
    """Some cues mean something else next to some numbers: a percentage of things is a rate ("over 21%
    of instructions"), while a percentage of the training data is data, but only as a share of it
    (``share``: no preposition but "of" follows the number; "19.5% for training" is no amount of data); a whole number of
    models or tasks is a count of things studied ("17 models"), while a hundred or more tasks is data."""
    if m.hint == "%" and cat in ("data", "dataset"):
        return cat + ("%" if share else "%-not-a-share")
    if cat in ("counted", "items") and (m.hint or m.value != int(m.value)):
        return cat + "%"
    if m.hint or m.mag or m.value != int(m.value):
        return cat
    if cat == "model":
        return "model-count"
    if cat == "items" and abs(m.value) >= 100:
        return "bigcount"
    return cat


def _modifiers(right: list, m, cats, np_end) -> set:
    """Starts of the words that modify a noun of things studied a few of which the number counts: "20
    audio understanding and reasoning benchmarks" counts benchmarks, not audio. Empty unless such a noun
    ends the phrase; a plural before it ("3,000 problems spanning six categories") heads a phrase of its own."""
    if m.hint or m.mag or m.value != int(m.value) or abs(m.value) >= 100:
        return set()
    for i, t in enumerate(right[:6]):
        w = t[2]
        if w in np_end or not w[0].isalpha():
            return set()
        if "counted" in cats(w):
            return {u[0] for u in right[:i]}
        if w.endswith("s") and not w.endswith("ss"):
            return set()
    return set()


def _pairs(toks: list, tcats: list) -> list:
    """(word, next word, their cue categories) for the words of a window written side by side, where the
    first may modify the second: "training time", "pre-training cost", "dataset size"."""
    return [(toks[k], toks[k + 1], tcats[k], tcats[k + 1]) for k in range(len(toks) - 1)
            if tcats[k] and toks[k + 1][0] - toks[k][1] <= 1]


def _head(right: list, np_end):
    """(index, word) of the last word of the noun phrase that starts right after the number, or None
    when a phrase-ending word or the window's end comes first within six words."""
    last = None
    for i, t in enumerate(right[:7]):
        if t[2] in np_end or not t[2][0].isalpha():
            return last
        last = (i, t[2])
    return last if len(right) <= 7 else None


def features(text: str, m, sent: Sentence, rules, lo: int, hi: int, after: int = -1) -> list[str]:
    """Feature names of mention ``m``; ``lo``/``hi``: where the neighbouring numbers end and start;
    ``after``: where the words after it start (past the second end of a range: "3-5% accuracy").
    ``rules``: the number rules (``rules.cats(word)``, the cue categories of a word; ``rules.words``, the
    grammar lists of cues.yaml)."""
    cats, g = rules.cats, rules.words
    f = ["bias", "h=" + m.hint, "shape=" + _shape(m)]
    if not m.hint and not m.mag and abs(m.value) < 1 and m.value != int(m.value):
        f.append("fraction")
    if m.mag:
        f.append("mag=" + m.mag)
        if m.attached:
            glued = text[m.start - 1:m.start] not in ("-", "_", " ", ":")
            f.append(f"attached&mag={m.mag}" + ("&glued" if glued else ""))
        elif m.mag in "bm" and _AFTER_NAME.search(text, max(0, m.start - 25), m.start):
            f.append("after-name&mag")  # "Llama-3.1 8B", "Gemma-3 27B": the size of the named model
    if m.currency:
        f.append("currency")
    if m.sign == "+":
        f.append("plus")
    if m.attached:
        f.append("attached")
    if m.pm_end:
        f.append("pm")
    if m.start and text[m.start - 1] == "(":
        f.append("paren")
    if "=" in text[max(sent.start, m.start - 3):m.start]:
        f.append("eq")
    if _SAMPLE.search(text, max(0, m.start - 5), m.start):
        f.append("sample-size")  # "(n=54)": the number of subjects or samples
    r0 = max(m.end, after)
    # a word glued to the number's magnitude ("50M-example") starts inside the number: it is the first after it
    right = [t for t in sent.between(m.start, hi) if t[1] > r0] if m.mag else sent.between(r0, hi)
    modifiers = _modifiers(right, m, cats, g["np_end"])
    # a setting is written right after its number: "5-shot", "8 GPUs" (but "2,000 GPU hours" is a cost)
    if right and right[0][0] <= max(m.end, after) + 1:
        f.extend(c + "@adj" for c in cats(right[0][2]) if not (modifiers and c in _DATA_CATS))
    for i, t in enumerate(right):
        if t[2] in g["right_stop"]:
            right = right[:i]
            break
    head = _head(right, g["np_end"])
    # what a number counts follows it directly: "3.5x on image tasks" counts no images
    k = next((i for i, t in enumerate(right) if t[2] in g["prepositions"]), len(right))
    placed = {t[0] for t in right[k:]}
    filler = g["filler"]
    right = [t for t in right if t[2] not in filler][:6]
    left = sent.between(max(lo, sent.start), m.start)
    for i in range(len(left) - 1, -1, -1):
        if left[i][2] == ";" or (lo > sent.start and left[i][2] in g["left_stop"]):
            # after another number, the words before the last "and" are that number's ("3.8x faster
            # training and 5.2x lower memory")
            left = left[i + 1:]
            break
    left = [t for t in left if t[2] not in filler][-8:]
    share = m.hint != "%" or _NOT_SHARE.match(text, max(m.end, after)) is None
    # "training time", "pre-training cost": a data word right before a word of cost modifies it
    rc, lc = [cats(t[2]) for t in right], [cats(t[2]) for t in left]
    pairs = _pairs(right[:4], rc) + _pairs(left[-4:], lc[-4:])
    if pairs:
        costs = [(a, b) for a, b, ca, cb in pairs if not _STAGES.isdisjoint(ca) and not _COSTS.isdisjoint(cb)]
        if costs:
            modifiers = modifiers | {a[0] for a, _ in costs}
            if any(b[2] == "time" for _, b in costs):
                f.append("stage-time")  # "training time", "inference time": a time a stage takes is its speed
        # "the dataset size to just 15M", "the training sample size from 158k": the size of data, not of a model
        if any(b[2] == "size" and not _DATA_CATS.isdisjoint(ca) for _, b, ca, _ in pairs):
            f.append("data-size")
    seen: set = set()  # each category counts once per side, where it is nearest
    for i, t in enumerate(right):
        for c in rc[i]:
            if (c == "data" and t[0] in placed) or (c in _DATA_CATS and t[0] in modifiers):
                continue
            if c not in seen:
                seen.add(c)
                f.append(_variant(c, m, share) + "@" + _RPOS[i])
    # a long noun phrase: its last word says what is counted, past the reach of r1..r3; only a few
    # things are studied ("8 ... methods"), many are data ("200,000 freely licensed instrumental tracks")
    if modifiers and not m.hint and not m.mag and m.value == int(m.value) and abs(m.value) < 100 \
            and any("counted" in cats(t[2]) for t in right):
        f.append("counted@head")
    elif head is not None and head[0] >= 3:
        near = {c for t in right[:3] for c in cats(t[2])}
        few = abs(m.value) < 100
        f.extend(_variant(c, m, share) + "@head" for c in cats(head[1]) if c not in near and (few or c not in _STUDIED))
    lseen: set = set()
    for i, t in enumerate(reversed(left)):
        for c in lc[len(left) - 1 - i]:
            if c in _DATA_CATS and t[0] in modifiers:
                continue
            if c not in lseen:
                lseen.add(c)
                f.append(_variant(c, m, share) + "@" + _LPOS[i])
    # "90 min of recordings", "14K hours of speech", "datasets totaling 1 million hours": time spent
    # recording is an amount of data
    if right and right[0][2] in g["time_units"] and (_OF.match(text, m.end) and any(
            c in ("data", "audio", "dataset") for t in right[1:4] for c in cats(t[2])) or any(
            c in ("audio", "dataset") for t in left[-4:] for c in cats(t[2]))):
        f.append("time-of-data")
    # fewer tokens, a shorter output, a compressed length: what is saved is compute, not data
    near = [t[2] for t in right[:4] + left[-4:]]
    if ("down" in seen or "down" in lseen) and "speed" not in seen and "speed" not in lseen \
            and any(w in g["spent"] for w in near) and not any(w in g["training"] for w in near):
        f.append("spent-down")
    return f
