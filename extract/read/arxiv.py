"""The arXiv metadata snapshot: JSON Lines with ``id, title, abstract, categories, update_date,
authors, versions, ...`` (the public dump, one object a line, several GB). Read line by line."""
from __future__ import annotations

import json
import re
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Callable, Iterator

from extract.read.lines import Rejected
from extract.records import Paper
from extract.read.common import collapse, iter_lines

# Fields only the dump has (our own corpus lines may carry `categories` too, so that one does not count).
MARKERS = ("update_date", "versions", "authors_parsed", "submitter", "journal-ref")
# `\\` is a LaTeX line break inside titles and abstracts; `\newline` the same.
LATEX_BREAK = re.compile(r"\\\\(?:\[[^\]\n]{0,10}\])?|\\newline\b")


def looks_like_dump(first_line: str) -> bool:
    try:
        obj = json.loads(first_line)
    except ValueError:
        return False
    return isinstance(obj, dict) and "abstract" in obj and any(k in obj for k in MARKERS)


def clean(s: str) -> str:
    """One line: LaTeX line breaks and the dump's hard wraps (newline + indent) become single spaces."""
    return collapse(LATEX_BREAK.sub(" ", s))


def category_filter(spec: str | None) -> Callable[[list[str]], bool] | None:
    """``cs.CL,cs.LG`` keeps papers in either; ``cs`` or ``cs.*`` keeps the whole archive."""
    if not spec:
        return None
    exact, prefixes = set(), []
    for item in (x.strip() for x in spec.split(",")):
        if not item:
            continue
        if item.endswith(".*"):
            prefixes.append(item[:-1])
        elif "." not in item:
            exact.add(item)  # old-style archives such as hep-th have no sub-category
            prefixes.append(item + ".")
        else:
            exact.add(item)
    return lambda cats: any(c in exact or c.startswith(tuple(prefixes)) for c in cats)


def first_version_date(versions) -> str:
    """ISO date of v1 (``Mon, 2 Apr 2007 19:18:42 GMT`` -> ``2007-04-02``), or '' when absent."""
    try:
        return parsedate_to_datetime(versions[0]["created"]).date().isoformat()
    except (TypeError, KeyError, IndexError, ValueError):
        return ""


def read(path: Path, category: str | None = None, counts: dict | None = None, **_) -> Iterator[Paper | Rejected]:
    """Papers of the dump; with ``category``, papers outside it are counted in counts['filtered']."""
    keep = category_filter(category)
    source = path.name
    for n, text in iter_lines(path):
        if not text.strip():
            continue
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as e:
            yield Rejected(n, f"not valid JSON: {e.msg} (column {e.colno})", text)
            continue
        if not isinstance(obj, dict):
            yield Rejected(n, f"expected a JSON object, found {type(obj).__name__}", text)
            continue
        pid, title, abstract = obj.get("id"), obj.get("title"), obj.get("abstract")
        if not isinstance(pid, str) or not pid.strip():
            # A number here means the dump went through a tool that turned 0704.0001 into 704.0001.
            yield Rejected(n, "missing or non-string 'id' (arXiv ids are strings: 0704.0001)", text)
            continue
        if not isinstance(abstract, str):
            yield Rejected(n, "missing or non-string 'abstract'", text)
            continue
        cats = obj.get("categories")
        cats = cats.split() if isinstance(cats, str) else []
        if keep and not keep(cats):
            if counts is not None:
                counts["filtered"] = counts.get("filtered", 0) + 1
            continue
        extra = {"categories": " ".join(cats)}
        if isinstance(obj.get("update_date"), str):
            extra["date"] = obj["update_date"]
        published = first_version_date(obj.get("versions"))
        if published:
            extra["published"] = published
        extra["source"] = source
        yield Paper(id=pid.strip(), title=clean(title) if isinstance(title, str) else "",
                    abstract=clean(abstract), line=n, extra=extra)
