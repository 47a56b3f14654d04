"""Hugging Face daily-papers listing pages saved as text (../shared/corpus/raw/*.txt).

A page is a few header lines (``new``, ``Get trending papers in your email inbox!``, ``Subscribe``,
``Daily Papers``, ``byAK and the research community``, a date such as ``Mar 13``), then paragraphs
separated by blank lines that alternate title, abstract, title, abstract.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator

from extract.read.lines import Rejected
from extract.records import Paper
from extract.read.common import collapse, iter_lines, title_id

HEADER_LINES = {
    "new", "get trending papers in your email inbox!", "subscribe", "daily papers",
    "byak and the research community",
}
DATE = re.compile(r"^(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}(, \d{4})?$", re.I)
# Titles on these pages run to under 200 characters and abstracts to over 500; a paragraph in the
# title slot longer than this is an abstract whose title is missing, so the pairing resynchronises.
TITLE_MAX = 300


def looks_like_page(head: str) -> bool:
    """True when the first lines of a text carry the daily-papers page header."""
    lines = [collapse(x).lower() for x in head.splitlines()[:40] if x.strip()]
    return sum(x in HEADER_LINES for x in lines[:10]) >= 2


def paragraphs(path: Path) -> Iterator[tuple[int, str]]:
    """(line of its first line, collapsed text) for each blank-line separated paragraph."""
    start, buf = 0, []
    for n, text in iter_lines(path):
        if text.strip():
            if not buf:
                start = n
            buf.append(text)
        elif buf:
            yield start, collapse(" ".join(buf))
            buf = []
    if buf:
        yield start, collapse(" ".join(buf))


def read(path: Path, **_) -> Iterator[Paper | Rejected]:
    """Papers of one page, in page order; ``source`` is the page's file name.

    A missing abstract or title is reported and the alternation picks up again at the next
    title: a short paragraph followed by a long one is a title, a long one in the title slot an abstract.
    """
    source = path.name
    paras = paragraphs(path)
    nxt = next(paras, None)
    while nxt is not None and (nxt[1].lower() in HEADER_LINES or DATE.match(nxt[1])):
        nxt = next(paras, None)
    title: tuple[int, str] | None = None
    while nxt is not None:
        (n, para), nxt = nxt, next(paras, None)
        if title is None:
            if len(para) > TITLE_MAX:
                yield Rejected(n, "an abstract with no title before it", para)
            else:
                title = (n, para)
        elif len(para) <= TITLE_MAX and nxt is not None and len(nxt[1]) > TITLE_MAX:
            yield Rejected(title[0], "a title with no abstract after it", title[1])
            title = (n, para)
        else:
            yield Paper(id=title_id(title[1]), title=title[1], abstract=para, line=title[0],
                        extra={"source": source})
            title = None
    if title is not None:
        yield Rejected(title[0], "a title with no abstract after it at the end of the page", title[1])
