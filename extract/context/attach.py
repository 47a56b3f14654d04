"""Attach model, benchmark, baseline and method to each claim (spec section 6).

The abstract is scanned once for names (extract/names.py). Each claim then takes, from its own
sentence, the model and benchmark its number is tied to ("85% on GSM8K for LLaMA-2-7B", "1.5% and
3.3% on test-clean and test-other, respectively"), the baseline a delta or ratio is measured
against ("over LoRA", "outperforms X by 5%"), and the paper's own method when the number is its
result. A benchmark may come from an earlier sentence when the sentence refers back to it ("on
both benchmarks"). Cue words are data: rules/lexicons/context.yaml.
"""
from __future__ import annotations

import operator
import re
import time
from dataclasses import fields

from extract.context import names as N
from extract.context.cues import Ctx, norm_key  # noqa: F401  (used by bench/ and tests through this module)
from extract.context.comparison import baseline_of, method_of
from extract.context.benchmark import benchmark_of
from extract.context.fields import model_of
from extract.context.metric import metric as _metric
from extract.context.scan import find_method, roles_of, scan_abstract  # noqa: F401
from extract.records import Claim, Paper


def attach(paper: Paper, claims: list[Claim], sentences, deadline: float | None = None) -> list[Claim]:
    """Return the claims with metric, model, benchmark, baseline, method and canonical forms set.

    Past ``deadline`` (a time.perf_counter() value) it raises TimeoutError: on a pathological text
    with thousands of numbers in one sentence the per-claim work grows with the claim count."""
    if not claims:
        return claims
    last = max(c.start for c in claims)
    upto = next((e for s, e in sentences if s <= last < e), None)
    ctx = scan_abstract(paper, sentences, upto)
    ctx.claims = claims
    out = []
    for c in claims:
        if deadline is not None and time.perf_counter() > deadline:
            raise TimeoutError(f"context took over its budget after {len(out)} of {len(claims)} claims")
        bench = _plain_bench(benchmark_of(ctx, c, claims))
        # an amount of data that a dataset holds is not about a model ("the SmolLM corpus of 241B tokens");
        # nor is a count of documents, images or patients ("in 12,197 reports, X and Y agree"): only a
        # model's training tokens, or the share of the data it used, are its own
        model = "" if c.family == "data" and (bench or c.kind == "absolute" and c.unit not in ("tokens", "%")) \
            else model_of(ctx, c, claims)
        # the paper's method named as the subject ("GSPRec outperforms ...") is its method, not a model,
        # unless the method is a model ("Satori, a 7B LLM")
        # unless the number is its size: a parameter count is the size of the system that has it
        if model and not ctx.method_is_model and norm_key(model) in ctx.method_keys and c.family != "parameters":
            model = ""
        out.append(_with(
            c, metric=_metric(ctx, c), model=model, benchmark=bench, baseline=baseline_of(ctx, c),
            method=method_of(ctx, c, model, bench),
            model_canonical=_canon(N.MODEL, model), benchmark_canonical=_canon(N.BENCH, bench)))
    return out


_FIELDS = [f.name for f in fields(Claim)]
_ALL = operator.attrgetter(*_FIELDS)
_AT = {name: i for i, name in enumerate(_FIELDS)}


def _with(c: Claim, **changes) -> Claim:
    """dataclasses.replace(c, **changes), without its per-call reading of the fields (8 -> 4 us a claim)."""
    values = list(_ALL(c))
    for name, v in changes.items():
        values[_AT[name]] = v
    return Claim(*values)


# "the CT-RATE dataset" is the dataset CT-RATE: the noun is dropped from a name ("math benchmarks" keeps it)
_NAME_NOUN = re.compile(r"(?<=[A-Za-z0-9+)])\s+(?:dataset|benchmark|test\s+set)$", re.I)
_NAMED = re.compile(r"[A-Z0-9]")


def _plain_bench(bench: str) -> str:
    if not bench:
        return bench
    items = [_NAME_NOUN.sub("", x) if _NAMED.search(_NAME_NOUN.sub("", x)) else x for x in bench.split("; ")]
    return "; ".join(items)


def _canon(kind: str, value: str) -> str:
    return "; ".join(N.canonical(kind, v) for v in value.split("; ")) if value else ""
