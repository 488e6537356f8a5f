"""The readable form of a CLI result, in Dutch or English: one short function per command (docs/cli.md), each
reading the command's typed result (the JSON is made apart, in cli.documents)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from di_metrics.analysis.career import Intake
from di_metrics.analysis.claims_notes import fold_claim
from di_metrics.analysis.claims_text import status_claims, track_table_claim
from di_metrics.analysis.promotion import Promotion
from di_metrics.analysis.retention import Retention
from di_metrics.cli import privacy_audit
from di_metrics.cli.documents import document
from di_metrics.i18n import fmt_number, fmt_pct, t, value_label
from di_metrics.models.claims import Claim, holds
from di_metrics.models.survey import AnswerShare, ReportCount, SurveyResults, SurveyRow
from di_metrics.present import career_text, safety_text
from di_metrics.present.claims import hidden_text
from di_metrics.present.claims import render as render_claim
from di_metrics.present.narrative import outcome_sentence, required_hiring_headline
from di_metrics.present.where_text import cli_text

if TYPE_CHECKING:
    from di_metrics.analysis.forecast import ProjectRun
    from di_metrics.analysis.reporting import Reporting
    from di_metrics.analysis.track_record import TrackRecord
    from di_metrics.models.flows import Flows
    from di_metrics.models.standing import Status
    from di_metrics.models.targets import Target
    from di_metrics.storage.ingest import ImportResult

__all__ = ["RENDERERS", "WHERE", "render"]

WHERE = ("frontier", "allocate", "watchlist")


def render(command: str, result: Any, lang: str) -> str:
    """The text a person reads for a command's typed result; a command without its own text prints its document."""
    if command in WHERE:
        return cli_text(command, result, lang)  # present.where_text, shared with the deck
    renderer = RENDERERS.get(command)
    return str(document(command, result)) if renderer is None else renderer(result, lang)


def _status(s: Status, lang: str) -> str:
    """The date, headcount and share, then each target's line, each from its claim."""
    return "\n".join(render_claim(c, lang) for c in status_claims(s))


def _flows(f: Flows, lang: str) -> str:
    lines = [t("cli.flows_head", lang)]
    for r in f.rows:
        start, hires, exits = (fmt_number(v, lang) for v in (r.headcount_start, r.hires, r.exits))
        rate = fmt_pct(r.attrition_rate, lang)
        gender = value_label(r.gender, lang)
        lines.append(f"{r.year}  {gender:8} {start:>9} {hires:>7} {exits:>7} {rate:>7}")
    return "\n".join(lines)


def _import(r: ImportResult, lang: str) -> str:
    key = "cli.import_done" if r.changed else "cli.import_unchanged"
    return t(key, lang, file=r.file_name, rows=fmt_number(r.rows, lang), kind=r.kind)


def _targets(targets: list[Target], lang: str) -> str:
    return "\n".join(
        t(
            "cli.target_line",
            lang,
            name=x.name,
            value=fmt_pct(x.target_value, lang, 0),
            deadline=x.deadline.isoformat(),
            exempt=len(x.exempt_units),
        )
        for x in targets
    )


def _project(run: ProjectRun, lang: str) -> str:
    s, result = run.scenario, run.result
    lines = [
        required_hiring_headline(s, result.base.hire_share, result.required, result.full_hiring_share, lang),
        outcome_sentence(result.path, result.simulation, lang),
    ]
    if run.rates is not None:
        lines.append(render_claim(run.rates, lang))
    if (fold := fold_claim(run.ranks_fold, "cli")) is not None:
        lines.append(render_claim(fold, lang))
    return "\n".join(lines)


def _survey(result: SurveyResults | tuple[AnswerShare, ...], lang: str) -> str:
    if not isinstance(result, SurveyResults):
        return _answers(result, lang)
    lines = [t("cli.survey_source", lang, source=t(f"survey_results.source_{result.source}", lang))]
    lines.append(t("cli.survey_head", lang))
    for r in result.rows:
        lines.append(f"{r.wave}  {r.group:<24} {r.measure:<24} {_favourable(r, lang)}")
    return "\n".join(lines)


def _favourable(r: SurveyRow, lang: str) -> str:
    """% favourable with its interval and size, '*' when it differs from the reference; or "fewer than K"."""
    if r.suppressed:
        return hidden_text(lang)
    return (
        f"{fmt_number(r.pct_favourable, lang, 1)}% [{fmt_number(r.ci_low, lang, 1)}-"
        f"{fmt_number(r.ci_high, lang, 1)}] n={fmt_number(r.n, lang)}" + (" *" if r.differs_from_reference else "")
    )


def _answers(rows: tuple[AnswerShare, ...], lang: str) -> str:
    lines = [t("cli.answers_head", lang)]
    for r in rows:
        value = hidden_text(lang) if r.suppressed else fmt_pct(r.share, lang)
        lines.append(f"{r.wave}  {r.group:<24} {r.item:<16} {r.answer!s:>3}  {value}")
    return "\n".join(lines)


def _reports(rows: tuple[ReportCount, ...], lang: str) -> str:
    lines = [t("cli.reports_head", lang)]
    for r in rows:
        hidden = hidden_text(lang)
        value = hidden if r.suppressed else fmt_number(r.count, lang)
        where = r.branch or t("cli.reports_all_branches", lang)
        lines.append(f"{r.year}  {r.category:<24} {where:<16} {value}")
    return "\n".join(lines)


def _backtest(record: TrackRecord, lang: str) -> str:
    """The track record per horizon, errors in percentage points (from its claim)."""
    return render_claim(track_table_claim(record), lang)


def _demo(receipt: dict[str, Any], lang: str) -> str:
    return t("cli.demo_done", lang, rows=fmt_number(sum(receipt["rows"].values()), lang), seed=receipt["seed"])


def _rebuild(receipt: dict[str, Any], lang: str) -> str:
    return t(
        "rebuild.done",
        lang,
        headcount=fmt_number(receipt["headcount_cube"], lang),
        transitions=fmt_number(receipt["transition_cube"], lang),
    )


def _claims(claims: tuple[Claim, ...], lang: str) -> str:
    """One line per claim: its surface, its sentence (a card's list on one line), and a mark where its figures
    do not bear it out."""
    return "\n".join(
        f"[{c.surface}] {'' if holds(c) else '✗ '}{' '.join(render_claim(c, lang).splitlines())}" for c in claims
    )


def _intake(found: Intake, lang: str) -> str:
    """One line per year, or why there is no intake to show (never an empty answer)."""
    return "\n".join(career_text.intake_text(year, lang) for year in found.years) or career_text.no_intake_text(
        found, lang
    )


def _retention(found: Retention, lang: str) -> str:
    parts = list(dict.fromkeys(d.part for d in found.differences)) or [""]
    return "\n".join((f"{part}: " if part else "") + career_text.retention_text(found, lang, part) for part in parts)


def _promotion(found: Promotion, lang: str) -> str:
    lines = [career_text.promotion_text(level, lang) for level in found.pooled]
    for rank in dict.fromkeys(m.rank_group for m in found.medians):
        lines.append(career_text.median_text(found, rank, lang))
    return "\n".join(lines)


def _reporting(result: Reporting, lang: str) -> str:
    """Each year's rate, then each change told (split, or why not)."""
    lines = [safety_text.rate_sentence(r, lang) for r in result.rows]
    return "\n".join([*lines, "", *(safety_text.change_sentence(d, lang) for d in result.told)])


def _measures(result: Any, lang: str) -> str:
    """`measures effect`: per measure its grade line first, then both methods; `measures list` as its document."""
    if not hasattr(result, "rows"):
        return str(document("measures", result))
    blocks = []
    for e in result.rows:
        lines = [e.measure.name, safety_text.grade_sentence(e, lang), safety_text.its_sentence(e, lang)]
        blocks.append("\n  ".join([*lines, safety_text.did_sentence(e, lang, result.names.label)]))
    return "\n".join(blocks)


RENDERERS: dict[str, Callable[[Any, str], str]] = {
    "status": _status,
    "flows": _flows,
    "import": _import,
    "targets": _targets,
    "project": _project,
    "reports": _reports,
    "survey": _survey,
    "backtest": _backtest,
    "demo": _demo,
    "rebuild": _rebuild,
    "privacy": privacy_audit.text,
    "claims": _claims,
    "intake": _intake,
    "retention": _retention,
    "promotion": _promotion,
    "reporting": _reporting,
    "measures": _measures,
}
