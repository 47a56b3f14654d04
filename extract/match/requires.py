"""The literal words a rule's pattern cannot match without, read off the pattern itself.

A rule's ``needs`` cues are written by hand; this derives, from the compiled pattern, what every match
must contain: an AND of OR-sets of literal strings ("by" and one of "%", "percent", "points", ...).
A rule whose requirements are missing from a sentence cannot match there, so the engine does not run
it. Only sure requirements are kept (look-arounds, optional parts and classes give none), so this
never hides a match; tests/test_requires.py checks it on every example, the bundled corpus and
generated text. Literals are compared case-folded (a superset of any case-insensitive match).
"""
from __future__ import annotations

import re

try:  # re's own parser (private, but in every CPython since 3.11); without it nothing is filtered
    from re import _constants as C
    from re import _parser as P
except ImportError:  # pragma: no cover
    C = P = None

# A named group's name is dropped (the ``regex`` module allows a name twice, ``re`` does not).
_NAMED = re.compile(r"(?<!\\)((?:\\\\)*)\(\?P<\w+>")
_REPEATS = tuple(op for op in (getattr(C, "MAX_REPEAT", None), getattr(C, "MIN_REPEAT", None),
                               getattr(C, "POSSESSIVE_REPEAT", None)) if op is not None)
KEEP = 3  # requirements kept per pattern: the most selective ones


def requirements(pattern: str, verbose: bool = False, ignorecase: bool = False) -> tuple[frozenset, ...]:
    """OR-sets of case-folded literals; every match of ``pattern`` holds one member of each set.
    Empty when nothing sure can be said (or the pattern is beyond the parser)."""
    if P is None:
        return ()
    try:
        tree = P.parse(_NAMED.sub(r"\1(?:", pattern), (re.X if verbose else 0) | (re.I if ignorecase else 0))
        found = _sequence(tree)
    except (re.error, RecursionError, ValueError, TypeError, IndexError, AttributeError):
        return ()
    found = sorted(set(found), key=lambda s: (len(s), -min(map(len, s)), sorted(s)))
    return tuple(found[:KEEP])


def _sequence(items) -> list[frozenset]:
    out: list[frozenset] = []
    run: list[str] = []

    def flush():
        word = "".join(run)
        if len(word) >= 2 or (word and not word.isalnum()):  # a word, or one symbol such as "%"
            out.append(frozenset([word.casefold()]))
        run.clear()

    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(av))
            continue
        flush()
        if op is C.SUBPATTERN:
            out.extend(_sequence(av[-1]))
        elif op in _REPEATS and av[0] >= 1:
            out.extend(_sequence(av[2]))
        elif op is getattr(C, "ATOMIC_GROUP", None):
            out.extend(_sequence(av))
        elif op is C.BRANCH:
            alternatives = []
            for branch in av[1]:
                got = _sequence(branch)
                if not got:  # one way through holds no sure literal: the branch requires nothing
                    alternatives = []
                    break
                alternatives.append(min(got, key=len))
            if alternatives:
                out.append(frozenset().union(*alternatives))
        # anything else (a class, a look-around, an anchor, an optional part) requires nothing
    flush()
    return out


class Finder:
    """Which of a set of literals occur in a text (Aho-Corasick: every occurrence, overlaps too)."""

    def __init__(self, literals):
        import ahocorasick

        self._auto = ahocorasick.Automaton()
        for w in literals:
            self._auto.add_word(w, w)
        self._auto.make_automaton()

    def present(self, text: str) -> set[str]:
        return {w for _, w in self._auto.iter(text.casefold())}


def finder(literals) -> Finder | None:
    """A Finder, or None without literals or without pyahocorasick (then nothing is filtered)."""
    if not literals:
        return None
    try:
        return Finder(literals)
    except ImportError:
        return None
