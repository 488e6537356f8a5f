"""Each module names its public surface in `__all__`, and the rest of the repository uses only that surface:
a private helper shared across modules gets a public name or stays where it is used (docs/architecture.md)."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "di_metrics"
MODULES = {
    ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__"): p
    for p in sorted(PACKAGE.rglob("*.py"))
}
USERS = sorted(
    p for folder in ("di_metrics", "pages", "tests", "benchmarks") for p in (ROOT / folder).rglob("*.py")
) + sorted(ROOT.glob("*.py"))


def declared(path: Path) -> list[str] | None:
    """The names in a module's `__all__`, read from its source; None without one."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if isinstance(target, ast.Name) and target.id == "__all__":
            return list(ast.literal_eval(node.value))
    return None


def used_names(tree: ast.Module) -> set[tuple[str, str]]:
    """(module, name) for each name taken from a di_metrics module: `from m import name`, and `alias.name` where
    `alias` is a di_metrics module imported whole."""
    aliases: dict[str, str] = {}
    used = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in MODULES:
            for a in node.names:
                full = f"{node.module}.{a.name}"
                if full in MODULES:
                    aliases[a.asname or a.name] = full
                else:
                    used.add((node.module, a.name))
        elif isinstance(node, ast.Import):
            aliases |= {a.asname: a.name for a in node.names if a.asname and a.name in MODULES}
    attributes = (n for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name))
    # A test may reach a private attribute to patch or reset it; a public one must be declared.
    used |= {(aliases[n.value.id], n.attr) for n in attributes if n.value.id in aliases and n.attr[0] != "_"}
    return used


@pytest.mark.parametrize("module", MODULES)
def test_every_module_declares_its_public_surface(module):
    names = declared(MODULES[module])
    assert names is not None, f"{module} has no __all__"
    loaded = importlib.import_module(module)
    assert [n for n in names if not hasattr(loaded, n)] == [], f"{module}.__all__ names what it does not define"
    assert len(set(names)) == len(names)


def test_nothing_outside_a_module_uses_what_it_keeps_private():
    surface = {m: set(declared(p) or ()) for m, p in MODULES.items()}
    wrong = set()
    for path in USERS:
        own = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for module, name in used_names(ast.parse(path.read_text(encoding="utf-8"))):
            if module != own and name not in surface[module]:
                wrong.add(f"{path.relative_to(ROOT)}: {module}.{name}")
    assert not wrong, "\n".join(sorted(wrong))


def test_the_check_sees_a_private_import():
    """A page that imports a private helper, or reaches one through a module, is caught (the test can fail)."""
    tree = ast.parse(
        "from di_metrics.queries.survey import _hidden\nfrom di_metrics.queries import workforce\nworkforce.secret()\n"
    )
    used = used_names(tree)
    assert ("di_metrics.queries.survey", "_hidden") in used
    assert ("di_metrics.queries.workforce", "secret") in used
    assert "_hidden" not in declared(MODULES["di_metrics.queries.survey"])
