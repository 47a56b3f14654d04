"""Read a JSON Lines corpus, streaming: each line becomes a Paper or a Rejected record, never lost."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from .errors import InputError
from .records import Paper


@dataclass(slots=True)
class Rejected:
    """A line that is not a paper: where it was, why, and the raw text."""

    line: int
    reason: str
    raw: str


def read_corpus(path: str | Path) -> Iterator[Paper | Rejected]:
    """Yield a Paper for each good line and a Rejected for each bad one; blank lines are skipped."""
    path = Path(path)
    if not path.exists():
        raise InputError("no such file", str(path))
    if path.is_dir():
        raise InputError("is a directory, expected a JSON Lines file", str(path))
    try:
        fh = open(path, "rb")
    except OSError as e:
        raise InputError(f"cannot read: {e.strerror}", str(path)) from e
    with fh:
        for n, raw in enumerate(fh, start=1):
            text = raw.decode("utf-8", errors="replace").lstrip("\ufeff").rstrip("\r\n")
            if not text.strip():
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as e:
                yield Rejected(n, f"not valid JSON: {e.msg} at column {e.colno}", text)
                continue
            if not isinstance(obj, dict):
                yield Rejected(n, f"expected a JSON object, found {type(obj).__name__}", text)
                continue
            pid, abstract = obj.get("id"), obj.get("abstract")
            if not isinstance(pid, str) or not pid.strip():
                yield Rejected(n, "missing or non-string 'id'", text)
                continue
            if not isinstance(abstract, str):
                yield Rejected(n, "missing or non-string 'abstract'", text)
                continue
            title = obj.get("title")
            extra = {k: v for k, v in obj.items() if k not in ("id", "title", "abstract")}
            yield Paper(id=pid, title=title if isinstance(title, str) else "", abstract=abstract, line=n, extra=extra)
