"""`extract eval`'s report as text: the summary figures, and the misses, false hits and context
disagreements listed per paper with their sentence (``--show``)."""
from __future__ import annotations

from collections import defaultdict

from extract.evaluate import CONTEXT_FIELDS, SHOW_FIELDS, Report  # noqa: F401


def format_summary(rep: Report) -> str:
    f = rep.figures
    c, s = f["claims"], f["strict"]
    lines = [f"papers {len(rep.papers)}  gold {c['gold']}  pred {c['pred']}  matched {c['tp']}",
             f"{'family':11s} {'P':>6s} {'R':>6s} {'F1':>6s}  gold"]
    for fam, v in f["families"].items():
        lines.append(f"{fam:11s} {v['p']:6.3f} {v['r']:6.3f} {v['f1']:6.3f}  {v['gold']}")
    if f["on_matched"]:
        lines.append("on matched: " + "  ".join(f"{k} {v:.3f}" for k, v in f["on_matched"].items()))
    lines += [f"numbers P {f['numbers']['p']:.3f} R {f['numbers']['r']:.3f} F1 {f['numbers']['f1']:.3f}",
              f"claims  P {c['p']:.3f} R {c['r']:.3f} F1 {c['f1']:.3f}",
              f"strict  P {s['p']:.3f} R {s['r']:.3f} F1 {s['f1']:.3f}"]
    if "context" in f:
        cs = f["context_strict"]
        lines += ["context on matched: " + "  ".join(f"{k} {v:.3f}" for k, v in f["context"].items()),
                  f"context-strict  P {cs['p']:.3f} R {cs['r']:.3f} F1 {cs['f1']:.3f}"]
    d = f.get("duplicates")
    if d:
        lines.append(f"duplicate rows: {d['same_claim']} repeat a claim, {d['same_number']} repeat a number "
                     f"(paper, family, value) of {d['rows']} rows")
    return "\n".join(lines)


def _snippet(c: dict, width: int = 180) -> str:
    """The evidence sentence around the number, the number in [[...]] so the eye finds it."""
    ev, vt = " ".join((c.get("evidence") or "").split()), c.get("value_text") or ""
    i = ev.find(vt) if vt else -1
    if i < 0:
        return ev[:width] + ("..." if len(ev) > width else "")
    ev = ev[:i] + "[[" + vt + "]]" + ev[i + len(vt):]
    lo = max(0, i - width // 2)
    hi = min(len(ev), lo + width)
    return ("..." if lo else "") + ev[lo:hi] + ("..." if hi < len(ev) else "")


def _q(s) -> str:
    """Text in quotes as written (repr would double the backslash of "12\\%")."""
    return '"' + str(s or "") + '"'


def _describe(c: dict) -> str:
    kind = c.get("kind", "")
    if c.get("direction"):
        kind += f" {c['direction']}"
    parts = [_q(c.get("value_text")), f"{c.get('family', '')}/{kind}", c.get("qualifier", "")]
    parts += [f"{k}={_q(c[k])}" for k in ("unit", "model", "benchmark") if c.get(k)]
    if c.get("rule"):
        parts.append(f"rule={c['rule']}")
    return "  ".join(p for p in parts if p)


def format_details(rep: Report, show: str) -> str:
    """Misses, false hits and/or context disagreements, grouped per paper in gold order."""
    want = {"misses": {"miss"}, "false": {"false"}, "context": {"context"},
            "all": {"miss", "false", "context"}}.get(show, set())
    by_paper: dict[str, list[str]] = defaultdict(list)
    if "miss" in want:
        for m in rep.misses:
            near = f"   (found as {m['near']['family']} by {m['near']['rule'] or '?'})" if m["near"] else ""
            by_paper[m["paper_id"]] += [f"  MISS   {_describe(m)}{near}", f"         > {_snippet(m)}"]
    if "false" in want:
        for m in rep.false_hits:
            near = f"   (gold has it as {m['near']['family']})" if m["near"] else ""
            by_paper[m["paper_id"]] += [f"  FALSE  {_describe(m)}{near}", f"         > {_snippet(m)}"]
    if "context" in want:
        for d in rep.disagreements:
            g, p = d["gold"], d["pred"]
            diffs = "; ".join(f"{k} gold {_q(g.get(k))} got {_q(p.get(k))}" for k in d["wrong"])
            by_paper[d["paper_id"]] += [f"  WRONG  {_q(p.get('value_text'))} {g['family']}: {diffs}"
                                        f"  rule={p.get('rule', '?')}", f"         > {_snippet(g)}"]
    out = []
    for pid in rep.papers:
        if by_paper.get(pid):
            out.append(f"== {pid}")
            out += by_paper[pid]
    return "\n".join(out) if out else f"(no {show} to show)"
