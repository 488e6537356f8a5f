"""The small vocabularies are written once (di_metrics/vocab.py, and the lever registry in models/levers.py):
the pages, their sections, the app and the command line name them through the registries, never as literals.
docs/formats.md (Vocabulary) lists the registries."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

import pytest

from di_metrics import i18n, vocab
from di_metrics.demo import organisation
from di_metrics.models.levers import BY_FIELD, FRACTIONS, LEVER_FIELDS, SLIDER_LEVERS, URL_PARAMS, ScenarioInput

ROOT = Path(__file__).resolve().parents[2]

# The files held to the rule, as glob patterns from the repository root (ui/*.py joins once its literals go).
SCOPE = ("pages/*.py", "ui/*.py", "app.py", "di_metrics/cli/*.py")


def _words() -> dict[object, str]:
    """Every vocabulary word, with the registry that owns it; built from the registries themselves."""
    words: dict[object, str] = {}
    for param in URL_PARAMS:
        words[param] = "lever URL parameter (models.levers.URL_PARAMS)"
    for spelling in (*vocab.BREAKDOWNS, *vocab.URL_NAME.values(), *vocab.CLI_NAME.values()):
        words[spelling] = "dimension (vocab.DIMENSIONS, URL_NAME, CLI_NAME)"
    for ladder, ranks in vocab.LADDERS.items():
        words[ladder] = "ladder (vocab.LADDERS)"
        words.update(dict.fromkeys(ranks, "rank (vocab.LADDERS)"))
    for name, measure in vocab.SAFETY_MEASURES.items():
        words[name] = words[measure] = "safety measure (vocab.SAFETY_MEASURES)"
    words.update(dict.fromkeys(vocab.SURVEY_MEASURES, "survey measure (vocab.SURVEY_MEASURES)"))
    words[vocab.GROUP_SEPARATOR] = "two-way group separator (vocab.GROUP_SEPARATOR)"
    return words


def _defaults() -> dict[float, str]:
    """The default target as a fraction and in percent, and the default years."""
    return {
        vocab.DEFAULT_TARGET: "default target (vocab.DEFAULT_TARGET)",
        100 * vocab.DEFAULT_TARGET: "default target in percent (vocab.DEFAULT_TARGET)",
        vocab.DEFAULT_DEADLINE: "default deadline (vocab.DEFAULT_DEADLINE)",
        vocab.HORIZON: "projection horizon (vocab.HORIZON)",
    }


def _not_vocabulary(tree: ast.Module) -> set[int]:
    """Constants that only look like a word: docstrings (prose, where a year or a dimension may be named),
    f-string format specs ({x:g}), and the keys of a Plotly margin ({"t": 60} is its top, not a target)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            found |= {id(n) for n in ast.walk(node.format_spec)}
        elif isinstance(node, ast.keyword) and node.arg == "margin" and isinstance(node.value, ast.Dict):
            found |= {id(key) for key in node.value.keys if key is not None}
    return found


def _other_keys(tree: ast.Module) -> set[int]:
    """Keys read from anything but URL parameters (a backtest row's h is its horizon, not a lever)."""
    return {
        id(node.slice)
        for node in ast.walk(tree)
        if isinstance(node, ast.Subscript) and not ast.unparse(node.value).endswith("params")
    }


def literals(source: str) -> list[tuple[int, object, str]]:
    """(line, value, what it is) for every vocabulary literal in a module's code."""
    tree = ast.parse(source)
    skip, keys = _not_vocabulary(tree), _other_keys(tree)
    words, defaults = _words(), _defaults()
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or id(node) in skip or isinstance(node.value, bool):
            continue
        value = node.value
        if value in URL_PARAMS and id(node) in keys:
            continue
        if isinstance(value, str) and value in words:
            found.append((node.lineno, value, words[value]))
        elif isinstance(value, str) and any(str(year) in value for year in (vocab.DEFAULT_DEADLINE, vocab.HORIZON)):
            found.append((node.lineno, value, "default year inside a text (vocab.DEFAULT_DEADLINE, HORIZON)"))
        elif isinstance(value, int | float) and any(abs(value - d) < 1e-9 for d in defaults):
            found.append((node.lineno, value, next(w for d, w in defaults.items() if abs(value - d) < 1e-9)))
    return sorted(found, key=lambda f: f[0])


def scoped_files() -> list[Path]:
    return sorted({path for pattern in SCOPE for path in ROOT.glob(pattern)})


def test_the_scope_is_not_empty():
    """A pattern that matches nothing would make the rule hold trivially."""
    for pattern in SCOPE:
        assert list(ROOT.glob(pattern)), f"{pattern} matches no file"


def test_pages_and_the_cli_name_the_vocabularies_through_their_registries():
    problems = [
        f"{path.relative_to(ROOT)}:{line}: {value!r} is a {what}; use the registry"
        for path in scoped_files()
        for line, value, what in literals(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "vocabulary written as a literal:\n" + "\n".join(problems)


def test_every_kind_of_literal_is_caught():
    """The checker itself: each kind of vocabulary literal in a small module is found, on its line."""
    source = '''"""A docstring may say 2030, branch and 30%."""
x = params["aw"] + f"{share:g}" + str(fig.update_layout(margin={"t": 60})) + row["h"]
y = f(by="org_unit", spelled="category", ladder="civilian", rank="officieren")
z = "social_safety", "willingness", label.split(" | ")
w = (0.30, 30.0, 2030, 2040, "2030-12-31")
v = ("lever_hire", "branches", 3.0, 2031, "whatif.by_category")
'''
    found = [(line, value) for line, value, _ in literals(source)]
    assert found == [
        (2, "aw"),
        (3, "org_unit"),
        (3, "category"),
        (3, "civilian"),
        (3, "officieren"),
        (4, "social_safety"),
        (4, "willingness"),
        (4, " | "),
        (5, 0.30),
        (5, 30.0),
        (5, 2030),
        (5, 2040),
        (5, "2030-12-31"),
    ]


def test_every_dimension_has_one_spelling_per_channel():
    """A link and the command line each spell every dimension, and no two dimensions alike."""
    for spelling in (vocab.URL_NAME, vocab.CLI_NAME):
        assert tuple(spelling) == vocab.DIMENSIONS
        assert len(set(spelling.values())) == len(vocab.DIMENSIONS)
    assert set(vocab.FINE_DIMENSIONS) <= set(vocab.DIMENSIONS)


def test_every_lever_has_one_url_parameter_and_the_door_takes_every_lever_field():
    assert len(set(URL_PARAMS)) == len(URL_PARAMS) == len(SLIDER_LEVERS) + 1
    door = {f.name for f in dataclasses.fields(ScenarioInput)}
    assert door == {*LEVER_FIELDS, "simulations", "seed"}  # the levers, and the Monte Carlo's paths and seed
    assert set(LEVER_FIELDS) == {*BY_FIELD, *FRACTIONS, "deadline", "until"}
    assert len(set(LEVER_FIELDS)) == len(LEVER_FIELDS)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_ladder_rank_and_gender_is_named_in_each_language(lang):
    """Pages name ladders, ranks and genders through i18n.value_label: each needs its catalogue entry."""
    words = i18n.catalogue(lang)
    missing = [f"gender.{g}" for g in vocab.GENDERS] + [f"category.{ladder}" for ladder in vocab.LADDERS]
    missing = [key for key in missing + [f"rank.{r}" for r in vocab.RANK_ORDER] if key not in words]
    assert missing == []


def test_the_demo_asks_the_survey_measures_the_vocabulary_names():
    constructs = {item[1] for item in organisation.ITEMS}
    assert set(vocab.SURVEY_MEASURES) <= constructs
    assert set(vocab.SAFETY_MEASURES.values()) <= constructs
