"""The package's layers: each module imports only its own layer and the ones below it, and the third-party
libraries its layer owns (docs/architecture.md draws the diagram)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "di_metrics"

# Bottom to top. The root modules config, errors, i18n and vocab are the foundation; outputs and the CLI sit on top.
LAYERS = ("foundation", "models", "storage", "queries", "analysis", "present", "demo", "shell", "cli", "top")
ROOT_MODULES = {
    "config": "foundation",
    "errors": "foundation",
    "i18n": "foundation",
    "vocab": "foundation",
    "outputs": "top",
    "__main__": "top",
    "__init__": "foundation",
}
# Which layers may import a library at run time (an import under `if TYPE_CHECKING:` is a type hint only).
OWNED = {
    "sqlalchemy": {"storage", "queries"},
    "duckdb": {"storage", "queries"},
    "psycopg": {"storage"},
    "plotly": {"present"},
    "kaleido": {"present"},
    "pptx": {"present"},
    "docx": {"present"},
    "highspy": {"queries"},  # the attacker's programs (queries/release_lp.py: the survey family solves them too)
    "streamlit": set(),
}
# Imports still crossing the rules, each to be removed by splitting its module; the list only shrinks.
KNOWN: set[tuple[str, str]] = set()


def layer_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return ROOT_MODULES[rel.stem] if len(rel.parts) == 1 else rel.parts[0]


def runtime_imports(tree: ast.Module) -> list[str]:
    """Absolute module names imported at run time (skips `if TYPE_CHECKING:` blocks)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip |= {id(n) for child in node.body for n in ast.walk(child)}
    names = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "imports inside the package are absolute"
            base = node.module or ""
            names += [f"{base}.{a.name}" if base == "di_metrics" or base.count(".") == 1 else base for a in node.names]
    return names


def target_layer(name: str) -> str | None:
    parts = name.split(".")
    if parts[0] != "di_metrics" or len(parts) < 2:
        return None
    return ROOT_MODULES.get(parts[1], parts[1])


def violations() -> set[tuple[str, str]]:
    found = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        own = layer_of(path)
        module = ".".join(path.relative_to(PACKAGE).with_suffix("").parts)
        for name in runtime_imports(ast.parse(path.read_text())):
            layer = target_layer(name)
            if layer is not None and LAYERS.index(layer) > LAYERS.index(own):
                found.add((module, name))
            library = name.split(".")[0]
            if library in OWNED and own not in OWNED[library]:
                found.add((module, library))
    return found


def test_every_module_sits_in_a_known_layer():
    for path in PACKAGE.rglob("*.py"):
        assert layer_of(path) in LAYERS, path


def test_no_module_imports_upwards_or_a_library_its_layer_does_not_own():
    new = violations() - KNOWN
    assert not new, "\n".join(f"{m} imports {n}" for m, n in sorted(new))


def test_the_list_of_known_crossings_only_shrinks():
    stale = KNOWN - violations()
    assert not stale, f"fixed, remove from KNOWN: {sorted(stale)}"


@pytest.mark.parametrize("library", ["sqlalchemy", "plotly"])
def test_the_rule_catches_a_crossing(tmp_path, library):
    """A model that imports SQL or a chart library is caught (the test can fail)."""
    tree = ast.parse(f"import {library}\nfrom di_metrics.queries import workforce\n")
    names = runtime_imports(tree)
    assert library in {n.split(".")[0] for n in names}
    assert LAYERS.index(target_layer("di_metrics.queries.workforce")) > LAYERS.index("models")


@pytest.mark.parametrize("doc", ["README.md", "docs/architecture.md"])
def test_the_layout_in_the_docs_names_every_module_in_its_layer(doc):
    """The README's layout and the architecture page list each layer's modules as the code has them."""
    text = (PACKAGE.parent / doc).read_text(encoding="utf-8")
    section = text.split("## Layout", 1)[1].split("\n## ", 1)[0] if doc == "README.md" else text
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        if rel.stem.startswith("__") or len(rel.parts) == 1:
            continue
        block = _layer_block(section, rel.parts[0])
        if rel.stem not in re.findall(r"[a-z_]+", block):
            missing.append(str(rel))
    assert missing == [], f"{doc} does not list {missing}"


def _layer_block(text: str, layer: str) -> str:
    """The lines describing one layer folder: its own line and the indented lines that continue it."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if re.search(rf"(^\s*|\| `){layer}/", line):
            rest = [line]
            for more in lines[i + 1 :]:
                if not more.startswith(" " * 16) or re.search(r"^\s{0,4}\S+/", more):
                    break
                rest.append(more)
            return "\n".join(rest)
    return ""


def module_of(path: Path) -> str:
    return ".".join(("di_metrics", *path.relative_to(PACKAGE).with_suffix("").parts)).removesuffix(".__init__")


def resolved(name: str, modules: set[str]) -> str | None:
    """The package module an imported name stands for: itself, or the module that holds the imported name."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph(sources: dict[str, str] | None = None) -> dict[str, set[str]]:
    """Who imports whom inside the package, counting imports inside functions too (they hide loops)."""
    if sources is None:
        sources = {module_of(p): p.read_text() for p in sorted(PACKAGE.rglob("*.py"))}
    modules = set(sources)
    graph: dict[str, set[str]] = {}
    for module, text in sources.items():
        found = set()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                found |= {f"{node.module}.{a.name}" for a in node.names}
        graph[module] = {m for m in (resolved(n, modules) for n in found) if m and m != module}
    return graph


def loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import loop, as the modules on it (Tarjan's strongly connected components of two or more)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                part.append(w)
                if w == v:
                    break
            if len(part) > 1:
                found.append(sorted(part))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


# A package __init__ that imports its own modules is not a loop of the code's making.
def _code_loops(graph: dict[str, set[str]]) -> list[list[str]]:
    packages = {m for m in graph if (PACKAGE.parent / m.replace(".", "/") / "__init__.py").exists()}
    return loops({m: {n for n in deps if n not in packages} for m, deps in graph.items()})


def test_no_import_loop_even_through_imports_inside_functions():
    """An import inside a function that closes a loop only hides it: the modules depend on each other."""
    assert _code_loops(import_graph()) == []


def test_the_loop_check_catches_a_loop_hidden_in_a_function():
    """Re-introduce the loop that was removed: briefing imports where_views inside a function, which imports
    briefing at the top. The check must see it."""
    sources = {
        "di_metrics.present.briefing": "def build():\n    from di_metrics.present.where_views import where_views\n",
        "di_metrics.present.where_views": "from di_metrics.present.briefing import View\n",
        "di_metrics.present.views": "",
    }
    assert loops(import_graph(sources)) == [["di_metrics.present.briefing", "di_metrics.present.where_views"]]
