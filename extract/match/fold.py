"""Case-insensitive cues (long word lists with re.IGNORECASE) searched in the lower-cased text.

``re`` runs an IGNORECASE pattern about twice as slowly as the same pattern without it (each character is
folded as it is compared). On ASCII text (nearly every abstract) a pattern whose letters are all lower
case matches the lower-cased text, case-sensitively, at exactly the places it matches the text with
IGNORECASE. ``folded`` wraps such a pattern: ``search`` and ``finditer`` find the places in the lower-cased
text (lowered once per text) and give back the pattern's own match at each place in the text itself, so
groups keep the text's casing. Anything else (non-ASCII text, ``match``) is the pattern's own.
"""
from __future__ import annotations

import re

from extract.match.gated import Gated
from extract.match.literal import MAX_LITERALS, absent, best_set

try:  # re's own parser: private, but in every CPython since 3.11; without it nothing is folded
    from re import _parser as P
except ImportError:  # pragma: no cover
    P = None

_UPPER = frozenset(range(ord("A"), ord("Z") + 1))
_last: tuple = ("", "")  # (text, text.lower()) of the last text read: its claims' cues read it again and again


def _lower(text: str) -> str:
    global _last
    last = _last
    if last[0] is text:
        return last[1]
    low = text.lower()
    _last = (text, low)
    return low


def _cased(c: int) -> bool:
    """A character whose case folding could reach past ASCII or into it from outside ("K" Kelvin, "ſ")."""
    return c >= 128 and (chr(c).lower() != chr(c) or chr(c).upper() != chr(c))


def _letters(items) -> set[int] | None:
    """The ASCII letters a class names (negated or not: the rule below is the same), None when it names a
    character with case outside ASCII."""
    out = set()
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            if _cased(av):
                return None
            out.add(av)
        elif name == "RANGE":
            if av[1] >= 128:
                return None
            out.update(range(av[0], av[1] + 1))
        elif name in ("CATEGORY", "NEGATE"):
            continue
        else:
            return None
    return out


def _lower_only(items) -> bool:
    """Does the pattern name no upper-case letter a lower-cased text could not hold (and no scoped case flag)?
    Then on ASCII text it matches the lower-cased text case-sensitively where it matches the text ignoring case."""
    for op, av in items:
        name = str(op)
        if name in ("LITERAL", "NOT_LITERAL"):
            if av in _UPPER or _cased(av):
                return False
        elif name == "IN":
            letters = _letters(av)
            # a class with an upper-case letter must hold its lower case too ([A-Za-z] is fine, [A-Z] is not)
            if letters is None or any(c in _UPPER and c + 32 not in letters for c in letters):
                return False
        elif name == "BRANCH":
            if not all(_lower_only(b) for b in av[1]):
                return False
        elif name == "SUBPATTERN":
            if (av[1] | av[2]) & re.I or not _lower_only(av[3]):
                return False
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            if not _lower_only(av[2]):
                return False
        elif name in ("ASSERT", "ASSERT_NOT"):
            if not _lower_only(av[1]):
                return False
        elif name == "ATOMIC_GROUP":
            if not _lower_only(av):
                return False
        elif name in ("AT", "ANY"):
            continue
        else:  # back-references, conditionals
            return False
    return True


class Folded(Gated):
    """An IGNORECASE pattern whose ``search`` and ``finditer`` read the lower-cased text case-sensitively on
    ASCII text; every other method is the pattern's own."""

    __slots__ = ("_cs", "_needs")

    def __init__(self, rx: re.Pattern, items):
        super().__init__(rx)
        self._cs = None  # the case-sensitive twin, compiled at its first search (start-up time)
        # and where the lower-cased window holds none of the few literals every match needs, no search at all
        lits = best_set(items)
        self._needs = lits if lits and len(lits) <= MAX_LITERALS else None

    def twin(self) -> re.Pattern:
        if self._cs is None:
            self._cs = re.compile(self._rx.pattern, self._rx.flags & ~re.I)
        return self._cs

    def search(self, text: str, pos: int = 0, endpos: int | None = None):
        if not text.isascii():
            return self._rx.search(text, pos) if endpos is None else self._rx.search(text, pos, endpos)
        low = _lower(text)
        if self._needs is not None and absent(self._needs, low, pos, endpos):
            return None
        cs = self._cs or self.twin()
        m = cs.search(low, pos) if endpos is None else cs.search(low, pos, endpos)
        if m is None:
            return None
        # the pattern's own match where the search of the text would have found it (the same place)
        return self._rx.match(text, m.start()) if endpos is None else self._rx.match(text, m.start(), endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        if not text.isascii():
            return self._rx.finditer(text, pos) if endpos is None else self._rx.finditer(text, pos, endpos)
        low = _lower(text)
        if self._needs is not None and absent(self._needs, low, pos, endpos):
            return iter(())
        cs = self._cs or self.twin()
        found = cs.finditer(low, pos) if endpos is None else cs.finditer(low, pos, endpos)
        match = self._rx.match
        if endpos is None:
            return (match(text, m.start()) for m in found)
        return (match(text, m.start(), endpos) for m in found)

    def __reduce__(self):
        return folded, (self._rx,)


def folded(rx):
    """``rx`` read in the lower-cased text when it is an IGNORECASE pattern that names no upper-case letter;
    ``rx`` itself otherwise."""
    if P is None or not isinstance(rx, re.Pattern) or not rx.flags & re.I or not isinstance(rx.pattern, str):
        return rx
    try:
        tree = P.parse(rx.pattern, rx.flags)
    except (re.error, RecursionError, ValueError, TypeError):
        return rx
    items = list(tree)
    if not _lower_only(items):
        return rx
    return Folded(rx, items)
