"""The Overview's and What if?'s claims in words, one function per kind, Dutch and English from the same claim
(kinds and checkers: models/claims_whatif.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from di_metrics.i18n import fmt_date, fmt_number, fmt_pct, fmt_pp, t
from di_metrics.models.claim import Claim
from di_metrics.models.claims_whatif import (
    ALLOCATION,
    CARD,
    EVIDENCE,
    FINDING,
    FRONTIER,
    OUTCOME,
    PIPELINE,
    PROJECTION_NOTE,
    TRACK,
    VERDICT,
)

__all__ = ["WHATIF_RENDERERS", "card_parts", "card_rows", "x_left_out", "years_text"]


def _finding(c: Claim, lang: str) -> str:
    p = c.params
    share, target = fmt_pct(p["share"], lang), fmt_pct(p["target"], lang, 0)
    return t("overview.chart_finding", lang, share=share, target=target, year=p["deadline"])


def _note(c: Claim, lang: str) -> str:
    p = c.params
    return t("overview.projection_note", lang, share=fmt_pct(p["share"], lang), year=p["year"])


def _pp(c: Claim, lang: str, key: str, decimals: int = 1, why: str = "", signed: bool = False) -> str:
    """A card's figure (params `key`) in pp, or in words where it is not known: plainly where the latest figure is
    not shown (the card's note says why, once), else with `why` (no figure shown far enough back)."""
    p = c.params
    if p[key] is not None:
        return fmt_pp(p[key], lang, decimals, signed=signed)
    return t("report.not_known" if p["latest"] is None or not why else why, lang)


def card_rows(c: Claim, lang: str) -> list[tuple[str, str]]:
    """A target card's figures as (name, value) rows: change, women needed, gap, pace needed, pace had."""
    p = c.params
    rows = [
        (t("overview.card_change", lang), _pp(c, lang, "change_pp", why="overview.card_change_unknown", signed=True)),
        (t("overview.card_gap", lang), _pp(c, lang, "gap_pp")),
        (
            t("overview.card_pace", lang),
            t("status.deadline_passed", lang) if p["deadline_passed"] else _pp(c, lang, "required_pp", 2),
        ),
        (t("overview.card_actual_pace", lang), _pp(c, lang, "actual_pp", 2, why="overview.card_pace_unknown")),
    ]
    if p["needed"] is not None:
        rows.insert(1, (t("overview.card_needed", lang), fmt_number(p["needed"], lang)))
    if p.get("own_from") is not None:
        on = fmt_date(dt.date.fromisoformat(p["baseline_date"]), lang)
        own = t("overview.card_line_own", lang, share=fmt_pct(p["own_from"], lang), date=on)
        rows.append((t("overview.card_line", lang), own))
    return rows


def card_parts(c: Claim, lang: str) -> tuple[str, str | None]:
    """A target card as its figures' rows (a list) and the note under them, or None: that X is left out, or why
    its figures are not known (then no rows: each would read 'not known'). The page shows the note as a caption,
    the claim's text says both (`_card`)."""
    p = c.params
    if p["latest"] is None:
        return "", t("overview.card_unknown", lang)
    rows = "\n".join(f"- {name}: **{value}**" for name, value in card_rows(c, lang))
    if p.get("x_left_out"):
        return rows, x_left_out(c, lang)
    return rows, t("overview.card_unknown", lang) if p["latest"] is None else None


def _card(c: Claim, lang: str) -> str:
    rows, note = card_parts(c, lang)
    return "\n\n".join(part for part in (rows, note) if part)


def x_left_out(c: Claim, lang: str) -> str:
    """That a figure leaves gender X out by the disclosure rules (a target's card and line say it alike)."""
    p = c.params
    return t("overview.card_x_left_out", lang, k=p["k"])


def _outcome(c: Claim, lang: str) -> str:
    """Where the chosen settings lead, and how likely the target is met (`form` "note": the slide's note)."""
    p = c.params
    target = fmt_pct(p["target"], lang, 0)
    if p.get("form") == "note":
        chance = fmt_pct(p["chance"], lang, 0)
        return t("briefing.whatif_note", lang, share=fmt_pct(p["share"], lang), deadline=p["deadline"], p=chance)
    reach = (
        t("whatif.reach_year", lang, year=p["reach_year"], target=target)
        if p["reach_year"]
        else t("whatif.reach_never", lang, year=p["horizon"])
    )
    text = t(
        "whatif.outcome", lang, share=fmt_pct(p["share"], lang), deadline=p["deadline"], target=target, reach=reach
    )
    if p["chance"] is not None:
        text += " " + t("whatif.probability", lang, p=fmt_pct(p["chance"], lang, 0))
    return text


def _track(c: Claim, lang: str) -> str:
    """How far off the projection was against the flat and the straight line, a few years ahead."""
    p = c.params
    if p["h"] is None:
        return t("track.none", lang)
    return t(
        "track.comparison_one" if p["h"] == 1 else "track.comparison",
        lang,
        origins=p["origins"],
        h=p["h"],
        model=fmt_number(100 * p["model"], lang, 1),
        constant=fmt_number(100 * p["constant"], lang, 1),
        trend=fmt_number(None if p["trend"] is None else 100 * p["trend"], lang, 1),
    )


def years_text(horizons: tuple[int, ...] | list[int]) -> str:
    """Horizons as runs: (1, 2, 3, 4, 6) is '1-4, 6'."""
    runs: list[list[int]] = []
    for h in sorted(horizons):
        if runs and h == runs[-1][-1] + 1:
            runs[-1].append(h)
        else:
            runs.append([h])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}-{r[-1]}" for r in runs)


def _verdict(c: Claim, lang: str) -> str:
    """The best of model, flat line and straight line at each judged horizon and, when a baseline beat the
    model, that the projection is a scenario and not a forecast."""
    p = c.params
    if p["kind"] == "too_few":
        return t("track.verdict_too_few", lang, n=p["min_pairs"])
    at = {
        m: [h for h, b in zip(p["horizons"], p["best"], strict=True) if b == m] for m in ("model", "constant", "trend")
    }
    if p["kind"] == "model_best":
        return t("track.verdict_model_best", lang, horizons=years_text(p["horizons"]))
    clauses = [
        t("track.verdict_clause", lang, who=t(f"track.verdict_{m}", lang), horizons=years_text(at[m]))
        for m in ("constant", "trend")
        if at[m]
    ]
    text = t("track.verdict_lead", lang) + " " + f" {t('track.verdict_and', lang)} ".join(clauses)
    if at["model"]:
        text += t("track.verdict_model_also", lang, horizons=years_text(at["model"]))
    return text + t("track.verdict_scenario", lang)


def _evidence(c: Claim, lang: str) -> str:
    p = c.params
    if p["h"] is None:
        return t("track.evidence_too_few", lang, h=p["years_ahead"], n=p["min_pairs"])
    key = "track.evidence_one" if p["h"] == 1 else "track.evidence"
    return t(key, lang, held=p["held"], pairs=p["pairs"], h=p["h"])


def _frontier(c: Claim, lang: str) -> str:
    """The frontier's message: the hiring share at today's attrition, and at none; or out of reach."""
    p = c.params
    values = {"target": fmt_pct(p["target"], lang, 0), "deadline": p["deadline"]}
    if p["hire_low"] is None:
        return t("frontier.briefing_out_of_reach", lang, **values)
    hire = fmt_pct(p["hire"], lang, 0) if p["hire"] is not None else "–"
    return t("frontier.briefing_title", lang, **values, hire=hire, hire_low=fmt_pct(p["hire_low"], lang, 0))


def _allocation(c: Claim, lang: str) -> str:
    p = c.params
    values = {"target": fmt_pct(p["target"], lang, 0), "deadline": p["deadline"]}
    if p["points"] is None:
        return t("allocation.briefing_infeasible", lang, **values)
    points = fmt_pp(100 * p["points"], lang, 1, signed=True)
    return t("allocation.briefing_title", lang, **values, points=points)


def _pipeline(c: Claim, lang: str) -> str:
    p = c.params
    if p["bottom"] is None:
        return t("briefing.pipeline_title_withheld", lang)
    return t("briefing.pipeline_title", lang, bottom=fmt_pct(p["bottom"], lang), top=fmt_pct(p["top"], lang))


WHATIF_RENDERERS: dict[str, Callable[[Claim, str], str]] = {
    FINDING: _finding,
    PROJECTION_NOTE: _note,
    CARD: _card,
    OUTCOME: _outcome,
    TRACK: _track,
    VERDICT: _verdict,
    EVIDENCE: _evidence,
    FRONTIER: _frontier,
    ALLOCATION: _allocation,
    PIPELINE: _pipeline,
}
