"""The lexicons the name scan reads: the model and benchmark lists of rules/lexicons/ compiled into
anchored patterns (stem, then version, size and variant pieces), and the cue phrases of context.yaml.
Loaded once per process (names.py scans with them, canonical spellings are built from their pieces)."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import yaml

from extract.match.ruleset import rules_dir


def trie(words) -> str:
    """One regex alternation for many literals, as a trie; longer matches are tried first."""
    root: dict = {}
    for w in words:
        node = root
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node) -> str:
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        if len(alts) == 1 and "" not in node:
            return alts[0]  # a chain of single letters needs no group: half the pattern, twice as fast to compile
        body = "(?:" + "|".join(alts) + ")"
        return body + "?" if "" in node else body

    return build(root)


KEY_RE = re.compile(r"\d*[A-Za-z]+")
TOKEN_RE = re.compile(r"[A-Z0-9][\w'+./-]*")


def _key(s: str) -> str:
    m = KEY_RE.match(s)
    return m.group() if m else ""


def _spellings(alias: str, any_case: bool) -> set[str]:
    out = {alias, alias.upper(), alias[:1].upper() + alias[1:]}
    if any_case:
        out |= {alias.lower(), alias.lower().capitalize()}
    return out


# Pieces after a model stem. A version is a bare number ("2", "3.1", "4o"); a size carries B/M
# ("7B", "8x7B"); variants are known words or capitalised pieces ("-Instruct", "-MoD", "-V3").
_VARIANTS = ("instruct|chat|base|it|hf|turbo|mini|large|small|medium|xl|xxl|tiny|nano|pro|ultra|flash|lite|"
             "plus|max|preview|coder|code|math|vision|vl|audio|uncased|cased|distill|distilled|sft|dpo|rlhf|"
             "sonnet|opus|haiku|omni|air|next|moe|v\\d+(?:\\.\\d+)*|\\d+k")
SIZE_PATTERN = r"(?:\d+x)?\d+(?:\.\d+)?[BbMm](?![A-Za-z0-9])"
_NOT_QUANTITY = r"(?!\s*(?:%|\\%|×|x\b|times\b|-?fold\b|points?\b|pp\b|percent|bits?\b|[-–]\s*\d))"
_MODEL_TAIL = rf"""
  (?P<ver>
     (?:[-_]|(?<=[A-Za-z])|\s(?=v?\d{{1,2}}(?:\.\d)?(?![\w.]){_NOT_QUANTITY}))
     (?!{SIZE_PATTERN})v?\d+(?:\.\d+)*(?:o|V)?(?![A-Za-z0-9]|\.\d)
  )?
  (?P<rest>(?:
     [-_\s]{SIZE_PATTERN}
   | -(?i:{_VARIANTS})(?![A-Za-z0-9])
   | -[A-Z][A-Za-z0-9]*(?:\.\d+)*(?![A-Za-z0-9])
   | \s(?:Instruct|Chat|Base|Turbo|Pro|Ultra|Flash|Sonnet|Opus|Haiku|Nano|Mini|Large|Small|Medium|Vision|Coder|Max|Plus|Lite|Preview)\b
     (?:\s\d{{1,2}}(?:\.\d)?(?![\w.]|\.\d){_NOT_QUANTITY})?
   | \s?\((?:small|base|large|medium|XL|XXL|tiny|mini)\)
   | /\d+(?![\d.])
  )*)
"""
# A translation direction after a benchmark ("WMT'14 English-German", "IWSLT14 De-En").
_LANGS = ("English|German|French|Romanian|Russian|Czech|Chinese|Japanese|Finnish|Turkish|Spanish|Italian|"
          "Portuguese|Arabic|Hindi|Korean|Vietnamese|Estonian|Latvian|Lithuanian|Kazakh|Gujarati|Polish|Dutch|"
          "Hebrew|Ukrainian|Indonesian|Thai|Swedish|Greek|Bengali|Tamil|"
          "En|De|Fr|Ro|Ru|Cs|Zh|Ja|Fi|Tr|Es|It|Pt|Ar|Hi|Ko|Vi|Et|Lv|Lt|Kk|Gu|Pl|Nl|He|Uk|"
          "EN|DE|FR|RO|RU|CS|ZH|JA|FI|TR|ES|IT|PT|AR|HI|KO|VI|ET|LV|LT|KK|GU|PL|NL|HE|UK")
_PAIR = rf"\s+(?:{_LANGS})\s*(?:-to-|-|–|→|->|⇒|\s+to\s+)\s*(?:{_LANGS})(?![A-Za-z])"
# Pieces after a benchmark stem: number/version, '+', variant words; a year where the entry allows.
_BENCH_TAIL = r"""
  (?P<ver>
     [-_]?(?:v|V)?\d+(?:\.\d+)?[kK]?(?![A-Za-z0-9]|\.\d)
   | \s(?:v|V)\d+(?:\.\d+)?\b
   | \s[12]\.[01](?![\d.])
  )?
  (?P<rest>(?:
     \+
   | -(?:Pro|Hard|Lite|Verified|Challenge|Easy|Plus|Full|Mini|HQ|CN|EN|Zh|En|en|zh|Sub|Long|Extended|Redux|Multi|Sketch|Stuff|[A-Z]|c|e)(?![A-Za-z0-9])
   | \s(?:Verified|Lite|Hard|Pro|Plus|Full|Challenge|Easy)\b
   | \s(?:test-clean|test-other|dev-clean|dev-other)\b
  )*)
  (?P<pair>""" + _PAIR + r""")?
"""
_YEAR = r"(?P<year>['’]\d{2}(?!\d)|\s?(?:19|20)\d{2}(?!\d)|\s?\d{2}(?![\d.%,]))(?P<ypair>" + _PAIR + ")?"

# Unknown names with a size: "FLM-101B", "AntGLM-Med-10B", "LaPM 540B".
SIZED = re.compile(r"""
  (?P<name>[A-Z][A-Za-z0-9]*(?:[-_.][A-Za-z][A-Za-z0-9]*)*)
  (?P<sep>[-_]|\s)(?P<size>(?:\d+x)?\d+(?:\.\d+)?[BM])(?![A-Za-z0-9])
  (?:-(?i:""" + _VARIANTS + r""")(?![A-Za-z0-9])|-[A-Z][A-Za-z0-9]*(?![A-Za-z0-9]))*
""", re.X)
# "the X benchmark", "X dataset", "math benchmarks": the noun, then the words before it.
BEFORE_NOUN = re.compile(
    r"(?:^|(?<=[^\w'’+.-]))(?P<name>(?:[A-Z]|\d+[A-Za-z])[\w'+.-]*(?:\s(?:of\s)?[A-Z0-9][\w'+.-]*){0,4}(?:\s\([A-Z][\w-]*\))?"
    r"|[a-z][a-z-]*(?:\s[a-z][a-z-]*)?)\s$")
# "a 7B model", "our 3B-parameter SLM", "the 1.3B-parameter dense model": a model named by its size
# the words between may be a kind in lower case or a short acronym ("a 30B MoE model", "4B-parameter
# on-device TTS model"), not a function word ("7B and 13B models" is two sizes)
KIND_WORD = r"(?:(?!(?:and|or|to|of|in|on|for|with|the|a|an|than|vs|per|from|into|at|by)\s)[a-z][\w-]*|[A-Z][A-Za-z]{1,3})\s"
SIZE_PHRASE = re.compile(r"\d+(?:\.\d+)?[BM](?:-parameters?\s(?:" + KIND_WORD + r"){0,2}(?:models?|LLMs?|LMs?|SLMs?|"
                          r"MLLMs?|VLMs?|transformers?|networks?)(?:\s(?:baselines?|variants?))?"
                          r"|\s(?:" + KIND_WORD + r"){0,2}?models?(?!\s(?:scale|size)))\b")


@dataclass(frozen=True)
class _Lex:
    by_spelling: dict  # spelling -> entry
    keys: frozenset  # leading letters of every spelling
    lower_starts: tuple  # lower-cased spellings that start in lower case, for str.find
    regex: re.Pattern
    ci: dict  # lower-cased alias -> entry, for `any_case` entries ("LLaMa", "GSM8k")
    ci_keys: frozenset
    ci_regex: re.Pattern | None

    def entry(self, stem: str):
        return self.by_spelling.get(stem) or self.ci.get(stem.lower())


def _build(entries, tail: str, year_tail: str = "") -> _Lex:
    by, years = {}, {}
    for e in entries:
        for a in e["aliases"]:
            for s in _spellings(str(a), bool(e.get("any_case"))):
                by.setdefault(s, e)
                if e.get("year"):
                    years.setdefault(s, e)
    pat = r"(?P<stem>" + trie(by) + r")(?!(?!v\d)[a-z])" + tail  # a stem is a whole word, or "VQAv2"
    if years:
        pat = r"(?:(?P<ystem>" + trie(years) + r")" + year_tail + r"|" + pat + ")"
    keys = frozenset(_key(s) for s in by if _key(s))
    # names written with a lower-case start ("mT5", "nuScenes", "o1") are found with str.find
    lower = tuple(sorted({str(a) for e in entries for a in e["aliases"] if str(a)[:1].islower()}))
    ci = {str(a).lower(): e for e in entries if e.get("any_case") for a in e["aliases"]}
    ci_regex = re.compile(r"(?P<stem>(?i:" + trie(ci) + r"))(?!(?!v\d)[a-z])" + tail, re.X) if ci else None
    ci_keys = frozenset(_key(a) for a in ci if _key(a))
    return _Lex(by, keys, lower, re.compile(pat, re.X), ci, ci_keys, ci_regex)


@functools.lru_cache(maxsize=1)
def lexicon_data():
    lex_dir = rules_dir() / "lexicons"
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser where installed: ~10x faster

    def load(name):
        return yaml.load((lex_dir / name).read_text(encoding="utf-8"), Loader=loader)

    models = load("models.yaml")["families"]
    benches = load("benchmarks.yaml")["benchmarks"]
    cues = load("context.yaml")
    mlex, blex = _build(models, _MODEL_TAIL), _build(benches, _BENCH_TAIL, _YEAR)
    keymap: dict[str, int] = {}
    for k in mlex.keys:
        keymap[k] = keymap.get(k, 0) | 1
    for k in blex.keys:
        keymap[k] = keymap.get(k, 0) | 2
    # lower-cased keys of `any_case` names, tried when the exact spelling is not known ("LLaMa-1")
    ci_keymap: dict[str, int] = {}
    for k in mlex.ci_keys:
        ci_keymap[k] = ci_keymap.get(k, 0) | 1
    for k in blex.ci_keys:
        ci_keymap[k] = ci_keymap.get(k, 0) | 2
    needles = tuple((s, 1) for s in mlex.lower_starts) + tuple((s, 2) for s in blex.lower_starts)
    return {
        "models": mlex,
        "benches": blex,
        "keymap": keymap,
        "ci_keymap": ci_keymap,
        "needles": needles,
        "stop": frozenset(str(w).lower() for w in cues["not_names"]),
        "generic": frozenset(str(w).lower() for w in cues["generic_words"]),
        "hardware": re.compile(cues["hardware"]),
        "cues": cues,
        "tokens": {},  # word -> _token_info(word), filled as words are met
    }


def cues() -> dict:
    """The cue phrases of rules/lexicons/context.yaml."""
    return lexicon_data()["cues"]


def is_stopword(word: str) -> bool:
    d = lexicon_data()
    return word.lower() in d["stop"] or word.lower() in d["generic"]
