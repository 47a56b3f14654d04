"""Fuzz the reader and the extractor: for every input, nothing raises and every line is accounted for."""
import json
import pytest

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from extract.read.corpus import ReadStats, Rejected, read_corpus
from extract.read.lines import looks_utf16
from extract.errors import InputError
from extract.match.engine import RuleTimeout
from extract.records import Paper
from extract.run.batch import extract_paper

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def physical_lines(data: bytes) -> int:
    """Lines as a reader of b"\\n"-separated lines sees them (a last line needs no newline)."""
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def read_all(tmp_path, data: bytes):
    p = tmp_path / "fuzz.jsonl"
    p.write_bytes(data)
    stats = ReadStats()
    items = list(read_corpus(p, stats))
    return items, stats


def check_accounting(data: bytes, items, stats) -> None:
    papers = [i for i in items if isinstance(i, Paper)]
    rejected = [i for i in items if isinstance(i, Rejected)]
    assert len(papers) + len(rejected) == len(items)
    if data[:2] != b"\x1f\x8b":
        # gzip bytes are read as a compressed corpus: its lines are the decompressed ones
        assert stats.lines_read == physical_lines(data)
    assert (stats.papers, stats.rejected) == (len(papers), len(rejected))
    assert stats.lines_read == stats.papers + stats.rejected + stats.blank_lines
    # Each line is one record at most, in file order; ids are unique after duplicates are told apart.
    lines = [i.line for i in items]
    assert lines == sorted(set(lines)) and all(1 <= n <= stats.lines_read for n in lines)
    assert len({p.id for p in papers}) == len(papers)
    for p in papers:
        for s in (p.id, p.title, p.abstract):
            assert isinstance(s, str)
            s.encode("utf-8")  # every output can be written
    for r in rejected:
        assert r.reason and isinstance(r.raw, str)


def check_extraction(papers) -> None:
    for p in papers:
        try:
            claims = extract_paper(p)
        except RuleTimeout:
            continue  # reported by the pipeline; not an error of the reader
        for c in claims:
            assert p.abstract[c.start:c.end] == c.value_text
            assert c.value == c.value


# Bytes with enough newlines, braces and quotes to make partial JSON lines, plus arbitrary noise.
PIECES = st.sampled_from([b"\n", b"\r\n", b"{", b"}", b'"', b":", b",", b"[", b"]", b"\xef\xbb\xbf", b"\xff",
                          b'{"id": "a", "abstract": "2.5x faster"}', b'"id"', b'"abstract"', b"null", b"3.2%",
                          b"\x00", b" ", b"\\u", b"\\ud800"])
RANDOM_BYTES = st.one_of(st.binary(max_size=400), st.lists(st.one_of(PIECES, st.binary(max_size=8)), max_size=60)
                         .map(b"".join))


@FUZZ
@given(data=RANDOM_BYTES)
@example(data=b"[{")  # one line that opens an array is that line's to reject, not a JSON array over many lines
@example(data=b"[\n{")  # an array over two lines is refused whole
def test_random_bytes_never_raise_and_every_line_is_accounted_for(tmp_path, data):
    if looks_utf16(data[:4]):
        # a UTF-16 file is refused whole, with a clear error naming the file, rather than read as garbage
        with pytest.raises(InputError, match="UTF-16"):
            read_all(tmp_path, data)
        return
    try:
        items, stats = read_all(tmp_path, data)
    except InputError as e:
        # a JSON array over several lines ("[", then "{" on a later line) is refused whole, naming the
        # file, as test_random_json_lines_... allows; one line alone ("[{") is that line's to reject
        text = data.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n\x0b\x0c")
        assert "a JSON array" in str(e) and text.startswith("[") and "\n" in text.rstrip(), e
        return
    check_accounting(data, items, stats)
    check_extraction([i for i in items if isinstance(i, Paper)])


# Texts an abstract might hold: numbers, units, LaTeX, entities, odd spaces and digits, anything.
ODD_TEXT = st.lists(st.one_of(
    st.sampled_from(["7B", "3.2%", "2.5x", "$2.5\\times$", "\\%", "&gt;", "&#215;", "\u22123.2", "\u2009", "\u00a0",
                     "\u0967\u0968", "1e10", "12,000", " faster", " accuracy", " parameters", " on GLUE", ". ",
                     "LLaMA-2-13B", "GPT-4", " by ", " to ", " from ", "(", ")", "~", "-", "\n", "\t"]),
    st.text(max_size=12)), max_size=30).map("".join)
JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), ODD_TEXT)
JSON_VALUE = st.recursive(JSON_SCALAR, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                               st.dictionaries(st.text(max_size=5), inner, max_size=3)),
                          max_leaves=8)
FIELD = st.one_of(ODD_TEXT, JSON_VALUE)
PAPERISH = st.fixed_dictionaries({}, optional={"id": st.one_of(st.sampled_from(["a", "b", "a#2"]), FIELD),
                                               "title": FIELD, "abstract": FIELD, "extra": JSON_VALUE})
LINE = st.one_of(PAPERISH.map(json.dumps), JSON_VALUE.map(json.dumps), st.just(""), st.text(max_size=20))


@FUZZ
@given(lines=st.lists(LINE, max_size=12), crlf=st.booleans(), last_newline=st.booleans())
def test_random_json_lines_never_raise_and_every_line_is_accounted_for(tmp_path, lines, crlf, last_newline):
    sep = "\r\n" if crlf else "\n"
    data = (sep.join(lines) + (sep if last_newline else "")).encode("utf-8", errors="surrogatepass")
    try:
        items, stats = read_all(tmp_path, data)
    except InputError as e:  # a pretty-printed JSON array is refused as a whole, in one line
        assert "a JSON array" in str(e) and data.decode("utf-8", errors="replace").lstrip().startswith("[")
        return
    check_accounting(data, items, stats)
    check_extraction([i for i in items if isinstance(i, Paper)])
    # Oracle: a physical line that is a JSON object with a string (or integer) id and a string abstract
    # is a paper; every other non-blank line is rejected.
    papers = rejected = 0
    for raw in data.split(b"\n")[: stats.lines_read]:
        text = raw.rstrip(b"\r").decode("utf-8", errors="replace").lstrip("\ufeff")
        if not text.strip():
            continue
        try:
            obj = json.loads(text, strict=False)
        except ValueError:
            rejected += 1
            continue
        pid = obj.get("id") if isinstance(obj, dict) else None
        ok_id = (isinstance(pid, str) and pid.strip()) or (isinstance(pid, int) and not isinstance(pid, bool))
        if ok_id and isinstance(obj.get("abstract"), str):
            papers += 1
        else:
            rejected += 1
    assert (stats.papers, stats.rejected) == (papers, rejected)

@settings(max_examples=60, deadline=None)
@given(text=ODD_TEXT)
def test_extractor_never_raises_on_odd_text(text):
    check_extraction([Paper(id="x", title="", abstract=text)])


ODD_ID = st.one_of(st.sampled_from(["a", "a", "=cmd|' /C calc'!A0", "+1", "@x", "-1", "a#2"]), st.text(min_size=1, max_size=8))
ODD_PAPER = st.fixed_dictionaries({"id": ODD_ID, "title": st.one_of(ODD_TEXT, st.none()), "abstract": ODD_TEXT})
ODD_LINE = st.one_of(ODD_PAPER.map(json.dumps), st.text(max_size=10), st.just("\x00\x01"), st.just(""))


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(ODD_LINE, min_size=1, max_size=8))
def test_whole_run_on_random_corpora_writes_every_output_and_reconciles(tmp_path_factory, lines):
    import pandas as pd

    from extract.run import pipeline
    from extract.write import writers

    d = tmp_path_factory.mktemp("run")
    src = d / "c.jsonl"
    text = "\n".join(lines)
    src.write_bytes(text.encode("utf-8", errors="surrogatepass"))
    out = d / "out"
    s = pipeline.run(src, out, workers=1)
    # physical lines end at "\n" only (a generated line may hold one; U+0085 or U+2028 end no line)
    physical = text.split("\n")
    if physical[-1] == "":
        physical.pop()
    assert s["lines_read"] == s["papers_read"] + s["lines_rejected"] + s["blank_lines"] == len(physical)
    errors = [e for e in (out / "errors.jsonl").read_text(encoding="utf-8").split("\n") if e]
    assert len(errors) == s["lines_rejected"] + s["warnings"] + s["papers_failed"]
    pq = pd.read_parquet(out / "claims.parquet")
    csv = writers.read_claims_csv(out / "claims.csv")
    assert len(csv) == len(pq) == s["claims"]
    for col in ("paper_id", "title", "value_text", "evidence"):
        assert list(csv[col]) == [v.replace("\r\n", "\n").replace("\r", "\n") for v in pq[col]]
    assert (out / "leaderboard.xlsx").stat().st_size > 0


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(papers=st.lists(ODD_PAPER, min_size=1, max_size=6))
def test_claims_of_odd_papers_round_trip_through_csv_and_into_the_workbook(tmp_path_factory, papers):
    """The writers alone (a whole run is slow): odd ids, titles and evidence survive CSV and XLSX."""
    from extract.write import leaderboard
    from extract.write import writers
    from extract.table import to_frame

    d = tmp_path_factory.mktemp("w")
    src = d / "c.jsonl"
    src.write_text("".join(json.dumps(p) + "\n" for p in papers), encoding="utf-8")
    claims = []
    for p in read_corpus(src):
        if isinstance(p, Rejected):  # e.g. an id of only spaces
            continue
        try:
            claims.extend(extract_paper(p))
        except RuleTimeout:
            pass
    df = to_frame(claims)
    writers.write_csv(df, d / "claims.csv")
    back = writers.read_claims_csv(d / "claims.csv")
    assert len(back) == len(df)
    for col in ("paper_id", "title", "value_text", "evidence"):
        assert list(back[col]) == [v.replace("\r\n", "\n").replace("\r", "\n") for v in df[col]]
    assert list(back["value"]) == list(df["value"])
    leaderboard.write_workbook(df, {"input": str(src)}, d / "lb.xlsx")
