"""extract/lexicon.py's find_names is one split of the text and set lookups of glued piece keys (for
speed). Its promise is the module docstring's plain reading: every run of up to MAX_PIECES joined pieces
is a candidate, the longest whose key fits an entry wins, left to right. This file holds that plain
reading as a slow reference matcher and checks that the fast one finds exactly the same names."""
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from extract import lexicon as L

_PIECE = re.compile(r"[^\W_]+(?:[+@][^\W_]*)*\+*")


def _reference(text: str) -> list[tuple[int, int, str, str]]:
    """Try every run of pieces from each piece on, longest first: no pruning, no prefix sets."""
    index = L._index()
    ps = list(_PIECE.finditer(text))

    def joins(i):
        return i + 1 < len(ps) and ps[i + 1].start() == ps[i].end() + 1 and text[ps[i].end()] in L._JOIN

    def suffix(j, kind):
        end = j
        while end + 1 < len(ps) and joins(end) and end - j < 4:
            nxt, sep = ps[end + 1].group(), text[ps[end].end()]
            if kind == "benchmark":
                if sep == "-" and end == j and L._BENCH_SUFFIX.fullmatch(nxt):
                    end += 1
                break
            if not L._SUFFIX.fullmatch(nxt) or sep == "'":
                break
            if sep == " " and not (L._SIZE.fullmatch(nxt) or (
                    end == j and re.fullmatch(r"\d{1,2}", nxt) and not re.match(r"[.,%]?\d|%", text[ps[end + 1].end():]))):
                break
            end += 1
        return end

    out, i = [], 0
    while i < len(ps):
        last = i
        while last + 1 < len(ps) and joins(last) and last - i + 1 < L.MAX_PIECES:
            last += 1
        hit = None
        for j in range(last, i - 1, -1):
            key = "".join(p.group() for p in ps[i:j + 1]).lower()
            bare = "".join(p.group() for p in ps[i:j + 1])
            for entry in index.get(key, ()):
                end = suffix(j, entry.kind) if entry.kind != "metric" else j
                if entry.fits(bare, key) or (bare in entry.suffix_surfaces and end > j):
                    hit = (ps[i].start(), ps[end].end(), entry.kind, entry.name, end)
                    break
            if hit:
                break
        if hit:
            out.append(hit[:4])
            i = hit[4] + 1
        else:
            i += 1
    return out


_WORDS = st.sampled_from(["ImageNet", "accuracy", "LLaMA", "Llama", "2", "7B", "13b", "chat", "Instruct", "of",
                          "81.2%", "on", "the", "race", "RACE", "WER", "wer", "Falcon", "OPT", "ARC", "Challenge",
                          "arc", "pass@1", "HumanEval+", "MATH", "500", "Qwen2.5", "ViT", "B", "16", "top", "1",
                          "é", "Σ", "GSM8K", "Mistral", "9.8", "%", "x", "v2", "_"])
_SEPS = st.sampled_from([" ", "-", "_", ".", "/", "'", "’", "", ", ", "  ", "(", ")", "-\n", "+", "@"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(_WORDS, _SEPS), max_size=25).map(lambda ws: "".join(w + s for w, s in ws))
       | st.text(max_size=120))
def test_fast_scan_finds_what_the_plain_reading_finds(text):
    assert L.find_names(text) == _reference(text)


def test_fast_scan_on_known_names():
    text = "LLaMA-2-7B-chat reaches 81.2% top-1 accuracy on ImageNet and ARC-Challenge; Mistral 7B, Llama 2 9.8%."
    found = L.find_names(text)
    assert found == _reference(text)
    assert [(text[s:e], kind) for s, e, kind, _ in found] == [
        ("LLaMA-2-7B-chat", "model"), ("top-1 accuracy", "metric"), ("ImageNet", "benchmark"),
        ("ARC-Challenge", "benchmark"), ("Mistral 7B", "model"), ("Llama 2", "model")]


# --- match/engine.py: the number-word gate before a digit-free abstract is read -----------------------

from extract.match import engine as E  # noqa: E402

_GATE = st.text(alphabet=st.sampled_from(list("TtIiMmEeFfOoLlDdHhAaVvKkSsUuBbRrPpNnWw ſK-İ")), max_size=40)


@settings(max_examples=300, deadline=None)
@given(_GATE | st.text(max_size=60))
def test_number_word_gate_answers_as_the_case_insensitive_pattern(text):
    assert E._number_words(text) == (E._WORDS.search(text) is not None)


def test_number_word_gate_on_words():
    assert E._number_words("It runs THREE TIMES faster")
    assert E._number_words("halves the memory")
    assert not E._number_words("A new benchmark for reading comprehension")


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=60))
def test_ascii_split_is_the_split(text):
    # find_names splits ASCII text with [A-Za-z0-9] for [^\W_]: the same pieces and gaps
    assert L._SPLIT_ASCII.split(text) == L._SPLIT.split(text)
