"""Inputs that can be read only once (stdin, pipes, <(...)), batches cut by bytes, paths that are not UTF-8,
a corpus that vanishes (issue 14)."""
import gzip
import hashlib
import json
import os
import subprocess
import sys
import threading

import pytest

from conftest import ROOT
from extract.errors import InputError, OutputError
from extract.read.corpus import is_stream, raw_batches
from extract.run import pipeline

PAPERS = [{"id": f"p{i}", "title": "T", "abstract": f"Accuracy is {90 + i}.5% on MNIST."} for i in range(5)]
DATA = "".join(json.dumps(p) + "\n" for p in PAPERS).encode()


def _fifo(tmp_path, data: bytes):
    path = tmp_path / "pipe"
    os.mkfifo(path)

    def feed():
        with open(path, "wb") as f:
            f.write(data)

    threading.Thread(target=feed, daemon=True).start()
    return path


@pytest.mark.parametrize("data", [DATA, gzip.compress(DATA)], ids=["plain", "gzip"])
def test_a_pipe_is_read_once_with_every_line(tmp_path, data):
    path = _fifo(tmp_path, data)
    assert is_stream(path)
    s = pipeline.run(path, tmp_path / "out", workers=1)
    # was: "3 lines = 2 papers + 1 rejected" (the sniffed first bytes lost); through gzip 0 lines, exit 0
    assert (s["lines_read"], s["papers_read"], s["lines_rejected"]) == (5, 5, 0)
    assert s["input_sha256"] == hashlib.sha256(data).hexdigest()
    assert not [p for p in (tmp_path / "out").iterdir() if p.name.endswith(".part")]


def test_dash_and_process_substitution_from_the_cli(tmp_path):
    corpus = tmp_path / "c.jsonl.gz"
    corpus.write_bytes(gzip.compress(DATA))
    script = (f'cat {corpus} | "{sys.executable}" -m extract run - -o {tmp_path}/a -w 1 -q && '
              f'"{sys.executable}" -m extract run <(gzip -dc {corpus}) -o {tmp_path}/b -w 1 -q')
    subprocess.run(["bash", "-c", script], cwd=ROOT, check=True, timeout=300)
    for d in ("a", "b"):
        s = json.loads((tmp_path / d / "run.json").read_text())
        assert (s["lines_read"], s["papers_read"]) == (5, 5)


def test_batches_end_at_a_byte_cap_as_well_as_a_line_count(tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(DATA)
    line = len(DATA) // 5 - 1  # without its newline
    sizes = [len(b) for b in raw_batches(corpus, 500, max_bytes=2 * line)]
    assert sizes == [2, 2, 1]
    assert [len(b) for b in raw_batches(corpus, 500)] == [5]


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses names that are not UTF-8")
def test_a_path_that_is_not_utf8_is_refused_up_front(tmp_path):
    bad = os.fsdecode(os.fsencode(str(tmp_path)) + b"/bad\xffname.jsonl")
    with open(os.fsencode(bad), "wb") as f:
        f.write(DATA)
    with pytest.raises(InputError, match=r"not valid UTF-8 \(.*bad\\xffname.jsonl\)"):
        pipeline.run(bad, tmp_path / "out", workers=1)
    good = tmp_path / "c.jsonl"
    good.write_bytes(DATA)
    with pytest.raises(OutputError, match="output directory is not valid UTF-8"):
        pipeline.run(good, os.fsdecode(os.fsencode(str(tmp_path)) + b"/out\xffdir"), workers=1)
    assert not (tmp_path / "out").exists()


def test_a_corpus_that_vanishes_leaves_input_sha256_empty_with_a_warning(tmp_path, monkeypatch):
    corpus = tmp_path / "c.jsonl"
    corpus.write_bytes(DATA)

    def vanished(files):
        corpus.unlink()
        return pipeline.checksum(corpus)

    monkeypatch.setattr(pipeline, "input_checksum", vanished)
    s = pipeline.run(corpus, tmp_path / "out", workers=1)
    assert s["input_sha256"] == "" and s["warnings"] == 1
    errors = [json.loads(x) for x in (tmp_path / "out" / "errors.jsonl").read_text().splitlines()]
    assert errors[-1]["kind"] == "warning" and "input_sha256 left empty" in errors[-1]["reason"]
