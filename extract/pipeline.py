"""`extract run`: read the corpus, extract, validate, write every output. Returns the run summary."""
from __future__ import annotations

import hashlib
import json
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

from . import __version__
from .corpus import Rejected, read_corpus
from .engine import RuleTimeout, extract_paper
from .errors import InputError
from .records import Claim, Paper
from .ruleset import default_rules
from .table import to_frame


def extract_many(papers: Iterable[Paper]) -> tuple[list[Claim], list[dict]]:
    """Claims of every paper in order; papers whose rules time out are reported, not hung on."""
    rules = default_rules()
    claims, failed = [], []
    for p in papers:
        try:
            claims.extend(extract_paper(p, rules))
        except RuleTimeout as e:
            failed.append({"line": p.line, "id": p.id, "reason": str(e)})
    return claims, failed


def checksum(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def run(corpus: str | Path, outdir: str | Path = "output", on_error: str = "skip",
        progress: Callable[[int], None] | None = None) -> dict:
    from . import leaderboard, validate, writers

    corpus, outdir = Path(corpus), Path(outdir)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    papers, rejected = [], []
    for item in read_corpus(corpus):
        if isinstance(item, Rejected):
            if on_error == "fail":
                raise InputError(item.reason, str(corpus), item.line)
            rejected.append(item)
        else:
            papers.append(item)
    timings["read"] = time.perf_counter() - t0

    t = time.perf_counter()
    claims, failed = extract_many(papers)
    if progress:
        progress(len(papers))
    df = to_frame(claims)
    timings["extract"] = time.perf_counter() - t

    t = time.perf_counter()
    df, expectation_counts = validate.flag(df)
    timings["validate"] = time.perf_counter() - t

    summary = {
        "tool_version": __version__,
        "rules_version": default_rules().version,
        "input": str(corpus),
        "input_sha256": checksum(corpus),
        "papers_read": len(papers),
        "papers_with_claims": int(df["paper_id"].nunique()),
        "lines_rejected": len(rejected),
        "papers_failed": len(failed),
        "claims": len(df),
        "claims_per_family": {k: int(v) for k, v in Counter(df["family"]).items()},
        "rows_invalid": int((~df["valid"]).sum()),
        "expectations_failed": expectation_counts,
        "errors": [{"line": r.line, "reason": r.reason} for r in rejected] + failed,
    }
    t = time.perf_counter()
    outdir.mkdir(parents=True, exist_ok=True)
    writers.write_csv(df, outdir / "claims.csv")
    writers.write_parquet(df, outdir / "claims.parquet")
    _write_errors(rejected, failed, outdir / "errors.jsonl")
    timings["write"] = time.perf_counter() - t
    summary["timings_s"] = {k: round(v, 3) for k, v in timings.items()}
    summary["validation_docs"] = validate.build_docs(df, outdir / "validation")
    t = time.perf_counter()
    leaderboard.write_workbook(df, summary, outdir / "leaderboard.xlsx")
    summary["timings_s"]["workbook"] = round(time.perf_counter() - t, 3)
    writers.write_json(summary, outdir / "run.json")
    return summary


def _write_errors(rejected, failed, path: Path) -> None:
    from .writers import atomic_path

    with atomic_path(path) as tmp, open(tmp, "w", encoding="utf-8") as f:
        for r in rejected:
            f.write(json.dumps({"line": r.line, "reason": r.reason, "raw": r.raw}, ensure_ascii=False) + "\n")
        for r in failed:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def extract_claims(papers, rules_dir: str | None = None) -> pd.DataFrame:
    """The Python API: papers (dicts, Papers) or one string -> the claims table."""
    rules = default_rules(rules_dir)
    if isinstance(papers, str):
        papers = [{"id": "text", "title": "", "abstract": papers}]
    out = []
    for i, p in enumerate(papers):
        if not isinstance(p, Paper):
            p = Paper(id=str(p.get("id", i)), title=p.get("title") or "", abstract=p.get("abstract") or "")
        out.extend(extract_paper(p, rules))
    return to_frame(out)
