"""Choices the readers make are said, not silent: encodings, repeated keys and columns, a NUL in a header,
a binary file among the sources, an unclosed CSV quote, a JSON array (issues 14 and 15)."""
import json

import pytest

from extract.errors import InputError
from extract.read.corpus import read_corpus
from extract.read.ingest import ingest
from extract.read.lines import ReadStats, Rejected
from extract.records import Paper


def _read(path):
    stats = ReadStats()
    items = list(read_corpus(path, stats))
    return [i for i in items if isinstance(i, Paper)], [i for i in items if isinstance(i, Rejected)], stats


def test_a_cp1252_csv_is_detected_read_right_and_said(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes("id,title,abstract\np1,Caf\u00e9 models,Accuracy rises 3\u20135% on the r\u00e9sum\u00e9 task.\n"
                  .encode("cp1252"))
    papers, _, stats = _read(p)
    assert papers[0].title == "Caf\u00e9 models" and "3\u20135%" in papers[0].abstract  # was U+FFFD, unsaid
    assert any("not UTF-8; read as cp1252" in w["reason"] for w in stats.warnings)


def test_ingest_takes_an_encoding_and_says_which(tmp_path):
    p = tmp_path / "t.csv"
    p.write_bytes("id,title,abstract\np1,Caf\u00e9,It is 5% better.\n".encode("latin-1"))
    s = ingest([p], tmp_path / "out.jsonl", encoding="latin-1")
    assert json.loads((tmp_path / "out.jsonl").read_text(encoding="utf-8"))["title"] == "Caf\u00e9"
    assert s["warnings"][0]["reason"] == "t.csv: not UTF-8; read as latin-1"


def test_an_unclosed_quote_is_rejected_with_its_lines(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text('id,title,abstract\np1,One,"Accuracy is 91% on MNIST.\np2,Two,Accuracy is 92%.\n'
                 'p3,Three,Accuracy is 93%.\np4,Four,Accuracy is 94%.\n', encoding="utf-8")
    papers, rejected, _ = _read(p)
    assert papers == []  # was: 1 paper holding the 4 rows, 0 rejected
    assert rejected[0].line == 2 and rejected[0].reason.startswith("unclosed quote")
    assert "lines 3-5 are lost" in rejected[0].reason


def test_a_multi_line_abstract_is_no_unclosed_quote(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text('id,title,abstract\np1,One,"We use A, B, and C.\nIt is 5% better, on X, Y and Z."\n', encoding="utf-8")
    papers, rejected, _ = _read(p)
    assert len(papers) == 1 and rejected == []


def test_two_abstract_columns_and_a_nul_in_a_header_are_warned(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text("id,tit\x00le,abstract,abstract\np1,One,It is 5% better.,other\n", encoding="utf-8")
    papers, _, stats = _read(p)
    assert papers[0].title == "One" and papers[0].abstract == "It is 5% better."
    reasons = " | ".join(w["reason"] for w in stats.warnings)
    assert "NUL characters in the header row" in reasons
    assert "2 columns named 'abstract' (columns 3, 4); the abstract is read from column 3" in reasons


def test_repeated_json_keys_are_warned(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text('{"id": "a", "abstract": "first 1%", "abstract": "second 2%"}\n'
                 '{"id": "b", "abstract": "the \\"abstract\\" word twice: \\"abstract\\""}\n', encoding="utf-8")
    papers, _, stats = _read(p)
    assert papers[0].abstract == "second 2%"
    assert stats.warnings == [{"line": 1, "id": "a", "reason": "repeated key 'abstract' in the object: "
                                                            "the last value is read"}]


def test_a_json_array_file_stops_with_one_line_saying_so(tmp_path):
    p = tmp_path / "c.json"
    p.write_text(json.dumps([{"id": "a", "abstract": "x 1%"}], indent=2), encoding="utf-8")
    with pytest.raises(InputError, match=r"c.json:1: a JSON array, not JSON Lines .* jq -c '\.\[\]'"):
        _read(p)


def test_a_binary_file_in_an_ingest_directory_is_skipped_with_a_warning(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text("A title\nIt is 5% better.\n", encoding="utf-8")
    (d / "b.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    s = ingest([d], tmp_path / "out.jsonl")
    assert s["papers"] == 1  # was: the image became a "paper"
    assert s["warnings"] == [{"file": str(d / "b.png"), "line": 0, "reason": "binary file (NUL bytes), skipped"}]
