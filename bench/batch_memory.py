"""Peak memory of `extract run` on a corpus of very long abstracts (issue 14: 1,000 abstracts of 1.2 MB
peaked at 6.6 GB across processes while batches were 500 lines whatever their size).

    .venv/bin/python bench/batch_memory.py [--papers 1000] [--mb 1.2] [--workers 2]

Writes the corpus to a temporary directory, runs the CLI, samples the summed RSS of the run and its
workers every 0.1 s (Linux /proc), prints the peak and the wall time as one JSON line.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILLER = "The method is described in words without any figures so that the text stays long. "


def make_corpus(path: Path, papers: int, mb: float) -> int:
    body = FILLER * int(mb * 1e6 / len(FILLER))
    with open(path, "w", encoding="utf-8") as f:
        for i in range(papers):
            head = f"Our model reaches {70 + i % 25}.{i % 10}% accuracy on MNIST with {i % 9 + 1}B parameters. "
            f.write(json.dumps({"id": f"p{i}", "title": "Long", "abstract": head + body}) + "\n")
    return path.stat().st_size


def tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and all its descendants."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(x) for x in (task / "children").read_text().split()]
        except OSError:
            continue
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--papers", type=int, default=1000)
    ap.add_argument("--mb", type=float, default=1.2)
    ap.add_argument("--workers", type=int, default=2)
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        corpus = Path(d) / "long.jsonl"
        size = make_corpus(corpus, a.papers, a.mb)
        t = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "extract", "run", str(corpus), "-o", str(Path(d) / "out"),
                                 "-w", str(a.workers), "-q"], cwd=ROOT)
        peak = 0
        while proc.poll() is None:
            peak = max(peak, tree_rss(proc.pid))
            time.sleep(0.1)
        wall = time.perf_counter() - t
        run = json.loads((Path(d) / "out" / "run.json").read_text()) if proc.returncode == 0 else {}
    print(json.dumps({"papers": a.papers, "abstract_mb": a.mb, "corpus_mb": round(size / 1e6), "workers": a.workers,
                      "exit": proc.returncode, "peak_rss_mb": round(peak / 1e6), "wall_s": round(wall, 1),
                      "papers_read": run.get("papers_read"), "claims": run.get("claims"),
                      "papers_failed": run.get("papers_failed")}))


if __name__ == "__main__":
    main()
