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

# The files held to the rule, as glob patterns from the repository root (the vocab module itself is not in them).
SCOPE = ("pages/**/*.py", "ui/**/*.py", "app.py", "di_metrics/cli/**/*.py")


def _words() -> dict[str, str]:
    """Every vocabulary word, with the registry that owns it; built from the registries themselves."""
    words: dict[str, str] = {}
    words.update(dict.fromkeys(vocab.GENDERS, "gender (vocab.GENDERS)"))
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


def _prose(tree: ast.Module) -> set[int]:
    """Constants that are not code: docstrings (where a year or a dimension may be named) and f-string format
    specs ({x:g})."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            found.add(id(node.value))
        elif isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            found |= {id(n) for n in ast.walk(node.format_spec)}
    return found


def _url_reads(tree: ast.Module) -> set[int]:
    """The constants a URL parameter is read or written by: `query_params["aw"]`, `params.get("aw")`, `"aw" in
    params` (a lever's one-letter name means nothing elsewhere)."""

    def of_params(node: ast.expr) -> bool:
        return ast.unparse(node).endswith("params")

    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and of_params(node.value):
            found.add(id(node.slice))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and of_params(node.func.value):
            found |= {id(a) for a in node.args[:1]}
        elif isinstance(node, ast.Compare) and any(of_params(c) for c in node.comparators):
            found.add(id(node.left))
    return found


def literals(source: str) -> list[tuple[int, object, str]]:
    """(line, value, what it is) for every constant in a module's code that equals a vocabulary value, reads a
    lever's URL parameter, or is a default target or year."""
    tree = ast.parse(source)
    prose, url_reads = _prose(tree), _url_reads(tree)
    words, defaults = _words(), _defaults()
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or id(node) in prose or isinstance(node.value, bool):
            continue
        value = node.value
        if isinstance(value, str) and value in words:
            found.append((node.lineno, value, words[value]))
        elif isinstance(value, str) and value in URL_PARAMS and id(node) in url_reads:
            found.append((node.lineno, value, "lever URL parameter (models.levers.URL_PARAMS)"))
        elif isinstance(value, str) and any(str(year) in value for year in (vocab.DEFAULT_DEADLINE, vocab.HORIZON)):
            found.append((node.lineno, value, "default year inside a text (vocab.DEFAULT_DEADLINE, HORIZON)"))
        elif isinstance(value, int | float) and any(abs(value - d) < 1e-9 for d in defaults):
            found.append((node.lineno, value, next(w for d, w in defaults.items() if abs(value - d) < 1e-9)))
    return sorted(found, key=lambda f: (f[0], str(f[1])))


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
    source = '''"""A docstring may say 2030, branch, F and 30%."""
x = params["aw"] + f"{share:g}" + str(fig.update_layout(margin={"t": 60})) + row["h"] + params.get("d")
y = f(by="org_unit", spelled="category", ladder="civilian", rank="officieren")
z = "social_safety", "willingness", label.split(" | ")
w = (0.30, 30.0, 2030, 2040, "2030-12-31")
v = ("lever_hire", "branches", 3.0, 2031, "whatif.by_category", "Female", "t" in query_params)
u = frame[frame["gender"] == "F"], colour("M"), codes == ("F", "X")
'''
    found = [(line, value) for line, value, _ in literals(source)]
    assert found == [
        (2, "aw"),
        (2, "d"),
        (3, "category"),
        (3, "civilian"),
        (3, "officieren"),
        (3, "org_unit"),
        (4, " | "),
        (4, "social_safety"),
        (4, "willingness"),
        (5, 0.30),
        (5, 2030),
        (5, "2030-12-31"),
        (5, 2040),
        (5, 30.0),
        (6, "t"),
        (7, "F"),
        (7, "F"),
        (7, "M"),
        (7, "X"),
        (7, "gender"),
    ]


def test_a_gender_literal_the_old_checker_missed_is_caught():
    """The checker before this one listed no gender: `== "F"` on a page went through."""
    assert [(v, what) for _, v, what in literals('women = frame[frame[GENDER] == "F"]\n')] == [
        ("F", "gender (vocab.GENDERS)")
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
