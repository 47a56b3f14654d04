"""Shared pieces of the context step (extract/context.py): the cue patterns compiled from
rules/lexicons/context.yaml, the per-abstract state, and small helpers over sentences, clauses and
lists of names."""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from extract.context import names as N
from extract.match.fold import folded
from extract.match.literal import needs
from extract.match.tail import ends_at
from extract.records import Claim

# Text between two names of one list: "X, Y, and Z", "X (2 directions) and Y", "X/Y".
LIST_SEP = re.compile(r"(?:/[\w.]{1,4})?(?:\s*\([^()]{0,30}\))?"
                       r"(?:\s+(?:model|models|LLM|LLMs|benchmark|dataset),?\s+(?:and|or)\s+(?:the\s+)?$"
                       r"|(?:\s*(?:,|/|&|\band\b|\bor\b)\s*(?:(?:the|and|or)\s+)?)+$)")
# Hard breaks inside a sentence: a number does not reach across them.
_CLAUSE_BREAK = needs(re.compile(r";|:\s|\s(?:whereas|but|although|though)\s|\swhile\s(?!\w+ing\b)"))
RESPECTIVELY = folded(re.compile(r"\brespectively\b", re.I))
FROM_TO = re.compile(r"\s*(?:\\?%|points?|pp|[KMGT]B|ms|s|x)?\s*(?:to|->|→)\s", re.I)
FROM_RE = re.compile(r"\bfrom\s+$", re.I)
PARAM_UNITS = ("params",)
# a split of a benchmark named elsewhere in the sentence ("on test-clean ... on LibriSpeech")
SPLIT_RE = re.compile(r"(?:test|dev|val|validation|eval)(?:-\w+|\s+(?:sets?|splits?))?\b", re.I)
SPLIT_NAME = re.compile(r"(?:test|dev)-(?:clean|other)\b")
SPLIT_SUFFIX = re.compile(r"\s+(?:test|dev)-(?:clean|other)$")
_SPELLED_OUT = ends_at(re.compile(r"(?:benchmarks?|datasets?|tasks|suites?|models|LLMs|MLLMs|VLMs|LMs|SLMs|baselines|backbones)\s*$", re.I))
# "on X" names a benchmark X only when X is not a modifier of a noun after it ("on CT reports")
NOT_MODIFIER = re.compile(r"(?:\s*[,.;:)]|\s*$|\s+(?:and|or|for|with|in|by|at|to|while|which|using|compared|than|"
                           r"from|under|across|as|when|where|the|we|our|it|is|are|was|were|show|shows|demonstrate|relative|over|"
                           r"against|versus|vs|"
                           r"achieves?|reaches?|yields?)\b|\s+[\d(]"
                           # "on the SmartBugs Wild held-out test partition": a split of it follows
                           r"|\s+(?:[A-Z][\w-]*\s+)?(?:held-out|test|dev|validation|val)\b)")
DET = re.compile(r"\b(?:our|a|an|the|this)\s$", re.I)
BENCH_FAMILIES = ("score", "perplexity")
RESULT_FAMILY_SET = ("score", "perplexity", "speedup", "memory")
APPOSED = ends_at(re.compile(r"(?<![\w-])(?P<name>[A-Z][\w.+-]*),\s+(?:an?|the|our)\s+(?:[a-z][\w-]*\s+)?$"))
# the rest of a list of numbers ("2.21%, 11.43%, and 4.81% higher")
LIST_TAIL = re.compile(r"(?:\s*,?\s*(?:and\s+|or\s+)?[\d.]+\s*\\?%?)*")
LIST_BEFORE_NOUN = re.compile(r"\b(?:on|across|in|for)\s+(?:the\s+)?(?P<list>[^;:.()]{3,160}?)\s+(?:benchmarks|datasets|tasks|splits|sets)\b")
FUNCTION = frozenset(("on", "in", "for", "with", "of", "to", "by", "at", "from", "and", "or", "as", "than", "like", "such",
                       "across", "over", "among", "between", "into", "under", "via"))
BY_NUMBER = re.compile(r"\s+by\s+(?:up\s+to\s+|about\s+|around\s+|over\s+|nearly\s+|an?\s+average\s+of\s+)?[-+]?\d")
BY_BEFORE = re.compile(r"\s+by\s+(?:up\s+to\s+|about\s+|around\s+|over\s+|nearly\s+|an?\s+average\s+of\s+)?$")
PAREN_OWNER = ends_at(re.compile(r"(?P<name>[A-Z][\w.+-]*(?:\s[A-Z][\w.+-]*)?)\s*\($"))
_LIST_WORD = re.compile(r"\band\b|\bor\b|/|&")
# "retains 97% of BERT's accuracy": the model a share is taken of is the reference, not the subject
SHARE_OF = re.compile(r"\d\s*\\?%\s+of\s+(?:the\s+)?$")
# "surpasses X (79.0% vs. 66.7%)": the first of a pair in parentheses is the subject's, the second X's
VS_NEXT = re.compile(r"\s*\\?%?\s*(?:vs\.?|versus)\s")
VS_PAIR = re.compile(r"[\d.]+\s*\\?%?\s*(?:vs\.?|versus)\s+")
VERB_SCORES = re.compile(r"\s+(?:of\s+|about\s+|around\s+|only\s+|up\s+to\s+|over\s+)?[\d.]")
PRONOUNS = frozenset(("it", "this", "these", "those", "them", "they", "that", "its", "their", "ours", "others"))
HAS_SIZE = re.compile(r"\s+(?:contains|has|comprises|boasts|features|totals|with)\s+(?:(?:only|just|about|around|over|"
                       r"roughly|nearly|a\s+total\s+of)\s+)?(?:[\d.,]+\s*(?:[BMK]|billion|million|trillion)\s+(?:\w+\s+)?"
                       r"parameters?\s*(?:,|with|and|of\s+which)\s+(?:only\s+|just\s+)?)?")
PREP_BEFORE = re.compile(r"\b(?:on|in|at|for|with|from|to|of|by|across|over|under|after|before)\s+(?:the\s+|an?\s+)?(?:[A-Z][\w-]*\s+){0,3}$")
LISTED = re.compile(r"(?:,|\band|\bor|\bboth)\s*$")
SIZED_END = re.compile(r"(?P<stem>.+?)(?P<sep>[-_\s]?)(?:\d+x)?\d+(?:\.\d+)?[BbMm]$")


def _alt(ws) -> str:
    return "|".join(re.escape(w) for w in sorted(ws, key=len, reverse=True))


@functools.lru_cache(maxsize=1)
def context_cues():
    # the costly cues read right before a number or name (long word lists tried at every position of the
    # window) have their search gated (match/tail.py); the cheap ones cost less than the gate
    # the other case-insensitive ones are read in the lower-cased text (match/fold.py), but for two short
    # ones that cost less than the lowering
    return {k: ends_at(v) if k in _GATED else v if k in ("on_before", "holds") else folded(v)
            for k, v in _context_cues().items()}


_GATED = frozenset({"possessive", "base_tight", "base_verb", "model_noun_before", "np_paren", "judge_before",
                    "bench_noun_before", "count_before", "size_with", "source", "np_with"})


def _context_cues():
    c = N.cues()
    i = re.I
    return {
        # a comparison word right before a name makes it a baseline, not the claim's model
        "base_tight": re.compile(r"(?:^|\W)(?:" + _alt(c["baseline_before"] + c["compare_words"]) + r")\s+(?:(?:[A-Za-z][\w-]*|\d[\d.]*[BMK])[,:]?\s+){0,6}$", i),
        "source": re.compile(r"(?<!\w)(?:" + _alt(c["source_words"]) + r")\s+(?:[A-Za-z][\w-]*\s+){0,3}$", i),
        "possessive": re.compile(r"(?:\bthe\s+)?(?P<np>(?:[a-z][\w-]*\s+){0,2}?(?:" + _alt(c["model_nouns"]) + r"))'s\s+$"),
        # (from the start of a word: "405B LLMs (50x larger ...)" has no phrase "B LLMs"; one noun alone is no name)
        "np_paren": re.compile(r"(?<![\w.-])(?P<np>(?:[A-Za-z][\w-]*\s+){1,2}?(?:" + _alt(c["model_nouns"]) + r"))\s\($"),
        "np_with": re.compile(r"(?<![\w-])(?P<np>(?P<first>[A-Z][\w-]*)\s+(?:[A-Za-z][\w-]*\s+)?(?:" + _alt(c["model_nouns"]) + r"))\s+with\s+(?:only\s+|about\s+|around\s+|up\s+to\s+)?$"),
        "model_refer": re.compile(r"(?<!\w)(?:the|these|those|both|all|such|our)\s+(?:[\w-]+\s+){0,2}?(?:models|LLMs|LMs|SLMs|MLLMs|VLMs|variants|backbones)\b", i),
        # "Our approach uses a general-purpose, instruction-tuned X": the model a system is built on
        "uses": re.compile(r"(?<!\w)(?:uses|employs|adopts|builds\s+on|is\s+built\s+on|is\s+based\s+on)\s+(?:\S+\s+){0,4}$", i),
        "example": re.compile(r"(?<!\w)(?:such\s+as|like|including|e\.g\.,?|for\s+example|for\s+instance)\s+(?:\S+\s+){0,2}$", i),
        "judge_before": re.compile(r"(?<!\w)(?:" + _alt(c["judge_before"]) + r")\s+(?:the\s+)?$", i),
        "base_after": re.compile(r"(?<!\w)(?:" + _alt(c["baseline_after"]) + r")\s+", i),
        "base_verb": re.compile(r"(?<!\w)(?:" + _alt(c["baseline_verbs"]) + r")\s+(?P<np>[^,;]{1,80}?)\s+by\s+[^;]{0,40}$", i),
        "base_object": re.compile(r"(?<!\w)(?:" + _alt(c["baseline_before"]) + r")\s+(?P<np>[^,;]{1,80}?)(?:,|\s+(?:while|and|by|with|in|on)\b)", i),
        "comparative": re.compile(r"\s*(?:\\?%|x|×|times)?\s*(?:" + _alt(c["comparatives"]) + r")\b", i),
        # "outperforms X, with an average improvement of N": no "while", no other clause between them
        "base_then": re.compile(r"(?<!\w)(?:" + _alt(c["baseline_verbs"]) + r")\s+(?P<np>[^,;()]{1,80}?)"
                                r"(?:,\s*(?:such\s+as|including|e\.g\.,?)\s(?P<ex>[^;()]{1,80}?))?,?\s+(?:" + _alt(c["result_clause"])
                                + r")\s(?:(?!\b(?:while|whereas|but|meanwhile)\b)[^;()])*$", i),
        "self_ratio": re.compile(r"\s*(?:\\?%|x|\u00d7|\$\\times\$|times)?\s*(?:" + _alt(c["self_ratios"]) + r")\b", i),
        "base_lead": re.compile(r"\W*(?:(?:" + _alt(c["lead_fillers"]) + r"),?\s+)?(?:" + _alt(c["baseline_lead"])
                                + r")\s+(?P<np>[^,;]{1,80}?),", i),
        "stop": re.compile(r"\s(?:" + _alt(c["baseline_stop"]) + r")\b|[,;:()\[\]]|\.(?:\s|$)", i),
        "model_after": re.compile(r"\s*(?:\\?%|x|×|times|points?|pp)?(?:[^;,.]|\.\d){0,50}?(?<!\w)(?:" + _alt(c["model_after_number"]) + r")\s+(?:the\s+)?$", i),
        "bench_tie": re.compile(r"(?:\s*\\?%)?(?:\s*[-–]\s*[\d.]+\s*(?:\\?%)?)?(?:\s*(?:\\?%|x|×|points?|pp))?(?:\s+[\w().%\\-]+){0,5}?\s+(?:" + _alt(c["bench_before"]) + r")\s+(?P<the>(?:the|both|all)\s+(?:[a-z][\w-]*\s+)?)?", i),
        # "77.7% for PIQA, 66.1% for WinoGrande", "(72.58 for CoNLL and 62.37 for JFLEG)": only right beside
        "bench_for": re.compile(r"(?:\s*\\?%)?(?:\s*(?:points?|pp|F1|BLEU|EM))?\s+for\s+(?:the\s+)?", i),
        "refer_back": re.compile(r"(?<!\w)(?:" + _alt(c["refer_back"]) + r")(?!\w)", i),
        "own": re.compile(r"(?<!\w)(?:" + _alt(c["own_method"]) + r")(?!\w)", i),
        "setup": re.compile(r"(?<!\w)(?:" + _alt(c["setup_words"]) + r")\s+(?:[^\s.;]+\s+){0,8}?(?:on|with|using|across|of)\s+(?:\S+\s+){0,6}$", i),
        "judge": re.compile(r"(?:'s)?[\s-]+(?:" + _alt(c["judge_words"]) + r")\b", i),
        # literal first (no look-behind, no IGNORECASE) so that re can skip ahead fast
        "intro": re.compile(r"(?:" + _alt(c["method_verbs"]) + r")\s+(?i:(?:" + _alt(c["method_fillers"]) + r")\s+)*(?P<rest>[^.;]{0,160})"),
        # (matched at each clause start, scan.clause_starts: searched over the whole text it cost ~50 us)
        "result_subject": re.compile(r"(?:the\s+)?(?P<n>[A-Z][\w.+-]*[\w+])(?:\s+(?:models?|"
                                     r"method|framework|system|approach))?\s+(?:(?:consistently|significantly|substantially|"
                                     r"also|further|clearly)\s+)?(?:(?:can|could|(?:is|was|are|were)\s+able\s+to)\s+"
                                     r"(?:" + _alt(c["result_verbs_base"]) + r")|" + _alt(c["result_verbs"]) + r")\b"),
        # what every apposed_method match ends with: one search of it (from a literal ",") decides whether the
        # costly search, which starts at any verb, can find anything at all
        "apposed_tail": re.compile(r",\s+(?:a|an)\s+(?:[\w-]+\s+){0,4}?(?:" + _alt(c["method_kinds"]) + r")\b"),
        "apposed_method": re.compile(r"(?:" + _alt(c["method_verbs"] + c["apply_verbs"]) + r")\s(?:[^.;,()]{0,40}?\s)??"
                                     r"(?P<n>[A-Z][\w.+-]*[\w+](?:\s[A-Z][\w.+-]*[\w+]){0,3})(?:\s\([^()]{2,60}\))?,\s+(?:a|an)\s+"
                                     r"(?:[\w-]+\s+){0,4}?(?:" + _alt(c["method_kinds"]) + r")\b"),
        "named": re.compile(r"(?:" + _alt(c["method_named"]) + r")\s+(?P<rest>[^.;]{0,120})"),
        "title_not": frozenset(w.lower() for w in c["title_not_method"]),
        "size_phrase": re.compile(r"(?P<p>-parameters?\s(?:" + N.KIND_WORD + r"){0,2}(?:" + _alt(c["model_nouns"]) + r")"
                                  r"|\s(?:" + N.KIND_WORD + r"){0,2}?(?:models?)(?!\s(?:scale|size)))\b"),
        "size_of": re.compile(r"[\s-]?param(?:eter)?s?\s+(?:the\s+)?$|[\s-]?param(?:eter)?s?\s", i),
        "size_with": re.compile(r"(?:" + _alt(c["model_nouns"]) + r")\s+with\s+(?:only\s+|just\s+|about\s+|around\s+)?$", i),
        "such_as": re.compile(r"[^.;,]{0,40}?\b(?:such\s+as|like|including|e\.g\.,?)\s", i),
        "model_apposition": re.compile(r",\s(?:an?|the)\s(?:[\w-]+\s){0,8}?(?:" + _alt(c["model_nouns"]) + r")\b|\s(?:models?|LLMs?)\b"),
        # the method is itself a language model ("Satori, a 7B LLM", "MindLLM ... LLMs"); "X, a graph
        # transformer" is a method whose results are the method's
        # ... and the LM noun ends the phrase: "ZhuLong, an LLM agent" is an agent, a method
        "lm_apposition": re.compile(r"(?:,\s(?:an?|the)\s(?:[\w-]+\s){0,8}?(?:LLMs?|LMs?|SLMs?|MLLMs?|VLMs?|LVLMs?|"
                                    r"(?:language|foundation|vision-language|multimodal)\s+models?)\b|\s(?:LLMs?|language\s+models?)\b)"
                                    r"(?=\s*(?:[,.;:()]|$)|\s+(?:that|which|with|for|trained|built|designed|of|in|on|and|to|"
                                    r"is|are|was|achieves?|outperforms?|reaches?)\b)"),
        # "outperforming a pure LLM baseline (23.6%)", "99% success over 85% of the baseline": a number
        # given to a phrase that names a model by its kind, not by a name
        "np_of": re.compile(r"\s*(?:\\?%)?\s+(?:of|for)\s+(?P<np>(?:the|a|an|its|their)\s+(?:[a-z][\w-]*\s+){0,2}?"
                            r"(?:baselines?|teachers?|base\s+models?|dense\s+models?|original\s+models?))\b"),
        "bench_apposition": re.compile(r",\s(?:an?|the)\s(?:[\w-]+\s){0,5}?(?:benchmarks?|datasets?|corpus|test\sset|suite)\b|\s(?:benchmarks?|datasets?|test\s+sets?|corpus|suite)\b"
                                      # "the MEDIQA-OE 2025 shared task", "the BraTS challenge"
                                      r"|\s(?:(?:19|20)\d\d\s+)?(?:shared\s+tasks?|challenges?|competitions?)\b", i),
        # "deep learning models, particularly EEGNet,": a name given as an example of a kind of model
        "model_noun_before": re.compile(r"(?<![\w-])(?:" + _alt(c["model_nouns"]) + r"),?\s+(?:particularly|especially|notably|"
                                        r"namely|such\s+as|like|including|e\.g\.,?)\s+$"),
        # "With a Transformer-CTC ASR, DLM achieves 1.5% WER": the model a sentence opens with
        "with_lead": re.compile(r"(?:^|[.;]\s+)With\s+(?:an?|the)\s+$"),
        # ("benchmarks such as SLAKE and VQA-RAD"); not after a lead-in that points back ("On this
        # benchmark, X achieves": X is the subject)
        "bench_noun_before": re.compile(r"(?<!\bthis\s)(?<!\bthese\s)(?<!\bboth\s)(?<!\bsame\s)\b(?:benchmarks?|datasets?|corpus|test\s+sets?|testbeds?)(?:,\s*|\s+(?:called|named|dubbed|such\s+as|like|including)\s+)$", i),
        # "on 1,000 Habitat-v3 episodes": a name between a count and the items counted
        "count_before": re.compile(r"(?<!\w)(?:on|in|across|over|from)\s+(?:the\s+|all\s+)?\d[\d,.]*[KkM]?\s+$", i),
        # "a set of 303 regulatory signs from the Ohio MUTCD": a name the counted items are taken from
        "items_from": re.compile(r"(?<![\w.-])\d[\d,.]*[KkM]?\s+(?:[a-z][\w-]*\s+){1,3}from\s+(?:the\s+)?(?:[A-Z][a-z]+\s+)?$"),
        "items_after": re.compile(r"\s+(?:" + _alt(c["item_nouns"]) + r")\b", i),
        # (after a structured abstract's label: "Results: In 12,197 Duke CAP reports from 8,854 patients, ...")
        "own_set": re.compile(r"\W*(?:[A-Z][a-z]+:\s+)?(?:on|in|across|over|for)\s+(?:the\s+|a\s+|an\s+|\d[\d,]*\s+)?(?P<set>(?:[\w-]+\s+){0,4}?"
                              r"(?P<noun>" + _alt(c["own_set_nouns"] + c["item_nouns"]) + r"))\b[^,;.]{0,80},", i),
        "bench_shape": re.compile(c["bench_shape"]),
        "annotation": re.compile(r"(?<![\w-])(?:" + _alt(c["annotation_words"]) + r")(?![\w-])", i),
        "holds": re.compile(r"\s+(?:" + _alt(c["holds_words"]) + r")\s", i),
        "sized": re.compile(r"(?<![\w-])(?:" + _alt(c["sized_sets"]) + r")\s+of\s+(?:(?:over|about|around|nearly|"
                            r"approximately|roughly|more\s+than|up\s+to|only)\s+)?$", i),
        "lead_in": re.compile(r"\W*(?:in|on|across|for)\s+(?:the\s+)?", i),
        "metric": re.compile(r"(?:" + _alt(c["metric_words"]) + r")(?![\w-])", i),
        "on_before": re.compile(r"(?<!\w)(?:on|across)\s+(?:the\s+|both\s+)?$", i),
        "others": re.compile(r"(?<![\w-])(?:" + _alt(c["other_systems"]) + r")\s+(?:[\w-]+\s+){0,2}?(?:"
                             + _alt(c["system_nouns"]) + r")(?![\w-])", i),
    }


@dataclass(slots=True)
class Ctx:
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


_NON_ALNUM = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=65536)  # names recur across the claims of an abstract and across abstracts
def norm_key(s: str) -> str:
    return _NON_ALNUM.sub("", s.lower())


def name_groups(text: str, found: list) -> list[list]:
    """Runs of names joined only by list separators ("SWE-bench, WebArena, OSWorld and Spider2-V")."""
    groups: list[list] = []
    for n in found:
        if groups and LIST_SEP.match(text, groups[-1][-1].end, n.start):
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


# ---------------------------------------------------------------- helpers per claim

def sentence_of(ctx: Ctx, pos: int) -> tuple[int, int, int]:
    i = bisect.bisect_right(ctx.sent_starts, pos) - 1
    if i < 0:
        return 0, len(ctx.text), -1
    s, e = ctx.sentences[i]
    return s, e, i


def names_in(ctx: Ctx, s: int, e: int) -> list:
    return ctx.names[bisect.bisect_left(ctx.name_starts, s):bisect.bisect_left(ctx.name_starts, e)]


def role_of(ctx: Ctx, n) -> str:
    return ctx.roles.get(n.start, "")


def clause_span(ctx: Ctx, s0: int, s1: int, pos: int) -> tuple[int, int]:
    """The part of the sentence around ``pos`` between hard breaks (";", "but", "whereas")."""
    breaks = ctx.cache.get(("breaks", s0))
    if breaks is None:
        # a break inside parentheses ("(kappa median: 0.87)") parts no clause of the sentence
        ps = _parens(ctx.text, s0, s1) if "(" in ctx.text[s0:s1] else []
        breaks = ctx.cache[("breaks", s0)] = [m.span() for m in _CLAUSE_BREAK.finditer(ctx.text, s0, s1)
                                               if not any(p0 < m.start() < p1 for p0, p1 in ps)]
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


def visible(ctx: Ctx, names: list, c: Claim, s0: int, s1: int) -> list:
    """Names that are not shut inside a parenthesis the number is outside of."""
    shut = _shut(ctx, s0, s1)
    if not shut:
        return names
    ps = [(a, b) for a, b in shut if not (a <= c.start < b)]
    return [n for n in names if not any(a <= n.start and n.end <= b for a, b in ps)]


def _shut(ctx: Ctx, s0: int, s1: int) -> list:
    """The parentheses of the sentence that shut names in (once per sentence, shared by its claims): a list
    in parentheses that spells out a noun is part of the text ("benchmarks (i.e., MMLU, GSM8K)")."""
    hit = ctx.cache.get(("shut", s0))
    if hit is None:
        text = ctx.text
        hit = ctx.cache[("shut", s0)] = [(a, b) for a, b in _parens(text, s0, s1)
                                          if not _SPELLED_OUT.search(text, max(s0, a - 14), a)] \
            if "(" in text[s0:s1] else []
    return hit


def role_names(ctx: Ctx, s0: int, s1: int, role: str) -> list:
    """The names of text[s0:s1] (a sentence) that have ``role``, once per sentence."""
    key = (role, s0, s1)
    hit = ctx.cache.get(key)
    if hit is None:
        roles = ctx.roles
        hit = ctx.cache[key] = [n for n in names_in(ctx, s0, s1) if roles.get(n.start, "") == role]
    return hit


def is_baseline(ctx: Ctx, n, names: list) -> bool:
    """Is ``n`` (or the list it heads) what something is compared with ("than X and Y")?"""
    head = group_of(ctx, n, names)[0] if n in names else n
    hit = ctx.cache.get(("base", head.start))
    if hit is None:
        cues = context_cues()
        hit = ctx.cache[("base", head.start)] = bool(
            # 90 characters: "outperforming cutting-edge reasoning language models such as o3-mini"
            cues["base_tight"].search(ctx.text, max(0, head.start - 90), head.start)
            or cues["source"].search(ctx.text, max(0, head.start - 40), head.start))
    return hit


def group_of(ctx: Ctx, n, members: list) -> list:
    """The list ``n`` belongs to, among ``members``."""
    out = [n]
    idx = members.index(n)
    for k in range(idx - 1, -1, -1):
        if LIST_SEP.match(ctx.text, members[k].end, out[0].start):
            out.insert(0, members[k])
        else:
            break
    for k in range(idx + 1, len(members)):
        if LIST_SEP.match(ctx.text, out[-1].end, members[k].start):
            out.append(members[k])
        else:
            break
    return out if _is_list(ctx.text, out) else [n]


_PLURAL_NOUN = re.compile(r"\s(?:benchmarks|datasets|suites)$")


def join_names(ns) -> str:
    ns = list(ns)
    out: list[str] = []
    for n in ns:
        # in a list the noun is shared ("GSM8K and math benchmarks" -> "math"); a name with its noun in
        # the plural names the benchmarks by their collection ("RoboMimic benchmarks" -> "RoboMimic")
        t = n.canonical if (n.weak and len(ns) > 1) or (not n.known and not n.weak and _PLURAL_NOUN.search(n.text)) \
            else n.text
        if t not in out:
            out.append(t)
    return "; ".join(out)


def respective(ctx: Ctx, c: Claim, claims: list, cands: list, s0: int, s1: int):
    """With "respectively", the k-th number of the sentence goes with the k-th name of a list."""
    if len(cands) < 2 or not RESPECTIVELY.search(ctx.text, s0, s1):
        return None
    s0, s1 = respective_span(ctx, c, s0, s1)
    cands = [n for n in cands if s0 <= n.start < s1]
    same = [x.start for x in claims if s0 <= x.start < s1 and x.family == c.family and x.kind == c.kind]
    for g in name_groups(ctx.text, cands):
        if len(g) == len(same) > 1 and c.start in same:
            return g[same.index(c.start)]
    return None


def respective_span(ctx: Ctx, c: Claim, s0: int, s1: int) -> tuple[int, int]:
    """The stretch of the sentence a "respectively" pairs up: from after the previous "respectively"
    to the first one after the number ("... to 51.1 and 44.3 respectively, and ... on text8 and
    Hutter Prize to 1.19 and 1.08 bits/char respectively": two lists of two, not one of four)."""
    a = s0
    for m in RESPECTIVELY.finditer(ctx.text, s0, s1):
        if m.end() <= c.start:
            a = m.end()
        else:
            return a, m.end()
    # past the last "respectively" ("scores of 49.36 and 8.8, respectively, outperforming X by 5.84%
    # and 1.96%"): the later numbers follow the same pairing, over the whole sentence
    return s0, s1
