"""What the gated patterns of fold.py, literal.py and tail.py share: a wrapper that is the compiled
pattern it wraps in every method it does not gate (its subclasses define ``search``/``finditer``)."""
from __future__ import annotations

import re


class Gated:
    """A compiled pattern's stand-in: ``match``, ``fullmatch``, ``pattern``, ``flags`` and any other
    attribute are the pattern's own."""

    __slots__ = ("_rx", "match", "fullmatch", "pattern", "flags")

    def __init__(self, rx: re.Pattern):
        self._rx = rx
        self.match, self.fullmatch, self.pattern, self.flags = rx.match, rx.fullmatch, rx.pattern, rx.flags

    def __getattr__(self, name):
        # reached only for names no slot holds; a slot's own name (unset) must not fall through to the pattern
        if name.startswith("__") or name in Gated.__slots__ or name in type(self).__slots__:
            raise AttributeError(name)
        return getattr(self._rx, name)
