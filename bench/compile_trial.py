"""Does compiling the extraction modules with Cython pay? Compiles them unchanged in a copy, checks
that the claims are the same, and times extraction compiled and pure, alternately, in one session.

    .venv/bin/pip install cython setuptools   # not dependencies of extract: only this trial needs them
    .venv/bin/python bench/compile_trial.py [--rounds 3] [--seconds 2] [--keep DIR]

The package's tracked source (git ls-files extract, rules, validation) is copied twice into a temporary
directory laid out like an installed package (extract/rules, extract/validation); in one copy the
modules of MODULES are compiled in place (Cython 3, pure-Python mode: the .py files as they are).
Each copy then runs in its own process (PYTHONPATH): every bundled abstract through extract_paper,
a digest of the claims, and CPU microseconds per abstract over ``--seconds``. The digests must be equal
(exit 1 otherwise); the speed-up is the pure time over the compiled one, per round and its median.
bench/speed-notes.md, session 6, has what it gave (and mypyc, which needs the code edited first).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the hot path of extraction (bench/throughput.py's stages): matching, context, the registry lexicon
MODULES = ["extract/match/*.py", "extract/context/*.py", "extract/lexicon.py", "extract/run/batch.py"]

BUILD = """
import glob, sys
from setuptools import setup, Extension
from Cython.Build import cythonize
mods = sorted(m for pat in sys.argv[1:] for m in glob.glob(pat) if not m.endswith("__init__.py"))
exts = [Extension(m[:-3].replace("/", "."), [m]) for m in mods]
setup(name="trial", script_args=["build_ext", "--inplace", "-q"],
      ext_modules=cythonize(exts, quiet=True, compiler_directives={"language_level": 3, "annotation_typing": False}))
"""

# one process: which build runs, the claims' digest, CPU us per abstract (after one warm pass)
WORKER = """
import hashlib, sys, time
import extract.match.window as probe
from extract.match.ruleset import default_rules
from extract.read.corpus import read_corpus
from extract.records import Paper
from extract.run.batch import extract_paper
papers = [p for p in read_corpus(sys.argv[1]) if isinstance(p, Paper)]
rules, h = default_rules(), hashlib.sha256()
for p in papers:
    for c in extract_paper(p, rules):
        h.update(repr(c.as_row()).encode())
done, t0 = 0, time.process_time()
while time.process_time() - t0 < float(sys.argv[2]):
    for p in papers:
        extract_paper(p, rules)
    done += len(papers)
print("compiled" if probe.__file__.endswith(".so") else "pure", h.hexdigest(), 1e6 * (time.process_time() - t0) / done)
"""


def copy_tree(dest: Path) -> Path:
    """The tracked files of the package, laid out as installed: extract/, extract/rules, extract/validation."""
    files = subprocess.run(["git", "ls-files", "extract", "rules", "validation"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split()
    for f in files:
        target = dest / (f if f.startswith("extract/") else "extract/" + f)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / f, target)
    return dest


def run(tree: Path, corpus: Path, seconds: float) -> tuple[str, str, float]:
    out = subprocess.run([sys.executable, "-c", WORKER, str(corpus), str(seconds)], cwd=tree, check=True,
                         capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(tree)})
    build, digest, us = out.stdout.split()
    return build, digest, float(us)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=2.0, help="CPU seconds of extraction per process")
    ap.add_argument("--corpus", type=Path, default=ROOT / "data" / "papers.jsonl")
    ap.add_argument("--keep", type=Path, help="build in DIR and keep it (default: a temporary directory)")
    a = ap.parse_args()
    try:
        import Cython
    except ImportError:
        print("Cython is not installed: pip install cython", file=sys.stderr)
        return 2
    base = Path(a.keep or tempfile.mkdtemp(prefix="compile_trial_"))
    pure, compiled = copy_tree(base / "pure"), copy_tree(base / "compiled")
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", BUILD, *MODULES], cwd=compiled, check=True, capture_output=True)
    print(f"Cython {Cython.__version__}: compiled {len(list((compiled / 'extract').rglob('*.so')))} modules in "
          f"{time.perf_counter() - t0:.0f} s wall")
    gains = []
    for r in range(1, a.rounds + 1):
        (pb, pd, pus), (cb, cd, cus) = run(pure, a.corpus, a.seconds), run(compiled, a.corpus, a.seconds)
        if (pb, cb) != ("pure", "compiled") or pd != cd:
            print(f"round {r}: builds {pb}/{cb}, claims {'same' if pd == cd else 'DIFFER'}", file=sys.stderr)
            return 1
        gains.append(pus / cus)
        print(f"round {r}: pure {pus:.0f} us/abstract, compiled {cus:.0f} us/abstract, {pus / cus:.2f}x, claims same")
    print(f"speed-up median {statistics.median(gains):.2f}x (min {min(gains):.2f}x, max {max(gains):.2f}x)")
    if not a.keep:
        shutil.rmtree(base)
    return 0


if __name__ == "__main__":
    sys.exit(main())
