"""match/text.py's sentence_spans tries its end pattern only where a stop is followed by a space or a
capital: the same sentences as a scan of the whole text with that pattern, for any text."""
from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from extract.match.text import _END, _trim, sentence_spans

ROOT = Path(__file__).resolve().parent.parent


def _reference(text: str) -> list[tuple[int, int]]:
    """The plain reading: every match of the end pattern, left to right."""
    spans, start = [], 0
    for m in _END.finditer(text):
        if text[start:m.end()].strip():
            spans.append(_trim(text, start, m.end()))
        start = m.end()
    if text[start:].strip():
        spans.append(_trim(text, start, len(text)))
    return spans


PIECES = st.one_of(st.sampled_from([". ", "? ", "! ", ".", " ", "\u00a0", "\u2003", "\n", "e.g. ", "et al. ", "Fig. 3",
                                    "vs. ", "U.S. ", "3.5", "7%.", "x.", "The", "We", "Results", "abc", "(", "\"", "A",
                                    "mechanisms.Experimental", "\x1c", "\u0085"]),
                   st.text(max_size=4))


@settings(max_examples=500, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_sentence_spans_is_the_plain_scan(text):
    assert sentence_spans(text) == _reference(text)


def test_sentence_spans_on_the_corpus():
    for line in open(ROOT / "data" / "papers.jsonl", encoding="utf-8"):
        text = json.loads(line)["abstract"]
        assert sentence_spans(text) == _reference(text)
