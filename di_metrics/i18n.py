"""Dutch and English text from catalogues, and numbers and dates formatted per language."""

from __future__ import annotations

import datetime as dt
import functools
import math
import tomllib
from collections.abc import Iterable
from typing import Any

from di_metrics.config import PACKAGE_DIR, min_survey_cell, min_workforce_cell

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
    words = catalogue(lang)
    return next((words[k] for k in (f"gender.{code}", f"category.{code}", f"rank.{code}") if k in words), str(code))


def selection_text(selection: Iterable[tuple[str, Iterable[str]]], lang: str) -> str:
    """A filter selection or a target's population in words ("Personnel category: Military"); '' for everyone."""
    return "; ".join(
        f"{t(f'filters.{dim}', lang)}: {', '.join(value_label(v, lang) for v in values)}" for dim, values in selection
    )


def render_cli(command: str, doc: dict[str, Any], lang: str) -> str:
    """The readable form of a CLI result."""
    if command == "status":
        lines = [
            t(
                "cli.status_head",
                lang,
                date=doc["as_of"] or "–",
                headcount=fmt_number(doc["headcount"], lang),
                share=fmt_pct(doc["women_share"], lang),
            )
        ]
        for tg in doc["targets"]:
            state = (
                "–" if tg["on_track"] is None else t("status.on_track" if tg["on_track"] else "status.off_track", lang)
            )
            lines.append(
                t(
                    "cli.status_target",
                    lang,
                    name=label("target", tg["name"], lang),
                    state=state,
                    latest=fmt_pct(tg["latest"], lang),
                    value=fmt_pct(tg["value"], lang, 0),
                    deadline=tg["deadline"][:4],
                )
            )
        return "\n".join(lines)
    if command == "flows":
        lines = [t("cli.flows_head", lang)]
        for r in doc["rows"]:
            counts = (fmt_number(r[k], lang) for k in ("headcount_start", "hires", "exits"))
            start, hires, exits = counts
            rate = fmt_pct(r["attrition_rate"], lang)
            gender = label("gender", r["gender"], lang)
            lines.append(f"{r['year']}  {gender:8} {start:>9} {hires:>7} {exits:>7} {rate:>7}")
        return "\n".join(lines)
    if command == "import":
        key = "cli.import_done" if doc["changed"] else "cli.import_unchanged"
        return t(key, lang, file=doc["file"], rows=fmt_number(doc["rows"], lang), kind=doc["kind"])
    if command == "targets":
        return "\n".join(
            t(
                "cli.target_line",
                lang,
                name=tg["name"],
                value=fmt_pct(tg["value"], lang, 0),
                deadline=tg["deadline"],
                exempt=len(tg["exempt_units"]),
            )
            for tg in doc["targets"]
        )
    if command == "project":
        p = doc["params"]
        required = doc["required_hire_share"]
        key = "cli.project_required" if required is not None else "cli.project_infeasible"
        lines = [
            t(
                key,
                lang,
                target=fmt_pct(p["target"], lang, 0),
                deadline=p["deadline"],
                required=fmt_pct(required, lang),
                full=fmt_pct(doc["share_at_full_hiring"], lang),
            )
        ]
        lines.append(
            t(
                "cli.project_path",
                lang,
                share=fmt_pct(doc["share_at_deadline"], lang),
                deadline=p["deadline"],
                hire=fmt_pct(p["hire_share"], lang),
            )
        )
        if doc["probability_target_met"] is not None:
            lines.append(t("cli.project_probability", lang, p=fmt_pct(doc["probability_target_met"], lang, 0)))
        if doc.get("rates_from"):
            lines.append(t(f"rates_from.{doc['rates_from']}", lang))
        return "\n".join(lines)
    if command == "reports":
        return _render_reports(doc, lang)
    if command == "survey" and "answer" in _first_row(doc):
        return _render_answers(doc, lang)
    if command == "survey":
        lines = [t("cli.survey_source", lang, source=t(f"survey_results.source_{doc['source']}", lang))]
        lines.append(t("cli.survey_head", lang))
        for r in doc["rows"]:
            value = (
                t("privacy.fewer_than", lang, k=min_survey_cell())
                if r["suppressed"]
                else (
                    f"{fmt_number(r['pct_favourable'], lang, 1)}% [{fmt_number(r['ci_low'], lang, 1)}-"
                    f"{fmt_number(r['ci_high'], lang, 1)}] n={fmt_number(r['n'], lang)}"
                    + (" *" if r["differs_from_reference"] else "")
                )
            )
            lines.append(f"{r['wave']}  {r['group']:<24} {r['measure']:<24} {value}")
        return "\n".join(lines)
    if command == "backtest":
        return _render_backtest(doc, lang)
    if command in ("frontier", "allocate", "watchlist"):
        from di_metrics.present.where_text import cli_text

        return cli_text(command, doc, lang)
    if command == "demo":
        return t("cli.demo_done", lang, rows=fmt_number(sum(doc["rows"].values()), lang), seed=doc["seed"])
    if command == "rebuild":
        return t(
            "rebuild.done",
            lang,
            headcount=fmt_number(doc["headcount_cube"], lang),
            transitions=fmt_number(doc["transition_cube"], lang),
        )
    return str(doc)


def _first_row(doc: dict[str, Any]) -> dict[str, Any]:
    rows = doc.get("rows")
    return rows[0] if isinstance(rows, list) and rows and isinstance(rows[0], dict) else {}


def _render_answers(doc: dict[str, Any], lang: str) -> str:
    lines = [t("cli.answers_head", lang)]
    for r in doc["rows"]:
        value = t("privacy.fewer_than", lang, k=min_survey_cell()) if r["suppressed"] else fmt_pct(r["share"], lang)
        lines.append(f"{r['wave']}  {r['group']:<24} {r['item']:<16} {r['answer']!s:>3}  {value}")
    return "\n".join(lines)


def _render_reports(doc: dict[str, Any], lang: str) -> str:
    lines = [t("cli.reports_head", lang)]
    for r in doc["rows"]:
        hidden = t("privacy.fewer_than", lang, k=min_workforce_cell())
        value = hidden if r["suppressed"] else fmt_number(r["count"], lang)
        where = r["branch"] or t("cli.reports_all_branches", lang)
        lines.append(f"{r['year']}  {r['category']:<24} {where:<16} {value}")
    return "\n".join(lines)


def _render_backtest(doc: dict[str, Any], lang: str) -> str:
    """The track record per horizon, errors in percentage points."""
    if not doc["horizons"]:
        return t("track.cli_none", lang)
    lines = [t("track.cli_head", lang, origins=len(doc["origins"]))]
    for h in doc["horizons"]:
        pp = {k: fmt_number(100 * h[f"mae_{k}"], lang, 1) for k in ("model", "constant", "trend")}
        hits = {k: fmt_pct(h[f"coverage{k}"], lang, 0) for k in ("50", "90")}
        lines.append(t("track.cli_line", lang, h=h["h"], pairs=h["pairs"], c50=hits["50"], c90=hits["90"], **pp))
    return "\n".join(lines)
