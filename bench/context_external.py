"""Measure the context step alone (extract/context.py, extract/names.py) on public gold nobody on the
team wrote. Measurement only: reads ../shared/eval/* at run time and copies nothing.

    .venv/bin/python bench/context_external.py [--shared ../shared] [--show]

1. Benchmark names as spans: the names the context step takes for benchmarks (lexicon names and
   name-shaped words whose cues make them benchmarks; descriptive lower-case phrases left out) against
   TDMSci test DATASET spans (per sentence) and SciREX Material mentions (distinct per abstract,
   `suspect` documents left out). Two strings agree as in ../shared/eval/score.py (lower-cased
   alphanumerics equal, or one holds the other and is at least half its length). Material mentions
   include much that is not a benchmark ("-shot", "Sudoku puzzles"), so precision is a floor.
2. In-abstract leaderboard scores (SciREX relations and NLP-TDMS results with `score_in_abstract`):
   a score claim is placed on the score's text, the context step attaches a benchmark, and it agrees
   when one of its items (as written or canonical) agrees with the gold dataset (as written or
   canonical; `_` read as a space). This is recall of the benchmark for numbers we already have.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.context import attach as context
from extract.context import names  # noqa: E402
from extract.records import Claim, Paper  # noqa: E402
from extract.match.text import sentence_spans  # noqa: E402


def norm(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", (s or "").lower())


def agree(a: str, b: str) -> bool:
    a, b = norm(a), norm(b)
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return bool(short) and short in long_ and len(short) * 2 >= len(long_)


def bench_names(text: str, title: str = "") -> list[str]:
    ctx = context.scan_abstract(Paper("x", title, text), sentence_spans(text))
    return [n.text for n in ctx.names if ctx.roles.get(n.start) == names.BENCH and not n.weak]


def spans(rows, show):
    tp_p = n_p = tp_g = n_g = 0
    missed, extra = [], []
    for golds, preds in rows:
        tp_p += sum(any(agree(p, g) for g in golds) for p in preds)
        tp_g += sum(any(agree(p, g) for p in preds) for g in golds)
        n_p += len(preds)
        n_g += len(golds)
        missed += [g for g in golds if not any(agree(p, g) for p in preds)]
        extra += [p for p in preds if not any(agree(p, g) for g in golds)]
    p, r = tp_p / max(n_p, 1), tp_g / max(n_g, 1)
    f = 2 * p * r / (p + r) if p + r else 0.0
    if show:
        print("   missed:", missed[:50])
        print("   extra:", extra[:50])
    return p, r, f, n_g, n_p


def relations(items, show):
    n = ok = 0
    for text, title, score, dataset in items:
        i = text.find(score)
        if i < 0:
            continue
        claim = Claim("x", title, "score", "score", "absolute", "", 0.0, "", "exact", score, start=i, end=i + len(score))
        out = context.attach(Paper("x", title, text), [claim], sentence_spans(text))[0]
        gold = dataset.replace("_", " ")
        golds = (gold, names.canonical(names.BENCH, gold))
        preds = (out.benchmark.split("; ") + out.benchmark_canonical.split("; ")) if out.benchmark else []
        good = any(agree(p, g) for p in preds for g in golds)
        n += 1
        ok += good
        if show and not good:
            print(f"   {score!r}: gold {gold!r}, got {out.benchmark!r}")
    return ok, n


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--show", action="store_true", help="list misses")
    args = ap.parse_args(argv)
    ev = Path(args.shared) / "eval"

    rows = []
    for line in open(ev / "tdmsci" / "test.jsonl", encoding="utf-8"):
        r = json.loads(line)
        rows.append(([e["text"] for e in r["entities"] if e["type"] == "DATASET"], bench_names(r["text"])))
    p, r, f, ng, npred = spans(rows, args.show)
    print(f"TDMSci test DATASET spans:            P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (gold {ng}, predicted {npred})")

    scirex = [json.loads(x) for x in open(ev / "scirex" / "abstracts.jsonl", encoding="utf-8")]
    scirex = [d for d in scirex if not d.get("suspect")]
    rows = [(list({m["text"].rstrip(")") for m in d["mentions"] if m["type"] == "Material"}),
             list(set(bench_names(d["abstract"], d["title"])))) for d in scirex]
    p, r, f, ng, npred = spans(rows, args.show)
    print(f"SciREX Material mentions (per doc):   P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (gold {ng}, predicted {npred})")

    items = [(d["abstract"], d["title"], rel["score"], rel["dataset"])
             for d in scirex for rel in d["relations"] if rel.get("score_in_abstract")]
    ok, n = relations(items, args.show)
    print(f"SciREX in-abstract scores:             benchmark agrees {ok}/{n} = {ok / max(n, 1):.3f}")
    tdms = [json.loads(x) for x in open(ev / "nlp_tdms" / "papers.jsonl", encoding="utf-8")]
    items = [(d["abstract"], d["title"], res["score"], res["dataset"])
             for d in tdms for res in d["results"] if res.get("score_in_abstract")]
    ok, n = relations(items, args.show)
    print(f"NLP-TDMS in-abstract scores:           benchmark agrees {ok}/{n} = {ok / max(n, 1):.3f}")


if __name__ == "__main__":
    main()
