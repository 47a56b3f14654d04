"""Attach model, benchmark, baseline and method to each claim (spec section 6).

The abstract is scanned once for names (extract/names.py). Each claim then takes, from its own
sentence, the model and benchmark its number is tied to ("85% on GSM8K for LLaMA-2-7B", "1.5% and
3.3% on test-clean and test-other, respectively"), the baseline a delta or ratio is measured
against ("over LoRA", "outperforms X by 5%"), and the paper's own method when the number is its
result. A benchmark may come from an earlier sentence when the sentence refers back to it ("on
both benchmarks"). Cue words are data: rules/lexicons/context.yaml.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass, replace

from . import names as N
from .records import Claim, Paper

# Text between two names of one list: "X, Y, and Z", "X (2 directions) and Y", "X/Y".
_LIST_SEP = re.compile(r"(?:/[\w.]{1,4})?(?:\s*\([^()]{0,30}\))?"
                       r"(?:\s+(?:model|models|LLM|LLMs|benchmark|dataset),?\s+(?:and|or)\s+(?:the\s+)?$"
                       r"|(?:\s*(?:,|/|&|\band\b|\bor\b)\s*(?:(?:the|and|or)\s+)?)+$)")
# Hard breaks inside a sentence: a number does not reach across them.
_CLAUSE_BREAK = re.compile(r";|:\s|\s(?:whereas|but|although|though)\s|\swhile\s(?!\w+ing\b)")
_RESPECTIVELY = re.compile(r"\brespectively\b", re.I)
_FROM_TO = re.compile(r"\s*(?:\\?%|points?|pp)?\s*(?:to|->|→)\s", re.I)
_FROM = re.compile(r"\bfrom\s+$", re.I)
_PARAM_UNITS = ("params",)
# a split of a benchmark named elsewhere in the sentence ("on test-clean ... on LibriSpeech")
_SPLIT = re.compile(r"(?:test|dev|val|validation|eval)(?:-\w+|\s+(?:sets?|splits?))?\b", re.I)
_SPLIT_NAME = re.compile(r"(?:test|dev)-(?:clean|other)\b")
_SPLIT_SUFFIX = re.compile(r"\s+(?:test|dev)-(?:clean|other)$")
_SPELLED_OUT = re.compile(r"(?:benchmarks?|datasets?|tasks|suites?|models|LLMs|MLLMs|VLMs|LMs|SLMs|baselines|backbones)\s*$", re.I)
# "on X" names a benchmark X only when X is not a modifier of a noun after it ("on CT reports")
_NOT_MODIFIER = re.compile(r"(?:\s*[,.;:)]|\s*$|\s+(?:and|or|for|with|in|by|at|to|while|which|using|compared|than|"
                           r"from|under|across|as|when|where|the|we|our|it|is|are|was|were|show|shows|demonstrate|"
                           r"achieves?|reaches?|yields?)\b|\s+[\d(])")
_DET = re.compile(r"\b(?:our|a|an|the|this)\s$", re.I)
_BENCH_FAMILIES = ("score", "perplexity")
_RESULT_FAMILIES = ("score", "perplexity", "speedup", "memory")
_APPOSED = re.compile(r"(?<![\w-])(?P<name>[A-Z][\w.+-]*),\s+(?:an?|the|our)\s+(?:[a-z][\w-]*\s+)?$")
# the rest of a list of numbers ("2.21%, 11.43%, and 4.81% higher")
_LIST_TAIL = re.compile(r"(?:\s*,?\s*(?:and\s+|or\s+)?[\d.]+\s*\\?%?)*")
_LIST_BEFORE_NOUN = re.compile(r"\b(?:on|across|in|for)\s+(?:the\s+)?(?P<list>[^;:.()]{3,160}?)\s+(?:benchmarks|datasets|tasks|splits|sets)\b")
_FUNCTION = frozenset(("on", "in", "for", "with", "of", "to", "by", "at", "from", "and", "or", "as", "than", "like", "such"))
_BY_NUMBER = re.compile(r"\s+by\s+(?:up\s+to\s+|about\s+|around\s+|over\s+|nearly\s+|an?\s+average\s+of\s+)?[-+]?\d")
_BY_BEFORE = re.compile(r"\s+by\s+(?:up\s+to\s+|about\s+|around\s+|over\s+|nearly\s+|an?\s+average\s+of\s+)?$")
_PAREN_OWNER = re.compile(r"(?P<name>[A-Z][\w.+-]*(?:\s[A-Z][\w.+-]*)?)\s*\($")
_LIST_WORD = re.compile(r"\band\b|\bor\b|/|&")
# "retains 97% of BERT's accuracy": the model a share is taken of is the reference, not the subject
_SHARE_OF = re.compile(r"\d\s*\\?%\s+of\s+(?:the\s+)?$")
_VERB_SCORES = re.compile(r"\s+(?:of\s+|about\s+|around\s+|only\s+|up\s+to\s+|over\s+)?[\d.]")
_PRONOUNS = frozenset(("it", "this", "these", "those", "them", "they", "that", "its", "their", "ours", "others"))
_HAS_SIZE = re.compile(r"\s+(?:contains|has|comprises|boasts|features|totals|with)\s+(?:(?:only|just|about|around|over|"
                       r"roughly|nearly|a\s+total\s+of)\s+)?(?:[\d.,]+\s*(?:[BMK]|billion|million|trillion)\s+(?:\w+\s+)?"
                       r"parameters?\s*(?:,|with|and|of\s+which)\s+(?:only\s+|just\s+)?)?")
_PREP_BEFORE = re.compile(r"\b(?:on|in|at|for|with|from|to|of|by|across|over|under|after|before)\s+(?:the\s+|an?\s+)?(?:[A-Z][\w-]*\s+){0,3}$")
_LISTED = re.compile(r"(?:,|\band|\bor|\bboth)\s*$")
_SIZED_END = re.compile(r"(?P<stem>.+?)(?P<sep>[-_\s]?)(?:\d+x)?\d+(?:\.\d+)?[BbMm]$")


def _alt(ws) -> str:
    return "|".join(re.escape(w) for w in sorted(ws, key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def _cues():
    c = N.cues()
    i = re.I
    return {
        # a comparison word right before a name makes it a baseline, not the claim's model
        "base_tight": re.compile(r"(?:^|\W)(?:" + _alt(c["baseline_before"] + c["compare_words"]) + r")\s+(?:(?:[A-Za-z][\w-]*|\d[\d.]*[BMK])[,:]?\s+){0,6}$", i),
        "source": re.compile(r"(?<!\w)(?:" + _alt(c["source_words"]) + r")\s+(?:[A-Za-z][\w-]*\s+){0,3}$", i),
        "possessive": re.compile(r"(?:\bthe\s+)?(?P<np>(?:[a-z][\w-]*\s+){0,2}?(?:" + _alt(c["model_nouns"]) + r"))'s\s+$"),
        "np_paren": re.compile(r"(?P<np>(?:[A-Za-z][\w-]*\s+){0,2}?(?:" + _alt(c["model_nouns"]) + r"))\s\($"),
        "np_with": re.compile(r"(?<![\w-])(?P<np>(?P<first>[A-Z][\w-]*)\s+(?:[A-Za-z][\w-]*\s+)?(?:" + _alt(c["model_nouns"]) + r"))\s+with\s+(?:only\s+|about\s+|around\s+|up\s+to\s+)?$"),
        "model_refer": re.compile(r"(?<!\w)(?:the|these|those|both|all|such|our)\s+(?:[\w-]+\s+){0,2}?(?:models|LLMs|LMs|SLMs|MLLMs|VLMs|variants|backbones)\b", i),
        "example": re.compile(r"(?<!\w)(?:such\s+as|like|including|e\.g\.,?|for\s+example|for\s+instance)\s+(?:\S+\s+){0,2}$", i),
        "judge_before": re.compile(r"(?<!\w)(?:" + _alt(c["judge_before"]) + r")\s+(?:the\s+)?$", i),
        "base_after": re.compile(r"(?<!\w)(?:" + _alt(c["baseline_after"]) + r")\s+", i),
        "base_verb": re.compile(r"(?<!\w)(?:" + _alt(c["baseline_verbs"]) + r")\s+(?P<np>[^,;]{1,80}?)\s+by\s+[^;]{0,40}$", i),
        "base_object": re.compile(r"(?<!\w)(?:" + _alt(c["baseline_before"]) + r")\s+(?P<np>[^,;]{1,80}?)(?:,|\s+(?:while|and|by|with|in|on)\b)", i),
        "comparative": re.compile(r"\s*(?:\\?%|x|×|times)?\s*(?:" + _alt(c["comparatives"]) + r")\b", i),
        "base_lead": re.compile(r"\W*(?:" + _alt(c["baseline_lead"]) + r")\s+(?P<np>[^,;]{1,80}?),", i),
        "stop": re.compile(r"\s(?:" + _alt(c["baseline_stop"]) + r")\b|[,;:()\[\]]|\.(?:\s|$)", i),
        "model_after": re.compile(r"\s*(?:\\?%|x|×|times|points?|pp)?(?:[^;,.]|\.\d){0,50}?(?<!\w)(?:" + _alt(c["model_after_number"]) + r")\s+(?:the\s+)?$", i),
        "bench_tie": re.compile(r"(?:\s*\\?%)?(?:\s*[-–]\s*[\d.]+\s*(?:\\?%)?)?(?:\s*(?:\\?%|x|×|points?|pp))?(?:\s+[\w().%\\-]+){0,5}?\s+(?:" + _alt(c["bench_before"]) + r")\s+(?P<the>(?:the|both|all)\s+)?", i),
        "refer_back": re.compile(r"(?<!\w)(?:" + _alt(c["refer_back"]) + r")(?!\w)", i),
        "own": re.compile(r"(?<!\w)(?:" + _alt(c["own_method"]) + r")(?!\w)", i),
        "setup": re.compile(r"(?<!\w)(?:" + _alt(c["setup_words"]) + r")\s+(?:[^\s.;]+\s+){0,8}?(?:on|with|using|across|of)\s+(?:\S+\s+){0,6}$", i),
        "judge": re.compile(r"(?:'s)?[\s-]+(?:" + _alt(c["judge_words"]) + r")\b", i),
        # literal first (no look-behind, no IGNORECASE) so that re can skip ahead fast
        "intro": re.compile(r"(?:" + _alt(c["method_verbs"]) + r")\s+(?i:(?:" + _alt(c["method_fillers"]) + r")\s+)*(?P<rest>[^.;]{0,160})"),
        "named": re.compile(r"(?:" + _alt(c["method_named"]) + r")\s+(?P<rest>[^.;]{0,120})"),
        "title_not": frozenset(w.lower() for w in c["title_not_method"]),
        "size_phrase": re.compile(r"(?P<p>-parameters?\s(?:[a-z][\w-]*\s){0,2}(?:" + _alt(c["model_nouns"]) + r")|\s(?:models?)(?!\s(?:scale|size)))\b"),
        "size_of": re.compile(r"[\s-]?param(?:eter)?s?\s+(?:the\s+)?$|[\s-]?param(?:eter)?s?\s", i),
        "size_with": re.compile(r"(?:" + _alt(c["model_nouns"]) + r")\s+with\s+(?:only\s+|just\s+|about\s+|around\s+)?$", i),
        "such_as": re.compile(r"[^.;,]{0,40}?\b(?:such\s+as|like|including|e\.g\.,?)\s", i),
        "model_apposition": re.compile(r",\s(?:an?|the)\s(?:[\w-]+\s){0,8}?(?:" + _alt(c["model_nouns"]) + r")\b|\s(?:models?|LLMs?)\b"),
        "bench_apposition": re.compile(r",\s(?:an?|the)\s(?:[\w-]+\s){0,5}?(?:benchmarks?|datasets?|corpus|test\sset|suite)\b|\s(?:benchmarks?|datasets?|test\s+sets?|corpus|suite)\b", i),
        "bench_noun_before": re.compile(r"\b(?:benchmarks?|datasets?|corpus|test\s+sets?|testbeds?)(?:,\s*|\s+(?:called|named|dubbed)\s+)$", i),
        "lead_in": re.compile(r"\W*(?:in|on|across|for)\s+(?:the\s+)?", i),
        "metric": re.compile(r"(?:" + _alt(c["metric_words"]) + r")(?![\w-])", i),
        "on_before": re.compile(r"(?<!\w)(?:on|across)\s+(?:the\s+|both\s+)?$", i),
    }


@dataclass(slots=True)
class _Ctx:
    """One abstract, scanned once, shared by all its claims."""
    text: str
    sentences: list
    sent_starts: list
    names: list
    name_starts: list
    roles: dict  # a name's start -> N.MODEL | N.BENCH | ""
    method: str
    method_keys: frozenset
    method_is_model: bool
    cache: dict = None  # per-sentence and per-name results shared by the claims of the abstract
    claims: list = None


def attach(paper: Paper, claims: list[Claim], sentences) -> list[Claim]:
    """Return the claims with model, benchmark, baseline, method and their canonical forms set."""
    if not claims:
        return claims
    last = max(c.start for c in claims)
    upto = next((e for s, e in sentences if s <= last < e), None)
    ctx = _scan(paper, sentences, upto)
    ctx.claims = claims
    out = []
    for c in claims:
        bench = _benchmark(ctx, c, claims)
        # an amount of data that a dataset holds is not about a model ("the SmolLM corpus of 241B tokens")
        model = "" if c.family == "data" and bench else _model(ctx, c, claims)
        out.append(replace(
            c, model=model, benchmark=bench, baseline=_baseline(ctx, c), method=_method(ctx, c, model),
            model_canonical=_canon(N.MODEL, model), benchmark_canonical=_canon(N.BENCH, bench)))
    return out


def _canon(kind: str, value: str) -> str:
    return "; ".join(N.canonical(kind, v) for v in value.split("; ")) if value else ""


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def _norm(s: str) -> str:
    return _NON_ALNUM.sub("", s.lower())


# ---------------------------------------------------------------- the abstract

def _scan(paper: Paper, sentences, upto: int | None = None) -> _Ctx:
    """Scan the abstract once; names after ``upto`` (the end of the last sentence with a claim)
    are never needed, so that tail is not scanned."""
    text = paper.abstract or ""
    found = N.scan(text if upto is None else text[:upto])
    method, keys, kind = _find_method(paper, text)
    if method:
        found = _add_method_mentions(text, found, method)
        if not kind and _method_is_model(text, found, keys, method):
            kind = N.MODEL
    roles = _roles(text, found, keys)
    for n in found:
        if keys and _norm(n.text) in keys:
            roles[n.start] = kind
    return _Ctx(text, list(sentences), [s for s, _ in sentences], found, [n.start for n in found], roles,
                method, keys, kind == N.MODEL, {})


def _add_method_mentions(text: str, found: list, method: str) -> list:
    """The method's name as a name wherever it is written, though its shape is plain ("Satori")."""
    extra = []
    i = text.find(method)
    while i >= 0:
        j = i + len(method)
        if (i == 0 or not text[i - 1].isalnum()) and (j == len(text) or not text[j].isalnum()):
            extra.append(N.Name(i, j, method, N.NAME, method, False))
        i = text.find(method, j)
    return N._no_overlaps(found + extra) if extra else found


def _groups(text: str, found: list) -> list[list]:
    """Runs of names joined only by list separators ("SWE-bench, WebArena, OSWorld and Spider2-V")."""
    groups: list[list] = []
    for n in found:
        if groups and _LIST_SEP.match(text, groups[-1][-1].end, n.start):
            groups[-1].append(n)
        else:
            groups.append([n])
    out = []
    for g in groups:
        out.extend([g] if _is_list(text, g) else [[n] for n in g])
    return out


def _is_list(text: str, group: list) -> bool:
    """Two names after "Applied to X, Y raises ..." are not a list: a list has "and", "or" or "/"
    somewhere, or three items or more."""
    if len(group) < 2 or len(group) > 2:
        return True
    return bool(_LIST_WORD.search(text, group[0].end, group[1].start))


def _roles(text: str, found: list, method_keys) -> dict:
    """What each name is: a model, a benchmark, or nothing we report. A bare name-shaped word
    takes the role of the names it is listed with, or of its cues ("on X", "X, a new benchmark")."""
    cues = _cues()
    roles = {n.start: (n.kind if n.kind != N.NAME else "") for n in found}  # names never overlap
    votes: dict[str, str] = {}
    for group in _groups(text, found):
        kinds = {n.kind for n in group if n.kind != N.NAME and not n.weak}
        head = group[0]
        for n in group:
            if n.kind != N.NAME or _norm(n.text) in method_keys:
                continue
            if len(kinds) == 1:
                votes.setdefault(n.text, kinds.pop() if False else next(iter(kinds)))
            elif cues["bench_apposition"].match(text, n.end):
                votes.setdefault(n.text, N.BENCH)
            elif cues["model_apposition"].match(text, n.end):
                votes.setdefault(n.text, N.MODEL)
            elif cues["on_before"].search(text, max(0, head.start - 12), head.start) \
                    and _NOT_MODIFIER.match(text, group[-1].end) \
                    or cues["bench_noun_before"].search(text, max(0, head.start - 30), head.start):
                votes.setdefault(n.text, N.BENCH)
    for n in found:
        if n.kind == N.NAME and n.text in votes:
            roles[n.start] = votes[n.text]
    for n in found:
        # a model named as the judge of a metric ("GPT-4 score", "GPT-4 as a judge") is not one studied
        j = cues["judge"].match(text, n.end)
        if j and _VERB_SCORES.match(text, j.end()):
            j = None  # "our 7B model scores 68.4": a verb, not a judge's score
        if roles[n.start] == N.MODEL and (j
                                    or cues["judge_before"].search(text, max(0, n.start - 30), n.start)):
            roles[n.start] = ""
    return roles


_ACR_AFTER = re.compile(r"\s\(([A-Z][A-Za-z0-9-]{1,12})\)")
# "LongBench: A Bilingual, Multitask Benchmark for ...": the title says the method is a benchmark
_BENCH_TITLE = re.compile(r"\s*(?:A|An|The)\s+[^:]{0,60}?\b(?:benchmark|dataset|corpus|testbed|test suite|leaderboard)s?\b", re.I)
_TITLE_PREFIX = re.compile(r"\s*(?P<p>[^:]{1,50}?)\s*:\s")
_ACR_AHEAD = re.compile(r"(?:(?:the|a|an)\s+)?(?:[a-z][\w-]*\s+){0,2}?(?P<long>[A-Z][^.;()]{2,90}?)\s\((?P<acr>[A-Za-z][\w-]{1,14})\)")
_NAME_START = re.compile(
    r"(?:(?:the|a|an)\s+)?(?:(?P<long>(?:[A-Z][\w'-]*\s){1,6}?[A-Z][\w'-]*)\s\((?P<acr>[A-Za-z][\w-]{1,14})\)"
    r"|(?P<tok>[A-Za-z][\w+]*(?:[-.][\w+]+)*)(?=\s*(?:,|\(|:|\s(?:a|an|the|which|that|to|for|as|is|with)\b|$)))")


def _find_method(paper: Paper, text: str) -> tuple[str, frozenset, str]:
    """The paper's own method, its name keys, and what it is ("model", "benchmark" or ""): the
    title's "X: ..." prefix, else the first name after "we propose/introduce" that is not a
    benchmark the paper introduces beside its method."""
    cues = _cues()
    name, kind = "", ""
    m = _TITLE_PREFIX.match(paper.title or "")
    if m:
        p = m.group("p").strip()
        words = p.split()
        if len(words) <= 4 and p.lower() not in cues["title_not"] and words[0].lower() not in cues["title_not"] \
                and all(w[:1].isupper() or w[:1].isdigit() or "-" in w for w in words) \
                and (len(words) <= 2 or any(ch.isupper() for w in words for ch in w[1:]) or p in text):
            name = p
            if _BENCH_TITLE.match(paper.title, m.end()):
                kind = N.BENCH
    if not name:
        for rx, stems in ((cues["named"], _NAMED_STEMS), (cues["intro"], _INTRO_STEMS)):
            for mm in _cue_matches(text, rx, stems):
                cand = _name_at_start(mm.group("rest"))
                if cand and not cues["bench_apposition"].match(text, mm.start("rest") + mm.group("rest").find(cand) + len(cand)):
                    name = cand
                    break
            if name:
                break
    if not name:
        return "", frozenset(), ""
    keys = {_norm(name)}
    # the acronym the abstract defines for it ("Denoising LM (DLM)"), which it then uses;
    # or the long form of an acronym name ("Advanced ... trAnslator (ALMA)")
    m = _ACR_AFTER.match(text, text.find(name + " (") + len(name)) if name + " (" in text else None
    if m and text.count(m.group(1)) > 1 and " " in name:
        keys.add(_norm(m.group(1)))
        name = m.group(1)
    return name, frozenset(k for k in keys if k), kind


# the literal starts of the method cues: found with str.find, then the cue pattern is tried there
_INTRO_STEMS = ("propos", "introduc", "present", "develop", "design", "build", "releas", "contribut", "devis",
                "offer", "put forward", "term", "call", "name", "dub", "coin")
_NAMED_STEMS = ("called", "named", "dubbed", "termed", "coined", "which we", "we call", "we name", "we term",
                "we dub", "referred to as", "denoted", "abbreviated as")


def _cue_matches(text: str, rx, stems):
    """Matches of ``rx`` at the places where one of ``stems`` starts a word, in text order."""
    spots = set()
    for stem in stems:
        i = text.find(stem)
        while i >= 0:
            if not i or not text[i - 1].isalnum():
                spots.add(i)
            i = text.find(stem, i + 1)
    for i in sorted(spots):
        m = rx.match(text, i)
        if m:
            yield m


def _name_at_start(rest: str) -> str:
    # "the Decompose, Critique and Refine (DeCRIM) pipeline": the acronym of a capitalised long form
    m = _ACR_AHEAD.match(rest)
    if m and sum(ch.isupper() for ch in m.group("acr")) >= 2:
        return m.group("acr")
    m = _NAME_START.match(rest)
    if not m:
        return ""
    if m.group("acr"):
        return m.group("acr")
    tok = m.group("tok")
    if N.is_stopword(tok) or not (any(ch.isupper() for ch in tok) or "-" in tok):
        return ""
    return tok


def _method_is_model(text: str, found: list, keys, method: str) -> bool:
    """Does the method name a model ("Satori, a 7B LLM", "FLM-101B", "MindLLM ... models")?"""
    if any(n.kind == N.MODEL and _norm(n.text) in keys for n in found):
        return True
    rx = _cues()["model_apposition"]
    i = text.find(method)
    while i >= 0:
        if rx.match(text, i + len(method)):
            return True
        i = text.find(method, i + 1)
    return False


# ---------------------------------------------------------------- helpers per claim

def _sentence(ctx: _Ctx, pos: int) -> tuple[int, int, int]:
    i = bisect.bisect_right(ctx.sent_starts, pos) - 1
    if i < 0:
        return 0, len(ctx.text), -1
    s, e = ctx.sentences[i]
    return s, e, i


def _in(ctx: _Ctx, s: int, e: int) -> list:
    return ctx.names[bisect.bisect_left(ctx.name_starts, s):bisect.bisect_left(ctx.name_starts, e)]


def _role(ctx: _Ctx, n) -> str:
    return ctx.roles.get(n.start, "")


def _clause(ctx: _Ctx, s0: int, s1: int, pos: int) -> tuple[int, int]:
    """The part of the sentence around ``pos`` between hard breaks (";", "but", "whereas")."""
    breaks = ctx.cache.get(("breaks", s0))
    if breaks is None:
        breaks = ctx.cache[("breaks", s0)] = [m.span() for m in _CLAUSE_BREAK.finditer(ctx.text, s0, s1)]
    a, b = s0, s1
    for start, end in breaks:
        if end <= pos:
            a = end
        elif start >= pos:
            b = start
            break
    return a, b


_PAREN = re.compile(r"\([^()]*\)")


def _parens(text: str, s0: int, s1: int) -> list[tuple[int, int]]:
    return [m.span() for m in _PAREN.finditer(text, s0, s1)]


def _visible(ctx: _Ctx, names: list, c: Claim, s0: int, s1: int) -> list:
    """Names that are not shut inside a parenthesis the number is outside of."""
    if "(" not in ctx.text[s0:s1]:
        return names
    # a list in parentheses that spells out a noun is part of the text ("benchmarks (i.e., MMLU, GSM8K)")
    ps = [(a, b) for a, b in _parens(ctx.text, s0, s1)
          if not (a <= c.start < b) and not _SPELLED_OUT.search(ctx.text, max(s0, a - 14), a)]
    return [n for n in names if not any(a <= n.start and n.end <= b for a, b in ps)]


def _is_baseline(ctx: _Ctx, n, names: list) -> bool:
    """Is ``n`` (or the list it heads) what something is compared with ("than X and Y")?"""
    head = _group_of(ctx, n, names)[0] if n in names else n
    hit = ctx.cache.get(("base", head.start))
    if hit is None:
        cues = _cues()
        hit = ctx.cache[("base", head.start)] = bool(
            cues["base_tight"].search(ctx.text, max(0, head.start - 60), head.start)
            or cues["source"].search(ctx.text, max(0, head.start - 40), head.start))
    return hit


def _group_of(ctx: _Ctx, n, members: list) -> list:
    """The list ``n`` belongs to, among ``members``."""
    out = [n]
    idx = members.index(n)
    for k in range(idx - 1, -1, -1):
        if _LIST_SEP.match(ctx.text, members[k].end, out[0].start):
            out.insert(0, members[k])
        else:
            break
    for k in range(idx + 1, len(members)):
        if _LIST_SEP.match(ctx.text, out[-1].end, members[k].start):
            out.append(members[k])
        else:
            break
    return out if _is_list(ctx.text, out) else [n]


def _join(ns) -> str:
    ns = list(ns)
    out: list[str] = []
    for n in ns:
        # in a list the noun is shared ("GSM8K and math benchmarks" -> "math")
        t = n.canonical if n.weak and len(ns) > 1 else n.text
        if t not in out:
            out.append(t)
    return "; ".join(out)


def _respective(ctx: _Ctx, c: Claim, claims: list, cands: list, s0: int, s1: int):
    """With "respectively", the k-th number of the sentence goes with the k-th name of a list."""
    if len(cands) < 2 or not _RESPECTIVELY.search(ctx.text, s0, s1):
        return None
    same = [x.start for x in claims if s0 <= x.start < s1 and x.family == c.family and x.kind == c.kind]
    for g in _groups(ctx.text, cands):
        if len(g) == len(same) > 1 and c.start in same:
            return g[same.index(c.start)]
    return None


# ---------------------------------------------------------------- model

def _model(ctx: _Ctx, c: Claim, claims: list) -> str:
    s0, s1, si = _sentence(ctx, c.start)
    a, b = _clause(ctx, s0, s1, c.start)
    models = [n for n in _in(ctx, s0, s1) if _role(ctx, n) == N.MODEL]
    # the number is the size inside a model's name ("Codestral-22B", "Llama-3 70B")
    for n in models:
        if n.start <= c.start and c.end <= n.end and not n.text[:1].isdigit():
            return n.text
    models = _visible(ctx, models, c, s0, s1)
    if c.family == "parameters" and c.unit in _PARAM_UNITS:
        return _model_of_size(ctx, c, models, s0, s1, a)
    cues = _cues()
    text = ctx.text
    # "surpassing GPT-4V (45.9%)": a number in parentheses right after a name is that model's
    if text[c.start - 1:c.start] == "(":
        for n in models:
            if 0 <= c.start - 1 - n.end <= 2:
                return n.text
    # "compared to the dense model's 5.12 PPL"
    m = cues["possessive"].search(text, max(a, c.start - 50), c.start)
    if m:
        return m.group("np")
    cands = [n for n in models if not _is_baseline(ctx, n, models) and not _BY_NUMBER.match(text, n.end)
             and not _SHARE_OF.search(text, max(s0, n.start - 16), n.start)]
    r = _respective(ctx, c, claims, cands, s0, s1)
    if r is not None:
        return r.text
    # a model named only by its size is one when it has a determiner ("our 3B-parameter SLM achieves")
    cands = [n for n in cands if n.known or n.text[:1].isalpha() or _DET.search(text, max(0, n.start - 5), n.start)]
    # "12.2% for X", "42.83 on InfiniteBench for X", "90% ... for LLMs like X and Y"
    for n in cands:
        if c.end <= n.start <= b and n.start - c.end <= 80 and cues["model_after"].match(text, c.end, n.start):
            return _join(_group_of(ctx, n, cands))
    # the subject before the number, in its clause; not the several models the experiments ran on
    before = [n for n in cands if a <= n.start and n.end <= c.start and not _testbed(ctx, n, cands, s0)]
    if before:
        return _join(_group_of(ctx, before[-1], cands))
    # "... 90% performance ... for popular LLMs like X and Y" at the end of the clause
    after = [n for n in cands if c.end <= n.start < b and not _testbed(ctx, n, cands, s0)]
    if after:
        return _join(_group_of(ctx, after[0], cands))
    if cands or c.family not in _RESULT_FAMILIES:
        return ""
    # "the fine-tuned LLMs obtained ...": the models of the sentence before
    if si > 0 and cues["model_refer"].search(text, s0, c.start):
        ps, pe = ctx.sentences[si - 1]
        prev = [n for n in _in(ctx, ps, pe) if _role(ctx, n) == N.MODEL and n.known or _role(ctx, n) == N.MODEL
                and n.text[:1].isalpha()]
        if prev:
            return _join(_groups(text, prev)[-1])
    # "Our experiments with LLAMA2-7B show ... PPO exceeds zero-shot by 38.7 points": the one model
    # the experiments were run on holds for the results that follow
    return _setup_model(ctx, si, claims)


def _testbed(ctx: _Ctx, n, cands: list, s0: int) -> bool:
    """Is ``n`` one of several models (or an example of some) the experiments ran on?"""
    group = _group_of(ctx, n, cands)
    setup, example = _setup_cues(ctx, group[0].start, s0)
    return setup and (len(group) > 1 or example)


def _setup_cues(ctx: _Ctx, start: int, s0: int) -> tuple[bool, bool]:
    """Is the name at ``start`` in a setup phrase ("experiments on X"), and given as an example?"""
    hit = ctx.cache.get(("setup", start))
    if hit is None:
        cues = _cues()
        left = ctx.text[max(s0, start - 90):start]
        setup = bool(cues["setup"].search(left))
        hit = ctx.cache[("setup", start)] = (setup, setup and bool(cues["example"].search(left)))
    return hit


def _setup_model(ctx: _Ctx, si: int, claims: list) -> str:
    cues = _cues()
    for k in range(si - 1, -1, -1):
        ps, pe = ctx.sentences[k]
        if not any(ps <= x.start < pe for x in claims):
            continue  # the setup holds for results reported with it ("Our experiments with X show 6.3 ...")
        models = [n for n in _in(ctx, ps, pe) if _role(ctx, n) == N.MODEL and n.known]
        if not models:
            continue
        groups = _groups(ctx.text, models)
        if len(groups) == 1 and len(groups[0]) == 1:
            n = groups[0][0]
            left = ctx.text[max(ps, n.start - 90):n.start]
            if cues["setup"].search(left) and not cues["example"].search(left) \
                    and not re.match(r"\s+and\s+(?:its|their)\s", ctx.text[n.end:n.end + 12]):
                return n.text
        return ""
    return ""


def _model_of_size(ctx: _Ctx, c: Claim, models: list, s0: int, s1: int, a: int) -> str:
    """The model a parameter count belongs to."""
    text, cues = ctx.text, _cues()
    # "175B parameter GPT-3"
    for n in models:
        if 0 <= n.start - c.end <= 14 and cues["size_of"].match(text, c.end, n.start):
            return n.text
    # "LLaVA-Rad (7B)", "smaller-scale LLMs (7B)": the name or noun phrase the parenthesis follows
    if text[c.start - 1:c.start] == "(":
        for n in _in(ctx, max(s0, c.start - 60), c.start):
            if 0 <= c.start - 1 - n.end <= 3 and ctx.roles.get(n.start) != N.BENCH:
                return n.text
        m = cues["np_paren"].search(text, max(s0, c.start - 40), c.start)
        if m and _trim_np(m.group("np")):
            return _trim_np(m.group("np"))
    # "Orion, a 2B LLM": the name the size is in apposition to
    m = _APPOSED.search(text, max(s0, c.start - 50), c.start)
    if m and not N.is_stopword(m.group("name")) and not _LISTED.search(text, max(s0, m.start() - 12), m.start()) \
            and not _PREP_BEFORE.search(text, max(s0, m.start() - 30), m.start()) \
            and not cues["base_tight"].search(text, max(s0, m.start() - 60), m.start()) \
            and not any(n.start == m.start() and ctx.roles.get(n.start) == N.BENCH for n in _in(ctx, m.start(), m.end())):
        return m.group("name")
    before = [n for n in models if a <= n.start and n.end <= c.start and not _is_baseline(ctx, n, models)]
    # "LLaMA 1B and 7B": the family of the sized name before, with this size
    if before:
        m = _SIZED_END.match(before[-1].text)
        if m and _LIST_SEP.match(text, before[-1].end, c.start):
            return m.group("stem") + m.group("sep") + c.value_text
    # "Ling-Lite contains 16.8 billion parameters with 2.75 billion activated parameters"
    for n in reversed(_in(ctx, a, c.start)):
        if ctx.roles.get(n.start) in ("", N.MODEL) and n.kind != N.BENCH and _HAS_SIZE.fullmatch(text, n.end, c.start):
            return n.text
    # "a 7B model", "the 1.3B-parameter dense model": the phrase itself
    m = cues["size_phrase"].match(text, c.end, s1)
    if m:
        return text[c.start:m.end("p")]
    # "Satori, a 7B LLM", "LLaVA-MoD, with only 2B activated parameters", "the LLaMA family (7, 13 and 70B)"
    if before:
        # "various LLMs, including LLaMA-2, Nemotron-4, and GPT-3, with sizes from 843M to 15B": not one
        if len(_group_of(ctx, before[-1], models)) > 1:
            return ""
        return before[-1].text
    # "SoTA baselines with 100M-1B parameters": a named kind of model
    m = cues["np_with"].search(text, max(s0, c.start - 40), c.start)
    if m and m.group("first").lower() not in N._data()["generic"]:
        return m.group("np")
    # "models with around 125M parameters such as GPT-Neo (small) or GPT-2 (small)"
    m = cues["such_as"].match(text, c.end, s1)
    if m:
        follow = [n for n in models if m.end() <= n.start <= m.end() + 5]
        if follow:
            return _join(_group_of(ctx, follow[0], models))
    # "an LLM with 101B parameters", when the paper's method is that model
    if ctx.method_is_model and cues["size_with"].search(text, max(s0, c.start - 40), c.start):
        return ctx.method
    return ""


# ---------------------------------------------------------------- benchmark

def _benchmark(ctx: _Ctx, c: Claim, claims: list) -> str:
    if c.family not in _BENCH_FAMILIES and c.family != "data":
        return ""
    s0, s1, si = _sentence(ctx, c.start)
    a, b = _clause(ctx, s0, s1, c.start)
    text, cues = ctx.text, _cues()
    benches = _visible(ctx, [n for n in _in(ctx, s0, s1) if _role(ctx, n) == N.BENCH], c, s0, s1)
    strong = [n for n in benches if not n.weak]
    if c.family == "data":
        return _data_bench(ctx, c, strong, a, b)
    r = _respective(ctx, c, claims, benches, s0, s1)
    if r is not None:
        return r.canonical if r.weak else r.text
    r = _respective_phrases(ctx, c, claims, s0, s1)
    if r:
        return r
    # "85% on GSM8K", "9% in the GSM8K task", "1%-7% in accuracy on commonsense benchmarks"
    tied = _tied_bench(ctx, c.end, b, benches)
    if tied is not None:
        return _join(_group_of(ctx, tied, benches))
    # "1.5% WER on test-clean and 3.3% on test-other on LibriSpeech": the benchmark with this split
    m = cues["bench_tie"].match(text, c.end, b)
    split = _SPLIT_NAME.match(text, m.end()) if m else None
    if split and strong:
        base = _SPLIT_SUFFIX.sub("", next((n for n in strong if n.start >= c.end), strong[-1]).text)
        return f"{base} {split.group()}"
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
            return ""
        return _earlier(ctx, si, every=False)
    # "2% in general tasks, 9% in the GSM8K task": when another number of the sentence is tied to
    # its own benchmark, this one, tied to no benchmark, has none
    m = cues["bench_tie"].match(text, c.end, b)
    if m and not _SPLIT.match(text, m.end()) and any(
            x.start != c.start and s0 <= x.start < s1 and _tied_bench(ctx, x.end, s1, benches) is not None
            for x in claims):
        return ""
    for lo, hi in ((a, b), (s0, s1)):  # the clause first, then the rest of the sentence
        before = [n for n in strong if lo <= n.start and n.end <= c.start]
        if before:
            return _join(_group_of(ctx, before[-1], benches))
        after = [n for n in strong if c.end <= n.start < hi]
        if after:
            return _join(_group_of(ctx, after[0], benches))
    return ""


def _data_bench(ctx: _Ctx, c: Claim, strong: list, a: int, b: int) -> str:
    """The dataset an amount of data measures: right beside the number ("C4 dataset with up to
    19.7B tokens", "the SmolLM corpus of 241B tokens"), or the subject of the clause ("LongBench
    comprises ... 6,711 words"). A ratio or change of data ("40x fewer tokens") measures none."""
    if c.kind != "absolute":
        return ""
    near = [n for n in strong if a <= n.start < b and (0 <= c.start - n.end <= 40 or 0 <= n.start - c.end <= 40)
            and (n.end <= c.start or "," not in ctx.text[c.end:n.start])]
    if near:
        return near[0].text
    first = _in(ctx, a, c.start)
    if first and first[0] in strong and first[0].start - a <= 3:
        return first[0].text
    return ""


def _respective_phrases(ctx: _Ctx, c: Claim, claims: list, s0: int, s1: int) -> str:
    """ "2.2%, 11.4% and 7.0% higher on the commonsense reasoning, reading comprehension and MMLU
    benchmarks, respectively": the k-th item of the list before the noun, when the counts agree."""
    text = ctx.text
    if not _RESPECTIVELY.search(text, s0, s1):
        return ""
    same = [x.start for x in claims if s0 <= x.start < s1 and x.family == c.family and x.kind == c.kind]
    if len(same) < 2 or c.start not in same:
        return ""
    m = _LIST_BEFORE_NOUN.search(text, c.end, s1)
    if not m:
        return ""
    items = [x.strip() for x in re.split(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+", m.group("list")) if x.strip()]
    if len(items) != len(same) or any(len(x.split()) > 4 for x in items):
        return ""
    return items[same.index(c.start)]


def _tied_bench(ctx: _Ctx, end: int, limit: int, benches: list):
    """The benchmark the number at ``end`` is tied to by "on/in/across" within a few words."""
    rx = _cues()["bench_tie"]
    for n in benches:
        if end <= n.start <= min(limit, end + 70) and rx.fullmatch(ctx.text, end, n.start):
            return n
    return None


def _earlier(ctx: _Ctx, si: int, every: bool) -> str:
    """Benchmarks named before sentence ``si``: with a phrase that refers back ("on both
    benchmarks"), the list of the nearest sentence naming some; without one, only when the
    abstract so far has named exactly one benchmark (the results then are on it)."""
    if not every:
        seen = {}
        for n in ctx.names:
            if n.start >= ctx.sentences[si][0]:
                break
            if _role(ctx, n) == N.BENCH and not n.weak:
                seen.setdefault(N.canonical(N.BENCH, n.text).lower(), n)
        return next(iter(seen.values())).text if len(seen) == 1 else ""
    for k in range(si - 1, -1, -1):
        ps, pe = ctx.sentences[k]
        prev = [n for n in _in(ctx, ps, pe) if _role(ctx, n) == N.BENCH and not n.weak]
        if prev:
            return _join(max(_groups(ctx.text, prev), key=len))
    return ""


# ---------------------------------------------------------------- baseline and method

def _baseline(ctx: _Ctx, c: Claim) -> str:
    if c.kind not in ("delta", "ratio"):
        return ""
    s0, s1, _ = _sentence(ctx, c.start)
    a, b = _clause(ctx, s0, s1, c.start)
    text, cues = ctx.text, _cues()
    # "outperformed LLaMa-1 7B by 28.4% points, LLaMa-2 7B by 27.6% points": each number its own
    m = _BY_BEFORE.search(text, max(a, c.start - 30), c.start)
    if m:
        own = [n for n in _in(ctx, max(a, c.start - 80), m.start() + 1)
               if n.end == m.start() and ctx.roles.get(n.start) != N.BENCH]
        if own:
            return own[-1].text
    # "by 40% over X", "2x faster than X", "107% for A, 18.6% for B ... over zero-shot prompting"
    for m in cues["base_after"].finditer(text, c.end, min(b, c.end + 140)):
        if m.start() and text[m.start() - 1].isalnum():
            continue
        np_ = _np(text[m.end():b], keep_and=True)
        if np_:
            return _respective_item(ctx, c, np_, s0, s1)
    # "outperforms X by 5.84% and 1.96%"
    m = cues["base_verb"].search(text, a, c.start)
    if m:
        np_ = _np(m.group("np") + " ")
        if np_:
            return np_
    # "Compared to X, ..."
    m = cues["base_lead"].match(text, a, c.start)
    if m:
        return _np(m.group("np"))
    # "it outperforms X while being 60% smaller": the comparison the comparative refers to
    if cues["comparative"].match(text, _LIST_TAIL.match(text, c.end).end()):
        m = None
        for m in cues["base_object"].finditer(text, s0, c.start):
            pass
        if m:
            return _np(m.group("np") + " ")
    return ""


def _trim_np(np_: str) -> str:
    """A noun phrase without the function words it was caught with ("on small-sized LLMs")."""
    words = np_.split()
    while len(words) > 1 and (words[0].lower() in _FUNCTION or words[0].lower() in ("the", "a", "an")):
        words.pop(0)
    return " ".join(words)


def _np(s: str, keep_and: bool = False) -> str:
    """The noun phrase at the start of ``s``, up to a stop word or punctuation (with ``keep_and``,
    a list "A and B" stays whole, for "respectively")."""
    m = _cues()["stop"].search(s, 0, 120)
    np_ = (s[:m.start()] if m else s[:120]).strip(" .,'\"")
    if keep_and and m and s[m.start():m.end()].strip() == "and":
        m2 = _cues()["stop"].search(s, m.end(), 160)
        both = (s[:m2.start()] if m2 else s[:160]).strip(" .,'\"")
        if _RESPECTIVELY.match(s, m2.end() if m2 else len(s)) or (m2 and _RESPECTIVELY.search(s, m2.start(), m2.start() + 16)):
            np_ = both
    if not np_ or len(np_.split()) > 8 or not np_[0].isalpha() or "%" in np_ or np_.lower() in _PRONOUNS:
        return ""
    return np_


def _respective_item(ctx: _Ctx, c: Claim, np_: str, s0: int, s1: int) -> str:
    """ "1.69x and 1.48x compared to ANT and OliVe, respectively": the k-th item of the list."""
    if " and " not in np_ and "," not in np_:
        return np_
    items = [x.strip() for x in re.split(r",\s*(?:and\s+)?|\s+and\s+", np_) if x.strip()]
    same = [x.start for x in ctx.claims if s0 <= x.start < s1 and x.family == c.family and x.kind == c.kind]
    if len(items) == len(same) and c.start in same and _RESPECTIVELY.search(ctx.text, s0, s1):
        return items[same.index(c.start)]
    return np_


def _method(ctx: _Ctx, c: Claim, model: str) -> str:
    """The paper's method for a number that is its result: any result except the "before" value of
    a from-to pair and a number about another model in a sentence that does not speak of the
    method; a parameter count only when it is the method's own size."""
    if not ctx.method:
        return ""
    s0, s1, _ = _sentence(ctx, c.start)
    text = ctx.text
    named = _norm(model) in ctx.method_keys if model else False
    if c.family == "parameters" and c.unit in _PARAM_UNITS:
        if named:
            return ctx.method
        return ctx.method if (not model or model[:1].isdigit()) and _mentions(ctx, s0, s1, own=False) else ""
    if _FROM_TO.match(text, c.end) and _FROM.search(text, max(s0, c.start - 12), c.start):
        return ""  # the "before" value of a from-to pair is not the method's result
    m = _PAREN_OWNER.search(text, max(s0, c.start - 40), c.start)
    if m and _norm(m.group("name")) not in ctx.method_keys:
        return ""  # "surpassing LoRA (42.30%)": another method's number
    a, b = _clause(ctx, s0, s1, c.start)
    if model and not named and not model[:1].isdigit() and not _mentions(ctx, a, b, own=True):
        return ""  # "even GPT-4 fails on 21% of the cases"
    return ctx.method


def _mentions(ctx: _Ctx, s0: int, s1: int, own: bool) -> bool:
    """Does the sentence name the paper's method (or, with ``own``, speak of "our method")?"""
    key = ("own", s0, own)
    hit = ctx.cache.get(key)
    if hit is None:
        sentence = _norm(ctx.text[s0:s1])
        hit = any(k in sentence for k in ctx.method_keys) or (own and bool(_cues()["own"].search(ctx.text, s0, s1)))
        ctx.cache[key] = hit
    return hit
