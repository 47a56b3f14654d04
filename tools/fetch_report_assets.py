"""Fetch the static files the Great Expectations Data Docs load from CDNs, from their npm packages.

The validation report (output/validation/) is opened from disk, often on machines without network
access; the pages GX writes load bootstrap, jquery, bootstrap-table, font-awesome... from CDNs, so
offline the index table is empty and the pass/fail icons are blank. This script downloads each
project's own npm package (``npm pack``, the tarball npm's registry serves), copies the files the
pages use into ``extract/check/report_assets/`` with the package's licence file, and writes
``assets.json``: for each package its version, licence, tarball and integrity, and the map from each
CDN address the pages use to the shipped file. :mod:`extract.check.offline` reads that map when it
rewrites the pages.

Run it again (``make report-assets``) after a Great Expectations upgrade changes the pages' CDN
addresses; the test tests/test_report_offline.py fails on any address left unmapped.
Needs ``npm`` and network; exits 2 without them.
"""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

DEST = Path(__file__).resolve().parent.parent / "extract" / "check" / "report_assets"


@dataclass
class Package:
    name: str
    version: str
    # file inside the package (below package/) -> the CDN addresses GX 1.x pages load it from
    files: dict[str, list[str]]
    # extra files kept beside them (fonts the CSS loads by relative path)
    extra: list[str] = field(default_factory=list)

    @property
    def dir(self) -> str:
        return f"{self.name.rsplit('/', 1)[-1]}-{self.version}"


# The versions are the ones the GX 1.x page templates name (great_expectations/render/view/templates).
PACKAGES = [
    Package("jquery", "3.7.1", {"dist/jquery.min.js": ["https://code.jquery.com/jquery-3.7.1.min.js"]}),
    Package("popper.js", "1.12.9", {"dist/umd/popper.min.js": [
        "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js"]}),
    Package("bootstrap", "4.3.1", {
        "dist/css/bootstrap.min.css": ["https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css"],
        "dist/js/bootstrap.min.js": ["https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js"],
    }),
    Package("bootstrap-table", "1.19.1", {
        "dist/bootstrap-table.min.css": ["https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css"],
        "dist/bootstrap-table.min.js": ["https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js"],
        "dist/extensions/filter-control/bootstrap-table-filter-control.min.js": [
            "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/"
            "bootstrap-table-filter-control.min.js"],
    }),
    # The pages take the filter-control stylesheet from 1.19.0 (the .min and the plain address).
    Package("bootstrap-table", "1.19.0", {"dist/extensions/filter-control/bootstrap-table-filter-control.min.css": [
        "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
        "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css",
    ]}),
    Package("bootstrap-datepicker", "1.9.0", {
        "dist/css/bootstrap-datepicker.min.css": [
            "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css"],
        "dist/js/bootstrap-datepicker.min.js": [
            "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js"],
    }),
    # The pages load the unminified file (880 KB); the package's minified build of it is 150 KB.
    Package("@forevolve/bootstrap-dark", "1.1.0", {"dist/css/bootstrap-prefers-dark.min.css": [
        "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css"]}),
    # The icons (pass/fail status) are glyphs of these fonts. Only the woff2 files: every browser that
    # runs bootstrap 4 reads woff2, and the stylesheet lists it first.
    Package("@fortawesome/fontawesome-free", "6.6.0", {"css/all.min.css": [
        "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css"]},
        extra=["webfonts/fa-brands-400.woff2", "webfonts/fa-regular-400.woff2", "webfonts/fa-solid-900.woff2",
               "webfonts/fa-v4compatibility.woff2"]),
]

# Loaded by every page but used by none of ours (no chart is rendered for this suite): dropped, not
# shipped (850 KB). extract.check.offline warns if a page ever calls vegaEmbed.
DROPPED = ["https://cdn.jsdelivr.net/npm/vega@5", "https://cdn.jsdelivr.net/npm/vega-lite@5",
           "https://cdn.jsdelivr.net/npm/vega-embed@6"]

LICENCE_FILES = ("LICENSE", "LICENSE.txt", "LICENSE.md", "LICENCE")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def fetch(pkg: Package, work: Path, dest: Path) -> dict:
    """npm pack one package into ``work``; copy its files under ``dest/pkg.dir``; its manifest entry."""
    spec = f"{pkg.name}@{pkg.version}"
    out = subprocess.run(["npm", "pack", "--json", spec], cwd=work, capture_output=True, text=True, check=True)
    info = json.loads(out.stdout)[0]
    view = json.loads(subprocess.run(["npm", "view", "--json", spec, "license", "dist.tarball"], cwd=work,
                                     capture_output=True, text=True, check=True).stdout)
    unpacked = work / pkg.dir
    with tarfile.open(work / info["filename"]) as tar:
        tar.extractall(unpacked, filter="data")
    root = unpacked / "package"
    target = dest / pkg.dir
    files = {}
    for rel in [*pkg.files, *pkg.extra]:
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / rel, target / rel)
        files[f"{pkg.dir}/{rel}"] = sha256(target / rel)
    licence = next((n for n in LICENCE_FILES if (root / n).is_file()), None)
    if licence:
        shutil.copyfile(root / licence, target / licence)
    return {
        "name": pkg.name, "version": pkg.version, "license": view["license"],
        "licence_file": f"{pkg.dir}/{licence}" if licence else None,
        # popper.js 1.12.9 ships no licence file; its MIT notice heads popper.min.js itself
        "licence_note": None if licence else "no licence file in the package; the notice heads the file",
        "tarball": view["dist.tarball"], "integrity": info["integrity"], "files": files,
    }


def main() -> int:
    if shutil.which("npm") is None:
        print("fetch_report_assets: npm is not installed", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        work, staged = Path(tmp) / "work", Path(tmp) / "report_assets"
        work.mkdir()
        staged.mkdir()
        try:
            packages = [fetch(p, work, staged) for p in PACKAGES]
        except subprocess.CalledProcessError as e:
            print(f"fetch_report_assets: {' '.join(e.cmd)} failed (network?):\n{e.stderr}", file=sys.stderr)
            return 2
        urls = {url: f"{p.dir}/{rel}" for p in PACKAGES for rel, addresses in p.files.items() for url in addresses}
        manifest = {"generated_by": "tools/fetch_report_assets.py", "packages": packages, "urls": urls,
                    "dropped": DROPPED}
        (staged / "assets.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        # Swapped in whole: a failed fetch leaves the committed assets as they were.
        if DEST.exists():
            shutil.rmtree(DEST)
        shutil.copytree(staged, DEST)
    total = sum(f.stat().st_size for f in DEST.rglob("*") if f.is_file())
    print(f"{len(PACKAGES)} packages, {len(urls)} addresses, {total / 1e6:.2f} MB in {DEST}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
