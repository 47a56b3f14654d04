"""Plain text files, one paper per file: the first non-blank line is the title, the rest the abstract."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from extract.read.lines import Rejected
from extract.records import Paper
from extract.read.common import collapse, iter_lines, title_id


def read(path: Path, **_) -> Iterator[Paper | Rejected]:
    title, title_line, body = "", 0, []
    for n, text in iter_lines(path):
        if not title:
            if text.strip():
                title, title_line = collapse(text), n
        else:
            body.append(text)
    abstract = collapse(" ".join(body))
    if not title:
        yield Rejected(1, "empty file: expected a title line, then the abstract", "")
    elif not abstract:
        yield Rejected(title_line, "a title line but no abstract after it", title)
    else:
        yield Paper(id=title_id(title), title=title, abstract=abstract, line=title_line,
                    extra={"source": path.name})
