"""`extract ingest` and `extract run` on real-shaped sources: arXiv dump, HF daily-papers pages,
CSV/TSV, plain text, each also gzip-compressed. Fixtures are in tests/fixtures/ingest/."""
import csv
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extract.cli import cli
from extract.read.corpus import Rejected, read_corpus
from extract.errors import InputError
from extract.read.ingest import ingest
from extract.read.sources import detect, read_source
from extract.read.arxiv import category_filter, clean
from extract.read.common import collapse, title_id

ROOT = Path(__file__).resolve().parent.parent
FIX = ROOT / "tests" / "fixtures" / "ingest"
PAGES = sorted((FIX / "hf_pages").glob("*.txt"))
ARXIV = FIX / "arxiv" / "arxiv-metadata-sample.json"
CSV = FIX / "tables" / "papers.csv"
TSV = FIX / "tables" / "papers.tsv"
TEXTS = sorted((FIX / "text").glob("*.txt"))


def lines(path):
    return [json.loads(x) for x in Path(path).read_text(encoding="utf-8").splitlines()]


def gz(src: Path, dest_dir: Path) -> Path:
    out = dest_dir / (src.name + ".gz")
    out.write_bytes(gzip.compress(src.read_bytes()))
    return out


def cli_ok(*args):
    r = CliRunner().invoke(cli, [str(a) for a in args])
    assert r.exit_code == 0, r.output
    return r


# --- Hugging Face daily-papers pages -------------------------------------------------------------

def test_seed_pages_give_exactly_the_bundled_corpus(tmp_path):
    """The raw pages in file-name order, first occurrence kept: byte for byte data/papers.jsonl."""
    out = tmp_path / "corpus.jsonl"
    s = ingest([FIX / "hf_pages"], out)
    assert out.read_bytes() == (ROOT / "data" / "papers.jsonl").read_bytes()
    assert s["papers"] == 362 and s["rejected"] == 0
    # every paragraph pair on the pages is accounted for: written or merged
    pairs = sum(1 for p in PAGES for x in read_source(p) if not isinstance(x, Rejected))
    assert pairs == s["papers"] + s["merged"] and s["merged"] > 0 and s["reconciles"]


def test_seed_pages_gzipped_give_the_same_papers(tmp_path):
    d = tmp_path / "pages"
    d.mkdir()
    for p in PAGES:
        gz(p, d)
    assert {detect(f) for f in d.iterdir()} == {"hf-pages"}
    ingest([d], tmp_path / "c.jsonl")
    got, want = lines(tmp_path / "c.jsonl"), lines(ROOT / "data" / "papers.jsonl")
    assert [(g["id"], g["title"], g["abstract"], g["source"]) for g in got] == \
           [(w["id"], w["title"], w["abstract"], w["source"] + ".gz") for w in want]


def test_page_with_a_missing_abstract_reports_the_orphan_title_and_keeps_the_rest(tmp_path):
    text = PAGES[0].read_text(encoding="utf-8")
    paras = text.split("\n\n")
    first_title = next(i for i, x in enumerate(paras) if len(x) > 300) - 1  # paragraph before 1st abstract
    orphan = first_title + 4  # the third paper's title
    del paras[orphan + 1]  # ... loses its abstract
    lost_title = first_title + 2  # and the second paper loses its title
    del paras[lost_title]
    page = tmp_path / "page.txt"
    page.write_text("\n\n".join(paras), encoding="utf-8")
    items = list(read_source(page))
    rejected = [x for x in items if isinstance(x, Rejected)]
    papers = [x for x in items if not isinstance(x, Rejected)]
    whole = [x for x in read_source(PAGES[0]) if not isinstance(x, Rejected)]
    assert len(papers) == len(whole) - 2
    assert [r.reason for r in rejected] == ["an abstract with no title before it", "a title with no abstract after it"]
    assert rejected[1].raw == whole[2].title
    # line numbers point at the paragraph in the damaged file
    assert page.read_text().splitlines()[rejected[1].line - 1] == whole[2].title
    # the papers after the damage pair up again as on the whole page
    assert [(p.title, p.abstract) for p in papers[1:]] == [(p.title, p.abstract) for p in whole[3:]]


page_text = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=60)


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(papers=st.lists(st.tuples(page_text.filter(lambda t: 0 < len(collapse(t)) <= 300),
                                 st.text(min_size=301, max_size=600).filter(lambda a: collapse(a) != "")),
                       min_size=1, max_size=5))
def test_any_page_of_titles_and_abstracts_reads_back(tmp_path, papers):
    """Whatever the titles and abstracts, a page written in the seed format parses back to them."""
    head = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\nMar 13\n\n"
    body = "\n\n".join(f"{collapse(t)}\n\n{collapse(a)}" for t, a in papers)
    page = tmp_path / "p.txt"
    page.write_bytes((head + body + "\n").encode("utf-8"))
    got = list(read_source(page, "hf-pages"))
    assert [(p.id, p.title, p.abstract) for p in got] == \
           [(title_id(t), collapse(t), collapse(a)) for t, a in papers]


# --- arXiv metadata dump ------------------------------------------------------------------------

def test_arxiv_dump_keeps_ids_categories_dates_and_cleans_line_breaks(tmp_path):
    out = tmp_path / "c.jsonl"
    ingest([ARXIV], out)
    got = {p["id"]: p for p in lines(out)}
    raw = {r["id"]: r for r in lines(ARXIV)}
    assert list(got) == list(raw)  # ids kept as is, old-style ones too
    for pid, p in got.items():
        assert "\n" not in p["title"] + p["abstract"] and "\\\\" not in p["abstract"]
        assert p["title"] == collapse(raw[pid]["title"])
        assert p["categories"] == raw[pid]["categories"] and p["date"] == raw[pid]["update_date"]
    assert got["2401.00001"]["published"] == "2024-01-01"
    assert got["2401.00001"]["abstract"].endswith("trains 3.1x faster. Code is released.")
    assert detect(ARXIV) == "arxiv" and detect(gz(ARXIV, tmp_path)) == "arxiv"


def test_category_filter_keeps_matching_papers_and_counts_the_rest(tmp_path):
    s = ingest([ARXIV], tmp_path / "c.jsonl", category="cs.CL,cs.LG")
    assert [p["id"] for p in lines(tmp_path / "c.jsonl")] == ["2401.00001", "2401.00002", "2401.00004"]
    assert s["filtered"] == 2 and s["papers"] == 3
    s = ingest([ARXIV], tmp_path / "d.jsonl", category="cs")
    assert s["papers"] == 4 and s["filtered"] == 1


@pytest.mark.parametrize("spec,cats,keep", [
    ("cs.CL", ["cs.CL"], True), ("cs.CL", ["cs.CLX"], False), ("cs", ["cs.CV", "eess.IV"], True),
    ("cs.*", ["cs.AI"], True), ("cs", ["csx.AI"], False), ("hep-th", ["hep-th"], True),
    ("cs.CL, cs.LG", ["stat.ML", "cs.LG"], True), ("cs.CL", [], False),
])
def test_category_spec(spec, cats, keep):
    assert category_filter(spec)(cats) is keep


def test_latex_line_breaks():
    assert clean("  first line\\\\ second\n  line\\newline third ") == "first line second line third"
    assert clean("2.5\\times and 3\\% stay") == "2.5\\times and 3\\% stay"


def test_arxiv_bad_records_are_reported_with_file_and_line(tmp_path):
    bad = FIX / "bad" / "arxiv-bad.json"
    s = ingest([bad], tmp_path / "c.jsonl")
    rej = lines(tmp_path / "c.rejected.jsonl")
    assert [(r["line"], r["file"]) for r in rej] == [(n, str(bad)) for n in (2, 3, 4, 5)]
    assert "not valid JSON" in rej[0]["reason"] and "'id'" in rej[1]["reason"]
    assert "'abstract'" in rej[2]["reason"] and "JSON object" in rej[3]["reason"]
    assert s["papers"] == 2 and s["rejected"] == 4 and s["reconciles"]


def test_truncated_gzip_is_reported_not_raised(tmp_path):
    data = gzip.compress(ARXIV.read_bytes() * 50)
    f = tmp_path / "dump.json.gz"
    f.write_bytes(data[: len(data) // 2])
    s = ingest([f], tmp_path / "c.jsonl", dedupe="none")
    rej = lines(tmp_path / "c.rejected.jsonl")
    assert s["papers"] > 0 and len(rej) >= 1
    assert "cut short" in rej[-1]["reason"] and rej[-1]["line"] > s["papers"]
    # every whole record before the cut is kept: the dump's papers in order, as far as they go
    ids = [r["id"] for r in lines(ARXIV)]
    assert [p["id"] for p in lines(tmp_path / "c.jsonl")] == (ids * 50)[: s["papers"]]


def test_concatenated_and_corrupt_gzip(tmp_path):
    both = tmp_path / "both.json.gz"
    both.write_bytes(gzip.compress(ARXIV.read_bytes()) + gzip.compress(ARXIV.read_bytes()))
    assert ingest([both], tmp_path / "c.jsonl", dedupe="none")["papers"] == 10
    # corrupt in the middle of a long table: the rows before are kept, the damage is one rejected record
    rows = [f'"Paper {i} {os.urandom(8).hex()}","{os.urandom(60).hex()}"' for i in range(4000)]
    data = bytearray(gzip.compress(("title,abstract\n" + "\n".join(rows) + "\n").encode()))
    data[len(data) // 2: len(data) // 2 + 64] = b"\xff" * 64
    bad = tmp_path / "bad.csv.gz"
    bad.write_bytes(bytes(data))
    s = ingest([bad], tmp_path / "d.jsonl")
    got = lines(tmp_path / "d.jsonl")
    # (deflate notices damage late: the rows decoded just before it may be garbage, but they are not lost
    # silently either, the file is reported; the rows well before it are intact)
    assert [p["title"] for p in got[:1500]] == [r.split('"')[1] for r in rows[:1500]]
    assert s["rejected"] >= 1 and "corrupt" in lines(tmp_path / "d.rejected.jsonl")[-1]["reason"]
    # damage before the header: a clear error, naming the file
    head = bytearray(gzip.compress(CSV.read_bytes()))
    head[12:40] = b"\xff" * 28
    bad.write_bytes(bytes(head))
    with pytest.raises(InputError, match="bad.csv.gz:1: compressed data is corrupt"):
        ingest([bad], tmp_path / "e.jsonl")


# --- CSV / TSV / text ------------------------------------------------------------------------------

def test_csv_and_tsv_default_columns(tmp_path):
    ingest([CSV, TSV], tmp_path / "c.jsonl")
    got = lines(tmp_path / "c.jsonl")
    rows = list(csv.DictReader(CSV.open(encoding="utf-8")))
    assert [g["id"] for g in got[:3]] == [title_id(r["title"]) for r in rows]  # no id column: title hash
    assert got[0]["url"] == rows[0]["url"] and got[0]["source"] == "papers.csv"
    assert [g["id"] for g in got[3:]] == ["T1", "T2"]  # paper_id, Title, Summary found by name
    assert got[3]["abstract"].startswith("Low-rank experts") and got[3]["venue"] == "Interspeech"
    assert "venue" not in got[4]  # empty cells are not carried


def test_csv_columns_by_option_and_semicolons(tmp_path):
    src = FIX / "custom" / "custom_cols.csv"
    r = CliRunner().invoke(cli, ["ingest", str(src), "-o", str(tmp_path / "x.jsonl")])
    assert r.exit_code == 2 and f"{src}:1:" in r.output and "--abstract-col" in r.output
    assert not (tmp_path / "x.jsonl").exists()
    cli_ok("ingest", src, "--title-col", "paper_name", "--abstract-col", "text", "--id-col", "key",
           "-o", tmp_path / "c.jsonl")
    assert [(p["id"], p["title"]) for p in lines(tmp_path / "c.jsonl")] == \
           [("C1", "Speculative Decoding with Tiny Drafters"), ("C2", "Pruning Attention Heads Safely")]


def test_csv_bad_rows_reported_good_rows_kept(tmp_path):
    s = ingest([FIX / "bad" / "bad-rows.csv"], tmp_path / "c.jsonl")
    assert [p["title"] for p in lines(tmp_path / "c.jsonl")] == ["Good Row", "Last Good"]
    assert [(r["line"], r["reason"][:12]) for r in lines(tmp_path / "c.rejected.jsonl")] == \
           [(3, "expected 2 f"), (4, "no id and no")]
    assert s["reconciles"]


@settings(max_examples=50, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.tuples(st.text(max_size=40).filter(lambda t: collapse(t) != ""), st.text(max_size=200)),
                     min_size=1, max_size=8),
       delim=st.sampled_from([",", "\t", ";"]))
def test_any_table_reads_back(tmp_path, rows, delim):
    """Quotes, delimiters, newlines inside cells: every row comes back as the paper it was."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delim)
    w.writerow(["title", "abstract"])
    w.writerows(rows)
    f = tmp_path / "t.csv"
    f.write_text(buf.getvalue(), encoding="utf-8")
    got = list(read_source(f))
    assert [(p.id, p.title, p.abstract) for p in got] == [(title_id(t), collapse(t), collapse(a)) for t, a in rows]


def test_plain_text_files(tmp_path):
    ingest([FIX / "text"], tmp_path / "c.jsonl")
    got = lines(tmp_path / "c.jsonl")
    assert [g["title"] for g in got] == [f.read_text().splitlines()[0] for f in TEXTS]
    assert got[0]["abstract"].startswith("Serving systems waste GPU time") and "\n" not in got[0]["abstract"]
    assert got[1]["abstract"].startswith("We fine-tune on 1,000")
    assert {detect(f) for f in TEXTS} == {"text"}
    s = ingest([FIX / "bad" / "empty.txt"], tmp_path / "e.jsonl")
    assert s["rejected"] == 1 and s["papers"] == 0


@settings(max_examples=80, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=400), name=st.sampled_from(["x.txt", "x.csv", "x.json", "x.tsv", "x"]))
def test_random_bytes_never_crash_and_every_record_is_accounted(tmp_path, data, name):
    f = tmp_path / name
    f.write_bytes(data)
    try:
        items = list(read_source(f))
    except InputError as e:  # a table without the columns it needs: a clear error naming the file
        assert str(f) in str(e)
        return
    assert all(isinstance(x, Rejected) or (x.id and isinstance(x.abstract, str)) for x in items)


# --- detection and forcing ------------------------------------------------------------------------

def test_format_is_told_by_name_and_content_and_can_be_forced(tmp_path):
    assert detect(PAGES[0]) == "hf-pages" and detect(CSV) == "csv" and detect(TSV) == "tsv"
    assert detect(ROOT / "data" / "papers.jsonl") == "jsonl"
    odd = tmp_path / "export.dat"
    shutil.copy(CSV, odd)
    assert detect(odd) == "csv"  # sniffed: a header with an abstract column
    shutil.copy(TSV, odd)
    forced = tmp_path / "forced.jsonl"
    cli_ok("ingest", odd, "--format", "tsv", "-o", forced)
    assert [p["id"] for p in lines(forced)] == ["T1", "T2"]


# --- merging duplicates ---------------------------------------------------------------------------

def test_duplicates_by_id_and_by_normalised_title_keep_the_first(tmp_path):
    a = tmp_path / "a.csv"
    a.write_text('id,title,abstract\nX1,"Attention Is All You Need","first"\nX2,"Other","o"\n', encoding="utf-8")
    b = tmp_path / "b.csv"
    b.write_text('id,title,abstract\nX1,"Renamed","same id"\nX9,"attention is all  you need.","same title"\n',
                 encoding="utf-8")
    s = ingest([a, b], tmp_path / "c.jsonl")
    assert [(p["id"], p["abstract"]) for p in lines(tmp_path / "c.jsonl")] == [("X1", "first"), ("X2", "o")]
    assert (s["merged_by_id"], s["merged_by_title"], s["merged"]) == (1, 1, 2)
    assert {(m["id"], m["kept"], m["by"]) for m in s["merge_examples"]} == {("X1", "X1", "id"), ("X9", "X1", "title")}
    assert s["merge_examples"][1]["kept_at"] == f"{a}:2"
    s = ingest([a, b], tmp_path / "d.jsonl", dedupe="id")
    assert [p["id"] for p in lines(tmp_path / "d.jsonl")] == ["X1", "X2", "X9"] and s["merged"] == 1
    s = ingest([a, b], tmp_path / "e.jsonl", dedupe="none")
    assert len(lines(tmp_path / "e.jsonl")) == 4 and s["merged"] == 0


def test_cli_summary_names_the_counts(tmp_path):
    r = cli_ok("ingest", FIX / "hf_pages", "-o", tmp_path / "c.jsonl")
    assert "362 papers written" in r.output and "105 duplicates merged" in r.output


# --- errors and atomic output ---------------------------------------------------------------------

def test_missing_input_is_a_one_line_error_and_writes_nothing(tmp_path):
    out = tmp_path / "c.jsonl"
    r = CliRunner().invoke(cli, ["ingest", str(ARXIV), str(tmp_path / "nope.json"), "-o", str(out)])
    assert r.exit_code == 2 and r.output.strip() == f"Error: {tmp_path / 'nope.json'}: no such file"
    assert not out.exists()
    empty = tmp_path / "emptydir"
    empty.mkdir()
    r = CliRunner().invoke(cli, ["ingest", str(empty), "-o", str(out)])
    assert r.exit_code == 2 and "no files" in r.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_input(tmp_path):
    f = tmp_path / "locked.csv"
    shutil.copy(CSV, f)
    f.chmod(0)
    r = CliRunner().invoke(cli, ["ingest", str(f), "-o", str(tmp_path / "c.jsonl")])
    assert r.exit_code == 2 and "cannot read" in r.output and str(f) in r.output


def test_on_error_fail_stops_at_the_first_bad_record_and_keeps_the_old_output(tmp_path):
    out = tmp_path / "c.jsonl"
    out.write_text("old\n")
    bad = FIX / "bad" / "arxiv-bad.json"
    r = CliRunner().invoke(cli, ["ingest", str(bad), "-o", str(out), "--on-error", "fail"])
    assert r.exit_code == 2 and f"{bad}:2: not valid JSON" in r.output
    assert out.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["c.jsonl"]  # no temporary left behind


# --- round trips through `extract run` ------------------------------------------------------------

SOURCES = {"hf-page": PAGES[0], "arxiv": ARXIV, "csv": CSV, "tsv": TSV, "text": TEXTS[0], "arxiv.gz": None}


@pytest.mark.parametrize("kind", list(SOURCES))
def test_ingest_then_run_equals_run_on_the_source(tmp_path, kind):
    src = SOURCES[kind] or gz(ARXIV, tmp_path)
    cli_ok("ingest", src, "-o", tmp_path / "corpus.jsonl")
    cli_ok("run", tmp_path / "corpus.jsonl", "-o", tmp_path / "via_ingest", "-q", "-w", "1")
    cli_ok("run", src, "-o", tmp_path / "direct", "-q", "-w", "1")
    via = (tmp_path / "via_ingest" / "claims.csv").read_text(encoding="utf-8")
    direct = (tmp_path / "direct" / "claims.csv").read_text(encoding="utf-8")
    assert via == direct and len(via.splitlines()) > 1  # every fixture reports numbers
    summary = json.loads((tmp_path / "direct" / "run.json").read_text())
    assert summary["papers_read"] == len(lines(tmp_path / "corpus.jsonl"))
    assert summary.get("lines_reconcile", True)


def test_run_on_a_source_with_a_bad_record_and_on_error_fail(tmp_path):
    bad = FIX / "bad" / "bad-rows.csv"
    r = CliRunner().invoke(cli, ["run", str(bad), "-o", str(tmp_path / "o"), "--on-error", "fail", "-q", "-w", "1"])
    assert r.exit_code == 2 and f"{bad}:3:" in r.output
    papers = [x for x in read_corpus(bad)]
    assert [type(x).__name__ for x in papers] == ["Paper", "Rejected", "Rejected", "Paper"]


# --- memory ---------------------------------------------------------------------------------------

def test_memory_stays_flat_on_a_long_dump(tmp_path):
    """Peak RSS converting 100k records is within a few MB of converting 5k (bench/ingest_memory.py
    does 200k and more)."""
    bench = ROOT / "bench" / "ingest_memory.py"
    peaks = {}
    for n in (5_000, 100_000):
        r = subprocess.run([sys.executable, str(bench), "--records", str(n), "--dir", str(tmp_path / str(n)),
                            "--json"], capture_output=True, text=True, check=True)
        peaks[n] = json.loads(r.stdout.splitlines()[-1])
        assert peaks[n]["papers"] + peaks[n]["merged"] == n and peaks[n]["rejected"] == 0
    grew = peaks[100_000]["peak_rss_mb"] - peaks[5_000]["peak_rss_mb"]
    assert grew < 20, peaks


# --- our own JSON Lines, plain and gzip-compressed ----------------------------------------------

def test_jsonl_gz_is_read_by_run_and_ingest_like_the_plain_file(tmp_path):
    plain = ROOT / "data" / "papers.jsonl"
    packed = gz(plain, tmp_path)
    assert detect(packed) == "jsonl"
    want = [(p.id, p.title, p.abstract, p.line) for p in read_corpus(plain)]
    assert [(p.id, p.title, p.abstract, p.line) for p in read_corpus(packed)] == want
    ingest([packed], tmp_path / "c.jsonl")
    assert (tmp_path / "c.jsonl").read_bytes() == plain.read_bytes()


def test_jsonl_repeated_ids_are_merged_by_ingest(tmp_path):
    f = tmp_path / "dups.jsonl"
    f.write_text('{"id": "a", "title": "T", "abstract": "x"}\n{"id": "a", "title": "U", "abstract": "y"}\n'
                 '{"id": "b", "abstract": "z"}\n', encoding="utf-8")
    s = ingest([f], tmp_path / "c.jsonl")
    assert [p["id"] for p in lines(tmp_path / "c.jsonl")] == ["a", "b"] and s["merged_by_id"] == 1


def test_run_reads_a_source_with_the_corpus_readers_checks(tmp_path):
    """Directly read, a table gets what its ingested corpus would get: control characters replaced
    one for one, repeated ids renamed (run keeps both), empty abstracts warned."""
    from extract.read.corpus import ReadStats

    f = tmp_path / "t.csv"
    f.write_text('id,title,abstract\nA,"One","x\x01y"\nA,"Two","z"\nB,"Three",""\n', encoding="utf-8")
    stats = ReadStats()
    got = list(read_corpus(f, stats))
    assert [(p.id, p.abstract) for p in got] == [("A", "x y"), ("A#2", "z"), ("B", "")]
    assert stats.reconciles and stats.papers == 3 and stats.duplicate_ids == 1
    reasons = [w["reason"] for w in stats.warnings]
    assert any("control characters" in r for r in reasons) and "empty abstract" in reasons


def test_output_inside_an_input_directory_is_not_read_back(tmp_path):
    d = tmp_path / "pages"
    shutil.copytree(FIX / "hf_pages", d)
    for _ in range(2):  # the second run finds the first run's corpus.jsonl in the directory
        s = ingest([d], d / "corpus.jsonl")
        assert s["files"] == len(PAGES) and s["papers"] == 362


def test_lone_surrogate_escapes_survive_as_escapes(tmp_path):
    f = tmp_path / "dump.json"
    rec = {**lines(ARXIV)[0], "abstract": "bad \ud800 char, 3.1x faster"}
    f.write_text(json.dumps(rec) + "\n", encoding="utf-8")  # ensure_ascii: the file holds \\ud800
    ingest([f], tmp_path / "c.jsonl")
    assert "\\ud800" in (tmp_path / "c.jsonl").read_text(encoding="utf-8")
    papers = list(read_corpus(tmp_path / "c.jsonl"))
    assert papers[0].abstract == "bad \ufffd char, 3.1x faster"


def test_unwritable_output_is_a_one_line_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    r = CliRunner().invoke(cli, ["ingest", str(CSV), "-o", str(blocker / "c.jsonl")])
    assert r.exit_code == 2 and r.output.startswith("Error: cannot write to") and len(r.output.splitlines()) == 1
