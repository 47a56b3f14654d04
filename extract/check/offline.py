"""Make the Great Expectations Data Docs work without network: ship their static files, point at them.

GX writes pages that load bootstrap, jquery, bootstrap-table and font-awesome from CDNs. Opened from
disk on a machine without network, the index's results table stays empty (its rows are data for a
JS table) and the pass/fail status is blank (icon-font glyphs). The files are shipped in the package
(``report_assets/``, fetched from the projects' npm packages by tools/fetch_report_assets.py, which
also writes ``assets.json``: versions, licences and the CDN address -> file map). :func:`make_offline`
copies them under the report's ``static/vendor/`` and rewrites every page to load them by relative
path, so the report directory can be moved or copied anywhere as a whole.
"""
from __future__ import annotations

import json
import os
import re
import shutil
from functools import lru_cache
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "report_assets"
VENDOR = Path("static") / "vendor"
# GX's logos are hot-linked from its S3 bucket; the site carries its own copy of the long logo.
LOGO = Path("static") / "images" / "logo-long.png"
_GX_IMAGES = re.compile(r"https://great-expectations-web-assets\.s3\.[a-z0-9-]+\.amazonaws\.com/[\w.-]+\.png(\?[^\"')\s]*)?")
_TAG = re.compile(r"<(script|link)\b[^>]*>(\s*</script>)?", re.IGNORECASE)
_ATTR = re.compile(r'\s(src|href)="([^"]*)"')
# Subresource integrity and CORS mode make a browser refuse a file:// script (its origin is "null").
_SRI = re.compile(r'\s(integrity|crossorigin)(="[^"]*")?', re.IGNORECASE)
_EXTERNAL_LOAD = re.compile(r'<(?:script|img)\b[^>]*\ssrc="(https?:[^"]*)"|'
                            r'<link\b[^>]*rel="stylesheet"[^>]*href="(https?:[^"]*)"|'
                            r'<link\b[^>]*href="(https?:[^"]*)"[^>]*rel="stylesheet"|'
                            r'url\([\'"]?(https?:[^\'")]*)', re.IGNORECASE)


@lru_cache(maxsize=1)
def manifest() -> dict:
    return json.loads((ASSETS / "assets.json").read_text(encoding="utf-8"))


def make_offline(site: Path) -> list[str]:
    """Copy the assets into ``site`` and rewrite its pages; return what still loads from the network
    (addresses, one per page it occurs in), which is empty unless GX changed its templates."""
    site = Path(site)
    shutil.copytree(ASSETS, site / VENDOR, dirs_exist_ok=True, ignore=shutil.ignore_patterns("assets.json"))
    left = []
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        new = rewrite(text, os.path.relpath(site, page.parent))
        if new != text:
            page.write_text(new, encoding="utf-8")
        left += [f"{page.relative_to(site)}: {url}" for url in external_loads(new)]
        if "vegaEmbed(" in new:
            left.append(f"{page.relative_to(site)}: a chart needs vega, which is not shipped")
    return left


def rewrite(html: str, to_root: str) -> str:
    """``html`` with each known CDN address replaced by the shipped file's path (``to_root``: the
    relative path from the page's folder to the site's root) and the unused chart scripts removed."""
    m = manifest()
    urls, dropped = m["urls"], set(m["dropped"])
    root = Path(to_root)

    def tag(match: re.Match) -> str:
        text = match.group(0)
        attr = _ATTR.search(text)
        if attr is None:
            return text
        url = attr.group(2)
        if url in dropped:
            return ""
        if url not in urls:
            return text
        local = (root / VENDOR / urls[url]).as_posix()
        text = text.replace(attr.group(0), f' {attr.group(1)}="{local}"')
        return _SRI.sub("", text)

    html = _TAG.sub(tag, html)
    return _GX_IMAGES.sub((root / LOGO).as_posix(), html)


def external_loads(html: str) -> list[str]:
    """Addresses the page would fetch from the network to render (scripts, stylesheets, images)."""
    return [next(g for g in m.groups() if g) for m in _EXTERNAL_LOAD.finditer(html)]
