"""The claim-level half of the context step: the model of one claim, from its sentence (and, where
the text refers back, from earlier sentences); the benchmark is in benchmark.py."""
from __future__ import annotations

import re

from extract.context import names as N
from extract.context.cues import (
    APPOSED, BY_NUMBER, DET, HAS_SIZE, LIST_SEP, LISTED, PARAM_UNITS, PREP_BEFORE, RESULT_FAMILY_SET,
    SHARE_OF, SIZED_END, VS_NEXT, VS_PAIR, FUNCTION, Ctx, clause_span, context_cues, group_of, name_groups, names_in, is_baseline, join_names,
    norm_key, respective, role_names, role_of, sentence_of, visible)
from extract.context.comparison import anothers
from extract.records import Claim

# ---------------------------------------------------------------- model

def model_of(ctx: Ctx, c: Claim, claims: list) -> str:
    s0, s1, si = sentence_of(ctx, c.start)
    a, b = clause_span(ctx, s0, s1, c.start)
    models = role_names(ctx, s0, s1, N.MODEL)
    # the number is the size inside a model's name ("Codestral-22B", "Llama-3 70B")
    for n in models:
        if n.start <= c.start and c.end <= n.end and not n.text[:1].isdigit():
            return n.text
    models = visible(ctx, models, c, s0, s1)
    if c.family == "parameters" and c.unit in PARAM_UNITS:
        return _model_of_size(ctx, c, models, s0, s1, a)
    cues = context_cues()
    text = ctx.text
    # "against a gold standard with high inter-rater reliability (92.2% agreement)": the annotators' number
    if cues["annotation"].search(text, max(a, c.start - 80), c.start):
        return ""
    # "surpassing GPT-4V (45.9%)": a number in parentheses right after a name is that model's;
    # "outperforming a pure LLM baseline (23.6%)": or the phrase's it follows
    if text[c.start - 1:c.start] == "(":
        for n in models:
            if 0 <= c.start - 1 - n.end <= 2:
                # "surpasses X (79.0% vs. 66.7%)": the first of the pair is the subject's, not the compared X's
                if VS_NEXT.match(text, c.end) and is_baseline(ctx, n, models):
                    break
                return n.text
        m = cues["np_paren"].search(text, max(a, c.start - 40), c.start)
        if m and _trim_np(m.group("np")) and not any(n.start >= m.start() for n in names_in(ctx, m.start(), c.start)):
            return _trim_np(m.group("np"))
    # ... and the second is X's
    p = text.rfind("(", a, c.start)
    if p > 0 and VS_PAIR.fullmatch(text, p + 1, c.start):
        for n in models:
            if 0 <= p - n.end <= 1:
                return n.text
    # "from the previous SOTA of 13% (Moshi) to 31%": the name in parentheses right after the number
    m = _OWNER_AFTER.match(text, c.end, b)
    if m and not N.is_stopword(m.group("name")) and not cues["metric"].fullmatch(m.group("name")) \
            and not any(role_of(ctx, n) == N.BENCH for n in names_in(ctx, m.start("name"), m.end("name"))):
        return m.group("name")
    # "7.59 (vs 9.76 in AffineQuant)": a compared value written as another system's is that system's
    other = anothers(ctx, c, b)
    if other:
        return other
    # "85% of the baseline"
    m = cues["np_of"].match(text, c.end, b)
    if m:
        return m.group("np")
    # "compared to the dense model's 5.12 PPL"
    m = cues["possessive"].search(text, max(a, c.start - 50), c.start)
    if m:
        return m.group("np")
    cands = [n for n in models if not is_baseline(ctx, n, models) and not BY_NUMBER.match(text, n.end)
             and not SHARE_OF.search(text, max(s0, n.start - 16), n.start)]
    r = respective(ctx, c, claims, cands, s0, s1)
    if r is not None:
        return r.text
    # a model named only by its size is one when it has a determiner ("our 3B-parameter SLM achieves")
    cands = [n for n in cands if n.known or n.text[:1].isalpha() or DET.search(text, max(0, n.start - 5), n.start)]
    # "12.2% for X", "42.83 on InfiniteBench for X", "90% ... for LLMs like X and Y"
    for n in cands:
        if c.end <= n.start <= b and n.start - c.end <= 80 and cues["model_after"].match(text, c.end, n.start):
            return join_names(group_of(ctx, n, cands))
    # the subject before the number, in its clause; not the several models the experiments ran on
    before = [n for n in cands if a <= n.start and n.end <= c.start and not _testbed(ctx, n, cands, s0)]
    if before:
        return join_names(group_of(ctx, before[-1], cands))
    # "... 90% performance ... for popular LLMs like X and Y" at the end of the clause
    after = [n for n in cands if c.end <= n.start < b and not _testbed(ctx, n, cands, s0)]
    if after:
        return join_names(group_of(ctx, after[0], cands))
    # "an LLM with 101B parameters and 0.31TB tokens can be trained on a 100K budget": the paper's
    # model, named by its size, is the subject of the clause
    if not cands and ctx.method_is_model and _SIZED_SUBJECT.search(text, a, c.start):
        return ctx.method
    if cands or c.family not in RESULT_FAMILY_SET:
        return ""
    # "the fine-tuned LLMs obtained ...": the models of the sentence before
    if si > 0 and cues["model_refer"].search(text, s0, c.start):
        ps, pe = ctx.sentences[si - 1]
        prev = [n for n in names_in(ctx, ps, pe) if role_of(ctx, n) == N.MODEL and n.known or role_of(ctx, n) == N.MODEL
                and n.text[:1].isalpha()]
        if prev:
            return join_names(name_groups(text, prev)[-1])
    # "Our experiments with LLAMA2-7B show ... PPO exceeds zero-shot by 38.7 points": the one model
    # the experiments were run on holds for the results that follow
    return _setup_model(ctx, si, claims)


_SIZED_SUBJECT = re.compile(r"(?<!\w)(?:an?|our)\s+(?:LLM|LM|language\s+model|model)\s+with\s+(?:only\s+)?[\d.]+\s*(?:[BMT]|billion|million)\s+parameters\b")


def _testbed(ctx: Ctx, n, cands: list, s0: int) -> bool:
    """Is ``n`` one of several models (or an example of some) the experiments ran on?"""
    group = group_of(ctx, n, cands)
    setup, example = setup_cues(ctx, group[0].start, s0)
    return setup and (len(group) > 1 or example)


def setup_cues(ctx: Ctx, start: int, s0: int) -> tuple[bool, bool]:
    """Is the name at ``start`` in a setup phrase ("experiments on X"), and given as an example?"""
    hit = ctx.cache.get(("setup", start))
    if hit is None:
        cues = context_cues()
        left = ctx.text[max(s0, start - 90):start]
        setup = bool(cues["setup"].search(left))
        hit = ctx.cache[("setup", start)] = (setup, setup and bool(cues["example"].search(left)))
    return hit


def _setup_model(ctx: Ctx, si: int, claims: list) -> str:
    cues = context_cues()
    for k in range(si - 1, -1, -1):
        ps, pe = ctx.sentences[k]
        if not any(ps <= x.start < pe for x in claims):
            continue  # the setup holds for results reported with it ("Our experiments with X show 6.3 ...")
        models = [n for n in names_in(ctx, ps, pe) if role_of(ctx, n) == N.MODEL and n.known]
        if not models:
            continue
        groups = name_groups(ctx.text, models)
        if len(groups) == 1 and len(groups[0]) == 1:
            n = groups[0][0]
            left = ctx.text[max(ps, n.start - 90):n.start]
            if (cues["setup"].search(left) or cues["uses"].search(left)) and not cues["example"].search(left) \
                    and not re.match(r"\s+and\s+(?:its|their)\s", ctx.text[n.end:n.end + 12]):
                return n.text
        return ""
    return ""


def _model_of_size(ctx: Ctx, c: Claim, models: list, s0: int, s1: int, a: int) -> str:
    """The model a parameter count belongs to."""
    text, cues = ctx.text, context_cues()
    # "175B parameter GPT-3"
    for n in models:
        if 0 <= n.start - c.end <= 14 and cues["size_of"].match(text, c.end, n.start):
            return n.text
    # "LLaVA-Rad (7B)", "smaller-scale LLMs (7B)": the name or noun phrase the parenthesis follows;
    # not "seven LLMs (7B to frontier)", which counts several
    if text[c.start - 1:c.start] == "(":
        for n in names_in(ctx, max(s0, c.start - 60), c.start):
            if 0 <= c.start - 1 - n.end <= 3 and ctx.roles.get(n.start) != N.BENCH:
                return n.text
        m = cues["np_paren"].search(text, max(s0, c.start - 40), c.start)
        if m and _trim_np(m.group("np")) and not _COUNTED.match(_trim_np(m.group("np"))):
            return _trim_np(m.group("np"))
    # "Orion, a 2B LLM": the name the size is in apposition to
    m = APPOSED.search(text, max(s0, c.start - 50), c.start)
    if m and not N.is_stopword(m.group("name")) and not LISTED.search(text, max(s0, m.start() - 12), m.start()) \
            and not PREP_BEFORE.search(text, max(s0, m.start() - 30), m.start()) \
            and not cues["base_tight"].search(text, max(s0, m.start() - 60), m.start()) \
            and not any(n.start == m.start() and ctx.roles.get(n.start) == N.BENCH for n in names_in(ctx, m.start(), m.end())):
        return m.group("name")
    before = [n for n in models if a <= n.start and n.end <= c.start and not is_baseline(ctx, n, models)]
    # "LLaMA 1B and 7B": the family of the sized name before, with this size
    if before:
        m = SIZED_END.match(before[-1].text)
        if m and LIST_SEP.match(text, before[-1].end, c.start):
            return m.group("stem") + m.group("sep") + c.value_text
    # "Ling-Lite contains 16.8 billion parameters with 2.75 billion activated parameters"
    for n in reversed(names_in(ctx, a, c.start)):
        if ctx.roles.get(n.start) in ("", N.MODEL) and n.kind != N.BENCH and HAS_SIZE.fullmatch(text, n.end, c.start):
            return n.text
    # "a 7B model", "the 1.3B-parameter dense model": the phrase itself
    m = cues["size_phrase"].match(text, c.end, s1)
    # "A100 model" is hardware, not a 100-parameter model; "7B and 32B backbone models" are several
    if m and not text[c.start - 1:c.start].isalnum() and not _SIZE_LISTED.search(text, max(s0, c.start - 16), c.start):
        return text[c.start:m.end("p")]
    # "Satori, a 7B LLM", "LLaVA-MoD, with only 2B activated parameters", "the LLaMA family (7, 13 and 70B)"
    if before:
        # "various LLMs, including LLaMA-2, Nemotron-4, and GPT-3, with sizes from 843M to 15B": not one
        if len(group_of(ctx, before[-1], models)) > 1:
            return ""
        return before[-1].text
    # "SoTA baselines with 100M-1B parameters": a named kind of model
    m = cues["np_with"].search(text, max(s0, c.start - 40), c.start)
    if m and m.group("first").lower() not in N.lexicon_data()["generic"]:
        return m.group("np")
    # "models with around 125M parameters such as GPT-Neo (small) or GPT-2 (small)"
    m = cues["such_as"].match(text, c.end, s1)
    if m:
        follow = [n for n in models if m.end() <= n.start <= m.end() + 5]
        if follow:
            return join_names(group_of(ctx, follow[0], models))
    # "an LLM with 101B parameters", when the paper's method is that model
    if ctx.method_is_model and cues["size_with"].search(text, max(s0, c.start - 40), c.start):
        return ctx.method
    # "... even superior to the NLLB-54B model and GPT-3.5, with only 7B or 13B parameters": a size
    # given at the end of a comparison with other models is the paper's own system's
    if ctx.method and models and all(is_baseline(ctx, n, models) for n in models) \
            and _WITH_ONLY.search(text, max(s0, c.start - 30), c.start):
        return ctx.method
    # "Across model sizes from 39M to 1.3B parameters, SONAR-LLM attains ...": the sizes of a phrase
    # the sentence opens with are those of the subject after it, a model or the paper's method
    if _FRONTED_SIZES.match(text, s0, c.start):
        m = _SUBJECT_AFTER.match(text, c.end, s1)
        if m:
            subj = [n for n in names_in(ctx, m.end(), m.end() + 1) if ctx.roles.get(n.start) == N.MODEL
                    or norm_key(n.text) in ctx.method_keys]
            if subj:
                return subj[0].text
    return ""


_FRONTED_SIZES = re.compile(r"\W*(?:across|at|for|over|with)\s+(?:\w+\s+){0,3}?(?:sizes?|scales?)\s+"
                            r"(?:(?:from|of|between|ranging\s+from)\s+)?(?:[\d.]+\s*[BMK]?\s*(?:to|and|-|,)\s*)*$", re.I)
_SUBJECT_AFTER = re.compile(r"(?:[^,;.]|\.\d){0,30},\s+(?:the\s+|our\s+)?")


_WITH_ONLY = re.compile(r",\s+with\s+(?:only|just|merely)\s+(?:[\d.]+\s*[BM]\s+(?:or|and|to)\s+)?$")


_OWNER_AFTER = re.compile(r"\s*(?:\\?%|points?)?\s*\((?P<name>[A-Z][\w.+-]*(?:\s[A-Z0-9][\w.+-]*){0,2})\)")
_SIZE_LISTED = re.compile(r"\d(?:\.\d+)?\s*[BM]\s*(?:,|and|or|to|-|–)\s*$")
_COUNTED = re.compile(r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|multiple|various|many)\s", re.I)


def _trim_np(np_: str) -> str:
    """A noun phrase without the function words it was caught with ("on small-sized LLMs")."""
    words = np_.split()
    while len(words) > 1 and (words[0].lower() in FUNCTION or words[0].lower() in ("the", "a", "an")):
        words.pop(0)
    return " ".join(words)
