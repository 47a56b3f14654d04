"""Cost of the context step (extract/context.py) per abstract, beside the whole engine.

    .venv/bin/python bench/context_speed.py [CORPUS] [--repeat N]

Runs the engine over the corpus with and without context.attach (CPU time, so other load on the
machine counts less) and prints ms per abstract for each and the difference. The project's target is
the whole extraction at >= 5000 abstracts/s per process (0.2 ms/abstract); the context step should
stay a small share of that.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.context import attach as context
from extract.records import Paper
from extract.run.batch import extract_paper  # noqa: E402
from extract.match.ruleset import default_rules  # noqa: E402


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=str(ROOT / "data" / "papers.jsonl"))
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    papers = [Paper(r["id"], r.get("title", ""), r.get("abstract", ""))
              for r in map(json.loads, open(args.corpus, encoding="utf-8"))]
    rules = default_rules()
    for p in papers:  # warm up: compile rules and lexicons
        extract_paper(p, rules)

    def run() -> float:
        t = time.process_time()
        for _ in range(args.repeat):
            for p in papers:
                extract_paper(p, rules)
        return (time.process_time() - t) / args.repeat / len(papers) * 1000

    real = context.attach
    with_ctx = run()
    context.attach = lambda paper, claims, sentences: claims
    try:
        without = run()
    finally:
        context.attach = real
    with_ctx = min(with_ctx, run())
    print(f"{len(papers)} abstracts: engine {with_ctx:.3f} ms/abstract with context, {without:.3f} without; "
          f"context {with_ctx - without:.3f} ms/abstract ({(with_ctx - without) / with_ctx:.0%} of the engine)")


if __name__ == "__main__":
    main()
