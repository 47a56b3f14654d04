"""Measure the bundled rules on public gold that nobody on the team wrote (../shared/eval/*).

Measurement only: reads the external sets at run time, copies nothing into the project, writes a small
table to bench/external.md (and prints it).

    .venv/bin/python bench/eval_external.py [--shared ../shared] [--out bench/external.md]

1. Leaderboard scores in abstracts -- NLP-TDMS `score_in_abstract` tuples and SciREX `score_in_abstract`
   relations (documents flagged `suspect` left out). For each gold (dataset, metric, score): is the number
   extracted at all (any claim with that value; 83.7 and 0.837 count as one), as a claim of the right
   family (perplexity for perplexity metrics, else score), and with a benchmark / metric / method that
   agrees. Context agreement here is lenient on purpose -- the external names are canonical leaderboard
   names ("WMT2014_English-French", "Mean_IoU"), not the text: lower-cased alphanumerics, one holding
   the other, plus a short synonym table for metrics. These sets annotate only the leaderboard number,
   so they give recall, not precision.
2. Numbers -- Recognizers-Text `number`/`percent` and quantulum3 `quantities`/`spellout`:
   - parse: does extract.numbers.parse_number read the gold surface text to the gold value;
   - detection: recall and precision of claim spans against the gold spans. The rules look for
     claims in ML prose, so generic numbers ("192.168.1.2", "I have 5 apples") are rightly left
     alone: recall is low by design and precision is the useful half;
   - false hits: the share of Recognizers-Text negative cases and ordinal cases that yield a claim.
"""
from __future__ import annotations

import argparse
import json
import math
import re
import sys
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.match.engine import RuleTimeout  # noqa: E402
from extract.match.numbers import NotANumber, parse_number  # noqa: E402
from extract.records import Paper
from extract.run.batch import extract_paper  # noqa: E402
from extract.match.ruleset import default_rules  # noqa: E402

RULES = default_rules()


def norm(s) -> str:
    return re.sub(r"[^a-z0-9]+", "", str(s or "").lower())


def holds(a, b) -> bool:
    a, b = norm(a), norm(b)
    return bool(a) and bool(b) and (a in b or b in a)


# leaderboard metric names -> the words an abstract (and our `metric`) uses for them
METRIC_SYNONYMS = {
    "meaniou": ["miou", "iou", "intersectionoverunion", "meaniou"],
    "bitpercharacterbpc": ["bpc", "bitspercharacter", "bitpercharacter"],
    "testperplexity": ["perplexity", "ppl"],
    "ppl": ["perplexity", "ppl"],
    "percentageerror": ["error", "wer", "errorrate", "worderrorrate"],
    "top1accuracy": ["top1accuracy", "top1", "accuracy"],
    "boundingboxap": ["ap", "boxap", "map", "averageprecision"],
    "map": ["map", "ap", "meanaverageprecision"],
    "bleuscore": ["bleu"],
    "accex": ["accuracy", "executionaccuracy"],
    "f1": ["f1", "f1score", "fscore", "f"],
    "rank1": ["rank1", "accuracy"],
    "inceptionscore": ["inceptionscore", "is"],
}


def metric_agrees(gold: str, ours: str) -> bool:
    g, o = norm(gold), norm(ours)
    if not o:
        return False
    return holds(g, o) or any(holds(s, o) for s in METRIC_SYNONYMS.get(g, []))


def context_holds(gold: str, ours: str) -> bool:
    return any(holds(gold, item) for item in str(ours or "").split(";"))


def same_score(a: float, b: float) -> bool:
    """Equal, or equal once one side is read as a fraction and the other as a percentage."""
    return any(math.isclose(a, b * k, rel_tol=1e-4) for k in (1, 100, 0.01))


def extract(pid: str, text: str) -> list[dict] | None:
    try:
        return [c.as_row() for c in extract_paper(Paper(id=pid, title="", abstract=text), RULES)]
    except RuleTimeout:
        return None


def pct(n: int, d: int) -> str:
    return f"{100 * n / d:.1f}% ({n}/{d})" if d else "n/a"


# ---- 1. leaderboard scores --------------------------------------------------------------------------

def leaderboard(tuples):
    """tuples: (paper id, abstract, gold score value, dataset, metric, method or None)."""
    counts = dict(tuples=0, number=0, family=0, benchmark=0, metric=0, method=0, method_gold=0, errors=0)
    cache: dict[str, list[dict] | None] = {}
    misses = []
    for pid, text, value, dataset, metric, method in tuples:
        if pid not in cache:
            cache[pid] = extract(pid, text)
        claims = cache[pid]
        counts["tuples"] += 1
        counts["method_gold"] += method is not None
        if claims is None:
            counts["errors"] += 1
            continue
        want = "perplexity" if re.search(r"perplexity|\bppl\b", metric, re.I) else "score"
        found = [c for c in claims if same_score(c["value"], value)]
        right = [c for c in found if c["family"] == want]
        counts["number"] += bool(found)
        counts["family"] += bool(right)
        # the benchmark as written or its canonical name (both are columns of claims.csv: "PTB" is Penn Treebank)
        counts["benchmark"] += any(context_holds(dataset, c["benchmark"]) or context_holds(dataset, c["benchmark_canonical"])
                                   for c in right)
        counts["metric"] += any(metric_agrees(metric, c["metric"]) for c in right)
        if method is not None:
            counts["method"] += any(context_holds(method, c["method"]) or context_holds(method, c["model"])
                                    for c in right)
        if not right:
            misses.append((pid, value, dataset, [(c["value_text"], c["family"]) for c in found]))
    return counts, misses


def nlp_tdms(shared: Path):
    rows = []
    for line in open(shared / "eval/nlp_tdms/papers.jsonl", encoding="utf-8"):
        p = json.loads(line)
        for t in p["results"]:
            if t.get("score_in_abstract"):
                rows.append((p["id"], p["abstract"], float(t["score_value"]), t["dataset"], t["metric"], None))
    return leaderboard(rows)


def scirex(shared: Path):
    rows = []
    for line in open(shared / "eval/scirex/abstracts.jsonl", encoding="utf-8"):
        p = json.loads(line)
        if p.get("suspect"):
            continue
        for t in p["relations"]:
            if t.get("score_in_abstract"):
                rows.append((p["id"], p["abstract"], float(t["score_value"]), t["dataset"].replace("_", " "),
                             t["metric"].replace("_", " "), t["method"].replace("_", " ")))
    return leaderboard(rows)


# ---- 2. numbers ---------------------------------------------------------------------------------------

def gold_number(s: str) -> float | None:
    """A Recognizers-Text resolution value ("1234", "0.5", "1/3", "1.5E+21", "46.5%") as a float."""
    s = s.strip().rstrip("%").replace(",", "")
    try:
        return float(s)
    except ValueError:
        try:
            return float(Fraction(s))
        except (ValueError, ZeroDivisionError):
            return None


def parses_to(surface: str, value: float) -> bool:
    try:
        got, _ = parse_number(surface)
    except NotANumber:
        return False
    return math.isclose(got, value, rel_tol=1e-6) or got == value


class Detection:
    """Claim spans against gold spans: a gold quantity is found when a claim with its value overlaps it."""

    def __init__(self):
        self.gold = self.found = self.claims = self.good_claims = self.errors = 0

    def add(self, text: str, gold: list[tuple[int, int, float]]):
        claims = extract("t", text)
        if claims is None:
            self.errors += 1
            return
        self.gold += len(gold)
        self.claims += len(claims)

        def hit(c, g):
            s, e, v = g
            return c["start"] < e and s < c["end"] and (v is None or same_score(c["value"], v))

        self.found += sum(any(hit(c, g) for c in claims) for g in gold)
        self.good_claims += sum(any(hit(c, g) for g in gold) for c in claims)


def recognizers(shared: Path, name: str):
    parse_ok = parse_n = 0
    det = Detection()
    for line in open(shared / f"eval/recognizers_text/{name}.jsonl", encoding="utf-8"):
        case = json.loads(line)
        gold = []
        for r in case["results"]:
            v = gold_number(r["resolution"].get("value") or "")
            gold.append((r["start"], r["end"], v))
            if v is not None:
                parse_n += 1
                parse_ok += parses_to(r["text"], v)
        det.add(case["text"], gold)
    return (parse_ok, parse_n), det


def negatives(shared: Path):
    """Cases that must yield nothing: Recognizers-Text negatives (number, percent) and all ordinals."""
    n = with_claim = 0
    for name in ("number", "percent", "ordinal"):
        for line in open(shared / f"eval/recognizers_text/{name}.jsonl", encoding="utf-8"):
            case = json.loads(line)
            if case["results"] and name != "ordinal":
                continue
            n += 1
            with_claim += bool(extract("t", case["text"]))
    return with_claim, n


def quantulum(shared: Path):
    parse_ok = parse_n = 0
    det = Detection()
    for line in open(shared / "eval/quantulum3/quantities.jsonl", encoding="utf-8"):
        case = json.loads(line)
        text, gold = case["text"], []
        for q in case["expected"]:
            s = text.find(q["surface"])
            gold.append((s, s + len(q["surface"]), float(q["value"])) if s >= 0 else (0, 0, float(q["value"])))
            parse_n += 1
            parse_ok += parses_to(q["surface"], float(q["value"]))
        det.add(text, gold)
    spell_ok = spell_n = 0
    for line in open(shared / "eval/quantulum3/spellout.jsonl", encoding="utf-8"):
        case = json.loads(line)
        if len(case["expected_values"]) == 1:
            spell_n += 1
            spell_ok += parses_to(case["text"], case["expected_values"][0])
    return (parse_ok, parse_n), det, (spell_ok, spell_n)


# ---- report ---------------------------------------------------------------------------------------------

def table(shared: Path) -> str:
    lines = [f"Rules version `{RULES.version}`. Made by `bench/eval_external.py` from `../shared/eval/` "
             "(nothing copied). Recall only: these sets annotate the leaderboard number, not every claim.", "",
             "| leaderboard gold | tuples | number extracted | as score/perplexity claim | + benchmark agrees "
             "| + metric agrees | + method agrees |",
             "|---|---|---|---|---|---|---|"]
    for name, (c, _) in (("NLP-TDMS score_in_abstract", nlp_tdms(shared)),
                         ("SciREX score_in_abstract (not suspect)", scirex(shared))):
        t = c["tuples"]
        method = pct(c["method"], c["method_gold"]) if c["method_gold"] else "n/a"
        lines.append(f"| {name} | {t} | {pct(c['number'], t)} | {pct(c['family'], t)} | "
                     f"{pct(c['benchmark'], t)} | {pct(c['metric'], t)} | {method} |"
                     + (f" ({c['errors']} timed out)" if c["errors"] else ""))
    lines += ["", "| number set | gold | parse_number reads the gold surface | claim recall | claim precision |",
              "|---|---|---|---|---|"]
    for name in ("number", "percent"):
        (ok, n), d = recognizers(shared, name)
        lines.append(f"| Recognizers-Text {name} | {d.gold} | {pct(ok, n)} | {pct(d.found, d.gold)} | "
                     f"{pct(d.good_claims, d.claims)} |")
    (ok, n), d, (sok, sn) = quantulum(shared)
    lines.append(f"| quantulum3 quantities | {d.gold} | {pct(ok, n)} | {pct(d.found, d.gold)} | "
                 f"{pct(d.good_claims, d.claims)} |")
    lines.append(f"| quantulum3 spellout | {sn} | {pct(sok, sn)} | n/a | n/a |")
    fp, n = negatives(shared)
    lines += ["", f"Texts that must yield no claim (Recognizers-Text negatives and ordinals): "
                  f"{pct(fp, n)} yield one (lower is better)."]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "external.md")
    ap.add_argument("--misses", action="store_true", help="also list the leaderboard scores not extracted")
    args = ap.parse_args(argv)
    if not (args.shared / "eval").is_dir():
        print(f"no external sets at {args.shared / 'eval'} (pass --shared)", file=sys.stderr)
        return 2
    text = "# External measurement\n\n" + table(args.shared)
    print(text)
    args.out.write_text(text, encoding="utf-8")
    if args.misses:
        for name, fn in (("NLP-TDMS", nlp_tdms), ("SciREX", scirex)):
            for pid, value, dataset, found in fn(args.shared)[1]:
                print(f"{name} {pid}: {value} on {dataset} -- found as {found or 'nothing'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
