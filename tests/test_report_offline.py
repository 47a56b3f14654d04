"""The validation report works with no network (issue 15): its pages load every script, stylesheet
and font from the report itself, so the index lists the validation, the result page shows pass/fail
per expectation and the failed rows with their paper_id and value_text.

The browser tests open the report in headless Chromium (the Debian package; they skip without it)
cut off from the network: in a network namespace of its own where the system allows one, and with
every host name unresolvable in any case. A probe script added to a copy of each page records what
the browser computed (bootstrap's styles applied, the icon font loaded, jQuery running), and the
test reads it back from the DOM (--dump-dom). A copy of the report without its shipped files is the
control: there the same probe must see nothing styled and an empty table."""
import json
import os
import shutil
import stat
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from lxml import html as lhtml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_validate import CLEAN, claim, table  # noqa: E402

from extract.check import offline, validate  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
RUN_TIME = datetime(2026, 3, 14, 15, 9, 26, tzinfo=timezone.utc)
FAILING = [claim(paper_id="2401.01234", value=140.0),  # an absolute percentage above 100
           claim(paper_id="a1b2c3d4", family="speed")]  # not a family


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("report") / "validation"
    validate.build_docs(table(CLEAN + FAILING), out, corpus="data/papers.jsonl", run_time=RUN_TIME)
    return out


def _result_page(site: Path) -> Path:
    [page] = (site / "validations").rglob("*.html")
    return page


# --- without a browser ---------------------------------------------------------------------------


def test_pages_load_nothing_from_the_network(report):
    pages = sorted(report.rglob("*.html"))
    assert len(pages) == 3  # index, suite, one result
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert offline.external_loads(text) == [], page
        tree = lhtml.fromstring(text)
        local = tree.xpath("//script/@src") + tree.xpath("//link[@rel='stylesheet']/@href")
        assert len(local) >= 10
        for ref in local:  # every file a page loads is in the report, by a path relative to the page
            assert not ref.startswith(("/", "http")), ref
            assert (page.parent / ref).is_file(), f"{page.name}: {ref}"


def test_shipped_assets_match_their_manifest():
    m = offline.manifest()
    for pkg in m["packages"]:
        assert pkg["license"] and pkg["version"] and pkg["integrity"].startswith("sha512-")
        assert pkg["licence_file"] is None or (offline.ASSETS / pkg["licence_file"]).is_file()
        for rel, digest in pkg["files"].items():
            import hashlib

            assert hashlib.sha256((offline.ASSETS / rel).read_bytes()).hexdigest() == digest, rel
    assert set(m["urls"].values()) <= {rel for p in m["packages"] for rel in p["files"]}


def test_rewrite_points_cdn_tags_at_the_shipped_files_and_drops_unused_ones():
    page = ('<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css"/>'
            '<script src="https://cdn.jsdelivr.net/npm/vega@5"></script>'
            '<script src="https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js" '
            'integrity="sha384-x" crossorigin="anonymous"></script>'
            '<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=1">'
            '<script src="https://example.org/new.js"></script>')
    out = offline.rewrite(page, "../..")
    assert 'href="../../static/vendor/bootstrap-4.3.1/dist/css/bootstrap.min.css"' in out
    assert 'src="../../static/vendor/popper.js-1.12.9/dist/umd/popper.min.js"></script>' in out
    assert "vega" not in out and "integrity" not in out and "crossorigin" not in out
    assert 'src="../../static/images/logo-long.png"' in out
    assert offline.external_loads(out) == ["https://example.org/new.js"]  # unknown: reported, not hidden


def test_report_is_named_after_the_corpus_and_run_and_readable_by_others(report):
    assert stat.S_IMODE(report.stat().st_mode) & 0o055 == 0o055 & ~_umask()
    index = (report / "index.html").read_text(encoding="utf-8")
    assert "papers.jsonl_20260314T150926Z" in index  # run name: corpus and run time
    page = _result_page(report)
    assert page.parent.parent.name == "papers.jsonl_20260314T150926Z"
    text = page.read_text(encoding="utf-8")
    assert "Data asset:" in text and "Data asset: None" not in " ".join(lhtml.fromstring(text).text_content().split())
    assert "papers.jsonl" in text


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# --- in Chromium, offline ------------------------------------------------------------------------

PROBE = """<script>
window.addEventListener('load', async () => {
  const out = {};
  const d = document.createElement('div'); d.className = 'd-flex'; document.body.appendChild(d);
  out.bootstrap_css = getComputedStyle(d).display === 'flex';
  try { out.icon_font = (await document.fonts.load('900 16px "Font Awesome 6 Free"')).length > 0; }
  catch (e) { out.icon_font = false; }
  out.jquery = typeof window.jQuery === 'function';
  const shown = sel => [...document.querySelectorAll(sel)].filter(e => e.offsetParent !== null).length;
  out.pass_icons = shown('i.fa-check-circle'); out.fail_icons = shown('i.fa-times');
  if (typeof hideSucceededValidations === 'function') {
    // animations off: fadeOut then hides at once (headless frames do not tick on a schedule)
    if (out.jquery) jQuery.fx.off = true;
    try { hideSucceededValidations(); } catch (e) {}
    await new Promise(r => setTimeout(r, 100));
    out.pass_icons_failed_only = shown('i.fa-check-circle'); out.fail_icons_failed_only = shown('i.fa-times');
  }
  document.body.setAttribute('data-probe', JSON.stringify(out));
});
</script>"""


def _open_offline(page: Path, tmp_path: Path):
    """Dump ``page``'s DOM after its scripts ran in Chromium without network: (tree, probe results)."""
    probe = page.with_name(page.stem + ".probe.html")
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8")
    cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
           f"--user-data-dir={tmp_path / 'profile'}", "--host-resolver-rules=MAP * ~NOTFOUND",
           "--virtual-time-budget=10000", "--dump-dom", probe.as_uri()]
    if shutil.which("unshare") and subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0:
        cmd = ["unshare", "-rn", *cmd]  # no network interface at all, not just no name resolution
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    finally:
        probe.unlink()  # the report is shared by the module's tests
    assert out.returncode == 0, out.stderr[-2000:]
    tree = lhtml.fromstring(out.stdout)
    [found] = tree.xpath("//body/@data-probe") or [None]
    assert found, "the probe did not run: " + out.stderr[-2000:]
    return tree, json.loads(found)


def _rows(tree) -> list[list[str]]:
    return [[" ".join(td.text_content().split()) for td in tr.xpath("./td")] for tr in tree.xpath("//table//tr[td]")]


needs_chromium = pytest.mark.skipif(not os.access(CHROMIUM, os.X_OK), reason=f"{CHROMIUM} not installed")


@needs_chromium
def test_index_lists_the_validation_offline(report, tmp_path):
    tree, probe = _open_offline(report / "index.html", tmp_path)
    assert probe["bootstrap_css"] and probe["jquery"], probe
    listed = [tr for tr in tree.xpath("//table//tr[td]") if "papers.jsonl_20260314T150926Z" in tr.text_content()]
    assert len(listed) == 1, _rows(tree)
    cells = [" ".join(td.text_content().split()) for td in listed[0].xpath("./td")]
    assert cells[1:4] == ["2026-03-14 15:09:26 UTC", "papers.jsonl_20260314T150926Z", "papers.jsonl"], cells
    assert listed[0].xpath("./td[1]//i[contains(@class, 'fa-times')]"), "no failed status icon"
    assert probe["fail_icons"] == 1  # that icon, drawn


@needs_chromium
def test_result_page_shows_status_and_failed_rows_offline(report, tmp_path):
    tree, probe = _open_offline(_result_page(report), tmp_path)
    assert probe["bootstrap_css"] and probe["icon_font"] and probe["jquery"], probe
    assert probe["fail_icons"] == 3  # the page's header and the two failed expectations
    assert probe["pass_icons"] > 40
    # "Failed Only" hides the sections where everything passed (GX keeps a failed one's passing
    # rows in view) and keeps every failure
    assert probe["pass_icons_failed_only"] < probe["pass_icons"] / 2 and probe["fail_icons_failed_only"] == 3, probe
    rows = _rows(tree)
    header = next(r for r in (
        [" ".join(th.text_content().split()) for th in tr.xpath("./th|./td")] for tr in tree.xpath("//table//tr"))
        if "paper_id" in r)
    assert header == ["Unexpected Value", "Count", "paper_id", "value_text"]
    assert ["140.0", "1", "2401.01234", "140%"] in rows
    assert ["speed", "1", "a1b2c3d4", "85.3%"] in rows


@needs_chromium
def test_without_the_shipped_files_the_probe_sees_an_unstyled_empty_report(report, tmp_path):
    """The control: the checks above fail on the report as GX writes it, offline."""
    bare = tmp_path / "bare"
    shutil.copytree(report, bare)
    shutil.rmtree(bare / "static" / "vendor")
    tree, probe = _open_offline(bare / "index.html", tmp_path)
    assert not probe["bootstrap_css"] and not probe["jquery"]
    assert not [r for r in _rows(tree) if any("papers.jsonl_20260314T150926Z" in c for c in r)]
    _, probe = _open_offline(_result_page(bare), tmp_path)
    assert not probe["icon_font"]
