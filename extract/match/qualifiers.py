"""Qualifier of a number from the words around it (cues are data: rules/lexicons/qualifiers.yaml)."""
from __future__ import annotations

import functools

import regex
import yaml

from extract.match.ruleset import rules_dir

WINDOW = 60  # characters of the clause before the number in which "average" still applies
_CLAUSE_BREAK = regex.compile(r"[;:]|,\s+(?:and|while|but|with)\b")  # compiled once: regex's cache lookup is slow


@functools.lru_cache(maxsize=1)
def _cues():
    data = yaml.safe_load((rules_dir() / "lexicons" / "qualifiers.yaml").read_text(encoding="utf-8"))

    def alt(words):
        return "|".join(regex.escape(w) for w in sorted(words, key=len, reverse=True))

    before = [(q, regex.compile(r"(?:^|(?<=[\s(\[,;:]))(?:" + alt(ws) + r")[\s\u00a0]*(?:(?:a|an)\s+)?(?:by\s+)?$", regex.I))
              for q, ws in data["before"].items()]
    # symbols attach with no space: ">100B", "~2x"
    after = [(q, regex.compile(r"^\s*(?:" + alt(ws) + r")(?![A-Za-z])", regex.I)) for q, ws in data["after"].items()]
    window = regex.compile(r"(?<!\w)(?:" + alt(data["average_window"]) + r")(?!\w)", regex.I)
    own = [(q, regex.compile(alt(ws), regex.I)) for q, ws in (data.get("self") or {}).items()]
    return before, after, window, own


def qualifier_word(word: str) -> str:
    """The qualifier a cue word names ("up to" -> up_to, "over" -> at_least); "" for none."""
    before, after, _, _ = _cues()
    w = " ".join(word.split())
    for q, pat in before + after:
        if pat.fullmatch(w) or pat.fullmatch(w + " "):
            return q
    return ""


def qualifier_at(text: str, start: int, end: int, sent_start: int, sent_end: int, average: bool = True) -> str:
    """The qualifier of the number at ``text[start:end]`` inside the sentence ``[sent_start, sent_end)``.

    ``average=False``: an "average" elsewhere in the clause does not apply (a model's size is not averaged).
    """
    before, after, window, own = _cues()
    left = text[max(sent_start, start - 40):start]
    for q, pat in before:
        if pat.search(left):
            return q
    right = text[end:min(sent_end, end + 20)]
    for q, pat in after:
        if pat.search(right):
            return q
    clause = text[max(sent_start, start - WINDOW):start]
    clause = _CLAUSE_BREAK.split(clause)[-1]
    opening = text[sent_start:sent_start + 12].lower()
    if average and (window.search(clause) or window.search(text[end:min(sent_end, end + 25)].split(",")[0])
                    or opening.startswith(("on average", "on avg"))):  # "On average, ... 72.19% accuracy"
        return "average"
    for q, pat in own:
        if pat.search(text, start, end):
            return q
    return "exact"
