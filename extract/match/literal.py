"""Cues searched over a whole sentence ("respectively", the clause breaks ";", ":", " but "): every match
holds one of a few literal strings, read off the pattern with re's own parser. ``needs`` wraps such a
pattern: its ``search`` and ``finditer`` first look for those literals in the window with ``str.find``
(a scan in C, several times faster than re trying the pattern at every position), and where none is
there, there is no match; otherwise the pattern's own search runs, so every match is the one it was.

Only case-sensitive patterns, and only literals of the match itself (not of its look-arounds).
"""
from __future__ import annotations

import re

from extract.match.gated import Gated

try:  # re's own parser: private, but in every CPython since 3.11; without it nothing is gated
    from re import _parser as P
except ImportError:  # pragma: no cover
    P = None

_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


def _sequence(items) -> list[frozenset]:
    """OR-sets of literals: every match of the sequence holds one member of each set."""
    out: list[frozenset] = []
    run: list[str] = []

    def flush():
        if run:
            out.append(frozenset(["".join(run)]))
            run.clear()

    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            run.append(chr(av))
            continue
        flush()
        if name == "SUBPATTERN":
            if av[1] & re.I:
                continue  # a case-insensitive part: its literals may be written in another case
            out.extend(_sequence(av[3]))
        elif name in _REPEATS and av[0] >= 1:
            out.extend(_sequence(av[2]))
        elif name == "ATOMIC_GROUP":
            out.extend(_sequence(av))
        elif name == "BRANCH":
            alternatives = []
            for branch in av[1]:
                got = _sequence(branch)
                if not got:  # one way through holds no sure literal: the branch requires none
                    return out
                alternatives.append(max(got, key=lambda s: min(map(len, s))))
            out.append(frozenset().union(*alternatives))
        # anything else (a class, a look-around, an anchor, an optional part) requires nothing
    flush()
    return out


def best_set(items) -> tuple[str, ...] | None:
    """Of the OR-sets a parsed pattern needs, the one whose shortest member is longest (None: none)."""
    sets = _sequence(items)
    if not sets:
        return None
    best = max(sets, key=lambda s: (min(map(len, s)), -len(s)))
    return tuple(sorted(best, key=len, reverse=True))


def required(rx: re.Pattern) -> tuple[str, ...] | None:
    """Literals one of which every match of ``rx`` holds (the set whose shortest member is longest), or
    None when nothing sure can be said."""
    if P is None or not isinstance(rx, re.Pattern) or not isinstance(rx.pattern, str) or rx.flags & re.I:
        return None
    try:
        return best_set(list(P.parse(rx.pattern, rx.flags)))
    except (re.error, RecursionError, ValueError, TypeError, AttributeError, IndexError):
        return None


class Needs(Gated):
    """A pattern whose ``search`` and ``finditer`` run only where the window holds a literal it needs."""

    __slots__ = ("_needs",)

    def __init__(self, rx: re.Pattern, literals: tuple[str, ...]):
        super().__init__(rx)
        self._needs = literals

    def search(self, text: str, pos: int = 0, endpos: int | None = None):
        if absent(self._needs, text, pos, endpos):
            return None
        return self._rx.search(text, pos) if endpos is None else self._rx.search(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None):
        if absent(self._needs, text, pos, endpos):
            return iter(())
        return self._rx.finditer(text, pos) if endpos is None else self._rx.finditer(text, pos, endpos)

    def __reduce__(self):
        return needs, (self._rx,)


MAX_LITERALS = 8  # more finds than this cost as much as the search they would spare


def absent(literals: tuple[str, ...], text: str, pos: int, endpos: int | None) -> bool:
    """Is none of ``literals`` in text[pos:endpos] (positions as re reads them)?"""
    n = len(text)
    end = n if endpos is None or endpos > n else max(endpos, 0)
    pos = max(pos, 0)  # (str.find reads a negative position from the end, re as 0)
    find = text.find
    return all(find(s, pos, end) < 0 for s in literals)


def needs(rx):
    """``rx`` with its searches skipped where none of the literals it needs is in the window; ``rx`` itself
    when it needs none, or too many (or is case-insensitive)."""
    lits = required(rx)
    return rx if not lits or len(lits) > MAX_LITERALS else Needs(rx, lits)
