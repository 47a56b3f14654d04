"""Issue 6: whatever comes in, the reader says what was wrong and where, and every line is accounted for.

Reader cases run on the reader alone (fast); the `extract run` cases go through the CLI.
"""
import json
import os

import pytest
from click.testing import CliRunner

from extract.read import lines as lines_mod
from extract.cli import cli
from extract.read.corpus import ReadStats, Rejected, read_corpus
from extract.errors import InputError, OutputError
from extract.records import Paper
from extract.run.batch import extract_paper

GOOD = {"id": "p1", "title": "A", "abstract": "Our 7B model improves accuracy by 3.2% over GPT-4."}


def read(tmp_path, data: bytes, name="c.jsonl"):
    p = tmp_path / name
    p.write_bytes(data)
    stats = ReadStats()
    items = list(read_corpus(p, stats))
    assert stats.reconciles, stats
    assert stats.lines_read == stats.papers + stats.rejected + stats.blank_lines
    assert stats.papers == sum(isinstance(i, Paper) for i in items)
    assert stats.rejected == sum(isinstance(i, Rejected) for i in items)
    return items, stats


def line(obj) -> bytes:
    return (json.dumps(obj) + "\n").encode()


def only(items, kind):
    (x,) = [i for i in items if isinstance(i, kind)]
    return x


# --- the lines of the file ---------------------------------------------------------------------

def test_line_that_is_not_json_is_rejected_with_its_line_number_reason_and_raw_text(tmp_path):
    items, stats = read(tmp_path, line(GOOD) + b"this is {not json\n" + line({**GOOD, "id": "p2"}))
    r = only(items, Rejected)
    assert (r.line, r.raw) == (2, "this is {not json")
    assert "not valid JSON" in r.reason and "column 1" in r.reason
    assert [p.id for p in items if isinstance(p, Paper)] == ["p1", "p2"]
    assert stats.lines_read == 3


def test_truncated_last_line_is_rejected_and_said_to_be_truncated(tmp_path):
    cut = json.dumps({**GOOD, "id": "p2"})[:30].encode()
    items, stats = read(tmp_path, line(GOOD) + cut)
    r = only(items, Rejected)
    assert r.line == 2 and r.raw == cut.decode()
    assert "truncated last line" in r.reason
    assert (stats.lines_read, stats.papers, stats.rejected) == (2, 1, 1)


def test_last_line_without_newline_but_complete_is_a_paper(tmp_path):
    items, stats = read(tmp_path, line(GOOD) + json.dumps({**GOOD, "id": "p2"}).encode())
    assert [p.id for p in items] == ["p1", "p2"] and stats.rejected == 0


def test_blank_lines_are_counted_not_lost(tmp_path):
    items, stats = read(tmp_path, b"\n" + line(GOOD) + b"   \n\t\r\n\n")
    assert [p.id for p in items] == ["p1"]
    assert (stats.lines_read, stats.blank_lines) == (5, 4)


def test_byte_order_mark_is_dropped(tmp_path):
    items, _ = read(tmp_path, b"\xef\xbb\xbf" + line(GOOD))
    assert only(items, Paper).id == "p1"


def test_utf16_file_is_a_clear_error(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_bytes((json.dumps(GOOD) + "\n").encode("utf-16"))
    with pytest.raises(InputError, match=r"c\.jsonl:1: .*UTF-16"):
        list(read_corpus(p))


def test_crlf_line_ends_leave_no_carriage_return(tmp_path):
    data = line(GOOD).replace(b"\n", b"\r\n") + line({**GOOD, "id": "p2", "abstract": "Two\r\nlines 5x faster"})
    items, stats = read(tmp_path, data.replace(b"\n", b"\r\n").replace(b"\r\r\n", b"\r\n"))
    assert [p.id for p in items] == ["p1", "p2"] and stats.rejected == 0
    assert not items[0].abstract.endswith("\r") and items[1].abstract == "Two\r\nlines 5x faster"


def test_invalid_utf8_keeps_the_paper_with_replacement_and_a_warning(tmp_path):
    data = b'{"id": "p1", "title": "T", "abstract": "caf\xe9 reaches 91.2% accuracy"}\n'
    items, stats = read(tmp_path, data)
    p = only(items, Paper)
    assert p.abstract == "caf\ufffd reaches 91.2% accuracy"
    (w,) = stats.warnings
    assert w["line"] == 1 and w["id"] == "p1" and "invalid UTF-8 byte 0xe9" in w["reason"]


def test_invalid_utf8_outside_strings_is_rejected_with_the_bytes_shown(tmp_path):
    items, _ = read(tmp_path, b'{"id": "p1", \xff "abstract": "x"}\n')
    r = only(items, Rejected)
    assert "\\xff" in r.raw and "not valid JSON" in r.reason


@pytest.mark.parametrize("value, kind", [("[1, 2]", "a list"), ('"text"', "a string"), ("3", "a number"),
                                         ("null", "null"), ("true", "a boolean")])
def test_json_value_that_is_not_an_object_is_rejected(tmp_path, value, kind):
    items, _ = read(tmp_path, value.encode() + b"\n")
    r = only(items, Rejected)
    assert f"expected a JSON object" in r.reason and r.reason.endswith(kind) and r.raw == value


def test_two_objects_on_one_line_are_rejected_with_a_hint(tmp_path):
    items, _ = read(tmp_path, json.dumps(GOOD).encode() * 2 + b"\n")
    assert "two JSON values on one line" in only(items, Rejected).reason


def test_nesting_too_deep_is_rejected_not_a_crash(tmp_path):
    items, _ = read(tmp_path, b"[" * 100_000 + b"]" * 100_000 + b"\n")
    assert "nested too deeply" in only(items, Rejected).reason


def test_integer_too_long_to_convert_is_rejected_not_a_crash(tmp_path):
    items, _ = read(tmp_path, b'{"id": "p1", "abstract": "x", "n": ' + b"9" * 5000 + b"}\n")
    assert "not valid JSON: Exceeds the limit" in only(items, Rejected).reason


def test_overlong_line_is_rejected_without_loading_it(tmp_path, monkeypatch):
    monkeypatch.setattr(lines_mod, "MAX_LINE_BYTES", 1000)
    big = json.dumps({**GOOD, "id": "big", "abstract": "x " * 5000}).encode()
    items, stats = read(tmp_path, line(GOOD) + big + b"\n" + line({**GOOD, "id": "p3"}))
    r = only(items, Rejected)
    assert r.line == 2 and "longer than" in r.reason and len(r.raw) <= lines_mod.RAW_PREVIEW
    assert [p.id for p in items if isinstance(p, Paper)] == ["p1", "p3"]
    assert [p.line for p in items if isinstance(p, Paper)] == [1, 3]


# --- the fields of a paper ---------------------------------------------------------------------

@pytest.mark.parametrize("field", ["id", "abstract"])
def test_missing_required_field_is_rejected_by_name(tmp_path, field):
    obj = {k: v for k, v in GOOD.items() if k != field}
    items, _ = read(tmp_path, line(obj))
    assert only(items, Rejected).reason == f"'{field}' missing"


@pytest.mark.parametrize("field", ["id", "abstract"])
@pytest.mark.parametrize("value, kind", [(None, "null"), (3.5, "a number"), (["a"], "a list"), ({}, "an object"),
                                         (True, "a boolean")])
def test_non_string_required_field_is_rejected_saying_what_was_found(tmp_path, field, value, kind):
    items, _ = read(tmp_path, line({**GOOD, field: value}))
    assert only(items, Rejected).reason == f"'{field}' must be a string, found {kind}"


def test_integer_id_is_taken_as_text(tmp_path):
    items, _ = read(tmp_path, line({**GOOD, "id": 1234}))
    assert only(items, Paper).id == "1234"


def test_empty_id_is_rejected(tmp_path):
    items, _ = read(tmp_path, line({**GOOD, "id": "  "}))
    assert only(items, Rejected).reason == "'id' is empty"


def test_missing_or_null_title_is_empty_and_a_wrong_title_is_warned(tmp_path):
    no_title = {k: v for k, v in GOOD.items() if k != "title"}
    data = line(no_title) + line({**GOOD, "id": "p2", "title": None}) + line({**GOOD, "id": "p3", "title": 7})
    items, stats = read(tmp_path, data)
    assert [(p.id, p.title) for p in items] == [("p1", ""), ("p2", ""), ("p3", "")]
    assert [(w["line"], w["id"]) for w in stats.warnings] == [(3, "p3")]
    assert "'title' must be a string, found a number" in stats.warnings[0]["reason"]


def test_empty_abstract_is_a_paper_with_no_claims_and_a_warning(tmp_path):
    items, stats = read(tmp_path, line({**GOOD, "abstract": ""}))
    p = only(items, Paper)
    assert extract_paper(p) == []
    assert stats.warnings == [{"line": 1, "id": "p1", "reason": "empty abstract"}]


def test_duplicate_ids_are_both_kept_told_apart_and_reported(tmp_path):
    data = line(GOOD) + line({**GOOD, "abstract": "It is 2x faster."}) + line(GOOD) + line({**GOOD, "id": "p1#2"})
    items, stats = read(tmp_path, data)
    assert [p.id for p in items] == ["p1", "p1#2", "p1#3", "p1#2#2"]
    assert items[1].abstract == "It is 2x faster."
    assert stats.duplicate_ids == 3
    assert [w["line"] for w in stats.warnings] == [2, 3, 4]
    assert "duplicate id 'p1', renamed 'p1#2'" in stats.warnings[0]["reason"]


def test_control_characters_and_lone_surrogates_are_replaced_one_for_one(tmp_path):
    # \u0001 cannot go in an XLSX cell and \ud800 cannot be written as UTF-8.
    items, stats = read(tmp_path, b'{"id": "p1", "title": "a\\u0001b", "abstract": "x\\ud800 is 2x faster"}\n')
    p = only(items, Paper)
    assert p.title == "a b" and p.abstract == "x\ufffd is 2x faster"
    assert len(stats.warnings) == 2
    p.abstract.encode("utf-8")  # writable


def test_raw_tab_inside_a_string_is_accepted(tmp_path):
    items, _ = read(tmp_path, b'{"id": "p1", "abstract": "a\tb is 2x faster"}\n')
    assert only(items, Paper).abstract == "a\tb is 2x faster"


# --- odd abstracts: they must not crash the extractor -----------------------------------------

ODD = {
    "latex": r"We obtain a $2.5\times$ speedup and improve accuracy by 3.1\% on GLUE ($\sim$12\,\% fewer FLOPs).",
    "html": "Accuracy rises from 71.2% to 74.9% (&gt;3 points) with &lt;1% overhead &amp; 2&#215; speed.",
    "unicode_minus": "Perplexity changes by \u22123.2 and accuracy by \u20130.4%, i.e. \u2212 3.2 points.",
    "unicode_digits": "\u0967\u0968.\u0969% accuracy, \uff17\uff10\uff22 parameters, \u0663\u066b\u0665x faster.",
    "nbsp_thin": "A 7\u00a0B model, 3.2\u2009% better, 2.5\u202fx faster, 1\u200b000 GPU\u00a0hours.",
    "digits_symbols": "12.3%+-45/67=8.9x @100 #$%^&*() 1e10 0x1F 3.14.15 -- 1,000,000,000 ~~~ " * 40,
    "no_spaces": ("Ourmodelreaches91.2%accuracyand2.5xspeedupwith7Bparameters" * 3000),
}


@pytest.mark.parametrize("name", sorted(ODD))
def test_odd_abstracts_do_not_crash_and_spans_point_at_the_text(name):
    text = ODD[name]
    for c in extract_paper(Paper(id=name, title="", abstract=text)):
        assert text[c.start:c.end] == c.value_text
        assert c.value == c.value  # not NaN


def test_abstract_of_several_megabytes_is_read_and_extracted(tmp_path):
    words = "The model is trained with care on many tasks. We report what we find there. "
    text = (words * 30_000) + "It runs 2.5x faster than the baseline. " + (words * 30_000)
    assert len(text) > 4_000_000
    items, _ = read(tmp_path, line({"id": "big", "title": "", "abstract": text}))
    claims = extract_paper(only(items, Paper))
    assert [c.value_text for c in claims] == ["2.5x"]
    assert text[claims[0].start:claims[0].end] == "2.5x"


def test_huge_one_sentence_abstracts_are_extracted_or_reported_never_lost(tmp_path):
    """A long abstract with no sentence end (or no spaces) may hit the rules' time limit: then the
    paper is reported in errors.jsonl; either way the run finishes and accounts for it."""
    from extract.run.pipeline import run

    filler = "the model is trained on many tasks and we report what we find there " * 1000
    huge = {
        "no-stop": (filler + "and it runs 2.5x faster than the baseline ") * 5 + filler,
        "no-space": "Ourmodelreaches91.2%accuracyand2.5xspeedupwith7Bparameters" * 5_000,
    }
    src = tmp_path / "huge.jsonl"
    src.write_bytes(line(GOOD) + b"".join(line({"id": k, "abstract": v}) for k, v in huge.items()))
    out = tmp_path / "out"
    summary = run(src, out, workers=1)
    assert (summary["lines_read"], summary["papers_read"]) == (3, 3)
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    failed = {e["id"] for e in errors if e["kind"] == "failed"}
    assert summary["papers_failed"] == len(failed) and failed <= set(huge)
    import pandas as pd

    claims = pd.read_parquet(out / "claims.parquet")
    assert "p1" in set(claims["paper_id"])
    for pid, text in huge.items():
        rows = claims[claims["paper_id"] == pid]
        assert all(text[s:e] == v for s, e, v in zip(rows["start"], rows["end"], rows["value_text"]))


# --- the file itself ---------------------------------------------------------------------------

def test_empty_corpus_file_yields_nothing(tmp_path):
    items, stats = read(tmp_path, b"")
    assert items == [] and stats.lines_read == 0


def test_missing_file_is_an_input_error_naming_it(tmp_path):
    with pytest.raises(InputError, match=r"nope\.jsonl: no such file"):
        list(read_corpus(tmp_path / "nope.jsonl"))


def test_directory_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        list(read_corpus(tmp_path))


def test_unreadable_file_is_an_input_error(tmp_path, monkeypatch):
    p = tmp_path / "c.jsonl"
    p.write_bytes(line(GOOD))

    def denied(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(lines_mod, "open", denied, raising=False)  # root can read anything
    with pytest.raises(InputError, match=r"c\.jsonl: cannot read: Permission denied"):
        list(read_corpus(p))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 file")
def test_chmod_000_file_is_an_input_error(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_bytes(line(GOOD))
    p.chmod(0)
    with pytest.raises(InputError, match="cannot read"):
        list(read_corpus(p))


def test_read_error_midway_names_the_line(tmp_path, monkeypatch):
    p = tmp_path / "c.jsonl"
    p.write_bytes(line(GOOD) * 3)
    real_open = open

    class Flaky:
        def __init__(self, fh):
            self.fh, self.n = fh, 0

        def readline(self, *a):
            self.n += 1
            if self.n == 3:
                raise OSError(5, "Input/output error")
            return self.fh.readline(*a)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

    monkeypatch.setattr(lines_mod, "open", lambda *a, **k: Flaky(real_open(*a, **k)), raising=False)
    with pytest.raises(InputError, match=r"c\.jsonl:3: read failed: Input/output error"):
        list(read_corpus(p))


# --- `extract run` -----------------------------------------------------------------------------

MESSY = (b"\xef\xbb\xbf" + line(GOOD)            # 1 BOM
         + b"\n"                                   # 2 blank
         + b"{not json}\n"                         # 3 rejected
         + line({**GOOD, "abstract": "It runs 2.5x faster."})   # 4 duplicate id -> p1#2
         + line({"id": "p3", "abstract": None})    # 5 rejected
         + line([1, 2])                            # 6 rejected
         + line({"id": "p4", "title": "D", "abstract": "We fine-tune LLaMA-2-13B on 52K instructions."}).replace(
             b"\n", b"\r\n")                       # 7 CRLF
         + b'{"id": "p5", "abstract": "caf\xe9 2x faster"}\n'  # 8 invalid UTF-8, kept
         + b'{"id": "p6", "abstr')                 # 9 truncated


def invoke(*args):
    return CliRunner().invoke(cli, ["run", *args, "-w", "1"], catch_exceptions=False)


def test_run_skips_bad_lines_into_errors_jsonl_and_reconciles(tmp_path):
    src = tmp_path / "messy.jsonl"
    src.write_bytes(MESSY)
    out = tmp_path / "out"
    res = invoke(str(src), "-o", str(out))
    assert res.exit_code == 0, res.output
    run = json.loads((out / "run.json").read_text())
    assert (run["lines_read"], run["papers_read"], run["lines_rejected"], run["blank_lines"]) == (9, 4, 4, 1)
    assert run["duplicate_ids"] == 1
    assert run["lines_read"] == run["papers_read"] + run["lines_rejected"] + run["blank_lines"]
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    rejected = [e for e in errors if e["kind"] == "rejected"]
    assert [e["line"] for e in rejected] == [3, 5, 6, 9]
    assert rejected[0]["raw"] == "{not json}" and "not valid JSON" in rejected[0]["reason"]
    assert "truncated last line" in rejected[3]["reason"] and rejected[3]["raw"] == '{"id": "p6", "abstr'
    warned = {(e["line"], e["id"]) for e in errors if e["kind"] == "warning"}
    assert {(4, "p1#2"), (8, "p5")} <= warned
    import pandas as pd

    claims = pd.read_csv(out / "claims.csv", dtype=str, keep_default_na=False)
    assert {"p1", "p1#2"} <= set(claims["paper_id"])  # both papers of the duplicate id are there
    assert "9 lines read = 4 papers + 4 rejected + 1 blank" in res.output
    assert "errors.jsonl" in res.output


def test_on_error_fail_stops_at_the_first_bad_line_with_exit_2(tmp_path):
    src = tmp_path / "messy.jsonl"
    src.write_bytes(MESSY)
    out = tmp_path / "out"
    res = invoke(str(src), "-o", str(out), "--on-error", "fail")
    assert res.exit_code == 2
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.output
    assert lines[0].startswith(f"Error: {src}:3: not valid JSON")
    assert not out.exists() or list(out.iterdir()) == []  # no output, not even a .part file


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "missing.jsonl", "no such file"),
    (lambda d: d, "is a directory"),
])
def test_missing_file_or_directory_is_one_line_exit_2(tmp_path, make, message):
    res = invoke(str(make(tmp_path)), "-o", str(tmp_path / "out"))
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert len(res.output.strip().splitlines()) == 1 and message in res.output


def test_unreadable_file_is_one_line_exit_2(tmp_path, monkeypatch, tiny_corpus):
    def denied(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(lines_mod, "open", denied, raising=False)
    res = invoke(str(tiny_corpus), "-o", str(tmp_path / "out"))
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert res.output.strip() == f"Error: {tiny_corpus}: cannot read: Permission denied"


def test_empty_corpus_runs_and_writes_empty_outputs(tmp_path):
    src = tmp_path / "empty.jsonl"
    src.write_bytes(b"")
    out = tmp_path / "out"
    res = invoke(str(src), "-o", str(out))
    assert res.exit_code == 0, res.output
    run = json.loads((out / "run.json").read_text())
    assert (run["lines_read"], run["papers_read"], run["claims"]) == (0, 0, 0)
    assert (out / "claims.csv").read_text().startswith("paper_id,")


def test_output_directory_that_is_a_file_is_one_line_exit_2_before_any_work(tmp_path, tiny_corpus):
    blocker = tmp_path / "out"
    blocker.write_text("not a directory")
    res = invoke(str(tiny_corpus), "-o", str(blocker))
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "cannot write to output directory" in res.output and "not a directory" in res.output
    assert blocker.read_text() == "not a directory"


def test_output_directory_without_write_permission_is_one_line_exit_2(tmp_path, tiny_corpus, monkeypatch):
    import tempfile

    from extract import files

    def denied(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(files.tempfile, "mkstemp", denied)  # root may write anywhere: simulate EACCES
    res = invoke(str(tiny_corpus), "-o", str(tmp_path / "out"))
    monkeypatch.setattr(files.tempfile, "mkstemp", tempfile.mkstemp)
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert res.output.strip() == f"Error: cannot write to output directory {tmp_path / 'out'}: Permission denied"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a chmod 555 directory")
def test_read_only_output_directory_is_exit_2(tmp_path, tiny_corpus):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    res = invoke(str(tiny_corpus), "-o", str(out))
    assert res.exit_code == 2 and "cannot write" in res.output


def test_prepare_outdir_error_is_an_output_error(tmp_path):
    from extract.write.writers import prepare_outdir

    (tmp_path / "f").write_text("x")
    with pytest.raises(OutputError):
        prepare_outdir(tmp_path / "f" / "sub")


# --- a paper over its time budget --------------------------------------------------------------

EVIL = "Accuracy rises by 12%. " * 50_000  # a megabyte of claim sentences


@pytest.fixture
def short_budget(monkeypatch):
    from extract.match import engine

    monkeypatch.setattr(engine, "PAPER_BUDGET", 0.05)  # the limit, shortened so the test is quick


def test_paper_over_its_time_budget_is_stopped(short_budget):
    import time

    from extract.match.engine import RuleTimeout

    assert [c.value_text for c in extract_paper(Paper("ok", "", "We score 12% on the test set."))] == ["12%"]
    t = time.monotonic()
    with pytest.raises(RuleTimeout, match="rules took over 0.05 s on paper 'evil'"):
        extract_paper(Paper("evil", "", EVIL))
    assert time.monotonic() - t < 10


def test_run_reports_a_paper_that_hits_the_time_limit_and_goes_on(tmp_path, short_budget):
    from extract.run import pipeline

    src = tmp_path / "c.jsonl"
    src.write_bytes(line({"id": "evil", "abstract": EVIL})
                    + line({"id": "ok", "abstract": "We score 12% on the test set."}))
    out = tmp_path / "out"
    summary = pipeline.run(src, out, workers=1)
    assert (summary["papers_read"], summary["papers_failed"], summary["claims"]) == (2, 1, 1)
    errors = [json.loads(x) for x in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(e["kind"], e["line"], e["id"]) for e in errors] == [("failed", 1, "evil")]
    assert "took over" in errors[0]["reason"]
