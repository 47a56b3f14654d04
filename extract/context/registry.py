"""Model and benchmark names the field's registries know (extract.lexicon, built from
lm-evaluation-harness, HELM, OpenCompass, transformers, timm, torchvision, torchaudio), added to
the names of extract/context/names.py so that a name no hand-made lexicon lists ("Winoground",
"Florence-2", "Qwen2.5-VL") still has a role.

A registry name never displaces a name the hand-made lexicons know (they carry versions, sizes and
canonical spellings); it gives its kind to a name-shaped word whose role was open, and it is added
where nothing else was found. It keeps its text as written: the registry's canonical name drops
versions ("LLaVA-1.5" -> "LLaVA"), which would merge different models.
"""
from __future__ import annotations

import re

from extract.context import names as N
from extract.context.metric import metric_lexicon

_KINDS = {"model": N.MODEL, "benchmark": N.BENCH}
_LOWER_START = re.compile(r"[a-z]+(?:[\s-]|$)")


def registry_hits(text: str) -> list | None:
    """Every registry name in ``text`` (extract.lexicon.find_names), or None where it is not installed."""
    lex = metric_lexicon()
    return None if lex is None else lex.find_names(text)


def add_registry_names(text: str, found: list, hits: list | None = None) -> list:
    """``found`` (names.scan's, in order, without overlaps) with the registry's names merged in;
    ``hits``: registry_hits(text), when the caller has them already."""
    if hits is None:
        hits = registry_hits(text)
        if hits is None:
            return found
    # a name written all in lower case at its start is a phrase ("open-book QA" is not OpenBookQA)
    extra = [(a, b, _KINDS[k]) for a, b, k, _ in hits
             if k in _KINDS and not _LOWER_START.match(text, a, b)]
    if not extra:
        return found
    out = list(found)
    changed = False
    for a, b, kind in extra:
        hit = [i for i, n in enumerate(out) if n.start < b and a < n.end]
        if not hit:
            out.append(N.Name(a, b, text[a:b], kind, text[a:b], True))
            changed = True
            continue
        for i in hit:
            n = out[i]
            # a name-shaped word whose role was open, and which the registry name covers or equals
            if n.kind == N.NAME and a <= n.start and n.end <= b:
                out[i] = N.Name(n.start, n.end, n.text, kind, n.canonical, True)
                changed = True
    return N.no_overlaps(out) if changed else found
