"""Dutch and English text from catalogues, and numbers and dates formatted per language."""

from __future__ import annotations

import datetime as dt
import functools
import math
import tomllib
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from di_metrics.config import PACKAGE_DIR

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "catalogue",
    "fmt_date",
    "fmt_number",
    "fmt_pct",
    "fmt_pp",
    "label",
    "part_text",
    "population_text",
    "selection_text",
    "t",
    "value_label",
]

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
_SEPARATORS = {"nl": (",", "."), "en": (".", ",")}  # decimal mark, thousands separator
_MONTHS = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """All text of one language, under flat dotted keys."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language '{lang}'; use one of {', '.join(LANGUAGES)}")
    with open(PACKAGE_DIR / "locales" / f"{lang}.toml", "rb") as fh:
        return _flatten(tomllib.load(fh))


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, name + "."))
        else:
            flat[name] = str(value)
    return flat


def t(key: str, lang: str, **values: Any) -> str:
    """One text in a language, with its placeholders filled."""
    text = catalogue(lang)[key]
    return text.format(**values) if values else text


def fmt_number(value: float | None, lang: str, decimals: int = 0) -> str:
    """A number with the language's decimal mark and thousands separator: 1.234,5 or 1,234.5."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    decimal, thousands = _SEPARATORS[lang]
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", decimal).replace("\0", thousands)


def fmt_pct(share: float | None, lang: str, decimals: int = 1) -> str:
    """A fraction as a percentage: 16,4% in Dutch, 16.4% in English."""
    return "–" if share is None else fmt_number(100 * share, lang, decimals) + "%"


def fmt_pp(points: float | None, lang: str, decimals: int = 1, signed: bool = False) -> str:
    """Percentage points: 13,1 pp."""
    if points is None:
        return "–"
    text = fmt_number(abs(points) if signed else points, lang, decimals)
    sign = ("+" if points >= 0 else "−") if signed else ""
    return f"{sign}{text} pp"


def fmt_date(day: dt.date | None, lang: str) -> str:
    """A date for people: 31 dec 2025 or 31 Dec 2025."""
    return "–" if day is None else f"{day.day} {_MONTHS[lang][day.month - 1]} {day.year}"


def label(kind: str, code: str | None, lang: str) -> str:
    """The name of a code (a gender, category, target or construct) in a language; unknown codes as given."""
    if code is None:
        return "–"
    return catalogue(lang).get(f"{kind}.{code}", str(code))


def value_label(code: str | None, lang: str) -> str:
    """A stored code in words: a gender, personnel category or rank group is named; a branch or unit is its own name."""
    if code is None:
        return "–"
    if " + " in str(code):  # ranks folded into one group (models/rank_fold.py): each named
        return " + ".join(value_label(part, lang) for part in str(code).split(" + "))
    words = catalogue(lang)
    return next((words[k] for k in (f"gender.{code}", f"category.{code}", f"rank.{code}") if k in words), str(code))


def selection_text(
    selection: Iterable[tuple[str, Iterable[str]]], lang: str, label: Callable[[str, str, str], str] | None = None
) -> str:
    """A filter selection or a target's population in words ("Branch: Army Command"); '' for everyone. `label`
    (dimension, code, language) names each value, e.g. `Names.label`; without it, the catalogue's word or the code."""
    name = label or (lambda _dim, v, lg: value_label(v, lg))
    return "; ".join(
        f"{t(f'filters.{dim}', lang)}: {', '.join(name(dim, v, lang) for v in values)}" for dim, values in selection
    )


def part_text(
    value: str,
    dimension: str,
    selection: Mapping[str, Iterable[str]],
    lang: str,
    label: Callable[[str, str, str], str] | None = None,
) -> str:
    """A breakdown's row in words: `value` (already named) where it is the value's whole, else the part of it the
    selection holds, with the selection named ("Army Command within Unit: 11 Luchtmobiele Brigade"), so a row
    labelled by a branch never reads as the branch's own figure. A filter on another dimension narrows a row;
    a branch filter does not narrow a unit (a unit lies in one branch)."""
    from di_metrics.vocab import BRANCH, ORG_UNIT

    narrowing = [
        (d, tuple(v)) for d, v in selection.items() if v and d != dimension and (d, dimension) != (BRANCH, ORG_UNIT)
    ]
    if not narrowing:
        return value
    return t("explorer.part_within", lang, value=value, selection=selection_text(narrowing, lang, label))


def population_text(
    scope: Mapping[str, str | Iterable[str]], lang: str, label: Callable[[str, str, str], str] | None = None
) -> str:
    """A target's or a measure's population in words, named as the sidebar names it; the filters' word for
    everyone when it has none. A measure holds one value per dimension, a target several."""
    selection = ((d, (v,) if isinstance(v, str) else v) for d, v in scope.items())
    return selection_text(selection, lang, label) or t("filters.all", lang)
