"""The workbook reads and prints well (issue 15): columns in reading order, each table sheet set up to
print landscape one page wide with the header on every page and wrapped evidence, the unit shown
once, links to the papers, and a Charts sheet of native charts that openpyxl reads back. LibreOffice
(when installed, with pdftotext) prints the Leaderboard one column-strip wide."""
import shutil
import subprocess

import pandas as pd
import pytest
from openpyxl import load_workbook

from extract.records import Claim
from extract.write import charts, layout, xlsx
from extract.write import leaderboard as L

ARXIV = "2401.01234"


def to_frame(claims) -> pd.DataFrame:
    """The claims as a table (write_workbook types the columns itself)."""
    return pd.DataFrame([c.as_row() for c in claims])
LONG = ("We evaluate the model on the benchmark under the standard protocol and report the mean over five "
        "seeds, which is well above every baseline we compare against in this setting, {v}% accuracy in total.")


def result(pid, model, bench, value, metric="accuracy", unit="%", evidence=None, method="", valid=True):
    text = f"{value:g}{unit}"
    return Claim(pid, f"Title of {pid}", "score", metric, "absolute", "", value, unit, "exact", text, model,
                 bench, "", method, evidence or f"{model} reaches {text} {metric} on {bench}.", 0, len(text), "score-rule",
                 valid, "" if valid else "bad")


@pytest.fixture
def book(tmp_path):
    claims = [result(ARXIV, "GPT-4", "GSM8K", 92.0), result("8974f78955be", "Llama-2-7B", "GSM8K", 57.1),
              result("8974f78955be", "Llama-2-7B", "GSM8K", 61.5, evidence="Llama-2-7B gets 61.5% accuracy on GSM8K."),
              result("cs/0112017", "Mistral-7B", "MMLU", 60.1, evidence=LONG.format(v=60.1)),
              result("abc", "GPT-4", "MMLU", 86.4),
              result("p9", "Qwen-7B", "WikiText-2", 7.1, metric="perplexity", unit="")]
    claims[-1] = Claim(*[{"family": "perplexity"}.get(f, getattr(claims[-1], f)) for f in Claim.__slots__])
    path = tmp_path / "leaderboard.xlsx"
    run = {"claims_per_family": {"score": 5, "perplexity": 1, "parameters": 12}}
    L.write_workbook(to_frame(claims), run, path)
    return load_workbook(path), path


def _header(ws):
    return [c.value for c in ws[1]]


def test_columns_in_reading_order(book):
    wb, _ = book
    h = _header(wb["Leaderboard"])
    assert {"paper_id", "benchmark", "metric", "model", "method", "value"} <= set(h)
    assert h.index("model") < h.index("method") < h.index("value") < h.index("evidence") < h.index("paper_id")
    c = _header(wb["Claims"])
    # what, who, where, value; then evidence; then ids
    assert c.index("metric") < c.index("model") < c.index("benchmark") < c.index("value") < c.index("evidence")
    assert c.index("evidence") < c.index("paper_id") < c.index("start")


def test_every_table_sheet_prints_landscape_one_page_wide(book):
    wb, _ = book
    for name in ("Leaderboard", "Claims", "Models", "Compute", "Validation"):
        ws = wb[name]
        assert ws.page_setup.orientation == "landscape", name
        assert ws.sheet_properties.pageSetUpPr.fitToPage, name
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 0), name
        assert ws.print_title_rows == "$1:$1", name                 # the header on every page
        h = _header(ws)
        if "paper_id" in h:                                          # printed up to the ids
            last = ws.cell(1, h.index("paper_id") + 1).column_letter
            assert ws.print_area.endswith(f"!$A$1:${last}${ws.max_row}"), (name, ws.print_area)


def test_evidence_wraps_in_a_wide_column_and_its_row_grows(book):
    wb, _ = book
    ws = wb["Claims"]
    col = _header(ws).index("evidence") + 1
    letter = ws.cell(1, col).column_letter
    assert 30 <= ws.column_dimensions[letter].width <= layout.WRAP["evidence"]
    long_row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col).value == LONG.format(v=60.1))
    assert ws.cell(long_row, col).alignment.wrap_text
    assert ws.row_dimensions[long_row].height >= 2 * layout.LINE_POINTS     # its lines are shown, not clipped
    short = next(r for r in range(2, ws.max_row + 1) if len(ws.cell(r, col).value or "") < 40)
    assert ws.row_dimensions[short].height is None


def test_unit_is_shown_once(book):
    wb, _ = book
    ws = wb["Leaderboard"]
    h = _header(ws)
    for r in range(2, ws.max_row + 1):
        value, unit = ws.cell(r, h.index("value") + 1), ws.cell(r, h.index("unit") + 1)
        assert "%" not in value.number_format and '"' not in value.number_format, value.number_format
        assert h.index("unit") == h.index("value") + 1
        assert unit.value in ("%", None)


def test_arxiv_ids_link_to_their_abstract_page(book):
    wb, _ = book
    for name in ("Leaderboard", "Claims"):
        ws = wb[name]
        col = _header(ws).index("paper_id") + 1
        links = {ws.cell(r, col).value: ws.cell(r, col).hyperlink for r in range(2, ws.max_row + 1)}
        assert links[ARXIV].target == f"https://arxiv.org/abs/{ARXIV}", name
        assert ws.cell(2, col).font.u or any(c.font.u for c in ws[ws.cell(1, col).column_letter][1:])
        assert links["8974f78955be"] is None and links["abc"] is None       # hashes are no arXiv ids
    claims = wb["Claims"]
    col = _header(claims).index("paper_id") + 1
    assert "https://arxiv.org/abs/cs/0112017" in {claims.cell(r, col).hyperlink.target
                                                   for r in range(2, claims.max_row + 1) if claims.cell(r, col).hyperlink}


@pytest.mark.parametrize("paper_id,source,url", [
    ("2401.01234v2", "", "https://arxiv.org/abs/2401.01234v2"), ("arXiv:2401.01234", "", "https://arxiv.org/abs/2401.01234"),
    ("hep-th/9901001", "", "https://arxiv.org/abs/hep-th/9901001"), ("8974f78955be", "", ""),
    ("8974f78955be", "https://huggingface.co/papers/x", "https://huggingface.co/papers/x"),
    ("2401.01234", "000_f10af1a76bc1ac0c.txt", "https://arxiv.org/abs/2401.01234"), ("12345", "", ""),
])
def test_paper_url(paper_id, source, url):
    assert layout.paper_url(paper_id, source) == url


@pytest.mark.parametrize("fast", [True, False])
def test_a_source_column_links_and_both_row_writers_agree(tmp_path, monkeypatch, fast):
    from openpyxl import Workbook

    monkeypatch.setattr(xlsx, "USE_FAST_ROWS", fast)
    monkeypatch.setattr(layout, "MAX_LINKS", 3)
    df = pd.DataFrame({"paper_id": ["a1", "2401.00001", "b2", "2401.00002", "2401.00003"],
                       "source": ["https://example.org/a1", "", "corpus.txt", "", ""],
                       "evidence": ["short", LONG, "=1+1", "x", "y"]})
    wb = Workbook(write_only=True)
    xlsx.write_table(wb, xlsx.Table("Sheet", df))
    wb.save(tmp_path / "t.xlsx")
    ws = load_workbook(tmp_path / "t.xlsx")["Sheet"]
    got = [(c.value, c.hyperlink.target if c.hyperlink else None) for c in ws["A"][1:]]
    assert got == [("a1", "https://example.org/a1"), ("2401.00001", "https://arxiv.org/abs/2401.00001"),
                   ("b2", None), ("2401.00002", "https://arxiv.org/abs/2401.00002"), ("2401.00003", None)]  # capped
    ev = ws["C"]
    assert ev[3].value == "=1+1" and ev[3].data_type == "s" and ev[3].quotePrefix and ev[3].alignment.wrap_text
    assert ws.row_dimensions[3].height >= 2 * layout.LINE_POINTS and ws.row_dimensions[2].height is None


def test_charts_sheet_holds_native_charts_of_best_results(book):
    wb, _ = book
    assert wb.sheetnames.index("Charts") == wb.sheetnames.index("Leaderboard") + 1
    ws = wb["Charts"]
    assert len(ws._charts) >= 2                                    # read back by openpyxl
    titles = [c.title.tx.rich.p[0].r[0].t for c in ws._charts]
    assert titles[0] == "Claims per family"
    assert any(t.startswith("GSM8K") for t in titles)
    cells = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r and r[0] is not None}
    assert cells["parameters"] == 12 and cells["score"] == 5          # the run's counts
    gsm = ws._charts[titles.index(next(t for t in titles if t.startswith("GSM8K")))]
    ref = gsm.series[0].val.numRef.f                                # 'Charts'!$B$a:$B$b
    a, b = (int(x) for x in ref.replace("$", "").split("!B")[1].split(":B"))
    names = [ws.cell(r, 1).value for r in range(a, b + 1)]
    values = [ws.cell(r, 2).value for r in range(a, b + 1)]
    assert names == ["GPT-4", "Llama-2-7B"] and values == [92.0, 61.5]   # best per system, best first


def test_best_per_system_ranks_by_the_metrics_direction():
    lb = pd.DataFrame({
        "benchmark": ["A", "A", "A", "a", "B", "B", "C"],
        "metric": ["ppl", "ppl", "ppl", "ppl", "acc", "acc", "acc"],
        "better": ["lower"] * 4 + ["higher"] * 3,
        "model": ["m1", "m1", "m2", "", "x", "y", "z"],
        "method": ["", "", "", "M", "", "", ""],
        "value": [5.0, 4.0, 6.0, 3.0, 1.0, 2.0, 9.0],
        "unit": [""] * 4 + ["%"] * 3,
    })
    got = charts.best_per_system(lb, top=2)
    assert [c["title"].split(":")[0] for c in got] == ["A", "B"]     # the benchmarks with the most results
    assert got[0]["rows"] == [("M", 3.0), ("m1", 4.0), ("m2", 6.0)] and got[0]["better"] == "lower"
    assert got[1]["rows"] == [("y", 2.0), ("x", 1.0)] and got[1]["axis"] == "acc (%)"
    assert charts.best_per_system(lb.iloc[:0]) == []


def test_a_chart_that_fails_is_a_note_not_a_lost_workbook(tmp_path, monkeypatch):
    def broken(*a, **k):
        raise RuntimeError("no charts today")

    monkeypatch.setattr(charts, "_write", broken)
    path = tmp_path / "lb.xlsx"
    notes = L.write_workbook(to_frame([result(ARXIV, "GPT-4", "GSM8K", 92.0)]), {}, path)
    assert any("Charts: not written" in n for n in notes)
    assert "Leaderboard" in load_workbook(path).sheetnames


OFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(not (OFFICE and shutil.which("pdftotext")), reason="LibreOffice or pdftotext not installed")
def test_libreoffice_prints_the_leaderboard_one_column_strip_wide(tmp_path):
    # enough long rows for several pages
    claims = [result(f"24{i:02d}.0{i:04d}", f"Model-{i}", f"Bench-{i % 5}", 50 + i / 10,
                     evidence=LONG.format(v=50 + i / 10)) for i in range(80)]
    path = tmp_path / "leaderboard.xlsx"
    L.write_workbook(to_frame(claims), {}, path)
    subprocess.run([OFFICE, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(path)], check=True, capture_output=True, timeout=300)
    pdf = tmp_path / "leaderboard.pdf"
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    board = [p for p in pages if "Leaderboard, page" in p]
    assert len(board) >= 2
    for page in board:   # every page is the whole width: first and last printed column, under one header
        head = next(line for line in page.splitlines() if line.strip())
        assert head.split()[0] == "benchmark" and head.split()[-1] == "paper_id", head
    assert sum(p.count("Model-") for p in board) == 80
