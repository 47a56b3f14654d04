"""Turn the surface text of a number into its value: "7B" -> 7e9, "12.2\\%" -> (12.2, "%").

The spec's forms: digits with separators and decimals, signs (also U+2212), ``%`` and LaTeX ``\\%``,
``x``/``×``/``$\\times$``/"times"/"-fold", magnitude suffixes (K, M, B, T) and words, number words,
scientific notation (``1e21``, ``2.1 x 10^22``), currency (``$100K``).
"""
from __future__ import annotations

import math

import regex

WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
    "a": 1, "an": 1, "single": 1, "double": 2, "twice": 2, "triple": 3, "thrice": 3,
    "quadruple": 4, "half": 0.5, "dozen": 12,
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    # verbs of a factor: "halves the memory" is a ratio of 2, "doubles throughput" of 2
    "halves": 2, "halve": 2, "halved": 2, "halving": 2, "doubles": 2, "doubled": 2, "doubling": 2,
    "triples": 3, "tripled": 3, "tripling": 3, "quadruples": 4, "quadrupled": 4,
}
_FACTOR_WORDS = {"twice", "double", "doubles", "doubled", "doubling", "triple", "triples", "tripled", "tripling",
                 "thrice", "quadruple", "quadruples", "quadrupled", "halves", "halve", "halved", "halving"}
_TENS = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
_ONES_AFTER = regex.compile(r"[-\s\u00a0\u2010\u2011](one|two|three|four|five|six|seven|eight|nine)\b", regex.IGNORECASE)
MAGNITUDES = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "million": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9,
    "billion": 1e9, "g": 1e9, "t": 1e12, "trillion": 1e12, "tb": 1e12, "hundred": 1e2,
}

_SPACE = r"[\s\u00a0\u2009\u202f]"
_DIGITS = regex.compile(
    r"""(?P<sign>[-+\u2212\u2013])?\$?
        (?P<num>(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[\x20\u00a0\u2009\u202f\u200b]\d{3})+(?!\d)|\d+)(?:\.\d+)?|\.\d+)
        (?:""" + _SPACE + r"""?(?:\\times|\$\\times\$|[x×\*\u00b7]|\\cdot)""" + _SPACE + r"""?10\^\{?(?P<exp10>[-+\u2212]?\d+)\}?
           |[eE](?P<exp>[-+\u2212]?\d+)
           |\^\{?(?P<pow>[-+\u2212]?\d+)\}?)?""",
    regex.VERBOSE,
)
_MAG = regex.compile(
    r"(?<![A-Za-z])(thousand|million|billion|trillion|bn|mn|[KkMBGT]B?)(?![a-z])", regex.IGNORECASE
)
_WORD = regex.compile(r"\b(" + "|".join(sorted(WORDS, key=len, reverse=True)) + r")\b", regex.IGNORECASE)
_PERCENT = regex.compile(r"(\\?%|percent|per" + _SPACE + r"?cent|pp\b|p\.p\.|percentage points?)", regex.IGNORECASE)
_TIMES = regex.compile(r"(\\times|×|&\#215;|&\#x0*d7;|&times;|\d" + _SPACE + r"?[xX]\b|\btimes\b|\d?times|fold\b)", regex.IGNORECASE)
_POINTS = regex.compile(r"\d(?:" + _SPACE + r"|-)*(?:points?|pts?)\b", regex.IGNORECASE)
_EXPERTS = regex.compile(r"(\d+)[x×](\d+(?:\.\d+)?)([KMBT])")
_ORDER = regex.compile(r"orders?" + _SPACE + r"+of" + _SPACE + r"+magnitude", regex.IGNORECASE)


class NotANumber(ValueError):
    """The surface text holds no number this module can read."""


_GROUP_SEPARATORS = str.maketrans("", "", ", \u00a0\u2009\u202f\u200b")  # "1,000" and "1 000" are 1000


def _float(s: str) -> float:
    return float(s.translate(_GROUP_SEPARATORS).replace("\u2212", "-"))


def parse_number(text: str) -> tuple[float, str]:
    """Return ``(value, unit_hint)`` for a number's surface text.

    ``unit_hint`` is ``"%"`` for percentages (and percentage points), ``"points"`` for points
    without a percent sign, ``"x"`` for multiplicative factors, else ``""``.
    Magnitudes are applied ("7B" -> 7e9); the caller decides what unit the number counts.

    >>> parse_number("12.2\\\\%")
    (12.2, '%')
    >>> parse_number("1.33$\\\\times$")
    (1.33, 'x')
    >>> parse_number("7B")
    (7000000000.0, '')
    >>> parse_number("three times")
    (3.0, 'x')
    """
    t = text.strip()
    hint = ""
    moe = _EXPERTS.fullmatch(t)
    if moe:  # "8x7B": eight experts of 7B each
        return _finite(float(moe.group(1)) * float(moe.group(2)) * MAGNITUDES[moe.group(3).lower()], text), ""
    if _PERCENT.search(t):
        hint = "%"
    elif _POINTS.search(t):
        hint = "points"
    m = _DIGITS.search(t)
    if _ORDER.search(t):
        n = 1.0
        w = _WORD.search(t[: _ORDER.search(t).start()])
        if w and w.group(1).lower() not in ("a", "an"):
            n = float(WORDS[w.group(1).lower()])
        return 10.0 ** n, "x"
    if m:
        exp = m.group("exp10") or m.group("exp")
        if m.group("pow") and m.group("num") == "10":
            exp, m_num = m.group("pow"), "1"
        else:
            m_num = m.group("num")
        # "2.1e22" parsed in one go stays exact where 2.1 * 10**22 would not
        value = _float(m_num + (f"e{exp.replace(chr(0x2212), '-')}" if exp else ""))
        if m.group("sign") in ("-", "\u2212", "\u2013"):  # an en dash before digits is a minus too
            value = -value
        rest = t[m.end():]
        if not exp and _TIMES.search(t[m.start():]) and not _MAG.match(rest.lstrip()):
            hint = hint or "x"
        elif not exp and _TIMES.search(rest):
            hint = hint or "x"
    else:
        words = list(_WORD.finditer(t))
        # "a dozen", "a hundred": the article only counts when no other number word follows
        w = next((x for x in words if x.group(1).lower() not in ("a", "an")), words[0] if words else None)
        if not w:
            raise NotANumber(f"no number in {text!r}")
        word = w.group(1).lower()
        value = float(WORDS[word])
        rest = t[w.end():]
        ones = _ONES_AFTER.match(rest) if word in _TENS else None
        if ones:  # "twenty-one", "thirty two"
            value += WORDS[ones.group(1).lower()]
            rest = rest[ones.end():]
        if word in _FACTOR_WORDS:
            hint = "x"
        if word == "half" and not hint:
            hint = "x" if _TIMES.search(rest) else hint
        if _TIMES.search(t):
            hint = hint or "x"
    rest = rest.lstrip(" -\u00a0\u2009\u202f")  # "30-billion"
    mag = _MAG.search(rest[:12]) if rest.strip() else None
    if mag and rest.startswith(mag.group(1)):
        key = mag.group(1).lower()
        if key.endswith("b") and len(key) == 2 and key != "bn":
            key = key[0]  # "0.31TB tokens": the B is a byte-like typo for a count
        value *= MAGNITUDES.get(key, 1.0)
    return _finite(value, text), hint


def _finite(value: float, text: str) -> float:
    """A value that does not fit a float ("1e309", a 309-digit number, "0x1" and 400 zeros) is no claim:
    its infinity or NaN would break every step after this one."""
    if not math.isfinite(value):
        raise NotANumber(f"{text[:40]!r} does not fit a float")
    return value


def apply_magnitude(value: float, word: str) -> float:
    """Scale ``value`` by a magnitude word or suffix ("billion", "B", "K"); unknown words leave it."""
    return value * MAGNITUDES.get(word.strip().lower(), 1.0)
