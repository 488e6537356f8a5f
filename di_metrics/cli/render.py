"""The readable form of a CLI result, in Dutch or English: one short function per command (docs/cli.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from di_metrics.cli import privacy_audit
from di_metrics.config import min_survey_cell, min_workforce_cell
from di_metrics.i18n import fmt_number, fmt_pct, label, t, value_label
from di_metrics.present.where_text import cli_text
from di_metrics.queries.survey import REPORT_CATEGORY
from di_metrics.vocab import BRANCH, GENDER

__all__ = ["RENDERERS", "render"]

Doc = dict[str, Any]


def render(command: str, doc: Doc, lang: str) -> str:
    """The text a person reads for a command's document; a command without its own text prints the document."""
    renderer = RENDERERS.get(command)
    return str(doc) if renderer is None else renderer(doc, lang)


def _status(doc: Doc, lang: str) -> str:
    head = t(
        "cli.status_head",
        lang,
        date=doc["as_of"] or "–",
        headcount=fmt_number(doc["headcount"], lang),
        share=fmt_pct(doc["women_share"], lang),
    )
    return "\n".join([head, *(_status_target(tg, lang) for tg in doc["targets"])])


def _status_target(tg: Doc, lang: str) -> str:
    state = t(f"status.{tg['state']}", lang)  # decided once in the core (Target.state)
    return t(
        "cli.status_target",
        lang,
        name=label("target", tg["name"], lang),
        state=state,
        latest=fmt_pct(tg["latest"], lang),
        value=fmt_pct(tg["value"], lang, 0),
        deadline=tg["deadline"][:4],
    )


def _flows(doc: Doc, lang: str) -> str:
    lines = [t("cli.flows_head", lang)]
    for r in doc["rows"]:
        start, hires, exits = (fmt_number(r[k], lang) for k in ("headcount_start", "hires", "exits"))
        rate = fmt_pct(r["attrition_rate"], lang)
        gender = value_label(r[GENDER], lang)
        lines.append(f"{r['year']}  {gender:8} {start:>9} {hires:>7} {exits:>7} {rate:>7}")
    return "\n".join(lines)


def _import(doc: Doc, lang: str) -> str:
    key = "cli.import_done" if doc["changed"] else "cli.import_unchanged"
    return t(key, lang, file=doc["file"], rows=fmt_number(doc["rows"], lang), kind=doc["kind"])


def _targets(doc: Doc, lang: str) -> str:
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


def _project(doc: Doc, lang: str) -> str:
    p, required = doc["params"], doc["required_hire_share"]
    key = "cli.project_required" if required is not None else "cli.project_infeasible"
    lines = [
        t(
            key,
            lang,
            target=fmt_pct(p["target"], lang, 0),
            deadline=p["deadline"],
            required=fmt_pct(required, lang),
            full=fmt_pct(doc["share_at_full_hiring"], lang),
        ),
        t(
            "cli.project_path",
            lang,
            share=fmt_pct(doc["share_at_deadline"], lang),
            deadline=p["deadline"],
            hire=fmt_pct(p["hire_share"], lang),
        ),
    ]
    if doc["probability_target_met"] is not None:
        lines.append(t("cli.project_probability", lang, p=fmt_pct(doc["probability_target_met"], lang, 0)))
    if doc.get("rates_from"):
        lines.append(t(f"rates_from.{doc['rates_from']}", lang))
    return "\n".join(lines)


def _survey(doc: Doc, lang: str) -> str:
    if "answer" in _first_row(doc):
        return _answers(doc, lang)
    lines = [t("cli.survey_source", lang, source=t(f"survey_results.source_{doc['source']}", lang))]
    lines.append(t("cli.survey_head", lang))
    for r in doc["rows"]:
        lines.append(f"{r['wave']}  {r['group']:<24} {r['measure']:<24} {_favourable(r, lang)}")
    return "\n".join(lines)


def _favourable(r: Doc, lang: str) -> str:
    """% favourable with its interval and size, '*' when it differs from the reference; or "fewer than K"."""
    if r["suppressed"]:
        return t("privacy.fewer_than", lang, k=min_survey_cell())
    return (
        f"{fmt_number(r['pct_favourable'], lang, 1)}% [{fmt_number(r['ci_low'], lang, 1)}-"
        f"{fmt_number(r['ci_high'], lang, 1)}] n={fmt_number(r['n'], lang)}"
        + (" *" if r["differs_from_reference"] else "")
    )


def _first_row(doc: Doc) -> Doc:
    rows = doc.get("rows")
    return rows[0] if isinstance(rows, list) and rows and isinstance(rows[0], dict) else {}


def _answers(doc: Doc, lang: str) -> str:
    lines = [t("cli.answers_head", lang)]
    for r in doc["rows"]:
        value = t("privacy.fewer_than", lang, k=min_survey_cell()) if r["suppressed"] else fmt_pct(r["share"], lang)
        lines.append(f"{r['wave']}  {r['group']:<24} {r['item']:<16} {r['answer']!s:>3}  {value}")
    return "\n".join(lines)


def _reports(doc: Doc, lang: str) -> str:
    lines = [t("cli.reports_head", lang)]
    for r in doc["rows"]:
        hidden = t("privacy.fewer_than", lang, k=min_workforce_cell())
        value = hidden if r["suppressed"] else fmt_number(r["count"], lang)
        where = r[BRANCH] or t("cli.reports_all_branches", lang)
        lines.append(f"{r['year']}  {r[REPORT_CATEGORY]:<24} {where:<16} {value}")
    return "\n".join(lines)


def _backtest(doc: Doc, lang: str) -> str:
    """The track record per horizon, errors in percentage points."""
    if not doc["horizons"]:
        return t("track.cli_none", lang)
    lines = [t("track.cli_head", lang, origins=len(doc["origins"]))]
    for h in doc["horizons"]:
        pp = {k: fmt_number(100 * h[f"mae_{k}"], lang, 1) for k in ("model", "constant", "trend")}
        hits = {k: fmt_pct(h[f"coverage{k}"], lang, 0) for k in ("50", "90")}
        lines.append(t("track.cli_line", lang, h=h["h"], pairs=h["pairs"], c50=hits["50"], c90=hits["90"], **pp))
    return "\n".join(lines)


def _demo(doc: Doc, lang: str) -> str:
    return t("cli.demo_done", lang, rows=fmt_number(sum(doc["rows"].values()), lang), seed=doc["seed"])


def _rebuild(doc: Doc, lang: str) -> str:
    return t(
        "rebuild.done",
        lang,
        headcount=fmt_number(doc["headcount_cube"], lang),
        transitions=fmt_number(doc["transition_cube"], lang),
    )


def _where(command: str) -> Callable[[Doc, str], str]:
    return lambda doc, lang: cli_text(command, doc, lang)


RENDERERS: dict[str, Callable[[Doc, str], str]] = {
    "status": _status,
    "flows": _flows,
    "import": _import,
    "targets": _targets,
    "project": _project,
    "reports": _reports,
    "survey": _survey,
    "backtest": _backtest,
    "frontier": _where("frontier"),
    "allocate": _where("allocate"),
    "watchlist": _where("watchlist"),
    "demo": _demo,
    "rebuild": _rebuild,
    "privacy": privacy_audit.text,
}
