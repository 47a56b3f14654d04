"""The package is laid out as the stages a paper flows through; imports only go down.

Read with ``ast`` (nothing is imported): every ``import extract.X`` / ``from extract.X import``, at any
depth in a module (lazy imports count too), must name a floor the importing module's floor may use.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "extract"

# The floors, bottom up, in the order a paper flows through them: a stage may import the stages below it
# and "shared" (records, errors, the claims table, written-file handling, the registry lexicons).
FLOW = ["shared", "read", "match", "context", "check", "write"]
MAY_IMPORT = {f: set(FLOW[:i + 1]) for i, f in enumerate(FLOW)}
# The drivers may import every stage; the API only the drivers; the rule author's tools (eval, explain)
# the API and the stages, never the drivers; only the CLI imports both.
MAY_IMPORT["run"] = set(FLOW) | {"run"}
MAY_IMPORT["api"] = {"shared", "run", "api"}
MAY_IMPORT["tools"] = set(FLOW) | {"api", "tools"}
MAY_IMPORT["cli"] = set(MAY_IMPORT) | {"cli"}
SHARED = {"records", "errors", "table", "files", "lexicon", "__version__"}
TOOLS = {"evaluate", "eval_report", "explain"}


def floor_of(dotted: str) -> str:
    """The floor of a module given by its dotted path inside ``extract`` ('' is the package itself)."""
    head = dotted.split(".")[0] if dotted else ""
    if head in ("", "__init__"):
        return "api"
    if head in SHARED:
        return "shared"
    if head in TOOLS:
        return "tools"
    if head in ("cli", "__main__"):
        return "cli"
    if head in MAY_IMPORT:
        return head
    raise AssertionError(f"extract.{dotted} belongs to no floor: add it to test_layers.py")


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        yield ".".join(rel.parts), path


def imports_of(path: Path, dotted: str):
    """(line, imported module inside extract) for every import of the package in ``path``."""
    package = dotted.split(".")[:-1] if not dotted.endswith("__init__") else dotted.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "extract" or a.name.startswith("extract."):
                    yield node.lineno, a.name.removeprefix("extract").lstrip(".")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - (node.level - 1)] if node.level > 1 else package
                target = ".".join(base + ([node.module] if node.module else []))
            elif node.module and (node.module == "extract" or node.module.startswith("extract.")):
                target = node.module.removeprefix("extract").lstrip(".")
            else:
                continue
            if target:
                yield node.lineno, target
            else:  # from extract import a, b: each name is a module or the API
                for a in node.names:
                    is_module = (PACKAGE / a.name).exists() or (PACKAGE / f"{a.name}.py").exists()
                    yield node.lineno, a.name if is_module or a.name == "__version__" else ""


def test_every_import_goes_down_the_floors():
    wrong = []
    for dotted, path in modules():
        here = floor_of(dotted)
        for line, target in imports_of(path, dotted):
            there = floor_of(target)
            if there not in MAY_IMPORT[here]:
                wrong.append(f"extract/{path.relative_to(PACKAGE)}:{line}: {here} imports {there} (extract.{target})")
    assert not wrong, "imports that climb the floors:\n" + "\n".join(wrong)


def test_no_import_circle_between_modules():
    graph = {}
    for dotted, path in modules():
        name = dotted.removesuffix(".__init__")
        graph[name] = {t for _, t in imports_of(path, dotted) if t and t != name}
    names = set(graph)
    graph = {k: {t for t in v if t in names} for k, v in graph.items()}
    state, circles = {}, []

    def visit(node, trail):
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                circles.append(" -> ".join(trail[trail.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = "done"

    for n in sorted(graph):
        if n not in state:
            visit(n, [n])
    assert not circles, "import circles:\n" + "\n".join(circles)


def test_the_floors_are_checked_on_a_planted_climb(tmp_path):
    # the checker itself: a match module that imports context is reported
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from extract.context.attach import attach\n", encoding="utf-8")
    (line, target), = imports_of(bad, "match.bad")
    assert (line, floor_of(target)) == (2, "context")
    assert floor_of(target) not in MAY_IMPORT["match"]


def test_no_module_is_over_the_size_limit():
    long = [f"{p.relative_to(PACKAGE)}: {n}" for _, p in modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 450]
    assert not long, "modules over ~400 lines (split along a seam):\n" + "\n".join(long)


def private_imports(source: str):
    """(line, module, name) for every `from extract.X import _name` in ``source`` (an alias to a
    private name of one's own, `import x as _x`, is fine)."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("extract"):
            for a in node.names:
                if a.name.startswith("_") and not a.name.startswith("__"):
                    yield node.lineno, node.module, a.name


def test_no_private_name_crosses_a_module():
    """A name another module needs is public where it is defined (issue 11)."""
    found = [f"{dotted}:{line} imports {name} from {module}"
             for dotted, path in modules() for line, module, name in private_imports(path.read_text(encoding="utf-8"))]
    assert not found, "private names imported across modules (make them public or move them):\n" + "\n".join(found)


def test_a_planted_private_import_is_found():
    src = "from extract.context.cues import _hidden, visible\nfrom extract.x import y as _y\n"
    assert [(n, m) for _, m, n in private_imports(src)] == [("_hidden", "extract.context.cues")]
