"""Contexts in which a number is never a claim (spec section 1): each a named test on the characters
right around the mention. Which tests run, with their ids and examples, is data
(rules/numbers/not_claims.yaml); a test here only says what the context looks like.

Every test takes ``(text, m, measure)``: ``m`` is a Mention, ``measure(word)`` says whether a word names
a measure (so "PSNR 33.9" is a result, while "Llama 3.1" is a version). A test in WORDS also reads the
rule's own ``words`` (the nouns that make "4 images per class" a setting, the units that make "2048
tokens" no year): the loader compiles them into its ``pattern`` once.
"""
from __future__ import annotations

import functools
import re

from extract.match.fold import folded
from extract.match.tail import ends_at

# letters that may follow a number as its unit ("0.07s", "4h", "90 min", "14K"): other letters glued to
# the digits make them part of a name ("3DGS", "GPT4o", "HM3D")
_UNIT_LETTERS = re.compile(r"(?:s|h|ms|min|gb|mb|tb|kb|m|k|b|t|x|pp|px|db|fps)\b", re.I)
_PVALUE = re.compile(r"\bp\s*(?:[<>=≤≥]|\\leq|\\le|&lt;|<=)\s*\$?\s*$")
_NAME_BEFORE = ends_at(re.compile(r"(?<![.!?:]\s)\b([A-Z][\w-]*)\s$"))
_DIM_BEFORE = re.compile(r"\d\s?(?:\$\\times\$|\\times|×|x)\s?\$?$")
_DIM_AFTER = re.compile(r"\s?\$?\d")
_DIM_NEXT = re.compile(r"\s?\$?\s?(?:\\times|×)\s?\$?\s?(?!10\s*\^)\d")
_INTERVAL_LEFT = re.compile(r"\[[-+\d.\s]*,?\s*$")
_INTERVAL_RIGHT = re.compile(r"\s*(?:,\s*[-+\d.]+\s*)?\]")
_SLASH_INT = re.compile(r"/\d+(?![.\d])")
_SPREAD = re.compile(r"(?:\+/-|±|\\pm\$?|\+-)\s?\$?$")
_CI_BEFORE = re.compile(r"(?:confidence\s+intervals?|\bCI)\s*[:=]?\s*\[?\s*(?:[-+\d.]+\s*(?:-|–|,|to)\s*)?$", re.I)
_CI_AFTER = re.compile(r"\s?(?:confidence|CI\b)", re.I)
_CTX_BEFORE = re.compile(r"\b(?:context|sequence|window|input|prompt)s?(?:[\s-]+(?:lengths?|windows?|sizes?))?"
                         r"(?:\s+(?:of|to|up to|from|beyond|over|exceeding|more than|at|with|reaching|extended to))*\s*"
                         r"(?:\d[\d.,]*[KkMm]?\s*(?:to|-|–)\s*)?$"
                         r"|\blengths?\s+(?:of\s+|from\s+|up\s+to\s+|to\s+)?(?:more\s+than\s+|over\s+)?"
                         r"(?:\d[\d.,]*[KkMm]?\s*(?:to|-|–)\s*)?$", re.I)
_CTX_AFTER = re.compile(r"[\s-]?(?:tokens?[\s-]+)?(?:context|window)\b", re.I)
_GB_AFTER = re.compile(r"\s?(?:GB|GiB|G)\b")
_HARDWARE = re.compile(r"\b(?:GPUs?|A100|H100|RTX|cards?|devices?)\b")
_NAME_AFTER = re.compile(r"-[A-Z]")
_SCRIPT = re.compile(r"[\^_]\{?[-+]?$")
_CTX_HINT = folded(re.compile(r"context|sequence|window|input|prompt|length", re.I))
_DIM_HINT = re.compile(r"[x×$\\]")
_NOT_NAMES = {"Table", "Figure", "Section", "Top", "SOTA"}


def name_part(text, m, measure):
    """A number glued to a name with no size after it: "GPT-4", "Llama-3.1", "F1", "v2", "T5-Large"."""
    return m.attached and not m.mag


def name_version(text, m, measure):
    """A version after a name: "Llama 3.1", "Gemini 2.5 Pro", "Claude Sonnet 4", "RTX 4090"."""
    if m.hint or m.mag or m.currency or m.sign or m.word:
        return False
    if abs(m.value) >= 100 and not (m.end - m.start in (3, 4) and text[m.start:m.end].isdigit()):
        return False
    g = _NAME_BEFORE.search(text, max(0, m.start - 30), m.start)
    return bool(g) and g.group(1) not in _NOT_NAMES and not measure(g.group(1))


def name_head(text, m, measure):
    """A number that starts a capitalised name: "the 1M-Deepfakes Challenge"."""
    return not m.attached and bool(_NAME_AFTER.match(text, m.end))


def word_name(text, m, measure):
    """A factor word capitalised inside a sentence is a name: "V-Triune", "Double-P"."""
    return m.word and text[m.start].isupper() and m.start > 2 and text[m.start - 2] not in ".!?"


def math_script(text, m, measure):
    """A super- or subscript in LaTeX: "^{-1}", "_{2}"."""
    before = text[max(0, m.start - 3):m.start]
    if "^" not in before and "_" not in before:
        return False
    return bool(_SCRIPT.search(text, max(0, m.start - 3), m.start))


def glued_letters(text, m, measure):
    """Letters glued to the digits that are no unit: "3D", "3DGS", "GPT4o", "4th"."""
    if m.hint or m.mag or not text[m.end:m.end + 1].isalpha():
        return False
    return not _UNIT_LETTERS.match(text, m.end)


def list_marker(text, m, measure):
    """An enumeration mark: "(2) initializing ...", "; 2) a template ..."."""
    if m.hint or m.mag or m.value != int(m.value) or m.value > 20:
        return False
    before = text[max(0, m.start - 2):m.start]
    return text[m.end:m.end + 1] == ")" and (before.endswith("(") or before in ("", " ") or before[-1:] in " \n")


def math_index(text, m, measure):
    """A bare integer set in LaTeX math: "$8$ conclusions", "$512$ adapters" (a count, not a result)."""
    return (m.start > 0 and text[m.start - 1] == "$" and not m.currency and text[m.end:m.end + 1] == "$"
            and not text[m.end + 1:m.end + 2].isalpha()  # "$52$k interactions" is a size
            and not m.hint and m.value == int(m.value) and "^" not in text[m.start:m.end])  # "$3 \\times 10^{9}$" is a size


def dimensions(text, m, measure):
    """A size N x M: "512$\\times$512 resolution", "2048x2048 images"."""
    if m.hint != "x" and _DIM_NEXT.match(text, m.end):
        return True  # the first side of "1024 $\\times$ 1024"
    if m.hint != "x" and not _DIM_HINT.search(text, max(0, m.start - 14), m.start):
        return False
    if _DIM_BEFORE.search(text, max(0, m.start - 14), m.start):
        return True
    return m.hint == "x" and bool(_DIM_AFTER.match(text, m.end))


def interval(text, m, measure):
    """An end of a bracketed interval: "[3.1, 5.5]"."""
    if "[" not in text[max(0, m.start - 12):m.start]:
        return False
    return bool(_INTERVAL_LEFT.search(text, max(0, m.start - 12), m.start) and _INTERVAL_RIGHT.match(text, m.end))


def fraction_count(text, m, measure):
    """Whole numbers on either side of a slash: "6/10 categories", the 10 of "8.46/10"."""
    if m.hint or m.value != int(m.value):
        return False
    if m.start and text[m.start - 1] == "/":
        return True
    return text[m.end:m.end + 1] == "/" and bool(_SLASH_INT.match(text, m.end))


def p_value(text, m, measure):
    """A p-value: "p < 0.001", "(p <= 0.0039)"."""
    if "p" not in text[max(0, m.start - 12):m.start]:
        return False
    return bool(_PVALUE.search(text, max(0, m.start - 12), m.start))


def year(text, m, measure, pattern):
    """A year or date: "in 2023", "(2021)"; "2048 tokens" is a count (``pattern``: a unit after it)."""
    return (not m.hint and not m.mag and m.end - m.start == 4 and text[m.start:m.end].isdigit()
            and 1950 <= m.value <= 2049 and not pattern.match(text, m.end))


def spread(text, m, measure):
    """The spread after a value: the 0.2 of "92.3 +/- 0.2" (the value is the claim)."""
    before = text[max(0, m.start - 6):m.start]
    if "+" not in before and "±" not in before and "pm" not in before:
        return False
    return bool(_SPREAD.search(text, max(0, m.start - 6), m.start))


def confidence_interval(text, m, measure):
    """The level or an end of a confidence interval: "(95% confidence interval: 8.94-10.81)"."""
    near = text[max(0, m.start - 40):m.end + 12]
    if "onfidence" not in near and "CI" not in near:
        return False
    return bool(_CI_BEFORE.search(text, max(0, m.start - 40), m.start) or _CI_AFTER.match(text, m.end))


def context_length(text, m, measure):
    """A context or sequence length is a setting: "context lengths of more than 10,000 tokens",
    "sequence lengths from 32K to 512K", "a 32K-token context"."""
    if m.hint:
        return False
    if not _CTX_HINT.search(text, max(0, m.start - 45), m.end + 16):
        return False
    return bool(_CTX_BEFORE.search(text, max(0, m.start - 45), m.start) or _CTX_AFTER.match(text, m.end))


def hardware_memory(text, m, measure):
    """The memory of the hardware used: "GPUs with 24GB memory", "a single 80GB A100"."""
    if not _GB_AFTER.match(text, m.end):
        return False
    return bool(_HARDWARE.search(text, max(0, m.start - 25), min(len(text), m.end + 24)))


def per_item(text, m, measure, pattern):
    """How many of each: "4 images per class", "5 demonstrations per task" (a setting of few-shot learning;
    ``pattern``: "<word> per <one of the rule's nouns>")."""
    return not m.hint and not m.mag and bool(pattern.match(text, m.end))


TESTS = {f.__name__: f for f in (
    name_part, name_version, name_head, word_name, math_script, glued_letters, list_marker, math_index,
    dimensions, interval, fraction_count, p_value, year, spread, confidence_interval, context_length,
    hardware_memory, per_item)}


# the tests that read their rule's words, and the pattern each makes of them ({} is their alternation)
WORDS = {
    "per_item": r"\s+[A-Za-z-]+\s+per\s+(?:{})\b",
    "year": r"\s?(?:{})",
}


def with_words(name: str, words: list):
    """The test ``name`` bound to the pattern made of ``words`` (compiled once, when the rules load)."""
    alt = "|".join(re.escape(str(w)) for w in sorted(words, key=lambda w: -len(str(w))))
    flags = re.I if name == "per_item" else 0  # a year's units keep their case ("GPU")
    pattern = re.compile(WORDS[name].replace("{}", alt), flags)
    return functools.partial(TESTS[name], pattern=pattern)


def blocked(text: str, m, tests, measure) -> str:
    """The id of the first not-a-claim rule whose context the mention sits in ("" when none).
    ``tests``: (rule id, test function) pairs, in the order of the rules file."""
    for rule_id, test in tests:
        if test(text, m, measure):
            return rule_id
    return ""
