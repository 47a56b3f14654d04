"""The claim specification ships with the repository and is what the docs cite (issue 15); every
directory of shipped files is a listed package, so setuptools neither warns nor drops one."""
import re
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from extract.check.expectations import load
from extract.cli import cli

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "docs" / "claims.md"
SHARED_SPEC = ROOT.parent / "shared" / "spec" / "claims.md"


@pytest.mark.skipif(not SHARED_SPEC.is_file(), reason="../shared/spec/claims.md not here")
def test_docs_claims_md_is_the_shared_specification():
    assert SPEC.read_bytes() == SHARED_SPEC.read_bytes(), "docs/claims.md differs: copy ../shared/spec/claims.md"


def test_readme_cites_the_specification():
    assert "docs/claims.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_validation_reasons_cite_sections_the_specification_has():
    sections = set(re.findall(r"^## (\d+)\.", SPEC.read_text(encoding="utf-8"), flags=re.M))
    cited = [(s.name, n) for s in load() for n in re.findall(r"docs/claims\.md section (\d+)", s.reason)]
    assert len(cited) >= 5
    assert all(n in sections for _, n in cited), cited
    assert not [s.name for s in load() if "spec section" in s.reason]     # no citation of a file not here


def test_eval_help_points_at_files_a_clone_has():
    text = CliRunner().invoke(cli, ["eval", "--help"]).output
    assert "docs/claims.md" in text and "../shared" not in text
    for path in re.findall(r"\b(?:tests|data|docs)/[\w./-]+\.\w+", text):
        assert (ROOT / path).is_file(), path


def test_every_shipped_directory_is_a_listed_package():
    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed, dirs, data = set(conf["packages"]), conf.get("package-dir", {}), conf["package-data"]

    def folder(pkg: str) -> Path:
        for name, where in sorted(dirs.items(), key=lambda kv: -len(kv[0])):
            if pkg == name or pkg.startswith(name + "."):
                return ROOT / where / Path(*pkg[len(name):].lstrip(".").split(".") if pkg != name else ())
        return ROOT / Path(*pkg.split("."))

    for pkg in listed:
        base = folder(pkg)
        assert base.is_dir(), pkg
        for sub in base.iterdir():   # a folder named like a module holding files would be dropped
            if sub.is_dir() and sub.name.isidentifier() and sub.name != "__pycache__" and any(sub.rglob("*.*")):
                assert f"{pkg}.{sub.name}" in listed, f"{pkg}.{sub.name} ships files but is not in packages"
        if not (base / "__init__.py").exists():
            assert pkg in data, f"{pkg} holds data only but has no package-data patterns"
