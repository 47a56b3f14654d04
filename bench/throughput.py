"""Throughput and scale of `extract`, measured: prints a table and writes bench/results.md.

1. Extraction alone, one process, on the same abstracts in the same run: abstracts/s of
   ``extract`` (rules compiled once) and of quantulum3's parser, and their ratio; ``--runs`` times
   (default 3), each run timing both, so the min and median ratio say what a shared machine allows.
   Then the start-up cost: the wall time of ``extract explain "..."`` and of a fresh process's first
   ``extract_claims`` call.
2. End to end: wall time and peak memory of ``extract run --workers 2`` (extract, validate, write
   every output) on synthetic corpora of 10k, 100k and 1M abstracts (bench/make_corpus.py), and the
   cost per abstract against the smallest size.

    python bench/throughput.py                      # everything (the 1M run takes ~10 minutes)
    python bench/throughput.py --sizes 10000,100000 # a subset; other sizes keep their last results
    python bench/throughput.py --no-scale           # only the extraction comparison and start-up

Peak memory is the largest total over ``extract run`` and all its worker processes, sampled every
0.2 s: of the proportional set size (PSS: a page shared by forked workers counts once, split among
them) and of the plain resident set size (RSS: shared pages counted in every process, an upper
bound). Machine load (1-minute load average) is recorded before each run: the machine may be shared.
CPU time is also split by process (sampled with the memory): the workers, the run itself during the
stream and after it, and the helper (Data Docs, a share of the workbook's long sheets).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
import warnings
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from make_corpus import SOURCE, make_corpus  # noqa: E402

# issue 12: >= 200x quantulum3 in one process; explain and a first extract_claims under 1 s; 1M synthetic
# abstracts with 2 workers in under 5 minutes and 1.5 GB peak; cost per abstract flat with size
TARGETS = {"ratio": 200, "startup_s": 1.0, "wall_1m_s": 300, "rss_1m_mb": 1536, "cost_growth": 1.5}
STARTUP_TEXT = "GPT-4 reaches 86.4% on MMLU"


# --- 1. extraction vs quantulum3 -------------------------------------------------------------------

def _abstracts(path: Path, n: int | None) -> list:
    from extract.read.corpus import read_corpus
    from extract.records import Paper

    papers = [p for p in read_corpus(path) if isinstance(p, Paper)]
    return papers[:n] if n else papers


def time_extract(papers, min_seconds: float = 3.0) -> tuple[float, int]:
    """abstracts/s of extract_paper, one process, rules compiled beforehand; repeats to ``min_seconds``.
    CPU time of this process, not wall time, so that other work on a shared machine counts less."""
    from extract.match.ruleset import default_rules
    from extract.run.batch import extract_paper

    rules = default_rules()
    for p in papers[:20]:
        extract_paper(p, rules)  # warm caches
    done, t0 = 0, time.process_time()
    while True:
        for p in papers:
            extract_paper(p, rules)
        done += len(papers)
        elapsed = time.process_time() - t0
        if elapsed >= min_seconds:
            return done / elapsed, done


def time_quantulum(papers, min_seconds: float = 3.0) -> tuple[float, int] | None:
    """abstracts/s of quantulum3's parser.parse on the same abstracts (None if not installed)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from quantulum3 import parser
    except ImportError:
        return None
    parser.parse("warm up: 3 km in 2 hours")
    done, t0 = 0, time.process_time()
    while True:
        for p in papers:
            parser.parse(p.abstract)
            done += 1
        elapsed = time.process_time() - t0
        if elapsed >= min_seconds and done >= min(len(papers), 100):
            return done / elapsed, done


def profile_extract(papers, top: int = 10) -> list[dict]:
    """Where one process spends extraction time: the functions with the most own time (cProfile)."""
    import cProfile
    import pstats

    from extract.match.ruleset import default_rules
    from extract.run.batch import extract_paper

    rules = default_rules()
    prof = cProfile.Profile()
    prof.enable()
    for p in papers:
        extract_paper(p, rules)
    prof.disable()
    st = pstats.Stats(prof)
    total = sum(v[2] for v in st.stats.values())
    rows = sorted(st.stats.items(), key=lambda kv: -kv[1][2])[:top]
    root = str(ROOT) + os.sep
    return [{"function": f"{Path(f).name if not f.startswith(root) else f[len(root):]}:{line}({name})"
             if f != "~" else name, "calls": v[1], "own_s": round(v[2], 3), "share": round(v[2] / total, 3)}
            for (f, line, name), v in rows]


def time_startup(runs: int = 3) -> dict:
    """Wall seconds of a fresh process: ``extract explain STARTUP_TEXT``, and importing extract and
    calling extract_claims once (reading the rules and lexicons included); min and median of ``runs``."""
    exe = shutil.which("extract", path=str(Path(sys.executable).parent)) or "extract"
    cmds = {"explain": [exe, "explain", STARTUP_TEXT],
            "first_extract_claims": [sys.executable, "-c", "from extract import extract_claims; "
                                     f"assert len(extract_claims({STARTUP_TEXT!r})) == 1"]}
    out = {}
    for name, cmd in cmds.items():
        walls = []
        for _ in range(runs):
            t0 = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
            walls.append(time.perf_counter() - t0)
        out[name] = {"min_s": round(min(walls), 3), "median_s": round(statistics.median(walls), 3),
                     "runs": [round(w, 3) for w in walls]}
    return out


def stage_costs(papers, passes: int = 3) -> list[dict]:
    """CPU microseconds per abstract of each stage of extract_paper, run as it runs them: splitting into
    sentences, finding the numbers (one pass, with the not-a-claim tests), deciding each from its
    neighbourhood and building its fields, making the claim records, and attaching context. Shows which
    stage a faster design would have to fix."""
    from extract.context import attach as context
    from extract.match import engine
    from extract.match.decide import decide
    from extract.match.mentions import find_mentions
    from extract.match.ruleset import default_rules
    from extract.match.text import sentence_spans
    from extract.run.batch import extract_paper

    rules = default_rules()
    for p in papers[:20]:
        extract_paper(p, rules)
    cost = dict.fromkeys(("sentences", "numbers", "decide", "records", "context"), 0.0)
    clock = time.process_time
    for _ in range(passes):
        for p in papers:
            text = p.abstract
            t0 = clock()
            sents = sentence_spans(text)
            t1 = clock()
            find_mentions(text)
            t2 = clock()
            decide(text, rules, sentences=sents)
            t3 = clock()
            claims, _ = engine.match_paper(p, rules)
            t4 = clock()
            context.attach(p, claims, sents)
            t5 = clock()
            # decide() reads the numbers again, and match_paper runs both: charge each stage its own share
            for k, v in (("sentences", t1 - t0), ("numbers", t2 - t1), ("decide", (t3 - t2) - (t2 - t1)),
                         ("records", max(0.0, (t4 - t3) - (t3 - t0))), ("context", t5 - t4)):
                cost[k] += v
    n = passes * len(papers)
    total = sum(cost.values())
    return [{"stage": k, "us": round(v / n * 1e6, 1), "share": round(v / total, 3)} for k, v in cost.items()]


# --- 2. end to end ----------------------------------------------------------------------------------

class TreeRSS:
    """Samples the memory of a process and its descendants in a thread: peak summed PSS and RSS, and
    the largest single RSS, in bytes. Also each process's CPU time as last seen (``cpu``: pid ->
    (start time, CPU s, first and last seen, s after the start)) and the run's own CPU time at each
    sample (``own``), so that its CPU can be split at the end of the stream (``by_process``)."""

    def __init__(self, pid: int, every: float = 0.2):
        import psutil

        self.proc, self.every, self.peak, self.peak_single, self.peak_pss = psutil.Process(pid), every, 0, 0, 0
        self.cpu: dict = {}
        self.own: list = []
        self._t0 = time.perf_counter()
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self):
        import psutil

        while not self._stop.is_set():
            try:
                procs = [self.proc] + self.proc.children(recursive=True)
            except psutil.Error:
                return
            sizes, pss = [], 0
            now = time.perf_counter() - self._t0
            for p in procs:
                try:
                    m = p.memory_full_info()
                    c = p.cpu_times()
                    started = p.create_time()
                except psutil.Error:
                    continue
                sizes.append(m.rss)
                pss += getattr(m, "pss", m.rss)
                used = c.user + c.system
                first = self.cpu.get(p.pid, (0, 0, now))[2]
                self.cpu[p.pid] = (started, used, first, now)
                if p.pid == self.proc.pid:
                    self.own.append((now, used))
            if sizes:
                self.peak = max(self.peak, sum(sizes))
                self.peak_single = max(self.peak_single, max(sizes))
                self.peak_pss = max(self.peak_pss, pss)
            self._stop.wait(self.every)

    def by_process(self, workers: int) -> dict:
        """CPU seconds of the run's processes as last sampled: the run itself during the stream (while its
        first ``workers`` children, the extraction workers, lived) and after it, the workers, and the
        processes started later (the helper of the workbook and the Data Docs). Processes that end
        between two samples lose up to ``every`` seconds each."""
        kids = sorted((v for pid, v in self.cpu.items() if pid != self.proc.pid), key=lambda v: v[0])
        pool, later = kids[:workers], kids[workers:]
        if not pool or not self.own:
            return {}
        end = max(v[3] for v in pool)
        stream = max((c for t, c in self.own if t <= end), default=0.0)
        return {"stream_end_s": round(end, 1), "run_in_stream": round(stream, 1),
                "run_after_stream": round(self.own[-1][1] - stream, 1),
                "workers": round(sum(v[1] for v in pool), 1), "helpers": round(sum(v[1] for v in later), 1)}

    def stop(self):
        self._stop.set()
        self._t.join()


def run_once(n: int, workers: int, keep: bool) -> dict:
    corpus = BENCH / f"corpus-{n}.jsonl"
    if not corpus.exists():
        print(f"  making {corpus.name} ...", file=sys.stderr)
        make_corpus(n, corpus)
    out = BENCH / f"out-{n}"
    shutil.rmtree(out, ignore_errors=True)
    exe = shutil.which("extract", path=str(Path(sys.executable).parent)) or "extract"
    cmd = [exe, "run", str(corpus), "-o", str(out), "--workers", str(workers), "-q"]
    load = os.getloadavg()[0]
    cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT)
    rss = TreeRSS(proc.pid)
    rc = proc.wait()
    wall = time.perf_counter() - t0
    cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # the run and the workers it waited for
    cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
    rss.stop()
    if rc != 0:
        raise SystemExit(f"`{' '.join(cmd)}` failed with exit code {rc}")
    summary = json.loads((out / "run.json").read_text())
    sizes = {p.name: p.stat().st_size for p in out.iterdir() if p.is_file()}
    if not keep:
        shutil.rmtree(out, ignore_errors=True)
    return {
        "n": n, "workers": workers, "wall_s": round(wall, 1), "peak_pss_mb": round(rss.peak_pss / 2**20),
        "peak_rss_mb": round(rss.peak / 2**20),
        "peak_single_mb": round(rss.peak_single / 2**20), "us_per_abstract": round(wall / n * 1e6, 1),
        "claims": summary["claims"], "papers_read": summary["papers_read"],
        "timings_s": summary.get("timings_s", {}), "load_before": round(load, 2),
        "output_mb": round(sum(sizes.values()) / 2**20, 1),
        "cpu_s": round(cpu, 1),  # CPU seconds of the run and its workers: what load on a shared machine does not change
        "cpu_by_process": rss.by_process(workers),
        "date": dt.datetime.now().isoformat(timespec="seconds"),
    }


# --- report -----------------------------------------------------------------------------------------

def _fmt_n(n: int) -> str:
    return f"{n // 1_000_000}M" if n % 1_000_000 == 0 else f"{n // 1000}k" if n % 1000 == 0 else str(n)


def report(res: dict) -> str:
    lines = ["# Throughput and scale of `extract`", "",
             f"Measured by `bench/throughput.py` on {res['machine']}.", ""]
    m = res.get("micro")
    if m:
        lines += ["## Extraction alone, one process, same abstracts", "",
                  f"Corpus: {m['corpus']} ({m['abstracts']} abstracts), measured {m['date']}, "
                  f"load average before: {m['load_before']}.", "",
                  "Per CPU second of one process (CPU time, so load from others on the machine counts less).", "",
                  "| parser | abstracts/s | ms per abstract |", "|---|---:|---:|",
                  f"| extract | {m['extract_per_s']:,.0f} | {1000 / m['extract_per_s']:.2f} |"]
        if m.get("quantulum_per_s"):
            ok = "meets" if m["ratio"] >= TARGETS["ratio"] else "misses"
            lines += [f"| quantulum3 | {m['quantulum_per_s']:,.1f} | {1000 / m['quantulum_per_s']:.2f} |", ""]
            if m.get("runs"):
                lines += [f"Medians of {len(m['runs'])} runs, each timing both parsers one after the other:", "",
                          "| run | extract/s | quantulum3/s | ratio | load before |", "|---:|---:|---:|---:|---:|"]
                lines += [f"| {i} | {r['extract_per_s']:,.0f} | {r['quantulum_per_s'] or 0:,.1f} | "
                          f"{r['ratio'] or 0:,.1f}x | {r['load_before']} |" for i, r in enumerate(m["runs"], 1)]
                lines.append("")
            lines += [f"Ratio: **{m['ratio']:,.1f}x** quantulum3, median"
                      + (f" (min {m['ratio_min']:,.1f}x)" if m.get("ratio_min") else "")
                      + f" (target >= {TARGETS['ratio']}x: {ok})."]
        lines.append("")
        if m.get("stages"):
            budget = (1e6 / m["quantulum_per_s"] / TARGETS["ratio"]) if m.get("quantulum_per_s") else None
            lines += ["Where the time goes, per abstract (CPU microseconds, each stage as extract_paper runs it)"
                      + (f"; {TARGETS['ratio']}x quantulum3 would leave **{budget:.0f} us** for all of them:"
                         if budget else ":"), "",
                      "| stage | us per abstract | share |", "|---|---:|---:|"]
            lines += [f"| {r['stage']} | {r['us']:,.0f} | {r['share']:.0%} |" for r in m["stages"]]
            lines.append("")
        if m.get("profile"):
            lines += ["Where extraction spends its time (cProfile, one pass over the same abstracts; own time "
                      "of each function, so a regex's matching counts in the function that iterates it):", "",
                      "| function | calls | own time (s) | share |", "|---|---:|---:|---:|"]
            lines += [f"| `{r['function']}` | {r['calls']:,} | {r['own_s']:.3f} | {r['share']:.0%} |"
                      for r in m["profile"]]
            lines.append("")
        if m.get("rules"):
            lines += ["The rules whose regexes cost most (CPU time over the same abstracts, share of all rule "
                      "matching):", "", "| rule | CPU (s) | share |", "|---|---:|---:|"]
            lines += [f"| `{r['rule']}` | {r['cpu_s']:.3f} | {r['share']:.0%} |" for r in m["rules"]]
            lines.append("")
    st = res.get("startup")
    if st:
        lines += ["## Start-up: a fresh process", "",
                  f"Wall time (a shared machine: load average {st['load_before']} before), measured {st['date']}; "
                  f"target under {TARGETS['startup_s']:g} s each.", "",
                  "| what | min (s) | median (s) | runs (s) | target |", "|---|---:|---:|---|---|"]
        for name, label in (("explain", f'`extract explain "{STARTUP_TEXT}"`'),
                            ("first_extract_claims", "`import extract` + first `extract_claims` (python -c)")):
            r = st[name]
            lines.append(f"| {label} | {r['min_s']:.2f} | {r['median_s']:.2f} | "
                         f"{', '.join(f'{w:.2f}' for w in r['runs'])} | "
                         f"{'met' if r['median_s'] < TARGETS['startup_s'] else 'MISSED'} |")
        lines.append("")
    runs = sorted(res.get("runs", {}).values(), key=lambda r: r["n"])
    if runs:
        base = runs[0]
        lines += ["## End to end: `extract run --workers 2`", "",
                  "Wall time covers reading, extraction, validation and every output (CSV, Parquet, "
                  "errors, Data Docs, workbook, run.json). Peak memory: the run and its workers together "
                  "(PSS counts pages the forked workers share once; the RSS sum counts them in each). "
                  f"'load before' is the 1-minute load average before the run; with {os.cpu_count()} cores, "
                  "a load above that means other jobs were taking CPU from the run.", "",
                  "'CPU (s)' is the CPU time of the run and its workers, which load from others does not change: "
                  f"on {os.cpu_count()} idle cores the wall time would be near CPU / workers plus the parent's share.", "",
                  "| abstracts | claims | wall (s) | CPU (s) | us/abstract | cost vs smallest | peak PSS (MB) | "
                  "peak RSS sum (MB) | largest process (MB) | extract / validate / write / workbook / docs (s) "
                  "| load before | date |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---|"]
        for r in runs:
            t = r["timings_s"]
            phases = " / ".join(f"{t.get(k, 0):.0f}" for k in ("extract", "validate", "write", "workbook", "docs"))
            lines.append(f"| {_fmt_n(r['n'])} | {r['claims']:,} | {r['wall_s']:.1f} | {r.get('cpu_s', '-')} | "
                         f"{r['us_per_abstract']:.0f} | "
                         f"{r['us_per_abstract'] / base['us_per_abstract']:.2f}x | {r.get('peak_pss_mb', '-'):,} | "
                         f"{r['peak_rss_mb']:,} | "
                         f"{r['peak_single_mb']:,} | {phases} | {r['load_before']} | {r['date']} |")
        lines.append("")
        split = [r for r in runs if r.get("cpu_by_process")]
        if split:
            lines += ["Where the CPU goes, per process (sampled; the run itself during the stream -- merging, "
                      "validating, writing CSV and Parquet -- and after it -- the workbook; the workers; the "
                      "helper that builds the Data Docs and shares the workbook's long sheets):", "",
                      "| abstracts | stream ends (s) | workers (CPU s) | run, stream (CPU s) | run, after (CPU s) "
                      "| helper (CPU s) |", "|---:|---:|---:|---:|---:|---:|"]
            for r in split:
                c = r["cpu_by_process"]
                lines.append(f"| {_fmt_n(r['n'])} | {c['stream_end_s']} | {c['workers']} | {c['run_in_stream']} | "
                             f"{c['run_after_stream']} | {c['helpers']} |")
            lines.append("")
        big = next((r for r in runs if r["n"] == 1_000_000), None)
        if big:
            growth = big["us_per_abstract"] / base["us_per_abstract"]
            checks = [(f"1M in under {TARGETS['wall_1m_s'] / 60:g} minutes", big["wall_s"] < TARGETS["wall_1m_s"],
                       f"{big['wall_s']:.0f} s"),
                      (f"1M under {TARGETS['rss_1m_mb'] / 1024:g} GB peak memory (PSS)",
                       big.get("peak_pss_mb", big["peak_rss_mb"]) < TARGETS["rss_1m_mb"],
                       f"{big.get('peak_pss_mb')} MB PSS, {big['peak_rss_mb']} MB RSS sum"),
                      (f"cost per abstract at 1M within 1.5x of {_fmt_n(base['n'])}",
                       growth <= TARGETS["cost_growth"], f"{growth:.2f}x")]
            lines += ["| target | result | measured |", "|---|---|---|"]
            lines += [f"| {name} | {'met' if ok else 'MISSED'} | {val} |" for name, ok, val in checks]
            lines.append("")
    return "\n".join(lines)


def _commit() -> str:
    """The commit measured (EXTRACT_COMMIT when run from a copy of the tree)."""
    if os.environ.get("EXTRACT_COMMIT"):
        return os.environ["EXTRACT_COMMIT"]
    try:
        out = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                               capture_output=True, text=True).stdout.strip()
        return out + (" (with uncommitted changes)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated corpus sizes to run")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--no-scale", action="store_true", help="skip the end-to-end runs")
    ap.add_argument("--no-micro", action="store_true", help="skip the extract vs quantulum3 comparison")
    ap.add_argument("--micro-corpus", type=Path, default=SOURCE, help="abstracts for the comparison")
    ap.add_argument("--seconds", type=float, default=3.0, help="minimum time per parser in the comparison")
    ap.add_argument("--runs", type=int, default=3, help="runs of the comparison (min and median reported)")
    ap.add_argument("--keep", action="store_true", help="keep bench/out-N/")
    ap.add_argument("--results", type=Path, default=BENCH / "results.json")
    a = ap.parse_args()

    res = json.loads(a.results.read_text()) if a.results.exists() else {}
    res["machine"] = (f"{platform.node() or 'this machine'}, {os.cpu_count()} cores, Python "
                      f"{platform.python_version()}, {platform.system()} {platform.release()}, code at "
                      f"commit {_commit()}")
    if not a.no_micro:
        papers = _abstracts(a.micro_corpus, None)
        load = round(os.getloadavg()[0], 2)
        runs = []
        for r in range(a.runs):
            ext, _ = time_extract(papers, a.seconds)
            q = time_quantulum(papers, a.seconds)
            runs.append({"extract_per_s": ext, "quantulum_per_s": q[0] if q else None,
                         "ratio": ext / q[0] if q else None, "load_before": round(os.getloadavg()[0], 2)})
            print(f"run {r + 1}: extract {ext:,.0f}/s" + (f", quantulum3 {q[0]:,.1f}/s, ratio {ext / q[0]:,.1f}x" if q
                  else ", quantulum3 not installed (pip install quantulum3)"), file=sys.stderr)
        med = statistics.median(r["extract_per_s"] for r in runs)
        qs = [r["quantulum_per_s"] for r in runs if r["quantulum_per_s"]]
        ratios = [r["ratio"] for r in runs if r["ratio"]]
        res["micro"] = {"corpus": a.micro_corpus.name, "abstracts": len(papers), "extract_per_s": med,
                        "quantulum_per_s": statistics.median(qs) if qs else None,
                        "ratio": statistics.median(ratios) if ratios else None,
                        "ratio_min": min(ratios) if ratios else None, "runs": runs,
                        "load_before": load, "date": dt.datetime.now().isoformat(timespec="seconds"),
                        "stages": stage_costs(papers), "profile": profile_extract(papers)}
        res["startup"] = time_startup()
        res["startup"]["date"] = dt.datetime.now().isoformat(timespec="seconds")
        res["startup"]["load_before"] = round(os.getloadavg()[0], 2)
        print(f"startup: {res['startup']}", file=sys.stderr)
    if not a.no_scale:
        runs = res.setdefault("runs", {})
        for n in (int(float(x)) for x in a.sizes.split(",") if x.strip()):
            print(f"extract run on {_fmt_n(n)} abstracts, {a.workers} workers ...", file=sys.stderr)
            r = run_once(n, a.workers, a.keep)
            runs[str(n)] = r
            print(f"  {r['wall_s']} s, peak PSS {r['peak_pss_mb']} MB (RSS sum {r['peak_rss_mb']} MB), "
                  f"{r['us_per_abstract']} us/abstract",
                  file=sys.stderr)
            a.results.write_text(json.dumps(res, indent=2) + "\n")
    a.results.write_text(json.dumps(res, indent=2) + "\n")
    text = report(res)
    (BENCH / "results.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
