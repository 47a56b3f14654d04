"""Every number mention of a text in one pass: digits (separators, decimals, signs, LaTeX ``\\%``,
``$\\times$``, ``10^{9}``), the unit sign stuck to it (%, x, K/M/B/T and their words), ranges ("3-5%"),
+/- spreads, and numbers in words ("twice", "halves", "two-fold", "an order of magnitude", "two million").

A mention is only a candidate: whether it is a claim, and of which family, is decided later from its
neighbourhood (decide.py). Offsets are the text's own, so ``text[start:end]`` is the surface text.
A value that does not fit a float ("1e309") is no mention: never a claim, never an error.
"""
from __future__ import annotations

import re

from extract.match.fold import folded
from dataclasses import dataclass

_WORDNUM = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "hundred": 100, "a hundred": 100, "one hundred": 100, "a thousand": 1000, "a": 1, "an": 1,
}
_MAG = {"k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9,
        "t": 1e12, "trillion": 1e12}
_FACTOR_VERB = {"twice": 2, "double": 2, "doubles": 2, "doubled": 2, "doubling": 2, "triple": 3, "triples": 3,
                "tripled": 3, "tripling": 3, "quadruple": 4, "quadruples": 4, "quadrupled": 4, "halves": 2,
                "halve": 2, "halved": 2, "halving": 2}

_SP = r"[ \u00a0\u2009\u202f]"
_WN = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|(?:a |one )?hundred|a thousand)"
# the digits of one number: 1,000  10{,}000  1 000  12.2  .5
# (a number grouped by spaces is read whole: "1 000", "1\u2009000"; a lone "000" or "05" is no number)
_CORE = (r"(?!0\d)(?:\d{1,3}(?:(?:,|\{,\})\d{3})+(?![\d])|\d{1,3}(?:[ \u00a0\u2009\u202f\u200b]\d{3})+(?![\d.,]\d)(?!\d)"
         # a zero-width space, joiner or soft hyphen inside the digits is invisible: "1\u200b2%" is 12%;
         # U+066B is the Arabic decimal separator ("1\u066b5%" is 1.5%)
         r"|\d+(?:[\u00ad\u200b\u200c\u200d\u2060]\d+)*)(?:[.\u066b]\d+)?|\.\d+")
_PCT = r"(?:" + _SP + r"?\\?%|" + _SP + r"?(?:percentage" + _SP + r"points?|percent|per" + _SP + r"cent|pp\b|p\.p\.))"
_TIMES = (r"(?:" + _SP + r"?(?:\$\\times\$|\$\{\}\\times\$|\\times(?![a-zA-Z])|×|[xX](?![\w(])|-?times\b|-?fold\b))")
_MAGS = r"(?:" + _SP + r"?(?:[KMBT](?![A-Za-z0-9])|[KMBT]B(?=\s+tokens)|k(?![A-Za-z0-9])|bn\b)|(?:" + _SP + r"|-)(?:thousand|million|billion|trillion)\b)"
_EXP = r"(?:[eE][-+]?\d+\b|" + _SP + r"?(?:\\times|×|x|\\cdot)" + _SP + r"?10\^\{?[-+\u2212]?\d+\}?)"
_NUMBER = (r"(?P<sign>[-+\u2212])?(?P<cur>\$" + _SP + r"?)?(?:(?P<pow>10\^\{?[-+\u2212]?\d+\}?)|(?P<core>" + _CORE + r")(?P<exp>" + _EXP + r")?)"
           r"(?P<mag>(?:\$(?=[KMBTk]))?" + _MAGS + r")?(?:\+(?=\\?%))?(?P<unit>" + _PCT + r"|" + _TIMES + r")?")
# the second end of a range: a dash or tilde (or "to" right after a unit sign) then a number
_RANGE2 = re.compile(r"(?:" + _SP + r"?(?:-|–|—|~|\\textendash|--)" + _SP + r"?)" + _NUMBER.replace("?P<", "?P<r_"))
_FACTOR_OF = re.compile(r"\bfactors?\s+of\s+(?:(?:about|around|approximately|roughly|nearly|almost|over|up\s+to|"
                        r"more\s+than|at\s+least|~)\s*)?\$?$", re.I)
_MAG_RANGE_END = re.compile(r"-\d+(?:\.\d+)?\s?[KMBTkmbt](?![A-Za-z])")  # "7 B-13 B": a range, not a name
_TO_RANGE2 = re.compile(r" to " + _NUMBER.replace("?P<", "?P<r_"))
_FROM_BEFORE = re.compile(r"\b(?:from|between)\b[^,;]*$", re.I)
_PM = re.compile(r"" + _SP + r"?(?:\+/-|±|\\pm|\$\\pm\$|\+-)" + _SP + r"?\$?(?:" + _CORE + r")\$?(?:" + _PCT + r")?")
_WORDS = folded(re.compile(
    r"\b(?:(?P<wn>" + _WN + r")(?:" + _SP + r"|-)(?P<wu>times|fold)\b"
    r"|(?P<om>an?|one|two|three|four|five|six|(?<![\d.,])[1-9])(?:" + _SP + r"|-)orders?(?:" + _SP + r"|-)of(?:" + _SP + r"|-)magnitude\b"
    r"|(?P<fv>twice|doubl(?:e|es|ed|ing)|tripl(?:e|es|ed|ing)|quadrupl(?:e|es|ed)|halv(?:e|es|ed|ing))\b"
    r"|(?P<wc>(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|fifty|a|an|hundreds\s+of))"
    + _SP + r"(?P<wm>thousand|million|billion|trillion)\b(?!-)"
    r"|(?P<bm>billion|trillion)(?=[-\s]param)"  # "up to trillion parameters", "the billion-parameter scale"
    r"|(?P<half>half)\b)", re.I))
_ANY = re.compile(r"(?<![\d\\^{}])(?<!\d\.)" + _NUMBER)


_DIGIT = re.compile(r"\d")
_COUNTED_BEFORE = re.compile(r"(?:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
                             r"thirty|forty|fifty|hundred|hundreds|multiple|several|many|few|tens)\b)[\s-]*$", re.I)
_ASCII_DIGIT = re.compile(r"[0-9]")  # the same on ASCII text (nearly every abstract), twice as fast to scan
_SPACES = " \u00a0\u2009\u202f"
_WORD_HINTS = ("time", "fold", "twice", "doubl", "tripl", "quadrupl", "halv", "half", "magnitude", "illion",
               "thousand")


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    value: float
    hint: str = ""       # "%", "x", "half" or "" (from the signs stuck to the number)
    mag: str = ""        # "k", "m", "b", "t" when a magnitude was written
    attached: bool = False  # glued to a name ("GPT-4", "Llama-2-7B", "VeBrain-600k")
    range: str = ""      # "lo"/"hi": one end of a range
    currency: bool = False
    sign: str = ""
    word: bool = False   # a factor in words
    pm_end: int = 0      # end of a "+/- 0.2" that follows (the spread is not a claim of its own)
    exp: bool = False


_GROUPING = str.maketrans("\u066b", ".", ", \u00a0\u2009\u202f\u200b\u00ad\u200c\u200d\u2060{}")


def _num(core: str) -> float:
    return float(core.translate(_GROUPING))


def _build(m, pre: str, start: int, end: int) -> Mention | None:
    g = m.groupdict()
    sign = g.get(pre + "sign") or ""
    try:
        if g.get(pre + "pow"):
            e = re.search(r"[-+\u2212]?\d+", g[pre + "pow"][3:]).group().replace("\u2212", "-")
            value, exp = 10.0 ** int(e), True
        else:
            value = _num(g[pre + "core"])
            exp = bool(g.get(pre + "exp"))
            if exp:
                e = re.search(r"[-+\u2212]?\d+$", g[pre + "exp"].strip("}")).group().replace("\u2212", "-")
                value = float(f"{value}e{int(e)}")
    except (ValueError, OverflowError, AttributeError):
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None  # a number that does not fit a float is no claim
    mag = (g.get(pre + "mag") or "").strip(" -$\u00a0\u2009\u202f").lower()  # "$52$k": math closed before the K
    if len(mag) == 2 and mag.endswith("b") and mag != "bn":
        mag = mag[0]  # "0.31TB tokens": a count written with a byte-like B
    if mag:
        value *= _MAG.get(mag, 1.0)
    unit = (g.get(pre + "unit") or "").strip().lower()
    hint = "%" if unit and ("%" in unit or unit.startswith(("per", "pp", "p.p"))) else ("x" if unit else "")
    if sign in ("-", "\u2212"):
        value = -value
    return Mention(start, end, value, hint, mag[:1] if mag else "", currency=bool(g.get(pre + "cur")),
                   sign=sign, exp=exp)


def _word_mentions(text: str):
    """Matches of the number words, searched only near the words that can hold one (a scan of the whole
    text with the word pattern costs more than everything else here)."""
    low = text.lower()
    spans = []
    for hint in _WORD_HINTS:
        i = low.find(hint)
        while i >= 0:
            spans.append((max(0, i - 30), min(len(text), i + 20)))
            i = low.find(hint, i + 1)
    if not spans:
        return []
    spans.sort()
    merged = [list(spans[0])]
    for a, b in spans[1:]:
        if a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [w for a, b in merged for w in _WORDS.finditer(text, a, b)]


def find_mentions(text: str) -> list[Mention]:
    """All number mentions of ``text`` in text order (never raises)."""
    out: list[Mention] = []
    pos = 0
    n = len(text)
    digit = (_ASCII_DIGIT if text.isascii() else _DIGIT).search
    while pos < n:
        # jump to the next digit, then read the number from up to 3 characters before it (a sign, "$", ".")
        d = digit(text, pos)
        if not d:
            break
        first = d.start()
        # the number starts before its first digit at a ".", a "$" (and a space) or a sign
        c = first
        if c > pos and text[c - 1] == "." and (c < 2 or not text[c - 2].isdigit()):
            c -= 1
        if c > pos and text[c - 1] == "$":
            c -= 1
        elif c > pos + 1 and text[c - 1] in _SPACES and text[c - 2] == "$":
            c -= 2
        if c > pos and text[c - 1] in "-+\u2212":
            c -= 1
        m = _ANY.match(text, c)
        if m is None and c != first:
            m = _ANY.match(text, first)
        if m is None or m.end() <= first:
            pos = first + 1
            while pos < n and text[pos].isdigit():
                pos += 1
            continue
        if m.group("mag") and text[m.start("mag")] in _SPACES and text[m.end():m.end() + 1] == "-" \
                and text[m.end() + 1:m.end() + 2].isdigit() and not _MAG_RANGE_END.match(text, m.end()):
            # "1,800 K-12 students": a letter after a space that a dash and digits follow starts a name
            m = _ANY.match(text, m.start(), m.start("mag")) or m
        pre = ""
        start, end = m.span()
        a = _build(m, pre, start, end)
        pos = end
        if a is None:
            continue
        if a.currency and ("$" in text[m.start("core") if m.group("core") else start:end] or text[end:end + 1] == "$"
                           or a.hint == "%"):
            # "$1.9\times$", "$8$", "$1\%\downarrow$": the dollar opens LaTeX math, it is no currency (no
            # amount of money is a percentage)
            a.currency = False
            a.start = start = m.start("core") if m.group("core") else m.start("pow")
        a.attached = start > 0 and (text[start - 1].isalpha() or text[start - 1] in "@_" or (
            start > 1 and text[start - 1] in "-_.:" and (text[start - 2].isalnum())))
        if a.attached and not a.mag and not a.hint and text[end:end + 1] == "b" and not text[end + 1:end + 2].isalnum():
            # a lower-case size in a model tag: "llama3.1:8b", "qwen2-7b"
            a.mag, a.value, a.end = "b", a.value * 1e9, end + 1
            end = a.end
        if a.sign == "-" and start > 0 and text[start - 1].isalnum():
            # "11%-77%", "1.8-2.5": the dash is a range dash, not a minus
            a.start += 1
            a.value = -a.value
            a.sign = ""
        if not a.hint and not a.mag and "factor" in text[max(0, start - 40):start] \
                and _FACTOR_OF.search(text, max(0, start - 40), start):
            a.hint = "x"  # "by a factor of 3": a factor, though no "x" is written
        r = _RANGE2.match(text, end)
        to = False
        if r is None and not a.hint and not a.mag and not a.attached and text.startswith(" to ", end):
            # "8 to 24 times faster", "by 10 to 20%": a bare number, "to" and one with a unit are a range
            # (not "from 10 to 20%", a value before and after)
            r, to = _TO_RANGE2.match(text, end), True
        if r and not a.attached and r.group("r_core") is not None and not r.group("r_sign"):
            b = _build(r, "r_", r.start("r_core") - len(r.group("r_cur") or ""), r.end())
            if to and (b is None or not (b.hint or b.mag) or b.value <= a.value * _MAG.get(b.mag, 1.0)
                       or _FROM_BEFORE.search(text, max(0, start - 30), start)):
                b = None
            if b is not None and not (text[r.end():r.end() + 1].isalpha() and not b.hint and not b.mag):
                a.range, b.range = "lo", "hi"
                if not a.hint and b.hint:
                    a.hint = b.hint
                if not a.mag and b.mag and a.value * _MAG[b.mag] <= b.value:
                    a.mag = b.mag
                    a.value *= _MAG[b.mag]
                out.append(a)
                out.append(b)
                pos = r.end()
                continue
        p = _PM.match(text, end)
        if p:
            a.pm_end = p.end()
            if not a.hint and "%" in p.group():
                a.hint = "%"
            pos = p.end()
        out.append(a)
    # the items of a list share the magnitude written on the last one: "(7, 13, and 70 billion parameters)"
    for i in range(len(out) - 1, 0, -1):
        b, a = out[i], out[i - 1]
        if b.mag and not a.mag and not a.hint and not a.attached and a.value == int(a.value) \
                and re.fullmatch(r"\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", text[a.end:b.start]):
            a.mag = b.mag
            a.value *= _MAG[b.mag]
    for w in _word_mentions(text):
        g = w.groupdict()
        if g["wn"]:
            v, hint = float(_WORDNUM[g["wn"].lower()]), "x"
        elif g["om"]:
            k = g["om"].lower()
            v, hint = 10.0 ** (int(k) if k.isdigit() else _WORDNUM.get(k, 1)), "x"
            if k.isdigit():  # "4 orders-of-magnitude": the digit read alone is this mention's
                out = [a for a in out if not w.start() <= a.start < w.end()]
        elif g["fv"]:
            v, hint = float(_FACTOR_VERB[g["fv"].lower()]), "x"
        elif g["wc"]:
            k = g["wc"].lower()
            v, hint = (100.0 if k.startswith("hundreds") else float(_WORDNUM[k])) * _MAG[g["wm"].lower()], ""
            out.append(Mention(w.start(), w.end(), v, hint, g["wm"][0].lower(), word=True))
            continue
        elif g["bm"]:
            if _COUNTED_BEFORE.search(text, max(0, w.start() - 12), w.start()):
                continue  # "30-billion parameter", "7-12 billion", "multiple billion parameters": read elsewhere, or vague
            out.append(Mention(w.start(), w.end(), _MAG[g["bm"].lower()], "", g["bm"][0].lower(), word=True))
            continue
        else:
            v, hint = 0.5, "half"
        out.append(Mention(w.start(), w.end(), v, hint, word=True))
    out.sort(key=lambda x: x.start)
    return out
