"""Cues read right before a number ("by up to", "the model's", "more than"): patterns that end in ``$``,
searched in a window that ends at the number. ``re`` tries such a pattern at every position of the
window, which costs 5-20 us a search; nearly all of them find nothing. ``ends_at`` wraps such a pattern
with a gate: the pattern read backwards (re's own parser), tried once, anchored, on the window read
backwards. Where the backwards pattern cannot match, neither can the pattern, so the search is skipped;
otherwise the pattern's own search runs, so every match is the one it always was.

The backwards pattern accepts every text the pattern does, read backwards (and some more: look-aheads
are dropped, since a backwards look-behind would need a fixed width). Patterns it cannot read backwards
(back-references, possessive or atomic parts, MULTILINE) keep their plain search.
"""
from __future__ import annotations

import re

from extract.match.gated import Gated

try:  # re's own parser: private, but in every CPython since 3.11; without it nothing is gated
    from re import _constants as C
    from re import _parser as P
except ImportError:  # pragma: no cover
    C = P = None


class _Unsupported(Exception):
    pass


_CATEGORY = {"CATEGORY_DIGIT": r"\d", "CATEGORY_NOT_DIGIT": r"\D", "CATEGORY_SPACE": r"\s",
             "CATEGORY_NOT_SPACE": r"\S", "CATEGORY_WORD": r"\w", "CATEGORY_NOT_WORD": r"\W"}
# the anchors as they read backwards: the window's end is where the backwards text starts
_AT = {"AT_BEGINNING": r"\Z", "AT_BEGINNING_STRING": r"\Z", "AT_END": r"\A", "AT_END_STRING": r"\A",
       "AT_BOUNDARY": r"\b", "AT_NON_BOUNDARY": r"\B"}


def _char(c: int) -> str:
    return "\\U%08x" % c


def _class(items) -> str:
    out = []
    for op, av in items:
        name = str(op)
        if name == "NEGATE":
            out.insert(0, "^")
        elif name == "LITERAL":
            out.append(_char(av))
        elif name == "RANGE":
            out.append(_char(av[0]) + "-" + _char(av[1]))
        elif name == "CATEGORY" and str(av) in _CATEGORY:
            out.append(_CATEGORY[str(av)])
        else:
            raise _Unsupported(name)
    return "[" + "".join(out) + "]"


def _flags(add: int, drop: int) -> str:
    names = "".join(ch for flag, ch in ((re.I, "i"), (re.S, "s"), (re.X, "x")) if add & flag)
    dropped = "".join(ch for flag, ch in ((re.I, "i"), (re.S, "s"), (re.X, "x")) if drop & flag)
    if (add | drop) & re.M:
        raise _Unsupported("MULTILINE")
    return names + ("-" + dropped if dropped else "")


def _backwards(items) -> tuple[str, int]:
    """(the sequence read backwards, the widest look-behind in it)."""
    parts, behind = [], 0
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            parts.append(_char(av))
        elif name == "NOT_LITERAL":
            parts.append("[^" + _char(av) + "]")
        elif name == "ANY":
            parts.append(".")
        elif name == "IN":
            parts.append(_class(av))
        elif name == "AT":
            if str(av) not in _AT:
                raise _Unsupported(str(av))
            parts.append(_AT[str(av)])
        elif name == "BRANCH":
            alts = [_backwards(b) for b in av[1]]
            behind = max([behind] + [w for _, w in alts])
            parts.append("(?:" + "|".join(p for p, _ in alts) + ")")
        elif name == "SUBPATTERN":
            _, add, drop, sub = av
            p, w = _backwards(sub)
            behind = max(behind, w)
            fl = _flags(add, drop)
            parts.append("(?" + fl + ":" + p + ")" if fl else "(?:" + p + ")")
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            lo, hi, sub = av
            p, w = _backwards(sub)
            behind = max(behind, w)
            parts.append("(?:" + p + ")" + "{%d,%s}" % (lo, "" if hi == C.MAXREPEAT else hi))
        elif name in ("ASSERT", "ASSERT_NOT"):
            direction, sub = av
            if direction == 1:
                continue  # a look-ahead is dropped: the backwards pattern accepts more, never less
            p, w = _backwards(sub)
            width = sub.getwidth()[1] if hasattr(sub, "getwidth") else P.SubPattern(None, sub).getwidth()[1]
            behind = max(behind, width + w)
            parts.append(("(?=" if name == "ASSERT" else "(?!") + p + ")")
        else:  # back-references, atomic groups, possessive repeats, conditionals
            raise _Unsupported(name)
    return "".join(reversed(parts)), behind


def _ends(items) -> bool:
    """Does every match of the sequence end at ``$`` or ``\\Z``?"""
    if not items:
        return False
    op, av = items[-1]
    if str(op) == "AT":
        return str(av) in ("AT_END", "AT_END_STRING")
    if str(op) == "BRANCH":
        return all(_ends(list(b)) for b in av[1])
    if str(op) == "SUBPATTERN":
        return _ends(list(av[3]))
    return False


def _plan(rx: re.Pattern) -> tuple[str, int, int] | None:
    """(the pattern read backwards, its flags, how many characters before a match it looks at), or None
    when ``rx`` does not end in ``$`` or ``\\Z`` on every path, or cannot be read backwards."""
    if P is None or not isinstance(rx, re.Pattern) or not isinstance(rx.pattern, str) or rx.flags & re.M:
        return None
    try:
        tree = P.parse(rx.pattern, rx.flags)
        items = list(tree)
        if not _ends(items):
            return None
        p, behind = _backwards(items)
        flags = tree.state.flags & (re.I | re.S | re.A)
        return p, flags, behind + 1  # +1: a word boundary at the window's start looks one back
    except (_Unsupported, re.error, RecursionError, ValueError, TypeError, AttributeError, IndexError):
        return None


def backwards(rx: re.Pattern) -> tuple[re.Pattern, int] | None:
    """The pattern read backwards, anchored, and how many characters before a match it looks at; None when
    ``rx`` does not end in ``$`` or ``\\Z`` on every path, or cannot be read backwards."""
    plan = _plan(rx)
    try:
        return None if plan is None else (re.compile(plan[0], plan[1]), plan[2])
    except (re.error, RecursionError):
        return None


class EndsAt(Gated):
    """A ``$``-ended pattern whose ``search`` first asks the backwards gate (compiled at its first search:
    start-up time); every other method is the pattern's own."""

    __slots__ = ("_plan", "_back", "_behind", "finditer")

    def __init__(self, rx: re.Pattern, plan: tuple[str, int, int]):
        super().__init__(rx)
        self._plan, self._back, self._behind = plan, None, plan[2]
        self.finditer = rx.finditer

    def gate(self) -> re.Pattern:
        if self._back is None:
            try:
                self._back = re.compile(self._plan[0], self._plan[1])
            except (re.error, RecursionError):  # a reading re will not take: no gate (the empty pattern passes all)
                self._back = re.compile("")
        return self._back

    def search(self, text: str, pos: int = 0, endpos: int | None = None):
        n = len(text)
        hi = n if endpos is None or endpos > n else endpos
        # the window read backwards, with what its look-behinds see before it, in one slice; "$" also
        # matches before a newline that ends the window: that is not gated
        if hi > 0 and text[hi - 1] != "\n":
            lo = pos - self._behind
            if not (self._back or self.gate()).match(text[hi - 1:lo - 1:-1] if lo > 0 else text[hi - 1::-1]):
                return None
        return self._rx.search(text, pos) if endpos is None else self._rx.search(text, pos, endpos)

    def __reduce__(self):
        return ends_at, (self._rx,)


def ends_at(rx):
    """``rx`` (a pattern that ends in ``$``) with its search gated by the pattern read backwards; ``rx``
    itself when it cannot be read backwards (or is None)."""
    plan = _plan(rx)
    return rx if plan is None else EndsAt(rx, plan)
