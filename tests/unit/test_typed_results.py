"""Pages, ui, present and the CLI's documents read core results by attribute, never by key (the core returns
frozen, typed values).

The rule, checked on the source of pages/, ui/, di_metrics/present/ and the CLI's documents (ast, no page is
run): a read of a subscript with a string key, `x["key"]`, is allowed only where `x` is known to be one of

1. a pandas frame, series or row. Known means: in the same function (or at module level) the name is bound
   only to pandas values: a `pd.*` call; an attribute, subscript or method call of a pandas value
   (`t.loc[...]`, `t.set_index(...)`, `t.iloc[-1]`); a call of a function whose return annotation names a
   DataFrame or Series (resolved through the module's imports, e.g. `ui.load_import_log`, or defined in the
   same file); a parameter annotated as one; a loop target over `.iterrows()` / `.groupby()` of a pandas value
   or over `.to_dict("records")` (a frame's rows); or an attribute declared as a DataFrame or Series field
   of a core dataclass (`record.horizons`, `calibration.rates`);
2. a plain mapping that is no result: `st.session_state`, `st.query_params`, `pio.templates`, a module
   constant in UPPER_CASE, or a name in PLAIN below, each with its reason.

Everything else fails, including a value the rule cannot place: a dict a core function returned (the old
`doc["points"]`) is exactly such a value. A new result is a frozen dataclass, read by attribute.
"""

from __future__ import annotations

import ast
import dataclasses
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import di_metrics
from tests.support import ROOT

FOLDERS = ("pages", "ui", "di_metrics/present")
# The CLI's documents, made from typed results too (the rest of the CLI reads its own plain dicts: a receipt,
# the audit's JSON, the catalogue)
CLI_DOCUMENTS = ("documents.py", "career_documents.py", "safety_documents.py")
PLAIN_RECEIVERS = {"st.session_state", "st.query_params", "pio.templates"}
# (file, name) -> why the name is a plain mapping and not a result read by key
PLAIN = {
    ("di_metrics/present/briefing.py", "takes"): "WhatIf.takes is a mapping keyed by the lever registry's names",
    ("di_metrics/present/charts/style.py", "text"): "a plotly annotation, built as a dict by the caller beside it",
    ("di_metrics/present/claims.py", "p"): "a claim's params: the values its sentence states, keyed by its kind",
    ("di_metrics/present/claims_career.py", "p"): "a claim's params, as in present/claims.py",
    ("di_metrics/present/claims_effects.py", "p"): "a claim's params, as in present/claims.py",
    ("di_metrics/present/claims_text.py", "p"): "a claim's params, as in present/claims.py",
    ("di_metrics/present/claims_whatif.py", "p"): "a claim's params, as in present/claims.py",
    ("di_metrics/present/claims_notes.py", "p"): "a claim's params, as in present/claims.py",
    ("pages/survey.py", "catalog"): "measures per source: a chooser keyed by the sources (survey_results.SOURCES)",
    ("di_metrics/present/charts/whatif.py", "body"): "a plotly figure as a dict (`fig.to_dict()`), refilled",
    ("di_metrics/present/charts/whatif.py", "kept"): "a plotly figure as a dict (`fig.to_dict()`), refilled",
    ("di_metrics/present/charts/whatif.py", "bar"): "a trace of that plotly dict",
    ("di_metrics/present/charts/whatif.py", "kept['layout']"): "the layout of that plotly dict",
}
PANDAS_METHODS_OF_ROWS = {"iterrows", "groupby", "items"}
PANDAS_WORDS = ("DataFrame", "Series")


def _frame_fields() -> set[str]:
    """The attribute names that core dataclasses declare as a DataFrame or Series."""
    names = set()
    for info in pkgutil.walk_packages(di_metrics.__path__, "di_metrics."):
        module = importlib.import_module(info.name)
        for _, cls in inspect.getmembers(module, dataclasses.is_dataclass):
            for f in dataclasses.fields(cls):
                if any(w in str(f.type) for w in PANDAS_WORDS):
                    names.add(f.name)
    return names


FRAME_FIELDS = _frame_fields()


def _return_annotation(fn: object) -> str:
    fn = inspect.unwrap(getattr(fn, "__wrapped__", fn))  # a cached loader: the function it caches
    return str(getattr(fn, "__annotations__", {}).get("return", ""))


def _pandas_in(annotation: str) -> bool:
    return any(w in annotation for w in PANDAS_WORDS)


def _tuple_parts(annotation: str) -> list[str] | None:
    """The element annotations of a `tuple[A, B]` return annotation, split at its top level."""
    if not annotation.startswith("tuple[") or "..." in annotation:
        return None
    parts, depth, start = [], 0, len("tuple[")
    for i, ch in enumerate(annotation[start:-1], start):
        depth += ch == "["
        depth -= ch == "]"
        if ch == "," and depth == 0:
            parts.append(annotation[start:i])
            start = i + 1
    return [*parts, annotation[start:-1]]


class Module:
    """One file: its imports (to resolve a call to the function it names) and its own functions' annotations."""

    def __init__(self, tree: ast.Module) -> None:
        self.imports: dict[str, str] = {}
        self.local: dict[str, str] = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    self.imports[a.asname or a.name.split(".")[0]] = a.name if a.asname else a.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for a in node.names:
                    self.imports[a.asname or a.name] = f"{node.module}.{a.name}"
            elif isinstance(node, ast.FunctionDef) and node.returns is not None:
                self.local[node.name] = ast.unparse(node.returns)

    def call_returns_pandas(self, func: ast.expr) -> bool:
        return _pandas_in(self.return_annotation(func))

    def return_annotation(self, func: ast.expr) -> str:
        """The return annotation of the function a call names, as text; empty when it cannot be resolved."""
        parts = ast.unparse(func).split(".")
        if len(parts) == 1 and parts[0] in self.local:
            return self.local[parts[0]]
        if len(parts) == 2 and parts[0] not in self.imports and parts[1] in self.local:
            return self.local[parts[1]]  # a method of a class in this file (`s.load(...)` on the page's settings)
        if parts[0] not in self.imports:
            return ""
        target = self.imports[parts[0]].split(".") + parts[1:]
        for cut in range(len(target), 0, -1):  # the longest importable module, then attributes on it
            try:
                obj = importlib.import_module(".".join(target[:cut]))
            except ImportError:
                continue
            for name in target[cut:]:
                obj = getattr(obj, name, None)
            return "" if obj is None else _return_annotation(obj)
        return ""


class Scope:
    """The names of one function (or the module's top level), each with whether every binding is pandas."""

    def __init__(self, module: Module, outer: Scope | None = None) -> None:
        self.module, self.outer, self.names = module, outer, {}

    def bind(self, name: str, pandas: bool) -> None:
        self.names[name] = self.names.get(name, True) and pandas

    def is_pandas_name(self, name: str) -> bool:
        if name in self.names:
            return self.names[name]
        return self.outer.is_pandas_name(name) if self.outer else False

    def is_pandas(self, e: ast.expr) -> bool:
        if isinstance(e, ast.Name):
            return self.is_pandas_name(e.id)
        if isinstance(e, ast.Attribute):
            return e.attr in FRAME_FIELDS or self.is_pandas(e.value) or ast.unparse(e.value) == "pd"
        if isinstance(e, ast.Subscript):
            return self.is_pandas(e.value)
        if isinstance(e, ast.Call):
            f = e.func
            if isinstance(f, ast.Attribute) and (self.is_pandas(f.value) or ast.unparse(f.value) == "pd"):
                return True
            return self.module.call_returns_pandas(f)
        if isinstance(e, ast.BinOp):
            return self.is_pandas(e.left) or self.is_pandas(e.right)
        if isinstance(e, ast.Compare):
            return self.is_pandas(e.left)
        if isinstance(e, ast.IfExp):
            return self.is_pandas(e.body) and self.is_pandas(e.orelse)
        return False

    def bind_loop(self, target: ast.expr, iterable: ast.expr) -> None:
        """A loop's target: rows of a frame are pandas (iterrows, groupby, items) or a frame's records."""
        method = (
            iterable.func.attr if isinstance(iterable, ast.Call) and isinstance(iterable.func, ast.Attribute) else ""
        )
        over_pandas = isinstance(iterable, ast.Call) and self.is_pandas(iterable.func)
        rows = over_pandas and method in PANDAS_METHODS_OF_ROWS
        records = over_pandas and method == "to_dict"
        if isinstance(target, ast.Tuple) and rows:
            for t in target.elts[:-1]:
                self.bind_target(t, False)
            self.bind_target(target.elts[-1], True)
        else:
            self.bind_target(target, records)

    def bind_target(self, target: ast.expr, pandas: bool) -> None:
        if isinstance(target, ast.Name):
            self.bind(target.id, pandas)
        elif isinstance(target, ast.Tuple | ast.List):
            for t in target.elts:
                self.bind_target(t, False)


def _bindings(node: ast.AST, scope: Scope) -> None:
    """Every binding directly in this scope (not inside nested functions), in any order: all must be pandas."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        if isinstance(child, ast.Assign):
            for t in child.targets:
                if isinstance(t, ast.Name):  # a dict written here is a mapping of the code's own, not a result
                    scope.bind(t.id, isinstance(child.value, ast.Dict | ast.DictComp) or scope.is_pandas(child.value))
                elif isinstance(t, ast.Tuple) and isinstance(child.value, ast.Call):
                    parts = _tuple_parts(scope.module.return_annotation(child.value.func)) or []
                    for i, element in enumerate(t.elts):
                        scope.bind_target(element, i < len(parts) and _pandas_in(parts[i]))
                else:
                    scope.bind_target(t, False)
        elif isinstance(child, ast.AnnAssign) and isinstance(child.target, ast.Name):
            annotated = any(w in ast.unparse(child.annotation) for w in PANDAS_WORDS)
            scope.bind(child.target.id, annotated or (child.value is not None and scope.is_pandas(child.value)))
        elif isinstance(child, ast.NamedExpr):
            scope.bind(child.target.id, scope.is_pandas(child.value))
        elif isinstance(child, ast.For | ast.comprehension):
            scope.bind_loop(child.target, child.iter)
        elif isinstance(child, ast.With):
            for item in child.items:
                if item.optional_vars is not None:
                    scope.bind_target(item.optional_vars, False)
        _bindings(child, scope)


def _parameters(args: ast.arguments, scope: Scope) -> None:
    for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
        if a is not None:
            annotation = ast.unparse(a.annotation) if a.annotation is not None else ""
            scope.bind(a.arg, any(w in annotation for w in PANDAS_WORDS))


def _allowed(path: str, receiver: ast.expr, scope: Scope) -> bool:
    text = ast.unparse(receiver)
    if text in PLAIN_RECEIVERS or (path, text) in PLAIN:
        return True
    if isinstance(receiver, ast.Name) and receiver.id.isupper():
        return True
    return scope.is_pandas(receiver)


def key_reads(path: Path) -> list[str]:
    """Every string-key read in one file that the rule cannot place, as 'file:line: code'."""
    rel = path.relative_to(ROOT).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = Module(tree)
    found: list[str] = []

    on_frames: set[int] = set()  # lambdas given to a pandas method (`.assign(group=lambda f: ...)`): f is a frame

    def visit(node: ast.AST, scope: Scope) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Call) and isinstance(child.func, ast.Attribute) and scope.is_pandas(child.func):
                given = [*child.args, *(k.value for k in child.keywords)]
                on_frames.update(id(a) for a in given if isinstance(a, ast.Lambda))
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                inner = Scope(module, scope)
                _parameters(child.args, inner)
                if id(child) in on_frames:
                    for a in child.args.args:
                        inner.names[a.arg] = True
                _bindings(child, inner)
                visit(child, inner)
                continue
            if (
                isinstance(child, ast.Subscript)
                and isinstance(child.ctx, ast.Load)
                and isinstance(child.slice, ast.Constant)
                and isinstance(child.slice.value, str)
                and not _allowed(rel, child.value, scope)
            ):
                found.append(f"{rel}:{child.lineno}: {ast.unparse(child)}")
            visit(child, scope)

    top = Scope(module)
    _bindings(tree, top)
    visit(tree, top)
    return found


FILES = sorted(
    [
        *(p for folder in FOLDERS for p in (ROOT / folder).rglob("*.py")),
        *(ROOT / "di_metrics/cli" / n for n in CLI_DOCUMENTS),
    ]
)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_core_result_is_read_by_key(path):
    assert key_reads(path) == []


def test_the_rule_fails_on_a_result_read_by_key(tmp_path, monkeypatch):
    """A page that reads the frontier as the old dict did is refused; the same read on a frame passes."""
    monkeypatch.setattr("tests.unit.test_typed_results.ROOT", tmp_path)
    page = tmp_path / "pages" / "p.py"
    page.parent.mkdir()
    page.write_text(
        "import pandas as pd\n"
        "import ui\n"
        "from di_metrics.models.frontier import lever_frontier\n"
        "doc = lever_frontier(ui.scenario())\n"
        "first = doc['points']\n"
        "rows = ui.load_peers(None, 1)\n"
        "fastest = rows['fastest_5y']\n"
        "table = pd.DataFrame({'a': [1]})\n"
        "ok = table['a']\n"
        "def view(frame: pd.DataFrame, x):\n"
        "    return frame['a'], x['a']\n"
    )
    assert [line.split(": ", 1)[1] for line in key_reads(page)] == [
        "doc['points']",
        "rows['fastest_5y']",
        "x['a']",
    ]
