"""Write a synthetic corpus of N abstracts built from the bundled ones, with unique ids, for scale runs.

    python bench/make_corpus.py 100000            # -> bench/corpus-100000.jsonl
    python bench/make_corpus.py 1000000 -o /tmp/c.jsonl

Paper k is bundled paper ``k % 362`` with id ``<id>-<k>``: the mix of texts (and so the cost per
abstract) is the bundled corpus's at every size. The pipeline caches nothing by text, so copies cost
as much as new abstracts would.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "data" / "papers.jsonl"


def make_corpus(n: int, out: Path, source: Path = SOURCE) -> Path:
    base = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    with open(tmp, "w", encoding="utf-8") as f:
        for k in range(n):
            p = dict(base[k % len(base)])
            p["id"] = f"{p['id']}-{k}"
            f.write(json.dumps(p, ensure_ascii=False) + "\n")
    tmp.replace(out)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of abstracts")
    ap.add_argument("-o", "--out", type=Path, help="output file (default bench/corpus-N.jsonl)")
    ap.add_argument("--source", type=Path, default=SOURCE, help="corpus to copy from")
    a = ap.parse_args()
    out = a.out or ROOT / "bench" / f"corpus-{a.n}.jsonl"
    print(make_corpus(a.n, out, a.source))


if __name__ == "__main__":
    main()
