"""The abstract-level half of the context step: scan the names once, decide what each bare name is
(model, benchmark or neither), and find the paper's own method (title prefix, "we propose X")."""
from __future__ import annotations

import re

from extract.context import names as N
from extract.context.registry import add_registry_names, registry_hits
from extract.context.cues import NOT_MODIFIER, VERB_SCORES, Ctx, context_cues, name_groups, norm_key
from extract.records import Paper


REGISTRY_MAX_CHARS = 50_000


def scan_abstract(paper: Paper, sentences, upto: int | None = None) -> Ctx:
    """Scan the abstract once; names after ``upto`` (the end of the last sentence with a claim)
    are never needed, so that tail is not scanned."""
    text = paper.abstract or ""
    head = text if upto is None else text[:upto]
    found = N.scan(head)
    # the registry matcher reads piece by piece in Python: fine for an abstract, too slow for a
    # pathological multi-megabyte one, which keeps the hand-made lexicons' names only
    cache: dict = {}
    if len(head) <= REGISTRY_MAX_CHARS:
        hits = registry_hits(head)
        if hits is not None:
            found = add_registry_names(head, found, hits)
            # the metric names of each sentence are read off these (metric.mentions), not searched again
            cache["registry"] = (len(head), hits)
    found = _add_elided(head, found)
    method, keys, kind = find_method(paper, text)
    if not method:
        method, keys = _subject_method(text, found)
    if method:
        found = _add_method_mentions(text, found, method)
        if not kind and _method_is_model(text, found, keys, method):
            kind = N.MODEL
    roles = roles_of(text, found, keys)
    for n in found:
        if keys and norm_key(n.text) in keys:
            roles[n.start] = kind
    _yield_to_longer(found, roles)
    return Ctx(text, list(sentences), [s for s, _ in sentences], found, [n.start for n in found], roles,
                method, keys, kind == N.MODEL, cache)


_BENCH_NOUN = re.compile(r"\s+(?:dataset|benchmark|corpus|test\s+set)s?$", re.I)


_VERSIONED = re.compile(r"(?P<stem>.*?[A-Za-z])[-_ ]?(?P<v>[vV]\d+(?:\.\d+)?)$")
_ELIDED = re.compile(r"\s*(?:,|and|or|&|/)\s*(?:and\s+)?(?P<v>[vV]\d+(?:\.\d+)?)\b")


def _add_elided(text: str, found: list) -> list:
    """ "NAVSIMv1 and v2": a bare version after a versioned name is that name at the version."""
    extra = []
    for n in found:
        m = _VERSIONED.fullmatch(n.text)
        e = _ELIDED.match(text, n.end) if m else None
        if e:
            name = n.text[:m.start("v")] + e.group("v")
            extra.append(N.Name(e.start("v"), e.end("v"), name, n.kind, name, n.known))
    return N.no_overlaps(found + extra) if extra else found


def _yield_to_longer(found: list, roles: dict) -> None:
    """A benchmark name that is the head of a longer benchmark name of the abstract ("VQA" beside
    "the Kvasir-VQA dataset") is the task that dataset is of, not a second benchmark."""
    # joined by a hyphen, not a space: "MS COCO" is COCO under another spelling, not a dataset of COCO
    benches = {_BENCH_NOUN.sub("", n.text): n.canonical for n in found if roles.get(n.start) == N.BENCH}
    if len(benches) < 2:
        return
    for n in found:
        if roles.get(n.start) == N.BENCH and any(
                len(t) > len(n.text) + 1 and t.endswith(n.text) and t[-len(n.text) - 1] in "-_" and c != n.canonical
                for t, c in benches.items()):
            roles[n.start] = ""


def _add_method_mentions(text: str, found: list, method: str) -> list:
    """The method's name as a name wherever it is written, though its shape is plain ("Satori")."""
    extra = []
    i = text.find(method)
    while i >= 0:
        j = i + len(method)
        if (i == 0 or not text[i - 1].isalnum()) and (j == len(text) or not text[j].isalnum()):
            extra.append(N.Name(i, j, method, N.NAME, method, False))
        i = text.find(method, j)
    return N.no_overlaps(found + extra) if extra else found


def roles_of(text: str, found: list, method_keys) -> dict:
    """What each name is: a model, a benchmark, or nothing we report. A bare name-shaped word
    takes the role of the names it is listed with, or of its cues ("on X", "X, a new benchmark")."""
    cues = context_cues()
    roles = {n.start: (n.kind if n.kind != N.NAME else "") for n in found}  # names never overlap
    votes: dict[str, str] = {}
    for group in name_groups(text, found):
        kinds = {n.kind for n in group if n.kind != N.NAME and not n.weak}
        head = group[0]
        for n in group:
            if n.kind != N.NAME or norm_key(n.text) in method_keys:
                continue
            if len(kinds) == 1:
                votes.setdefault(n.text, kinds.pop() if False else next(iter(kinds)))
            elif cues["bench_apposition"].match(text, n.end) or cues["bench_apposition"].match(text, group[-1].end):
                votes.setdefault(n.text, N.BENCH)  # "NAVSIMv1 and v2 benchmark": the list's noun is each one's
            elif cues["model_apposition"].match(text, n.end):
                votes.setdefault(n.text, N.MODEL)
            elif cues["model_noun_before"].search(text, max(0, head.start - 40), head.start) \
                    or cues["with_lead"].search(text, max(0, head.start - 12), head.start):
                votes.setdefault(n.text, N.MODEL)
            elif cues["count_before"].search(text, max(0, head.start - 24), head.start) \
                    and cues["items_after"].match(text, group[-1].end) \
                    or cues["items_from"].search(text, max(0, head.start - 60), head.start):
                votes.setdefault(n.text, N.BENCH)
            elif cues["on_before"].search(text, max(0, head.start - 12), head.start) \
                    and NOT_MODIFIER.match(text, group[-1].end) \
                    or cues["bench_noun_before"].search(text, max(0, head.start - 30), head.start):
                votes.setdefault(n.text, N.BENCH)
    # "PMC-Cambrian-AN" beside "PMC-Cambrian-8B-AN": a sized model's name written without its size is it
    # (not the paper's own name: "SIFT-50M" may be its dataset, as its title says)
    unsized = {norm_key(_SIZE_PIECE.sub("", n.text)) for n in found if n.kind == N.MODEL and _SIZE_PIECE.search(n.text)
               and norm_key(n.text) not in method_keys}
    for n in found:
        if n.kind == N.NAME and n.text not in votes and norm_key(n.text) in unsized and norm_key(n.text) not in method_keys:
            votes[n.text] = N.MODEL
    for n in found:
        if n.kind == N.NAME and n.text in votes:
            roles[n.start] = votes[n.text]
        elif n.kind == N.NAME and norm_key(n.text) not in method_keys and cues["bench_shape"].fullmatch(n.text):
            roles[n.start] = N.BENCH  # "MEGA-Bench", "VerilogEval": its name says it
    for n in found:
        # a model named as the judge of a metric ("GPT-4 score", "GPT-4 as a judge") is not one studied
        j = cues["judge"].match(text, n.end)
        if j and VERB_SCORES.match(text, j.end()) and not (
                _ARTICLE_BEFORE.search(text, max(0, n.start - 30), n.start) and j.group().lower().endswith("score")):
            j = None  # "our 7B model scores 68.4": a verb, not a judge's score ("a GPT-4 score of 1.29" is one)
        if roles[n.start] == N.MODEL and (j
                                    or cues["judge_before"].search(text, max(0, n.start - 30), n.start)
                                    or _MEASURED_USING.search(text, max(0, n.start - 120), n.start)):
            roles[n.start] = ""
    return roles


_SIZE_PIECE = re.compile(r"[-_ ](?:\d+x)?\d+(?:\.\d+)?[BbMm](?=[-_ ]|$)")
# "quantifying the alignment of the images to their prompts using GPT4o-mini": the model that measures
_MEASURED_USING = re.compile(r"(?<!\w)(?:quantif|measur|scor|rat|judg|grad|assess)\w*\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?"
                             r"(?:of|for|between)\s+[^.;()]{0,80}?\busing\s+(?:the\s+)?$", re.I)
_DATASET_CALLED = re.compile(r"(?<![\w-])(?:dataset|benchmark|corpus|suite)\b[^.;,()]{0,60}$", re.I)
_ARTICLE_BEFORE = re.compile(r"(?<!\w)(?:a|an|the)\s(?:[a-z][\w-]*\s){0,2}$", re.I)
_ACR_AFTER = re.compile(r"\s\(([A-Z][A-Za-z0-9-]{1,12})\)")
# "LongBench: A Bilingual, Multitask Benchmark for ...": the title says the method is a benchmark
_BENCH_TITLE = re.compile(r"\s*(?:A|An|The)\s+[^:]{0,60}?\b(?:benchmark|dataset|corpus|testbed|test suite|leaderboard)s?\b", re.I)
# "eDKM: ...", "vLLM: ...": a name may open in lower case with capitals inside
_CAMEL = re.compile(r"[a-z]{1,2}[A-Z]")
_TITLE_PREFIX = re.compile(r"\s*(?P<p>[^:]{1,50}?)\s*:\s")
# the long form is one noun phrase: it runs across no colon or relative clause ("a PEFT model that
# addresses two problems: medical Visual Question Answering (VQA)" defines a task, not the model)
_ACR_AHEAD = re.compile(r"(?:(?:the|a|an)\s+)?(?:[a-z][\w-]*\s+){0,2}?"
                        r"(?P<long>[A-Z](?:(?!\s(?:that|which|who|whose)\s)[^.;:()]){2,90}?)\s\((?P<acr>[A-Za-z][\w-]{1,14})\)")
# (one noun phrase: no preposition or relative pronoun, so "a method for visual question answering (VQA)"
# names a task, not the method; nor a modifier: "a graph neural network (GNN)-accelerated approach")
_ACR_LOWER = re.compile(r"(?:(?:the|a|an)\s+)?(?P<long>(?:(?!(?:of|for|to|in|on|with|by|from|that|which|and|or)\s)"
                        r"[a-z][\w-]*\s+){1,5}[a-z][\w-]*)\s\((?P<acr>[A-Za-z][\w-]{1,14})\)(?![\w-])")
_NAME_START = re.compile(
    r"(?:(?:the|a|an)\s+)?(?:(?P<long>(?:[A-Z][\w'-]*\s){1,6}?[A-Z][\w'-]*)\s\((?P<acr>[A-Za-z][\w-]{1,14})\)"
    r"|(?P<tok>[A-Za-z][\w+]*(?:[-.][\w+]+)*)(?=\s*(?:,|\(|:|\s(?:a|an|the|which|that|to|for|as|is|with)\b|$)))")


def find_method(paper: Paper, text: str) -> tuple[str, frozenset, str]:
    """The paper's own method, its name keys, and what it is ("model", "benchmark" or ""): the
    title's "X: ..." prefix, else the first name after "we propose/introduce" that is not a
    benchmark the paper introduces beside its method."""
    cues = context_cues()
    name, kind = "", ""
    m = _TITLE_PREFIX.match(paper.title or "")
    if m:
        p = m.group("p").strip()
        words = p.split()
        if len(words) <= 4 and p.lower() not in cues["title_not"] and words[0].lower() not in cues["title_not"] \
                and all(w[:1].isupper() or w[:1].isdigit() or "-" in w or _CAMEL.match(w) for w in words) \
                and (len(words) <= 2 or any(ch.isupper() for w in words for ch in w[1:]) or p in text):
            name = p
            if _BENCH_TITLE.match(paper.title, m.end()):
                kind = N.BENCH
    if not name:
        for rx, stems, named in ((cues["named"], _NAMED_STEMS, True), (cues["intro"], _INTRO_STEMS, False)):
            for mm in _cue_matches(text, rx, stems):
                if named and _DATASET_CALLED.search(text, max(0, mm.start() - 80), mm.start()):
                    continue  # "a large-scale dataset for point cloud up-sampling called SYSU-PCUD": a dataset
                cand = _name_at_start(mm.group("rest"))
                if cand and not cues["bench_apposition"].match(text, mm.start("rest") + mm.group("rest").find(cand) + len(cand)):
                    name = cand
                    break
            if name:
                break
    if not name:
        return "", frozenset(), ""
    keys = {norm_key(name)}
    # the acronym the abstract defines for it ("Denoising LM (DLM)"), used again or not;
    # or the long form of an acronym name ("Advanced ... trAnslator (ALMA)")
    m = _ACR_AFTER.match(text, text.find(name + " (") + len(name)) if name + " (" in text else None
    if m and (" " in name or "-" in name):
        keys.add(norm_key(m.group(1)))
        name = m.group(1)
    return name, frozenset(k for k in keys if k), kind


# the literal starts of the method cues: found with str.find, then the cue pattern is tried there
_INTRO_STEMS = ("propos", "introduc", "present", "develop", "design", "build", "releas", "contribut", "devis",
                "offer", "put forward", "term", "call", "name", "dub", "coin")
_NAMED_STEMS = ("called", "named", "dubbed", "termed", "coined", "which we", "we call", "we name", "we term",
                "we dub", "referred to as", "denoted", "abbreviated as")


def _subject_method(text: str, found: list) -> tuple[str, frozenset]:
    """With no method introduced: a name a verb leads to in apposition with its kind ("we apply PPO, a
    reinforcement learning technique"), else the name no lexicon knows that is most often the subject of a
    verb of result ("UHD-GCN-BIQA achieves PLCC = 0.7784"), name-shaped (capitals inside, a digit or a hyphen)
    or a capitalised word used again and never in lower case ("Minitron models exhibit ...")."""
    known = {norm_key(n.text) for n in found if n.known}
    # "we apply PPO, a reinforcement learning technique": a name in apposition with its kind, after a verb
    cues = context_cues()
    if cues["apposed_tail"].search(text):
        for m in cues["apposed_method"].finditer(text):
            if norm_key(m.group("n")) not in known:
                return m.group("n"), frozenset({norm_key(m.group("n"))})
    counts: dict[str, int] = {}
    body = cues["result_subject"].match
    for m in (body(text, k) for k in _clause_starts(text)):
        if m is None:
            continue
        name = m.group("n")
        # name-shaped, or a capitalised word the abstract uses again and never in lower case ("Minitron")
        if (N.is_stopword(name) or norm_key(name) in known
                or not (any(ch.isupper() or ch.isdigit() for ch in name[1:]) or "-" in name
                        or text.count(name) > 1 and name.lower() not in text and not name.endswith("ing"))):
            continue
        counts[name] = counts.get(name, 0) + 1
    if not counts:
        return "", frozenset()
    name = max(counts, key=lambda k: (counts[k], -text.find(k)))
    return name, frozenset({norm_key(name)})


_CLAUSE_START = re.compile(r"[.;:]\s+|\bthat\s+")


def _clause_starts(text: str):
    """Where a clause may open a subject: the text's start, after ". ", "; ", ": " and "that "."""
    yield 0
    for m in _CLAUSE_START.finditer(text):
        yield m.end()


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


_LATEX_WRAP = re.compile(r"\\(?:textit|textbf|texttt|textsc|emph|mathrm|mathbf)\{([^{}]{1,60})\}")


def _name_at_start(rest: str) -> str:
    # "we propose \textit{GMFlowRec}, an efficient ...": the name inside LaTeX markup
    rest = _LATEX_WRAP.sub(r"\1", rest)
    # "the Decompose, Critique and Refine (DeCRIM) pipeline": the acronym of a capitalised long form
    m = _ACR_AHEAD.match(rest)
    if m and sum(ch.isupper() for ch in m.group("acr")) >= 2:
        return m.group("acr")
    # "a memory-efficient zerothorder optimizer (MeZO)": an acronym after a lower-case long form it starts like
    m = _ACR_LOWER.match(rest)
    if m and sum(ch.isupper() for ch in m.group("acr")) >= 2 and m.group("acr")[0].lower() == m.group("long")[0]:
        return m.group("acr")
    m = _NAME_START.match(rest)
    if m and m.group("acr"):
        return m.group("acr")
    tok = m.group("tok") if m else ""
    if tok and not N.is_stopword(tok) and (any(ch.isupper() for ch in tok) or "-" in tok):
        return tok
    # "a coupled LSTM-GNN framework": a name after a word or two that describe it, before its kind
    d = _DESCRIBED_METHOD.match(rest)
    return d.group("tok") if d and not N.is_stopword(d.group("tok")) else ""


_DESCRIBED_METHOD = re.compile(r"(?:(?!(?:using|with|on|in|of|for|by|via|the|a|an|to|from|and|or|its|their)\s)[a-z][\w-]*\s+){1,2}(?P<tok>[A-Z][\w+]*(?:[-.][\w+]+)*)(?<!-based)(?<!-driven)(?<!-aware)"
                              r"(?<!-like)\s+(?:framework|method|approach|model|system|architecture|pipeline|algorithm|"
                              r"network|technique|agent)\b")
_MODEL_NAMED = re.compile(r"(?<![\w-])(?:model|LLM|LM|language\s+model),?\s+(?:called|named|dubbed|termed)\s+$")


def _method_is_model(text: str, found: list, keys, method: str) -> bool:
    """Does the method name a model ("Satori, a 7B LLM", "FLM-101B", "MindLLM ... models")?"""
    if any(n.kind == N.MODEL and norm_key(n.text) in keys for n in found):
        return True
    rx = context_cues()["lm_apposition"]
    i = text.find(method)
    while i >= 0:
        # "Satori, a 7B LLM"; "The resulting model, dubbed Orsta"
        if rx.match(text, i + len(method)) or _MODEL_NAMED.search(text, max(0, i - 40), i):
            return True
        i = text.find(method, i + 1)
    return False
