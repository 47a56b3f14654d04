"""The claim-level benchmark: the dataset or benchmark one claim's number was measured on, from its
sentence (and, where the text refers back, from earlier sentences); the model is in fields.py."""
from __future__ import annotations

import re

from extract.context import names as N
from extract.context.cues import (
    BENCH_FAMILIES, LIST_BEFORE_NOUN, RESPECTIVELY, SPLIT_RE, SPLIT_NAME, SPLIT_SUFFIX, Ctx, clause_span,
    context_cues, group_of, name_groups, names_in, join_names, respective, respective_span, role_names, role_of, sentence_of,
    visible)
from extract.context.fields import setup_cues
from extract.records import Claim


def benchmark_of(ctx: Ctx, c: Claim, claims: list) -> str:
    if c.family in _COST_FAMILIES:
        return _cost_bench(ctx, c)
    if c.family not in BENCH_FAMILIES and c.family != "data":
        return ""
    s0, s1, si = sentence_of(ctx, c.start)
    a, b = clause_span(ctx, s0, s1, c.start)
    text, cues = ctx.text, context_cues()
    benches = visible(ctx, role_names(ctx, s0, s1, N.BENCH), c, s0, s1)
    compared = [] if c.family == "data" else \
        [n for n in benches if _COMPARED.search(text, max(s0, n.start - 50), n.start)]
    if compared:
        # "analysis against the manually curated Noor Corpus ... 8.46 versus 3.66": what the sentence
        # compares with is no benchmark, and the sentence inherits none
        benches = [n for n in benches if n not in compared]
        if not any(not n.weak for n in benches):
            return ""
    strong = [n for n in benches if not n.weak]
    if c.family == "data":
        return _data_bench(ctx, c, strong, a, b)
    r = respective(ctx, c, claims, benches, s0, s1)
    if r is not None:
        return r.canonical if r.weak else r.text
    r = _respective_phrases(ctx, c, claims, s0, s1)
    if r:
        return r
    r = _paired_lists(ctx, c, claims, strong, a, b)
    if r:
        return r
    # "on ZINC (0.059 MAE)", "on MuSE (+5%) and StressID (+18%)": the benchmark the parenthesis follows
    if text[c.start - 1:c.start] == "(":
        for n in benches:
            if 0 <= c.start - 1 - n.end <= 1:
                return n.canonical if n.weak else n.text
    gloss = _glossed(ctx, c.end, b)
    if gloss:
        return gloss
    # "1.5% WER on test-clean and 3.3% WER on test-other on LibriSpeech": the benchmark with this split
    # (looked for before the benchmark the number is tied to past its split)
    m = cues["bench_tie"].match(text, c.end, b)
    split = SPLIT_NAME.match(text, m.end()) if m else None
    if split and strong:
        base = SPLIT_SUFFIX.sub("", next((n for n in strong if n.start >= c.end), strong[-1]).text)
        return f"{base} {split.group()}"
    # "85% on GSM8K", "9% in the GSM8K task", "1%-7% in accuracy on commonsense benchmarks"
    tied = _tied_bench(ctx, c.end, b, benches)
    if tied is not None:
        # "9% in the GSM8K task, and 11% in coding tasks": beside a number tied to a named benchmark, a
        # described one is a kind of task, not where that number was measured
        if tied.weak and _sibling_named(ctx, c, claims, strong, a, b):
            return ""
        # "on traditional benchmarks such as SLAKE and VQA-RAD": the named ones
        named = [n for n in strong if tied.weak and _SUCH_AS.fullmatch(text, tied.end, n.start)]
        if named:
            return join_names(group_of(ctx, named[0], strong))
        return join_names(group_of(ctx, tied, benches))
    # "77.7% for PIQA, 66.1% for Winograde": a word given a number the way a benchmark of the same
    # list is given its own is a benchmark too, though no lexicon knows it
    par = _parallel_bench(ctx, c, claims, benches, b, s0, s1)
    if par:
        return par
    if not strong:
        if si > 0 and cues["refer_back"].search(text, s0, s1):
            return _earlier(ctx, si, every=True)
        # "In real-world booking scenarios, ...": the setting the sentence opens with
        lead = [n for n in benches if n.weak and cues["lead_in"].fullmatch(text, a, n.start)]
        if lead:
            return lead[0].text
        # a number tied to something that is not a metric ("21% of instructions", "in general tasks")
        # is about that, not about the abstract's benchmark
        m = cues["bench_tie"].match(text, c.end, b)
        if m and not cues["metric"].match(text, m.end()):
            # "by over 144% on telecom anomaly detection": a task, named by what is done on what, is where it
            # was measured
            t = _TASK.match(text, m.end())
            return t.group() if t and not N.is_stopword(t.group().split()[0]) else ""
        # "On the manually annotated set, X scores 0.82": results on a set of the sentence's own, which
        # is their benchmark ("On 20 interactive tasks, ..." counts items: none);
        # "in tasks such as chain-text separation (9.33/10)": a score of the example named before it
        m = cues["own_set"].match(text, s0)
        if m:
            # ... items a name qualifies are a named collection ("In 12,197 Duke CAP reports, ...")
            named = _NAME_WORD.search(m.group("set"))
            return m.group("set") if m.group("noun").lower() in _SET_NOUNS or named else ""
        if text[c.start - 1:c.start] == "(" and _EXAMPLES_BEFORE.search(text, max(a, c.start - 120), c.start - 1):
            # "... such as chain-text separation (9.33/10) and summarization (9.33/10)": the example the
            # parenthesis follows
            m = _EXAMPLE_BEFORE_PAREN.search(text, max(a, c.start - 80), c.start - 1)
            return m.group("x") if m else ""
        # "excels in legged robot tasks with +50% average gains": the described tasks the clause puts
        # its result in, before the number
        put = _put_in(ctx, c, benches, a, s0)
        return put.text if put else _earlier(ctx, si, every=False)
    # "2% in general tasks, 9% in the GSM8K task": when another number of the sentence is tied to
    # its own benchmark, this one, tied to no benchmark, has none
    m = cues["bench_tie"].match(text, c.end, b)
    if m and not SPLIT_RE.match(text, m.end()) and any(
            x.start != c.start and s0 <= x.start < s1 and _tied_bench(ctx, x.end, s1, benches) is not None
            for x in claims):
        return ""
    # "gains on MMVet by +5.6%, but also excels in legged robot tasks with +50%": described tasks the
    # number's own clause puts it in come before a name of another clause
    put = _put_in(ctx, c, benches, a, s0)
    if put and not any(a <= n.start < b for n in strong):
        return put.text
    for lo, hi in ((a, b), (s0, s1)):  # the clause first, then the rest of the sentence
        before = [n for n in strong if lo <= n.start and n.end <= c.start]
        if before:
            return join_names(group_of(ctx, before[-1], benches))
        after = [n for n in strong if c.end <= n.start < hi]
        if after:
            return join_names(group_of(ctx, after[0], benches))
    return ""


_GLOSS = re.compile(r"\s\((?P<desc>[A-Za-z][\w-]*(?:\s[\w-]+){0,3})\)")
_GLOSS_TIE = re.compile(r"(?:\s*\\?%)?(?:\s*[\w%-]+){0,3}?\s*\(?(?:on|in|for|across)\s+(?:the\s+)?(?P<desc>[\w-]+(?:\s[\w-]+){0,3})", re.I)


def _glossed(ctx: Ctx, end: int, limit: int) -> str:
    """ "BreaKHis (Breast Histopathology), ... 20.0% (on breast histopathology)": a number tied to the
    words the abstract glossed a benchmark's name with is on that benchmark."""
    glosses = ctx.cache.get("glosses")
    if glosses is None:
        glosses = ctx.cache["glosses"] = {}
        for n in ctx.names:
            m = _GLOSS.match(ctx.text, n.end)
            # a name of open role too: results given "on" its gloss say it is a benchmark
            if m and role_of(ctx, n) in (N.BENCH, "") and n.kind != N.MODEL and not n.weak:
                glosses.setdefault(m.group("desc").lower(), n.text)
    if not glosses:
        return ""
    m = _GLOSS_TIE.match(ctx.text, end, limit)
    if not m:
        return ""
    words = m.group("desc").lower().split()
    # the longest run of the tied words that is a gloss ("prostate histopathology)" -> its name)
    for k in range(len(words), 0, -1):
        if " ".join(words[:k]) in glosses:
            return glosses[" ".join(words[:k])]
    return ""


def _paired_lists(ctx: Ctx, c: Claim, claims: list, strong: list, a: int, b: int) -> str:
    """ "on NAVSIMv1 and v2 ... achieves 91.2 PDMS and 87.9 EPDMS": a list of k benchmarks, then a list
    of k results of the clause, each with a measure of its own, pair up in order as with "respectively"."""
    before = [n for n in strong if a <= n.start and n.end <= c.start]
    if not before:
        return ""
    group = group_of(ctx, before[-1], strong)
    same = [x for x in claims if group[-1].end <= x.start < b and x.family == c.family and x.kind == c.kind]
    if len(group) < 2 or len(same) != len(group) or c not in same:
        return ""
    # each result names its own measure right after it ("91.2 PDMS and 87.9 EPDMS")
    measures = [_MEASURE_AFTER.match(ctx.text, x.end) for x in same]
    if not all(measures) or len({m.group(1).lower() for m in measures}) != len(same):
        return ""
    return group[same.index(c)].text


_MEASURE_AFTER = re.compile(r"\s*\\?%?\s*([A-Za-z][\w@-]*)(?=\s*(?:,|and\b|or\b|\.|;|$))")


_COST_FAMILIES = ("speedup", "memory", "compute")
_SET_NOUNS = frozenset(w.lower() for w in N.cues()["own_set_nouns"])


def _cost_bench(ctx: Ctx, c: Claim) -> str:
    """ "Experiments on RoboMimic benchmarks show that DM1 achieves 20-40 times faster inference": a
    speed, memory or compute number has a benchmark only when its sentence sets up experiments on a
    named one before it (a cost is mostly measured on a model or a setting, not on a test set)."""
    s0, s1, _ = sentence_of(ctx, c.start)
    a, _ = clause_span(ctx, s0, s1, c.start)  # the whole sentence: clause_span caches its breaks per sentence
    strong = [n for n in names_in(ctx, a, c.start) if role_of(ctx, n) == N.BENCH and not n.weak
              and not _training_data(ctx.text, n)]
    if not strong:
        # "Across long-context benchmarks, X ... 1.3x decoding speedup": described benchmarks the sentence
        # opens on, or sets its experiments up on
        weak = [n for n in names_in(ctx, a, c.start) if n.weak and role_of(ctx, n) == N.BENCH]
        if weak and _PLURAL_SET.search(weak[0].text) and (
                context_cues()["lead_in"].fullmatch(ctx.text, a, weak[0].start) or setup_cues(ctx, weak[0].start, s0)[0]):
            return weak[0].text
        return ""
    group = group_of(ctx, strong[-1], strong)
    return join_names(group) if setup_cues(ctx, group[0].start, s0)[0] else ""


# "trained on X", "Using our curated dataset, X, we trained ...": data a model learns from, not a test
_TRAINED_ON = re.compile(r"(?<![\w-])(?:(?:pre-?|re-?)?train(?:ed|ing)?|fine-?tun(?:ed|ing)|learn(?:ed|t|ing)?)\s+"
                         r"(?:[\w-]+\s+){0,3}?(?:on|from|with|using)\s+(?:the\s+|our\s+)?(?:[\w-]+\s+){0,3}$", re.I)
_THEN_TRAINED = re.compile(r",?\s*(?:we\s+)?(?:(?:pre-?)?train(?:ed)?|fine-?tuned?)\b", re.I)


def _training_data(text: str, n) -> bool:
    return bool(_TRAINED_ON.search(text, max(0, n.start - 60), n.start) or _THEN_TRAINED.match(text, n.end))


_SUBJECT_START = re.compile(r"\W{0,3}(?:(?:a|an|the|our)\s+(?:(?:new|novel|large-scale|curated)\s+)?)?", re.I)
_NAME_WORD = re.compile(r"\b[A-Z][A-Za-z]*[A-Z]")
_SUCH_AS = re.compile(r"\s*,?\s*(?:such\s+as|like|including|e\.g\.,?)\s+(?:the\s+)?", re.I)
_PLURAL_SET = re.compile(r"(?:benchmarks|datasets|tasks|suites|corpora)$")
_COMPARED = re.compile(r"(?<!\w)(?:against|versus|vs\.?|compared\s+(?:to|with)|than)\s+(?:the\s+|a\s+|an\s+)?"
                       r"(?:(?!(?:on|in|across|over|for|at|of|with)\s)[a-z][\w-]*\s+){0,2}$", re.I)
_TASK = re.compile(r"(?:[a-z][\w-]*\s+){1,2}[a-z][\w-]*(?:tion|sis)(?=\s*(?:[,.;)]|$))")
_EXAMPLE_BEFORE_PAREN = re.compile(r"(?:such\s+as|including|e\.g\.,?|,|\band|\bor)\s+(?P<x>[a-z][\w-]*(?:\s+(?!and\b|or\b)[a-z][\w-]*){0,3})\s*$")
_EXAMPLES_BEFORE = re.compile(r"(?<!\w)(?:such\s+as|including|e\.g\.,?|for\s+(?:example|instance),?)\s(?:[^.;:]|\.\d){0,120}$", re.I)


def _data_bench(ctx: Ctx, c: Claim, strong: list, a: int, b: int) -> str:
    """The dataset an amount of data measures: right beside the number ("C4 dataset with up to
    19.7B tokens", "the SmolLM corpus of 241B tokens"), or the subject of the clause ("LongBench
    comprises ... 6,711 words"). A ratio or change of data ("40x fewer tokens") measures none."""
    if c.kind != "absolute":
        return ""
    text, cues = ctx.text, context_cues()
    near = [n for n in strong if a <= n.start < b and (0 <= c.start - n.end <= 40 or 0 <= n.start - c.end <= 40)
            and (n.end <= c.start or "," not in text[c.end:n.start])]
    named = _introduced_dataset(ctx, c, a)
    if named:
        return named
    # "In 12,197 Duke CAP reports from 8,854 patients, ...": the counts of a named collection the
    # sentence opens on
    s0 = sentence_of(ctx, c.start)[0]
    m = cues["own_set"].match(text, s0)
    if m and c.start < m.end() and _NAME_WORD.search(m.group("set")) \
            and not any(m.start("set") <= n.start < m.end("set") for n in strong):  # "1,000 HM3D-v2 episodes": HM3D-v2
        return m.group("set")
    if near:
        return near[0].text
    # "LongBench comprises ...", "Animation2Code consists of 1,069 videos": the subject of the clause,
    # a benchmark, or any name but a model's that a verb of composition gives a size
    first = [n for n in names_in(ctx, a, c.start) if role_of(ctx, n) != N.MODEL]
    # ("A novel Visual-Audio Anomaly Recognition (VAAR) dataset, ... containing 3,000 real-world videos")
    if first and (first[0].start - a <= 3 or _SUBJECT_START.fullmatch(text, a, first[0].start)) \
            and (first[0] in strong or cues["holds"].match(text, first[0].end)):
        return first[0].text
    return ""


_PAREN_AFTER = re.compile(r"\s*\([^()]{1,80}\)")


def _introduced_dataset(ctx: Ctx, c: Claim, a: int) -> str:
    """ "M4-RAG, a massive-scale benchmark covering 42 languages, comprising over 80,000 pairs",
    "SIFT (Speech Instruction Fine-Tuning), a 50M-example dataset": the name a dataset noun is set
    beside, when the number is in that phrase or a verb of composition gives it ("with" ties too
    loosely to say whose the number is)."""
    text, cues = ctx.text, context_cues()
    for n in reversed(names_in(ctx, a, c.start)):
        if role_of(ctx, n) == N.MODEL or n.weak:
            continue
        p = _PAREN_AFTER.match(text, n.end)
        m = cues["bench_apposition"].match(text, p.end() if p else n.end)
        if not m or m.start() >= c.start:
            continue
        if c.start < m.end() or cues["holds"].search(text, m.end() - 1, c.start):
            return n.text
        return ""
    return ""


def _respective_phrases(ctx: Ctx, c: Claim, claims: list, s0: int, s1: int) -> str:
    """ "2.2%, 11.4% and 7.0% higher on the commonsense reasoning, reading comprehension and MMLU
    benchmarks, respectively": the k-th item of the list before the noun, when the counts agree."""
    text = ctx.text
    if not RESPECTIVELY.search(text, s0, s1):
        return ""
    s0, s1 = respective_span(ctx, c, s0, s1)
    same = [x.start for x in claims if s0 <= x.start < s1 and x.family == c.family and x.kind == c.kind]
    if len(same) < 2 or c.start not in same:
        return ""
    m = LIST_BEFORE_NOUN.search(text, c.end, s1)
    if not m:
        return ""
    items = [x.strip() for x in re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", m.group("list")) if x.strip()]
    if len(items) != len(same) or any(len(x.split()) > 4 for x in items):
        return ""
    return items[same.index(c.start)]


_FOR_NAME = re.compile(r"(?P<name>[A-Z][\w.+'-]*(?:\s[A-Z0-9][\w.+'-]*)?)(?=\s*(?:[,;.)]|and\b|$))")


def _parallel_bench(ctx: Ctx, c: Claim, claims: list, benches: list, b: int, s0: int, s1: int) -> str:
    m = context_cues()["bench_for"].match(ctx.text, c.end, b)
    if not m:
        return ""
    name = _FOR_NAME.match(ctx.text, m.end())
    if not name or any(n.start == name.start() and role_of(ctx, n) == N.MODEL for n in names_in(ctx, name.start(), name.end())):
        return ""
    rx = context_cues()["bench_for"]
    for x in claims:
        if x.start != c.start and s0 <= x.start < s1:
            t = rx.match(ctx.text, x.end, s1)
            if t and any(n.start == t.end() for n in benches):
                return name.group("name")
    return ""


def _tied_bench(ctx: Ctx, end: int, limit: int, benches: list):
    """The benchmark the number at ``end`` is tied to by "on/in/across" within a few words, or by a
    "for" right after it ("15% for classification tasks" is a kind of item, not a benchmark)."""
    rx, rx_for = context_cues()["bench_tie"], context_cues()["bench_for"]
    for n in benches:
        if end <= n.start <= min(limit, end + 70) and (
                rx.fullmatch(ctx.text, end, n.start) or not n.weak and rx_for.fullmatch(ctx.text, end, n.start)
                # "~1% on more general visual question answering tasks": the words the phrase began with
                or n.weak and _WEAK_TIE.fullmatch(ctx.text, end, n.start)):
            return n
    return None


# the words before described tasks: no article ("on a vast-scale dataset" describes one) and no count
# ("across three distinct scenarios" counts what was studied, it names none)
_MODIFIER = r"(?:(?!(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\s)[a-z][\w-]*\s+)"
_ON_BEFORE = re.compile(r"(?<!\w)(?:on|in|across)\s+(?:(?:the|all|both)\s+)?" + _MODIFIER + "{0,3}$")
_WEAK_TIE = re.compile(r"(?:\s*\\?%)?(?:\s+[\w%-]+){0,3}?\s+(?:on|in|across)\s+" + _MODIFIER + "{0,3}")


def _sibling_named(ctx: Ctx, c: Claim, claims: list, strong: list, a: int, b: int) -> bool:
    """Is another number of the clause tied to a named benchmark of its own?"""
    return any(x.start != c.start and a <= x.start < b and x.family == c.family
               and _tied_bench(ctx, x.end, b, strong) is not None for x in claims)


def _put_in(ctx: Ctx, c: Claim, benches: list, a: int, s0: int):
    """The last described set the clause puts the number in before it ("in X tasks with +50%"), with
    no comma between unless the sentence sets its experiments up on it."""
    text = ctx.text
    put = [n for n in benches if n.weak and a <= n.start and n.end <= c.start
           and ("," not in text[n.end:c.start] or setup_cues(ctx, n.start, s0)[0])
           and _ON_BEFORE.search(text, max(a, n.start - 40), n.start)]
    return put[-1] if put else None


def _earlier(ctx: Ctx, si: int, every: bool) -> str:
    """Benchmarks named before sentence ``si``: with a phrase that refers back ("on both
    benchmarks"), the list of the nearest sentence naming some; without one, only when the
    abstract so far has named exactly one benchmark (the results then are on it)."""
    if not every:
        seen = {}
        for n in ctx.names:
            if n.start >= ctx.sentences[si][0]:
                break
            if role_of(ctx, n) == N.BENCH and not n.weak and not _training_data(ctx.text, n):
                seen.setdefault(N.canonical(N.BENCH, n.text).lower(), n)
        if len(seen) == 1:
            return next(iter(seen.values())).text
        # "... is cross-validated on the DentalQA and PubMedQA datasets. MambaFormer reaches 0.918": the
        # benchmarks the sentence just before evaluates on
        if si > 0:
            ps, pe = ctx.sentences[si - 1]
            prev = [n for n in names_in(ctx, ps, pe) if role_of(ctx, n) == N.BENCH and not n.weak]
            if prev:
                group = max(name_groups(ctx.text, prev), key=len)
                if setup_cues(ctx, group[0].start, ps)[0]:
                    return join_names(group)
        return ""
    s0, s1 = ctx.sentences[si]
    one = _ONE_BACK.search(ctx.text, s0, s1)
    for k in range(si - 1, -1, -1):
        ps, pe = ctx.sentences[k]
        prev = [n for n in names_in(ctx, ps, pe) if role_of(ctx, n) == N.BENCH and not n.weak]
        if prev:
            return join_names(max(name_groups(ctx.text, prev), key=len))
        # "We also curate a collection of 200 prompts. ... on this dataset": one set pointed back to is
        # the last one the abstract brought in, though it has no name
        if one and _UNNAMED_SET.search(ctx.text, ps, pe):
            return ""
    return ""


_ONE_BACK = re.compile(r"(?<!\w)(?:this|the)\s+(?:dataset|benchmark|corpus|collection)(?!\w)", re.I)
_UNNAMED_SET = re.compile(r"(?<!\w)(?:a|an)\s+(?:[\w-]+\s+){0,3}?(?:dataset|benchmark|corpus|collection|set)\s+of\s", re.I)

