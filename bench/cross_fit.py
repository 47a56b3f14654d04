"""Does a learned scorer generalise better than the cue weights? The cross figure of issue 12.

Every number mention is decided from its features (extract/match/window.py); the family is the one
whose cue weights (rules/numbers/cues.yaml) add up highest. Here the same features feed a multinomial
logistic regression fitted on one gold set, and the claims it decides are scored on the other set
(and in-sample by 5-fold cross-validation, grouped by paper), beside the hand weights on both. Every
other decision (not-a-claim rules, lists, ranges, kind, unit) stays the rules'. The regression is
plain numpy (no scikit-learn); its weights are not shipped unless it beats the rules across sets.

    .venv/bin/python bench/cross_fit.py            # writes bench/cross_fit.md
Needs ../shared (the gold sets and the fresh corpus); the fresh corpus is read in place, not copied.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extract.match.decide import FAMILIES, decide  # noqa: E402
from extract.match.ruleset import default_rules  # noqa: E402
from extract.match.text import sentence_spans  # noqa: E402

SHARED = ROOT.parent / "shared"
SETS = {  # name: (corpus, gold)
    "dev": (ROOT / "data" / "papers.jsonl", SHARED / "gold" / "dev.jsonl"),
    "fresh_dev": (SHARED / "eval" / "fresh" / "papers.jsonl", SHARED / "gold" / "fresh_dev.jsonl"),
}
CLAIM_FAMILIES = FAMILIES[1:]


def load(name):
    corpus, gold_path = SETS[name]
    gold = {}
    for line in open(gold_path, encoding="utf-8"):
        if line.strip():
            r = json.loads(line)
            gold[r["id"]] = r["claims"]
    papers = {}
    for line in open(corpus, encoding="utf-8"):
        if line.strip():
            p = json.loads(line)
            if p["id"] in gold:
                papers[p["id"]] = p.get("abstract") or ""
    return papers, gold


def mentions(papers, rules):
    """Per paper: (value_text, features, values it may be written as) of every mention that reaches the
    scoring (not blocked by a not-a-claim rule); the values are the mention's own and, where the rules
    make it a claim, the claim's (units converted: "3 GPU days" is 72)."""
    out = {}
    for pid, text in papers.items():
        rows = []

        def record(m, feats, rows=rows, text=text):
            score = hand_scores(rules, feats)
            rows.append((m.start, text[m.start:m.end], list(feats), m.value))
            return max(FAMILIES, key=score.__getitem__)

        found = {c["start"]: c["value"] for c in decide(text, rules, sentences=sentence_spans(text), scorer=record)}
        out[pid] = [(vt, fs, {v, found.get(start, v)}) for start, vt, fs, v in rows]
    return out


def hand_scores(rules, feats) -> dict:
    score = dict.fromkeys(FAMILIES, 0.0)
    for f in feats:
        for fam, w in (rules.weights.get(f) or {}).items():
            score[fam] += w
    return score


def inputs(rules, feats, with_rules: bool) -> dict:
    """The regression's inputs: each feature as 1; with ``with_rules``, also the cue weights' sum for each
    family (so the regression starts from the rules and learns corrections)."""
    x = dict.fromkeys(feats, 1.0)
    if with_rules:
        # scaled to the features' range, so one gradient step does not overshoot (its start weight is 10)
        x.update({"rules:" + k: v / 10 for k, v in hand_scores(rules, feats).items()})
    return x


def labels(rows_by_paper, gold):
    """The gold family of each mention: that of a gold claim written the same way or of the same value
    (each gold claim labels one mention), else "none"."""
    y = {}
    for pid, rows in rows_by_paper.items():
        left = list(gold.get(pid, []))
        ys = []
        for vt, _, values in rows:
            k = next((i for i, c in enumerate(left) if c["value_text"] == vt), None)
            if k is None:
                k = next((i for i, c in enumerate(left) if any(close(float(c["value"]), v) for v in values)), None)
            ys.append(left.pop(k)["family"] if k is not None else "none")
        y[pid] = ys
    return y


class LogReg:
    """Multinomial logistic regression over binary features, L2-regularised, full-batch gradient descent."""

    def __init__(self, l2=1.0, steps=600, lr=0.3):
        self.l2, self.steps, self.lr = l2, steps, lr

    def fit(self, X: list[dict], y: list[str]):
        self.vocab = {f: i for i, f in enumerate(sorted({f for fs in X for f in fs}))}
        A = self._matrix(X)
        Y = np.zeros((len(y), len(FAMILIES)))
        Y[np.arange(len(y)), [FAMILIES.index(v) for v in y]] = 1
        # the cue weights' sums start as the logits themselves, and the penalty pulls towards that start:
        # with nothing learned, the regression decides as the rules do
        W0 = np.zeros((A.shape[1], len(FAMILIES)))
        for f, j in self.vocab.items():
            if f.startswith("rules:"):
                W0[j, FAMILIES.index(f[6:])] = 10.0
        self.W = W0.copy()
        self.b = np.zeros(len(FAMILIES)) if W0.any() else np.log(Y.mean(0) + 1e-3)
        n = len(y)
        for _ in range(self.steps):
            P = self._softmax(A @ self.W + self.b)
            G = A.T @ (P - Y) / n + self.l2 * (self.W - W0) / n
            self.W -= self.lr * G
            self.b -= self.lr * ((P - Y).mean(0) + (self.l2 * self.b / n if W0.any() else 0))
        return self

    def _matrix(self, X):
        A = np.zeros((len(X), len(self.vocab)))
        for i, fs in enumerate(X):
            for f, v in fs.items():
                j = self.vocab.get(f)
                if j is not None:
                    A[i, j] = v
        return A

    @staticmethod
    def _softmax(Z):
        Z = Z - Z.max(1, keepdims=True)
        E = np.exp(Z)
        return E / E.sum(1, keepdims=True)

    def predict_one(self, x: dict) -> str:
        z = self.b.copy()
        for f, v in x.items():
            j = self.vocab.get(f)
            if j is not None:
                z += v * self.W[j]
        return FAMILIES[int(np.argmax(z))]


def claims(papers, rules, scorer=None):
    out = {}
    for pid, text in papers.items():
        found = decide(text, rules, sentences=sentence_spans(text), scorer=scorer)
        out[pid] = [(c["family"], c["value"]) for c in found]
    return out


def close(a, b):
    return a == b or abs(a - b) <= 1e-4 * max(abs(a), abs(b))


def score(pred, gold):
    """P/R/F1 of (family, value) per family and over all, matched one to one per paper, as
    ../shared/eval/score.py counts claims (each paper's claims made distinct by family and value first)."""
    tp, fp, fn = defaultdict(int), defaultdict(int), defaultdict(int)
    for pid, g in gold.items():
        gs = _distinct((c["family"], float(c["value"])) for c in g)
        ps = _distinct(pred.get(pid, []))
        used = [False] * len(gs)
        for fam, v in ps:
            k = next((i for i, (gf, gv) in enumerate(gs) if not used[i] and gf == fam and close(gv, v)), None)
            if k is None:
                fp[fam] += 1
            else:
                used[k] = True
                tp[fam] += 1
        for (gf, _), u in zip(gs, used):
            if not u:
                fn[gf] += 1
    rows = {}
    for fam in list(CLAIM_FAMILIES) + ["all"]:
        t, p_, n_ = ((sum(d.values()) for d in (tp, fp, fn)) if fam == "all" else (tp[fam], fp[fam], fn[fam]))
        if t + p_ + n_ == 0:
            continue
        p = t / (t + p_) if t + p_ else 0.0
        r = t / (t + n_) if t + n_ else 0.0
        rows[fam] = (p, r, 2 * p * r / (p + r) if p + r else 0.0, t + n_)
    return rows


def _distinct(items):
    out = []
    for fam, v in items:
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        if not any(f == fam and close(v, w) for f, w in out):
            out.append((fam, v))
    return out


def folds(pids, k=5):
    pids = sorted(pids)
    return [pids[i::k] for i in range(k)]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(ROOT / "bench" / "cross_fit.md"))
    ap.add_argument("--l2", default="1,10,100,1000", help="L2 penalties to try, comma-separated")
    args = ap.parse_args(argv)
    if not all(p.exists() for pair in SETS.values() for p in pair):
        print(f"needs {SHARED} (gold sets and the fresh corpus)", file=sys.stderr)
        return 2
    rules = default_rules()
    data = {}
    for name in SETS:
        papers, gold = load(name)
        rows = mentions(papers, rules)
        data[name] = (papers, gold, rows, labels(rows, gold))

    def fit(names, with_rules, l2, keep=None):
        X, y = [], []
        for name in names:
            _, _, rows, ys = data[name]
            for pid in rows:
                if keep is None or pid in keep:
                    X += [inputs(rules, fs, with_rules) for _, fs, _ in rows[pid]]
                    y += ys[pid]
        return LogReg(l2=l2).fit(X, y)

    results = {}
    for name in SETS:
        papers, gold, _, _ = data[name]
        results[(name, "rules (cue weights)", "")] = score(claims(papers, rules), gold)
        other = [n for n in SETS if n != name]
        for l2 in [float(v) for v in args.l2.split(",")]:
            for with_rules, what in ((False, "regression"), (True, "rules + regression")):
                def scorer(lr, with_rules=with_rules):
                    return lambda m, f: lr.predict_one(inputs(rules, f, with_rules))
                results[(name, f"{what} fitted on {other[0]}", l2)] = score(
                    claims(papers, rules, scorer(fit(other, with_rules, l2))), gold)
                pred = {}
                for test in folds(papers):
                    lr = fit([name], with_rules, l2, keep=set(papers) - set(test))
                    pred.update(claims({p: papers[p] for p in test}, rules, scorer(lr)))
                results[(name, f"{what}, 5-fold in-sample", l2)] = score(pred, gold)
    write(args.out, results)
    print(Path(args.out).read_text())
    return 0


def write(path, results):
    lines = ["# The cross figure: cue weights against a regression fitted on the other gold set", "",
             "Written by `bench/cross_fit.py` (see its docstring). Claims F1 counts (family, value) per paper,",
             "as `../shared/eval/score.py` counts claims (context never changes a family), so the rules' rows",
             "are the claims F1 of the gold sets. Regression: multinomial logistic over the features of",
             "`extract/match/window.py`; 'rules + regression' also takes the cue weights' sum per family as",
             "inputs, starts where the rules decide and is pulled back there by the L2 penalty.", "",
             "| gold set | scorer | L2 | claims P | R | F1 | " + " | ".join(CLAIM_FAMILIES) + " |",
             "|---|---|---:|---:|---:|---:|" + "---:|" * len(CLAIM_FAMILIES)]
    for (name, scorer, l2), rows in results.items():
        p, r, f1, _ = rows["all"]
        fams = " | ".join(f"{rows[f][2]:.3f}" if f in rows else "" for f in CLAIM_FAMILIES)
        lines.append(f"| {name} | {scorer} | {l2 if l2 == '' else f'{l2:g}'} | {p:.3f} | {r:.3f} | {f1:.3f} | {fams} |")
    lines.append("")
    for name in SETS:
        rules_f1 = results[(name, "rules (cue weights)", "")]["all"][2]
        best = max(((k, v["all"][2]) for k, v in results.items() if k[0] == name and "fitted on" in k[1]),
                   key=lambda kv: kv[1])
        verdict = "better than" if best[1] > rules_f1 + 0.005 else "no better than"
        lines.append(f"- {name}: the best regression fitted on the other set ({best[0][1]}, L2 {best[0][2]:g}) "
                     f"reaches claims F1 {best[1]:.3f}, {verdict} the cue weights ({rules_f1:.3f}).")
    Path(path).write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
