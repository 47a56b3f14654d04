"""Find model and benchmark names in a text, and give each one canonical spelling.

Known names come from the lexicons (rules/lexicons/models.yaml, benchmarks.yaml): a family stem
is matched together with the version, size and variant pieces that follow it ("LLaMA-2-7B-chat",
"Claude 3.5 Sonnet", "WikiText-103", "WMT'21"). Unknown names are caught by their shape: a name
with a size ("FLM-101B", "LaPM 540B") is a model; a CamelCase, upper-case or digit-bearing word
("InfiniteBench", "SALMONN") is a bare name whose role the context decides (extract/context.py);
"the X benchmark/dataset" is a benchmark.

Speed: a text is scanned once for words that start with a capital or a digit (names almost always
do); only those words whose leading letters begin a lexicon alias are tried against the full
patterns, anchored. Lexicon names that start in lower case ("llama", "mT5") are found with
str.find on the lower-cased text. The stdlib ``re`` is used here: it is several times faster
than ``regex`` for these scans.
"""
from __future__ import annotations

import bisect
import functools
import re
from dataclasses import dataclass

from extract.context.name_lexicons import (  # noqa: F401  (KIND_WORD, trie, cues: used through this module)
    BEFORE_NOUN, KEY_RE, KIND_WORD, SIZE_PATTERN, SIZED, SIZE_PHRASE, TOKEN_RE, lexicon_data, trie, cues, is_stopword)

MODEL, BENCH, NAME = "model", "benchmark", "name"


@dataclass(frozen=True, slots=True)
class Name:
    start: int
    end: int
    text: str
    kind: str  # MODEL, BENCH or NAME (name-shaped, role unknown)
    canonical: str
    known: bool  # from a lexicon
    weak: bool = False  # a lower-case descriptive phrase ("math benchmarks"): used only beside a real name


# ---------------------------------------------------------------- canonical spellings

_VARIANT_CASE = {v.lower(): v for v in (
    "Instruct", "Chat", "Base", "IT", "HF", "Turbo", "Mini", "Large", "Small", "Medium", "XL", "XXL", "Tiny",
    "Nano", "Pro", "Ultra", "Flash", "Lite", "Plus", "Max", "Preview", "Coder", "Code", "Math", "Vision", "VL",
    "Audio", "Uncased", "Cased", "Distill", "Distilled", "SFT", "DPO", "RLHF", "Sonnet", "Opus", "Haiku", "Omni",
    "Air", "Next", "MoE")}
_PIECE = re.compile(r"\((\w+)\)|(?:\d+x)?\d+(?:\.\d+)?[BbMm](?![A-Za-z0-9])|[A-Za-z0-9][A-Za-z0-9.]*")
_SIZE_RE = re.compile(SIZE_PATTERN)


def _model_canonical(m) -> str:
    entry = lexicon_data()["models"].entry(m.group("stem"))
    base = entry["name"] if entry else m.group("stem")
    ver = (m.group("ver") or "").strip(" -_").lstrip("v")
    if ver:
        base += (entry.get("join", "-") if entry else "-") + ver
    parts = [base]
    for p in _PIECE.finditer(m.group("rest") or ""):
        s = p.group(1) or p.group()
        if _SIZE_RE.fullmatch(s):
            s = s[:-1] + s[-1].upper()
        else:
            s = _VARIANT_CASE.get(s.lower(), s)
        parts.append(s)
    return "-".join(parts)


def _bench_canonical(m) -> str:
    by = lexicon_data()["benches"].by_spelling
    pair = ""
    g = m.groupdict()
    pair_text = g.get("ypair") if g.get("ystem") else g.get("pair")
    if pair_text:
        langs = re.findall(r"[A-Za-z]+", pair_text)
        langs = [x for x in langs if x.lower() != "to"]
        pair = " " + "-".join(_LANG_CODE.get(x.lower(), x[:2].capitalize()) for x in langs)
    if g.get("ystem"):
        return by[m.group("ystem")]["name"] + re.sub(r"\D", "", m.group("year"))[-2:] + pair
    entry = lexicon_data()["benches"].entry(m.group("stem"))
    base = entry["name"] if entry else m.group("stem")
    ver = (m.group("ver") or "").strip(" -_")
    if ver[:1] in ("v", "V"):
        base += " v" + ver[1:]  # "VQAv2", "VQA v2", "Natural Instructions V2"
    elif ver:
        base += ("-" if base[-1:].isalpha() else "") + ver.upper().replace("K", "k")
    for p in re.finditer(r"\+|[A-Za-z][\w-]*", m.group("rest") or ""):
        piece = p.group()
        base += piece if piece == "+" else ("-" if m.group("rest")[p.start() - 1] == "-" else " ") + piece
    return base + pair


_TRAILING_NOUN = re.compile(r"\s+(?:benchmark|dataset|corpus|corpora|test set|testbed|suite|leaderboard|task)s?$")
_LANG_CODE = {"english": "En", "german": "De", "french": "Fr", "romanian": "Ro", "russian": "Ru", "czech": "Cs",
              "chinese": "Zh", "japanese": "Ja", "finnish": "Fi", "turkish": "Tr", "spanish": "Es", "italian": "It",
              "portuguese": "Pt", "arabic": "Ar", "hindi": "Hi", "korean": "Ko", "vietnamese": "Vi",
              "estonian": "Et", "latvian": "Lv", "lithuanian": "Lt", "kazakh": "Kk", "gujarati": "Gu",
              "polish": "Pl", "dutch": "Nl", "hebrew": "He", "ukrainian": "Uk", "indonesian": "Id", "thai": "Th",
              "swedish": "Sv", "greek": "El", "bengali": "Bn", "tamil": "Ta"}


@functools.lru_cache(maxsize=4096)
def canonical(kind: str, text: str) -> str:
    """Canonical spelling of one name as written ("LLaMA2-7B" -> "Llama-2-7B"). Names the
    lexicons do not know keep their text, without a leading article."""
    text = text.strip()
    lex = lexicon_data()["models" if kind == MODEL else "benches"]
    m = lex.regex.fullmatch(text) or (lex.ci_regex.fullmatch(text) if lex.ci_regex else None)
    if m:
        return _model_canonical(m) if kind == MODEL else _bench_canonical(m)
    text = re.sub(r"^(?:the|a|an|The|A|An)\s+", "", text)
    if kind == BENCH:
        text = _TRAILING_NOUN.sub("", text) or text
    return text


# ---------------------------------------------------------------- scanning

# "7B-parameter", "7B-13B", "12.5Hz", "4-bit", "2D": quantities, not names
_QUANTITY_TOKEN = re.compile(r"\d[\d.,]*(?:[A-Za-z]{1,2}|x)?(?:$|[-–/])")


# "M4-RAG": a name goes on past the lexicon's, so the lexicon's is only a piece of it ("-based" is a modifier)
_INSIDE = re.compile(r"-[A-Z0-9]")
# two letters somewhere, and a capital after the first character or a capital start with a digit after it
_SHAPE = re.compile(r"(?=[^A-Za-z]*[A-Za-z][^A-Za-z]*[A-Za-z])(?:.[^A-Z]*[A-Z]|[A-Z][^\d]*\d)")
_DIGIT = re.compile(r"\d")


def _shaped(tok: str, d) -> bool:
    """A word that looks like a proper name: CamelCase, upper-case, or letters with digits."""
    if not _SHAPE.match(tok) or _QUANTITY_TOKEN.match(tok):
        return False
    low = tok.lower()
    return not (low in d["stop"] or low in d["generic"] or d["hardware"].fullmatch(tok))


def _boundary(text: str, pos: int) -> bool:
    return pos == 0 or not (text[pos - 1].isalnum() or text[pos - 1] in "_-")


# What a word alone says (its lexicon keys, whether it holds a digit, whether it is name-shaped) depends
# only on the word and the lexicons: worked out once per distinct word, kept with the lexicons' data.
_MEMO_MAX = 200_000


def _token_info(tok: str, d) -> tuple:
    k = KEY_RE.match(tok)
    which = d["keymap"].get(k.group(), 0) if k else 0
    ci_which = d["ci_keymap"].get(k.group().lower(), 0) if k else 0
    bare = tok.rstrip(".'/-")
    digit_start, has_digit, shaped = tok[0].isdigit(), bool(_DIGIT.search(bare)), _shaped(bare, d)
    # (last) nothing in the word itself can start a name
    return which, ci_which, digit_start, bare, has_digit, shaped, not (which or ci_which or digit_start or has_digit
                                                                       or shaped)


def scan(text: str) -> list[Name]:
    """Every model, benchmark and name-shaped word in ``text``, in order, without overlaps."""
    d = lexicon_data()
    mlex, blex, keymap = d["models"], d["benches"], d["keymap"]
    found: list[Name] = []

    def lexicon_at(pos: int, which: int, ci: bool = False) -> bool:
        best = None
        if which & 1:
            m = (mlex.ci_regex if ci else mlex.regex).match(text, pos)
            if m and not _INSIDE.match(text, m.end()):
                best = Name(pos, m.end(), m.group(), MODEL, _model_canonical(m), True)
        if which & 2:
            m = (blex.ci_regex if ci else blex.regex).match(text, pos)
            if m and not _INSIDE.match(text, m.end()) and (best is None or m.end() > best.end):
                best = Name(pos, m.end(), m.group(), BENCH, _bench_canonical(m), True)
        if best is not None:
            found.append(best)
            return True
        return False

    memo = d["tokens"]
    if len(memo) > _MEMO_MAX:
        memo.clear()
    for t in TOKEN_RE.finditer(text):
        tok = t.group()
        info = memo.get(tok)
        if info is None:
            info = memo[tok] = _token_info(tok, d)
        # most words ("We", "The", "In") are no name and hold no digit: only a size after them could make one
        if info[6]:
            end = t.end()
            if text[end:end + 1] != " " or not text[end + 1:end + 2].isdigit():
                continue
        pos = t.start()
        if pos and (text[pos - 1].isalnum() or text[pos - 1] in "_-"):
            continue
        which, ci_which, digit_start, tok, has_digit, shaped, _ = info
        if which and lexicon_at(pos, which):
            continue
        if ci_which and lexicon_at(pos, ci_which, ci=True):
            continue
        if digit_start:
            m = SIZE_PHRASE.match(text, pos)
            if m:
                found.append(Name(pos, m.end(), m.group(), MODEL, m.group(), False))
                continue
        end = t.end()
        if has_digit or text[end:end + 1] == " " and text[end + 1:end + 2].isdigit():
            m = SIZED.match(text, pos)
            if m:
                name = m.group("name").lower()
                if not (m.group("sep") == " " and not _shaped(m.group("name"), d)) \
                        and name not in d["stop"] and name not in d["generic"]:
                    found.append(Name(pos, m.end(), m.group(), MODEL, m.group(), False))
                    continue
        if shaped:
            found.append(Name(pos, pos + len(tok), tok, NAME, tok, False))
    for needle, which in d["needles"]:
        i = text.find(needle)
        while i >= 0:
            if _boundary(text, i):
                lexicon_at(i, which)
            i = text.find(needle, i + 1)
    known = {(n.start, n.end) for n in found if n.known and n.kind == BENCH}
    for noun in _NOUNS:
        i = text.find(noun)
        while i >= 0:
            if i and text[i - 1] == " ":
                _phrase_before(text, i, noun, known, found, d)
            i = text.find(noun, i + 1)
    return no_overlaps(found)


_NOUNS = ("benchmark", "dataset", "corpus", "corpora", "test set", "testbed", "suite", "leaderboard", "task",
          "scenario", "environment", "Benchmark", "Dataset", "Corpus", "Leaderboard", "Suite", "Challenge")
_WEAK_ONLY = ("scenario", "environment")  # "real-world booking scenarios", never "the WebShop environment"
# "the VTR benchmark suite": a compound noun is the name's noun whole
_NOUN_END = re.compile(r"s?(?:\s(?:suite|collection)s?)?\b")


def _phrase_before(text: str, i: int, noun: str, known: set, found: list, d) -> None:
    """ "the X benchmark", "Laundry List task", "math benchmarks": a benchmark named by the words
    before its noun."""
    m = _NOUN_END.match(text, i + len(noun))
    if not m:
        return
    b = BEFORE_NOUN.search(text, max(0, i - 70), i)
    if not b:
        return
    words = b.group("name").split()
    if noun[0].isupper():  # "Open LLM Leaderboard": the noun is part of the name
        while words and words[0] in ("The", "A", "An", "Our", "This", "These", "On", "In"):
            words.pop(0)
        if words and words[0][0].isupper():
            s = b.end("name") - len(" ".join(words))
            found.append(Name(s, m.end(), text[s:m.end()], BENCH, text[s:m.end()], False))
        return
    described = words[-1][0].islower() and text[m.end() - 1:m.end()] == "s"
    if words[-1][0].islower() and _counted(words, b.start("name"), text):
        return  # "six mathematical benchmarks" counts what was studied, it names none
    if described:
        words = _described(words)
    else:
        while words and words[0].lower() in d["generic"]:
            words.pop(0)
    if not words or all(w.replace(",", "").isdigit() for w in words):
        return  # "On 3 suite benchmarks": a count is no name
    weak = words[0][0].islower()
    if (weak and (not described and any(is_stopword(w) for w in words) or noun == "task" and m.end() == i + 4)) \
            or (noun in _WEAK_ONLY and not weak) \
            or (len(words) == 1 and words[0].lower() in d["stop"]):
        return
    s, e = b.end("name") - len(" ".join(words)), b.end("name")
    if (s, e) in known:
        return  # "the GSM8K benchmark" is GSM8K
    # an unknown name keeps its noun, as people write it ("the SmolLM corpus", "Laundry List task")
    found.append(Name(s, m.end(), text[s:m.end()], BENCH, " ".join(words), False, weak=weak))


_COUNT_BEFORE = re.compile(r"(?<![\w.-])\d[\d,.]*\s+(?:[a-z][\w-]*\s+){0,2}$")


@functools.lru_cache(maxsize=1)
def _openers() -> tuple[frozenset, frozenset]:
    c = cues()
    return frozenset(str(w).lower() for w in c["phrase_openers"]), frozenset(c["count_words"])


def _counted(words: list, start: int, text: str) -> bool:
    counts = _openers()[1]
    return any(w.lower() in counts for w in words) or bool(_COUNT_BEFORE.search(text, max(0, start - 30), start)) \
        or any(w in counts for w in text[max(0, start - 30):start].lower().split()[-2:])


def _described(words: list) -> list:
    """The words of a lower-case phrase that describe the benchmarks ("multiple mainstream code generation
    benchmarks" -> "mainstream code generation"), none that only say which, how many or how known."""
    openers = _openers()[0]
    while words and words[0].lower() in openers:
        words = words[1:]
    return [] if any(w.lower() in openers for w in words) else words


def no_overlaps(found: list[Name]) -> list[Name]:
    """Keep the longest names (lexicon before pattern on ties), in text order."""
    found.sort(key=lambda n: (-(n.end - n.start), not n.known, n.kind == NAME, n.start))
    kept: list[Name] = []
    starts: list[int] = []
    for n in found:
        i = bisect.bisect_left(starts, n.start)
        if (i > 0 and kept[i - 1].end > n.start) or (i < len(kept) and kept[i].start < n.end):
            continue
        starts.insert(i, n.start)
        kept.insert(i, n)
    return kept
