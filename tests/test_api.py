"""The Python API: `from extract import extract_claims` -> a DataFrame with the columns of claims.csv."""
import pandas as pd
import pytest

from extract import extract_claims, extract_records
from extract.records import ALL_COLUMNS, COLUMNS, EXTRA_COLUMNS

PAPERS = [
    {"id": "p1", "title": "A", "abstract": "Our 7B model improves accuracy by 3.2% over GPT-4. It runs 2.5x faster."},
    {"id": "p2", "title": "B", "abstract": "We fine-tune LLaMA-2-13B on 52K instructions."},
    {"id": "p3", "title": "C", "abstract": "We study why models fail."},
]


def test_one_string():
    df = extract_claims("Our 7B model runs 2.5x faster.")
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == ALL_COLUMNS
    got = set(zip(df["family"], df["value"], df["unit"]))
    assert ("parameters", 7e9, "params") in got and ("speedup", 2.5, "x") in got


def test_list_of_dicts_keeps_ids_order_and_offsets():
    df = extract_claims(PAPERS)
    assert list(df.columns) == ALL_COLUMNS
    assert list(df.columns[: len(COLUMNS)]) == COLUMNS and list(df.columns[len(COLUMNS):]) == EXTRA_COLUMNS
    assert set(df["paper_id"]) <= {"p1", "p2"} and "p3" not in set(df["paper_id"])
    order = [p["id"] for p in PAPERS]
    ids = [order.index(i) for i in df["paper_id"]]
    assert ids == sorted(ids)                                  # papers come out in input order
    abstracts = {p["id"]: p["abstract"] for p in PAPERS}
    titles = {p["id"]: p["title"] for p in PAPERS}
    for r in df.itertuples(index=False):
        assert abstracts[r.paper_id][r.start:r.end] == r.value_text
        assert r.evidence in abstracts[r.paper_id] and r.title == titles[r.paper_id]
    assert 7e9 in set(df["value"]) and 52000 in set(df["value"]) and 13e9 in set(df["value"])


def test_dtypes_match_the_parquet_table():
    df = extract_claims(PAPERS)
    assert df["value"].dtype == "float64"
    assert df["start"].dtype == "int64" and df["end"].dtype == "int64"
    assert df["valid"].dtype == bool
    for c in ALL_COLUMNS:
        if c not in ("value", "start", "end", "valid"):
            assert all(isinstance(x, str) for x in df[c]), c


def test_any_iterable_and_empty_input():
    from_gen = extract_claims(p for p in PAPERS)
    pd.testing.assert_frame_equal(from_gen, extract_claims(PAPERS))
    empty = extract_claims([])
    assert list(empty.columns) == ALL_COLUMNS and len(empty) == 0
    assert len(extract_claims("No numbers here.")) == 0


def test_same_rows_as_the_command(tiny_corpus, tmp_path):
    """The API and `extract run` agree on what the claims of a corpus are."""
    import json

    from extract.run.pipeline import run

    out = tmp_path / "out"
    run(tiny_corpus, out, workers=1)
    ran = pd.read_parquet(out / "claims.parquet")
    papers = [json.loads(x) for x in tiny_corpus.read_text(encoding="utf-8").splitlines()]
    api = extract_claims(papers)
    assert list(api.columns) == list(ran.columns[: len(api.columns)])
    key = ["paper_id", "family", "kind", "value", "unit", "value_text", "start", "end", "evidence"]
    assert api[key].values.tolist() == ran[key].values.tolist()


@pytest.mark.parametrize("bad", [[{"id": "x", "title": "T", "abstract": None}], [{"id": "x"}]])
def test_papers_without_abstract_give_no_claims(bad):
    df = extract_claims(bad)
    assert list(df.columns) == ALL_COLUMNS and len(df) == 0


def test_records_are_the_rows_of_the_table_and_a_failed_paper_warns_at_the_callers_line(monkeypatch):
    papers = [{"id": "a", "abstract": "Our 7B model runs 2.5x faster."},
              {"id": "b", "abstract": "It reaches 85.3% accuracy on GSM8K."}]
    records, failed = extract_records(papers)
    table = extract_claims(papers)
    assert failed == [] and len(records) == len(table) == 3
    assert [(c.paper_id, c.value_text, c.family) for c in records] == \
        list(zip(table["paper_id"], table["value_text"], table["family"]))

    from extract.run import batch

    def fail(paper, rules):
        raise batch.PaperFailed("match", "broken on purpose")

    monkeypatch.setattr(batch, "extract_isolated", fail)
    for call in (extract_records, extract_claims):
        with pytest.warns(RuntimeWarning, match="broken on purpose") as w:
            out = call(papers)
        assert {x.filename for x in w} == {__file__}
        failed = out[1] if call is extract_records else out.attrs["failed"]
        assert [f["id"] for f in failed] == ["a", "b"]
