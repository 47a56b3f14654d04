"""`extract eval`: score claims against gold claims, and show a rule author what went wrong.

The figures follow the team's scorer (../shared/eval/score.py) exactly, so both agree on the same files:

- each paper's claims are made distinct by (family, value), in gold and prediction alike;
- per paper, a predicted claim matches a gold one when the family is the same and the values agree
  within relative 1e-4 (or are equal); greedy, gold in order, one to one, preferring the same value_text;
- precision, recall and F1 for claims (family + value), for bare numbers (value only, any family) and
  per family; over matched pairs, the share with the right kind, qualifier, model and benchmark;
- "strict": a claim counts only when family, value, kind, model and benchmark are all right;
- "context": over matched pairs, the share with the right metric (names merged by score.py's aliases),
  baseline and method, and with every field right ("all"); "context_strict": P/R/F1 of claims with
  every field right (family, value, kind, model, benchmark, metric, baseline, method).

Besides the scorer's figures, "duplicates" counts the rows of a claims.csv that repeat an earlier row
of the same paper (the scorer silently counts them once; a reader of the table sees them twice).

Stdlib only: the scorer must not depend on pandas, and it reads claims.csv cells exactly as written.
"""
from __future__ import annotations

import csv
import json
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from extract.errors import InputError

csv.field_size_limit(2**31 - 1)

CONTEXT_FIELDS = ("kind", "qualifier", "model", "benchmark")
SHOW_FIELDS = ("family", "kind", "direction", "qualifier", "unit", "model", "benchmark", "baseline", "method")


# ---- agreement tests -------------------------------------------------------------------------------

def norm(s) -> str:
    """Lower-cased alphanumerics only: "LLaMA-2 7B" -> "llama27b"."""
    return re.sub(r"[^a-z0-9]+", "", (s or "").lower())


def item_agrees(a: str, b: str) -> bool:
    """Two context items agree when equal once normalised, or when one holds the other and is at
    least half its length (so "LLaMA-2" agrees with "LLaMA-2 7B" but "GPT" not with "GPT-4 Turbo")."""
    a, b = norm(a), norm(b)
    if a == b:
        return True
    short, long_ = sorted((a, b), key=len)
    return bool(short) and short in long_ and 2 * len(short) >= len(long_)


def context_agrees(gold: str, pred: str) -> bool:
    """Both empty, or the `;`-separated items pair up both ways: listing every model of the sentence
    does not pass for the one the number is about."""
    gi = [x for x in (gold or "").split(";") if norm(x)]
    pi = [x for x in (pred or "").split(";") if norm(x)]
    if not gi or not pi:
        return not gi and not pi
    return (all(any(item_agrees(g, p) for p in pi) for g in gi)
            and all(any(item_agrees(g, p) for g in gi) for p in pi))


# Metric names written differently for the same measure, compared after norm() (as score.py).
METRIC_ALIASES = {"acc": "accuracy", "em": "exactmatch", "worderrorrate": "wer", "charactererrorrate": "cer",
                  "ppl": "perplexity", "f1score": "f1", "fscore": "f1", "f1measure": "f1", "bleuscore": "bleu",
                  "winrates": "winrate", "successrates": "successrate", "passat1": "pass1"}


def metric_agrees(gold: str, pred: str) -> bool:
    """Metric names agree once normalised and their common aliases merged ("F1 score" = "f1")."""
    a, b = norm(gold), norm(pred)
    return METRIC_ALIASES.get(a, a) == METRIC_ALIASES.get(b, b)


def close(a: float, b: float) -> bool:
    if a == b:
        return True
    # as ../shared/eval/score.py: an infinity is close to nothing (it was within tolerance of everything)
    if a is None or b is None or math.isnan(a) or math.isnan(b) or math.isinf(a) or math.isinf(b):
        return False
    return abs(a - b) <= 1e-4 * max(abs(a), abs(b))


def as_float(x) -> float:
    try:
        return float(x)
    except (TypeError, ValueError, OverflowError):
        return math.nan


# ---- reading ---------------------------------------------------------------------------------------

def read_gold(path: str | Path, keep: set[str] | None = None) -> dict[str, list[dict]]:
    """Gold JSON Lines (`{"id", "claims": [...]}`) -> {paper id: claims}, in file order.

    Every line must be a paper with an id and a list of claims that each have a family and a numeric
    value; anything else is an error naming the file and line (a gold paper is never dropped)."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file" if not path.exists() else "not a file", str(path))
    gold: dict[str, list[dict]] = {}
    n = 0
    with open(path, "rb") as f:
        for n, line in _gold_lines(f, path):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError(f"not valid JSON: {e.msg} at column {e.colno}", str(path), n) from e
            except RecursionError:
                raise InputError("not valid JSON: nested too deeply", str(path), n) from None
            except ValueError as e:  # an integer of thousands of digits
                raise InputError(f"not valid JSON: {str(e).split(':')[0]}", str(path), n) from None
            if not isinstance(rec, dict) or not isinstance(rec.get("id"), str):
                raise InputError("expected an object with a string 'id'", str(path), n)
            claims = rec.get("claims")
            if not isinstance(claims, list):
                raise InputError(f"paper {rec['id']!r}: 'claims' must be a list", str(path), n)
            for i, c in enumerate(claims, start=1):
                if not isinstance(c, dict) or not isinstance(c.get("family"), str) or not c["family"] \
                        or isinstance(c.get("value"), bool) or not math.isfinite(as_float(c.get("value"))):
                    raise InputError(f"paper {rec['id']!r}, claim {i}: needs a 'family' (text) and a finite "
                                     "numeric 'value'", str(path), n)
            if rec["id"] in gold:
                raise InputError(f"paper {rec['id']!r} appears twice", str(path), n)
            if keep is None or rec["id"] in keep:
                gold[rec["id"]] = claims
    if n == 0 or not gold and keep is None:
        raise InputError("no gold papers in this file (it is empty)", str(path))
    return gold


def _gold_lines(f, path: Path):
    """(line number, text) of a gold file read as bytes: a BOM is fine (as in a corpus), bytes that are not
    UTF-8 are an error naming the line."""
    for n, raw in enumerate(f, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise InputError(f"not UTF-8 (byte 0x{raw[e.start]:02x}); save the gold file as UTF-8",
                             str(path), n) from None
        yield n, line.lstrip("\ufeff") if n == 1 else line


def read_split(spec: str) -> set[str]:
    """`SPLIT.json:NAME` -> the ids that SPLIT.json maps to NAME (as score.py's --ids)."""
    file, _, which = spec.rpartition(":")
    if not file or not which:
        raise InputError(f"--ids expects SPLIT.json:NAME, got {spec!r}")
    try:
        split = json.loads(Path(file).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise InputError(f"cannot read split: {e}", file) from e
    return {k for k, v in split.items() if v == which}


# What a row says: two rows of one paper that agree on all of these are one claim written twice.
SAME_CLAIM = ("paper_id", "family", "metric", "kind", "direction", "value", "unit", "qualifier", "model",
              "benchmark", "baseline", "method")


def read_claims_csv(path: str | Path, ids, dups: dict | None = None) -> dict[str, list[dict]]:
    """The rows of a claims.csv whose paper is in ``ids``, cells as written, value as a float.
    With ``dups`` (a dict), count in it the rows of the whole file and those that repeat an earlier row."""
    path = Path(path)
    if not path.is_file():
        raise InputError("no such file" if not path.exists() else "not a file", str(path))
    pred: dict[str, list[dict]] = defaultdict(list)
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = {"paper_id", "family", "value"} - set(reader.fieldnames or ())
        if missing:
            raise InputError(f"not a claims table: no column {', '.join(sorted(missing))}", str(path), 1)
        counter = _DuplicateCounter() if dups is not None else None
        for row in reader:
            if counter is not None:
                counter.add(row)
            if row["paper_id"] in ids:
                row["value"] = as_float(row["value"])
                pred[row["paper_id"]].append(row)
    if counter is not None:
        dups.update(counter.figures())
    return pred


class _DuplicateCounter:
    """Rows that repeat an earlier row: the same claim (every field of SAME_CLAIM equal), and the same
    number (paper, family and value: what the scorer counts once)."""

    def __init__(self):
        self.rows = 0
        self.claims: set = set()
        self.numbers: set = set()
        self.same_claim = self.same_number = 0

    def add(self, row: dict) -> None:
        self.rows += 1
        claim = tuple(str(row.get(k, "")) for k in SAME_CLAIM)
        number = (str(row.get("paper_id", "")), str(row.get("family", "")), _value_key(row.get("value")))
        self.same_claim += claim in self.claims
        self.same_number += number in self.numbers
        self.claims.add(claim)
        self.numbers.add(number)

    def figures(self) -> dict:
        return {"rows": self.rows, "same_claim": self.same_claim, "same_number": self.same_number}


def _value_key(v):
    f = as_float(v)
    return str(v) if math.isnan(f) else round(f, 9)


def extract_for(ids, corpus: str | Path, rules_dir: str | None = None) -> dict[str, list[dict]]:
    """Run the bundled extraction on the papers of ``corpus`` whose id is in ``ids``."""
    from extract import extract_claims
    from extract.read.corpus import read_corpus
    from extract.records import Paper

    wanted, papers = set(ids), {}
    for item in read_corpus(corpus):
        if isinstance(item, Paper) and item.id in wanted and item.id not in papers:
            papers[item.id] = item
    rows = extract_claims(list(papers.values()), rules_dir).to_dict("records")
    pred = {pid: [] for pid in papers}
    for row in rows:
        pred[row["paper_id"]].append(row)
    lost = [i for i in ids if i not in pred]
    if lost:
        more = f" and {len(lost) - 5} more" if len(lost) > 5 else ""
        raise InputError(f"{len(lost)} gold paper(s) not in the corpus: {', '.join(lost[:5])}{more} "
                         "(give the corpus that holds them with --corpus)", str(corpus))
    return pred


# ---- scoring ---------------------------------------------------------------------------------------

def distinct(claims: list[dict], key) -> list[dict]:
    """Keep the first claim of each key: a number stated twice is one claim."""
    seen, out = set(), []
    for c in claims:
        k = key(c)
        if k not in seen:
            seen.add(k)
            out.append(c)
    return out


def _gold_key(c: dict):
    return c["family"], round(float(c["value"]), 9)


def _pred_key(c: dict):
    v = c["value"]
    return c.get("family"), (round(v, 9) if v == v else c.get("value_text"))


def _text(c: dict) -> str:
    return (c.get("value_text") or "").strip()


def pair_up(gold: list[dict], pred: list[dict], same_family: bool = True) -> list[tuple[int, int]]:
    """Greedy one-to-one matching, gold in order: (gold index, pred index) pairs."""
    used: set[int] = set()
    pairs = []
    for gi, g in enumerate(gold):
        gv = float(g["value"])
        best = None  # (same value_text, pred index); the first pred wins a tie
        for pi, p in enumerate(pred):
            if pi in used or not close(gv, p["value"]):
                continue
            if same_family and p.get("family") != g["family"]:
                continue
            same_text = int(_text(p) == _text(g))
            if best is None or same_text > best[0]:
                best = (same_text, pi)
        if best is not None:
            used.add(best[1])
            pairs.append((gi, best[1]))
    return pairs


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def _prf(tp, n_pred, n_gold) -> dict:
    return dict(zip(("p", "r", "f1"), prf(tp, n_pred, n_gold)))


@dataclass
class Report:
    """The figures (same keys as score.py --json) and the evidence behind them, per paper."""

    figures: dict
    papers: list[str]
    misses: list[dict] = field(default_factory=list)
    false_hits: list[dict] = field(default_factory=list)
    disagreements: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {**self.figures, "papers": len(self.papers), "misses": self.misses,
                "false_hits": self.false_hits, "disagreements": self.disagreements}


def _near(c: dict, others: list[dict]) -> dict | None:
    """A claim of the other side with the same value but another family: the likely family mix-up."""
    for o in others:
        if o.get("family") != c.get("family") and close(float(c["value"]), float(o["value"])):
            return {"family": o.get("family", ""), "value_text": o.get("value_text", ""), "rule": o.get("rule", "")}
    return None


def _evidence(c: dict, paper_id: str) -> dict:
    v = float(c["value"])
    row = {"paper_id": paper_id, "value": None if math.isnan(v) else v, "value_text": c.get("value_text", "")}
    for k in SHOW_FIELDS + ("rule", "evidence"):
        if k in c:
            row[k] = c[k] if c[k] is not None else ""
    return row


def score(gold: dict[str, list[dict]], pred: dict[str, list[dict]]) -> Report:
    fam_tp, fam_pred, fam_gold = Counter(), Counter(), Counter()
    tp = n_pred = n_gold = number_tp = 0
    agree: Counter = Counter()
    ctx: Counter = Counter()
    report = Report(figures={}, papers=list(gold))
    for pid, gs in gold.items():
        gs = distinct(gs, _gold_key)
        ps = distinct(pred.get(pid, []), _pred_key)
        pairs = pair_up(gs, ps)
        number_tp += len(pair_up(gs, ps, same_family=False))
        tp += len(pairs)
        n_pred += len(ps)
        n_gold += len(gs)
        fam_gold.update(g["family"] for g in gs)
        fam_pred.update(p.get("family", "") for p in ps)
        for gi, pi in pairs:
            g, p = gs[gi], ps[pi]
            fam_tp[g["family"]] += 1
            ok = {"kind": g.get("kind") == p.get("kind"),
                  "qualifier": g.get("qualifier") == p.get("qualifier"),
                  "model": context_agrees(g.get("model"), p.get("model")),
                  "benchmark": context_agrees(g.get("benchmark"), p.get("benchmark"))}
            ok["full"] = ok["kind"] and ok["model"] and ok["benchmark"]
            for k, v in ok.items():
                agree[k] += v
            more = {"metric": metric_agrees(g.get("metric"), p.get("metric")),
                    "baseline": context_agrees(g.get("baseline"), p.get("baseline")),
                    "method": context_agrees(g.get("method"), p.get("method"))}
            more["all"] = ok["full"] and all(more.values())
            ctx.update(k for k, v in more.items() if v)
            wrong = [k for k in CONTEXT_FIELDS if not ok[k]]
            if wrong:
                report.disagreements.append({"paper_id": pid, "wrong": wrong, "gold": _evidence(g, pid),
                                             "pred": _evidence(p, pid)})
        matched_g = {gi for gi, _ in pairs}
        matched_p = {pi for _, pi in pairs}
        for gi, g in enumerate(gs):
            if gi not in matched_g:
                report.misses.append({**_evidence(g, pid), "near": _near(g, ps)})
        for pi, p in enumerate(ps):
            if pi not in matched_p:
                report.false_hits.append({**_evidence(p, pid), "near": _near(p, gs)})
    report.figures = {
        "claims": {**_prf(tp, n_pred, n_gold), "tp": tp, "pred": n_pred, "gold": n_gold},
        "numbers": _prf(number_tp, n_pred, n_gold),
        "families": {f: {**_prf(fam_tp[f], fam_pred[f], fam_gold[f]), "gold": fam_gold[f]}
                     for f in sorted(set(fam_gold) | set(fam_pred))},
        # shares over matched pairs; none when nothing matched (as score.py)
        "on_matched": {k: agree[k] / tp for k in ("kind", "qualifier", "model", "benchmark", "full")} if tp else {},
        "strict": _prf(agree["full"], n_pred, n_gold),
        # the rest of a leaderboard row's context, on matched pairs (zeros when nothing matched, as score.py)
        "context": {k: ctx[k] / tp if tp else 0.0 for k in ("metric", "baseline", "method", "all")},
        "context_strict": _prf(ctx["all"], n_pred, n_gold),
    }
    return report


def evaluate(gold_path, claims_path=None, corpus=None, rules_dir=None, ids_spec=None) -> Report:
    """Score ``claims_path`` (a claims.csv) or, without it, a fresh extraction of the gold papers."""
    keep = read_split(ids_spec) if ids_spec else None
    gold = read_gold(gold_path, keep)
    dups: dict = {}
    if claims_path:
        pred = read_claims_csv(claims_path, set(gold), dups)
    else:
        pred = extract_for(list(gold), corpus, rules_dir)
        counter = _DuplicateCounter()
        for pid, rows in pred.items():
            for r in rows:
                counter.add({**r, "paper_id": pid})
        dups = counter.figures()
    rep = score(gold, pred)
    rep.figures["duplicates"] = dups
    return rep
