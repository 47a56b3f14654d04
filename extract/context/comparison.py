"""The comparison half of a claim's context: the baseline a delta or ratio is measured against
("over LoRA", "outperforms X by 5%", "Compared to X, ..."), and whether the number is a result of the
paper's own method (not the "before" value of a from-to pair, not another system's number, not what
"leading approaches achieve")."""
from __future__ import annotations

import functools
import re

from extract.context import names as N
from extract.context.cues import (
    BY_BEFORE, FROM_RE, FROM_TO, LIST_TAIL, PARAM_UNITS, PAREN_OWNER, PRONOUNS, RESPECTIVELY, VS_NEXT, VS_PAIR, Ctx,
    clause_span, context_cues, names_in, norm_key, sentence_of)
from extract.records import Claim

def baseline_of(ctx: Ctx, c: Claim) -> str:
    """What a delta or ratio is measured against: "its base model GPT-OSS-20B" is GPT-OSS-20B."""
    np_ = _baseline(ctx, c)
    m = _DESCRIBED_NAME.match(np_)
    return m.group("name") if m and any(n.text == m.group("name") for n in ctx.names) else np_


# "its base model GPT-OSS-20B", "the teacher LLaMA-2-13B": a name after words that say what it is
_DESCRIBED_NAME = re.compile(r"(?:its|their|our|the)\s+(?:[a-z][\w-]*\s+){1,3}(?P<name>[A-Z][\w.+-]*\d[\w.+-]*)$")
# "exceeds zero-shot by 38.7 points and few-shot by 26.1 points": the next object of the list
_LISTED_OBJECT = re.compile(r"(?:,|\band)\s+(?:the\s+)?(?P<np>[A-Za-z][\w-]*(?:\s[A-Za-z][\w-]*){0,2})$")
_BY_A_NUMBER = re.compile(r"\bby\s+(?:up\s+to\s+|about\s+|over\s+)?[\d.]")
# "outperforms LSTM and ARIMA baselines by 144%": the list is one baseline
_LISTED_KIND = re.compile(r"[\w.+-]+(?:,\s*[\w.+-]+)*,?\s+and\s+[\w.+-]+\s+(?:baselines|models|methods|approaches|systems)")


def _baseline(ctx: Ctx, c: Claim) -> str:
    if c.kind not in ("delta", "ratio"):
        return ""
    s0, s1, _ = sentence_of(ctx, c.start)
    a, b = clause_span(ctx, s0, s1, c.start)
    text, cues = ctx.text, context_cues()
    # "outperformed LLaMa-1 7B by 28.4% points, LLaMa-2 7B by 27.6% points": each number its own
    m = BY_BEFORE.search(text, max(a, c.start - 30), c.start)
    if m:
        own = [n for n in names_in(ctx, max(a, c.start - 80), m.start() + 1)
               if n.end == m.start() and ctx.roles.get(n.start) != N.BENCH]
        if own:
            return own[-1].text
        v = cues["base_verb"].search(text, a, c.start)
        k = _LISTED_OBJECT.search(text, max(a, m.start() - 40), m.start())
        if v and k and v.start() < k.start() and _BY_A_NUMBER.search(text, v.start(), k.start()):
            return k.group("np")
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
        if _LISTED_KIND.fullmatch(m.group("np")):
            return m.group("np")
        np_ = _np(m.group("np") + " ")
        if np_:
            return np_
    # "Compared to X, ...", "For example, compared to X, A gains 5.6% ..., and B 50%": the sentence's opener
    m = cues["base_lead"].match(text, a, c.start) or cues["base_lead"].match(text, s0, c.start)
    if m:
        return _np(m.group("np"))
    # "X outperforms baselines, with an average improvement of 6.77%": the verb's object, in the clause it goes on with
    m = cues["base_then"].search(text, max(s0, c.start - 220), c.start)
    if m and not cues["self_ratio"].match(text, c.end):
        # "outperforms conventional pruning methods, such as A, B, and C, by 1%": the systems it names
        np_ = m.group("ex").strip() if m.group("ex") else _np(m.group("np") + " ")
        if np_:
            return np_
    # "it outperforms X while being 60% smaller": the comparison the comparative refers to
    if cues["comparative"].match(text, LIST_TAIL.match(text, c.end).end()):
        m = None
        for m in cues["base_object"].finditer(text, s0, c.start):
            pass
        if m:
            return _np(m.group("np") + " ")
    return ""


def _np(s: str, keep_and: bool = False) -> str:
    """The noun phrase at the start of ``s``, up to a stop word or punctuation (with ``keep_and``,
    a list "A and B" stays whole, for "respectively")."""
    m = context_cues()["stop"].search(s, 0, 120)
    np_ = (s[:m.start()] if m else s[:120]).strip(" .,'\"")
    if keep_and and m and s[m.start():m.end()].strip() == "and":
        m2 = context_cues()["stop"].search(s, m.end(), 160)
        both = (s[:m2.start()] if m2 else s[:160]).strip(" .,'\"")
        if RESPECTIVELY.match(s, m2.end() if m2 else len(s)) or (m2 and RESPECTIVELY.search(s, m2.start(), m2.start() + 16)):
            np_ = both
    if not np_ or len(np_.split()) > 8 or not np_[0].isalpha() or "%" in np_ or np_.lower() in PRONOUNS:
        return ""
    return np_


def _respective_item(ctx: Ctx, c: Claim, np_: str, s0: int, s1: int) -> str:
    """ "1.69x and 1.48x compared to ANT and OliVe, respectively": the k-th item of the list."""
    if " and " not in np_ and "," not in np_:
        return np_
    items = [x.strip() for x in re.split(r",\s*(?:and\s+)?|\s+and\s+", np_) if x.strip()]
    same = [x.start for x in ctx.claims if s0 <= x.start < s1 and x.family == c.family and x.kind == c.kind]
    if len(items) == len(same) and c.start in same and RESPECTIVELY.search(ctx.text, s0, s1):
        return items[same.index(c.start)]
    return np_


def anothers(ctx: Ctx, c: Claim, b: int) -> str:
    """The system a compared value is written as the result of ("7.59 (vs 9.76 in AffineQuant)",
    "compared to 61.2% of LoRA"): that system, not the sentence's subject, is what the number is about."""
    text = ctx.text
    if not _COMPARED_BEFORE.search(text, max(0, c.start - 40), c.start):
        return ""
    # "Rho = 0.81 (vs. Rho = 0.36 for cross-entropy loss)": a described system, in the parenthesis
    d = _WRITTEN_FOR.match(text, c.end, b)
    if d and not context_cues()["metric"].fullmatch(d.group("np")):
        return d.group("np")
    m = _WRITTEN_AS.match(text, c.end, b)
    if not m or N.is_stopword(m.group("name")) or context_cues()["metric"].fullmatch(m.group("name")):
        # "Comparative analysis against the manually curated Noor Corpus ... 8.46/10 versus 3.66/10": the
        # second of a pair is what the sentence set the subject against
        s0 = sentence_of(ctx, c.start)[0]
        if not _VERSUS_BEFORE.search(text, max(s0, c.start - 20), c.start):
            return ""
        against = [n for n in names_in(ctx, s0, c.start) if _AGAINST.search(text, max(s0, n.start - 40), n.start)]
        return against[-1].text if len(against) == 1 else ""
    at = [n for n in names_in(ctx, m.start("name"), m.end("name")) if n.start == m.start("name")]
    # a name of the abstract that is no benchmark ("vs 9.76 in WikiText2" is where, not whose)
    return at[0].text if at and ctx.roles.get(at[0].start) != N.BENCH else ""


_COMPARED_BEFORE = re.compile(r"(?<!\w)(?:vs\.?|versus|compared\s+(?:to|with)|against)\s+(?:only\s+|just\s+)?"
                              r"(?:[A-Za-z][\w@-]*\s*[=:]\s*)?$", re.I)
_VERSUS_BEFORE = re.compile(r"(?<!\w)(?:vs\.?|versus)\s+$", re.I)
_AGAINST = re.compile(r"(?<!\w)(?:against|compared\s+(?:to|with))\s+(?:the\s+)?(?:[a-z][\w-]*\s+){0,3}$", re.I)
_WRITTEN_FOR = re.compile(r"(?:\s*\\?%)?\s+for\s+(?:the\s+|a\s+)?(?P<np>[a-z][\w-]*(?:\s[a-z][\w-]*){0,3})(?=\s*\))")
_WRITTEN_AS = re.compile(r"(?:\s*\\?%|\s*points?|\s*pp)?\s+(?:in|of|by|from|for)\s+(?:the\s+)?(?P<name>[A-Z][\w.+-]*)")


def method_of(ctx: Ctx, c: Claim, model: str, bench: str = "") -> str:
    """The paper's method for a number that is its result: any result except the "before" value of
    a from-to pair and a number about another model in a sentence that does not speak of the
    method; a parameter count only when it is the method's own size. The size of a dataset the paper
    introduces is that dataset's ("we propose a new benchmark, JavisBench, consisting of 10,140 ...")."""
    if c.family == "data" and bench and ";" not in bench and _introduced(ctx, bench):
        return bench
    if not ctx.method:
        return ""
    if c.family == "data" and bench and _sized(ctx, c, bench):
        return ""  # "a benchmark of 158 tasks", "Gigaword with 4M samples": the size of a set it is tested on
    s0, s1, _ = sentence_of(ctx, c.start)
    text = ctx.text
    named = norm_key(model) in ctx.method_keys if model else False
    if c.family == "parameters" and c.unit in PARAM_UNITS:
        if named:
            return ctx.method
        if context_cues()["base_tight"].search(text, max(s0, c.start - 90), c.start):
            return ""  # "on par with 7B-13B LLMs", "outperforms SoTA baselines with 100M-1B parameters": theirs
        a, b = clause_span(ctx, s0, s1, c.start)
        if a > s0 and _CONTRAST.search(text, max(s0, a - 16), a) and not _mentions(ctx, a, b, own=False):
            return ""  # "MeZO can train a 30B model, whereas backpropagation can train only a 2.7B LM"
        return ctx.method if (not model or model[:1].isdigit()) and _mentions(ctx, s0, s1, own=False) else ""
    if FROM_TO.match(text, c.end) and FROM_RE.search(text, max(s0, c.start - 12), c.start):
        return ""  # the "before" value of a from-to pair is not the method's result
    m = PAREN_OWNER.search(text, max(s0, c.start - 40), c.start)
    if m and norm_key(m.group("name")) not in ctx.method_keys and not VS_NEXT.match(text, c.end) \
            and not _is_bench(ctx, m.start("name")):  # "matches the prior best on ZINC (0.059 MAE)": where, not whose
        return ""  # "surpassing LoRA (42.30%)": another method's number ("LoRA (45.1% vs. 42.3%)": the second)
    if _COMPARED_BEFORE.search(text, max(s0, c.start - 40), c.start) and not named:
        return ""  # "a mean score of 8.46/10 versus 3.66/10", "(vs. Rho = 0.36 for ...)": what it is compared with
    p = text.rfind("(", s0, c.start)
    if p > 0 and VS_PAIR.fullmatch(text, p + 1, c.start):
        m = PAREN_OWNER.search(text, max(s0, p - 40), p + 1)
        if m and norm_key(m.group("name")) not in ctx.method_keys:
            return ""
    a, b = clause_span(ctx, s0, s1, c.start)
    # "a gold standard with high inter-rater reliability (92.2% agreement)": the annotators' number, unless
    # the method is what changes it ("we notably increase inter-annotator agreement (0.194 to 0.256)")
    ann = context_cues()["annotation"].search(text, max(a, c.start - 80), c.start)
    if ann and not _changes().search(text, max(a, ann.start() - 40), ann.start()):
        return ""
    if model and not named and not model[:1].isdigit() and not _mentions(ctx, a, b, own=True):
        return ""  # "even GPT-4 fails on 21% of the cases"
    w = _WHICH.search(text, max(s0, c.start - 160), c.start) if c.family != "data" else None
    if w and norm_key(w.group("name")) not in ctx.method_keys and not _is_bench(ctx, w.start("name")):
        return ""  # "outperforming GPT-4o, which recorded 39% accuracy": that system's own number
    if model and not named and context_cues()["np_of"].match(text, c.end, b) or \
            model and text[c.start - 1:c.start] == "(" and model[:1].islower():
        return ""  # "85% of the baseline", "a pure LLM baseline (23.6%)"
    if not named and _others_subject(ctx, a, c.start):
        return ""  # "leading approaches achieve a perplexity of 10 or greater"
    return ctx.method


def _sized(ctx: Ctx, c: Claim, bench: str) -> bool:
    """Is the count written as the size of a set, right after the set's noun with "of" ("a comprehensive
    set of 303 signs") or the benchmark's name with "of"/"with" ("Gigaword with 4M samples")?"""
    head = ctx.text[max(0, c.start - 60):c.start]
    if context_cues()["sized"].search(head):
        return True
    tail = re.search(r"(?:of|with)\s+(?:over\s+|about\s+|around\s+|nearly\s+)?$", head)
    return bool(tail) and head[:tail.start()].rstrip().endswith(bench.split("; ")[-1])


_INTRO_BEFORE = re.compile(r"(?<!\w)(?:propos|introduc|present|releas|construct|buil|curat|creat|develop|collect)\w*\s+"
                           r"(?:[\w-]+\s+){0,5}?(?:benchmarks?|datasets?|corpus|corpora|suite)?,?\s*(?:called\s+|named\s+)?$", re.I)
_NEW_AFTER = re.compile(r"(?:\s*\([^()]{1,60}\))?,?\s+(?:an?\s+|the\s+first\s+)(?:[\w-]+\s+){0,3}?(?:new|novel)\b|"
                        r"(?:\s*\([^()]{1,60}\))?\s+(?:dataset|benchmark|corpus)\b[^.;]{0,30}\b(?:is|are)\s+(?:also\s+)?introduced", re.I)


def _is_bench(ctx: Ctx, start: int) -> bool:
    return any(n.start == start and ctx.roles.get(n.start) == N.BENCH for n in names_in(ctx, start, start + 1))


@functools.lru_cache(maxsize=1)
def _changes():
    words = sorted(N.cues()["change_verbs"], key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)", re.I)


def _introduced(ctx: Ctx, name: str) -> bool:
    """Does the abstract bring the dataset ``name`` in as its own ("we propose a new benchmark, X",
    "X, a novel dataset", "the X dataset ... is introduced")?"""
    text = ctx.text
    i = text.find(name)
    while i >= 0:
        j = i + len(name)
        whole = not (text[j:j + 1].isalnum() or text[j:j + 1] in "+-_")  # not "X" inside "X++"
        if whole and (_INTRO_BEFORE.search(text, max(0, i - 60), i) or _NEW_AFTER.match(text, j)):
            return True
        i = text.find(name, i + 1)
    return False


def _others_subject(ctx: Ctx, a: int, start: int) -> bool:
    """Is the number, in its clause, said of other systems ("existing methods reach 40%"), with the
    paper's method not named between them and the number?"""
    m = None
    for m in context_cues()["others"].finditer(ctx.text, a, start):
        pass
    # the subject opens its clause ("For instance, leading approaches achieve"); after a verb or
    # a comparison it is an object ("outperforms conventional pruning methods by 7%")
    if m is None or len(_WORD.findall(ctx.text, a, m.start())) > 3 \
            or context_cues()["base_tight"].search(ctx.text, a, m.start()):
        return False
    between = norm_key(ctx.text[m.end():start])
    return not any(k in between for k in ctx.method_keys)


_WORD = re.compile(r"[A-Za-z][\w-]*")


def _mentions(ctx: Ctx, s0: int, s1: int, own: bool) -> bool:
    """Does the sentence name the paper's method (or, with ``own``, speak of "our method")?"""
    key = ("own", s0, own)
    hit = ctx.cache.get(key)
    if hit is None:
        sentence = norm_key(ctx.text[s0:s1])
        hit = any(_key_in(k, sentence, ctx.text, s0, s1) for k in ctx.method_keys) or own and any(
            not _STUDY.match(ctx.text, m.end()) for m in context_cues()["own"].finditer(ctx.text, s0, s1))
        ctx.cache[key] = hit
    return hit


def _key_in(key: str, sentence: str, text: str, s0: int, s1: int) -> bool:
    """Is the method named in the sentence? A short name ("CoR") only as a word of its own, not inside
    another ("score", "correct")."""
    if len(key) > 4:
        return key in sentence
    return re.search(r"(?<![A-Za-z0-9])" + re.escape(key) + r"(?![a-z])", text[s0:s1], re.I) is not None


_CONTRAST = re.compile(r"(?<!\w)(?:whereas|while|but)\W*$", re.I)
_WHICH = re.compile(r"(?<![\w.+-])(?P<name>[A-Z][\w.+-]*[\w+]),\s+(?:which|who)\s+[^,;()]{0,80}?"
                    r"(?:\s(?:and|or)\s[^,;()]{0,40})?\$?$")


# "Our findings reveal that even GPT-4 fails on 21%": the study's, not the method's, words
_STUDY = re.compile(r"\s+(?:findings|analysis|analyses|study|studies|observations|investigation)\b", re.I)
