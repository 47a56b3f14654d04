"""Memory of `extract ingest` on a generated arXiv metadata dump: peak RSS must not grow with its length.

    python bench/ingest_memory.py --records 200000          # dump in a temporary directory
    python bench/ingest_memory.py --records 1000000 --gzip  # compressed input
    python bench/ingest_memory.py --records 200000 --tracemalloc

Records have the dump's shape (id, submitter, authors, title with hard wraps, categories, abstract with
LaTeX line breaks, versions, update_date, authors_parsed) and about 1 KB of abstract, built from the
bundled abstracts; one in 500 repeats an earlier title under a new id, so merging is exercised.
Prints one JSON line: records, papers written, merged, seconds, RSS before and at peak (MB).
"""
from __future__ import annotations

import argparse
import gzip
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CATEGORIES = ["cs.CL", "cs.LG", "cs.CV", "cs.AI", "stat.ML", "math.OC", "hep-th", "cs.IR cs.CL"]


def make_dump(n: int, out: Path, compress: bool = False) -> Path:
    base = [json.loads(x) for x in (ROOT / "data" / "papers.jsonl").read_text(encoding="utf-8").splitlines()]
    opener = gzip.open if compress else open
    with opener(out, "wt", encoding="utf-8") as f:
        for k in range(n):
            b = base[k % len(base)]
            title = b["title"] if k % 500 == 499 and k >= len(base) else f"{b['title']} (part {k})"
            words = title.split()
            f.write(json.dumps({
                "id": f"{2300 + k // 100000:04d}.{k % 100000:05d}", "submitter": "A. Author",
                "authors": "A. Author, B. Author and C. Author",
                "title": " ".join(words[:6]) + "\n  " + " ".join(words[6:]),
                "comments": "10 pages", "journal-ref": None, "doi": None, "report-no": None,
                "categories": CATEGORIES[k % len(CATEGORIES)], "license": None,
                "abstract": "  " + b["abstract"][:600].replace(". ", ".\n") + "\\\\ " + b["abstract"][600:1000] + "\n",
                "versions": [{"version": "v1", "created": "Mon, 2 Jan 2023 10:00:00 GMT"}],
                "update_date": "2023-01-02", "authors_parsed": [["Author", "A.", ""], ["Author", "B.", ""]],
            }) + "\n")
    return out


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--records", type=int, default=200_000)
    ap.add_argument("--dir", type=Path, help="where to write the dump and the corpus (default: a temporary one)")
    ap.add_argument("--gzip", action="store_true")
    ap.add_argument("--tracemalloc", action="store_true", help="also the peak of Python allocations (slower)")
    ap.add_argument("--json", action="store_true", help="only the JSON line")
    args = ap.parse_args()

    from extract.write import writers  # noqa: F401  (pandas and the rest, so "before" counts every import)
    from extract.read.ingest import ingest

    with tempfile.TemporaryDirectory() as tmp:
        d = args.dir or Path(tmp)
        d.mkdir(parents=True, exist_ok=True)
        dump = make_dump(args.records, d / ("dump.json.gz" if args.gzip else "dump.json"), args.gzip)
        before = rss_mb()
        if args.tracemalloc:
            import tracemalloc

            tracemalloc.start()
        t = time.perf_counter()
        s = ingest([dump], d / "corpus.jsonl")
        secs = time.perf_counter() - t
        result = {"records": args.records, "input_mb": round(dump.stat().st_size / 2**20, 1),
                  "papers": s["papers"], "merged": s["merged"], "rejected": s["rejected"],
                  "seconds": round(secs, 1), "rss_before_mb": round(before, 1), "peak_rss_mb": round(rss_mb(), 1)}
        if args.tracemalloc:
            result["tracemalloc_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 2)
    if not args.json:
        print(f"{args.records} records ({result['input_mb']} MB): peak RSS {result['peak_rss_mb']} MB "
              f"(was {result['rss_before_mb']} MB before ingest), {result['seconds']} s", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
