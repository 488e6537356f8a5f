"""The report's, deck's and CLI's remaining sentences about the data in words: one function per claim kind
writes Dutch and English from the same claim (checkers: models/claims_text.py)."""

from __future__ import annotations

from collections.abc import Callable

from di_metrics.analysis.allocation import EXEMPT, OTHER
from di_metrics.i18n import fmt_number, fmt_pct, label, t, value_label
from di_metrics.models.claim import Claim
from di_metrics.models.claims_text import (
    ALLOCATION_PART,
    FLOWS_FINDING,
    FORCED_EXITS,
    LEVER_TAKES,
    PEER_WINDOW,
    REPORTS_TOTAL,
    SAFETY_WILLING,
    SIM_CENTRE,
    STATUS_HEAD,
    SURVEY_INCLUSION,
    TAKES_NOTE,
    TARGET_STATE,
    TRACK_TABLE,
    TREND_SPAN,
    WATCH_TOP,
)
from di_metrics.models.metrics import metric_of
from di_metrics.present.claims_whatif import x_left_out

__all__ = ["TEXT_RENDERERS", "charted", "hidden_text", "part_label"]


def hidden_text(lang: str) -> str:
    """What every surface writes in a hidden cell: the word 'hidden', never a number, whatever the reason it was
    hidden for (primary or complement); the one place it is written (present.claims passes it on)."""
    return t("privacy.fewer_than", lang)


METHODS = ("model", "constant", "trend")  # the track record's projection, flat line and straight line


def _reports(c: Claim, lang: str) -> str:
    """The Word summary's line: so many formal reports of a kind in the last year."""
    p = c.params
    kind = t(f"report.kind_{p['kind']}", lang).lower()
    return t("report.reports_headline", lang, n=fmt_number(p["n"], lang), kind=kind, year=p["year"])


def _survey(c: Claim, lang: str) -> str:
    """The inclusion slide's title: women and men positive in the last wave, or that one is withheld."""
    p = c.params
    if p["women"] is None:
        return t("briefing.survey_title_withheld", lang, wave=p["wave"])
    women, men = fmt_number(p["women"], lang, 0), fmt_number(p["men"], lang, 0)
    return t("briefing.survey_title", lang, wave=p["wave"], women=women, men=men)


def _flows(c: Claim, lang: str) -> str:
    """The flows chart's title: the last year's women's share of hires against their share of personnel at its
    start; a missing share is said missing, for its reason, never a dash or a zero."""
    p = c.params
    hires, stock = (None if v is None else fmt_pct(v, lang) for v in (p["hires"], p["stock"]))
    if hires and stock:
        return t("explorer.flows_title", lang, year=p["year"], hires=hires, stock=stock)
    first = t(f"explorer.flows_hires_{p['hires_state']}", lang, year=p["year"], hires=hires)
    second = t("explorer.flows_stock_shown", lang, stock=stock) if stock else t("explorer.flows_stock_hidden", lang)
    return f"{first}; {second}"


def _safety(c: Claim, lang: str) -> str:
    """The safety slide's title: the share willing to report in the last wave, withheld, or not asked."""
    p = c.params
    if p["willing"] is not None:
        return t("briefing.safety_title", lang, wave=p["wave"], willing=fmt_pct(p["willing"], lang, 0))
    key = "briefing.safety_title_withheld" if p["asked"] else "briefing.safety_title_plain"
    return t(key, lang, wave=p["wave"])


def _trend(c: Claim, lang: str) -> str:
    """The trend slide's note: the share in the first and the last year shown; one the release hides says so in
    words, never a dash."""
    p = c.params
    if p["first"] is None and p["last"] is None:
        return t("briefing.trend_note_hidden", lang, start=p["start"], end=p["end"])
    first, last = (hidden_text(lang) if v is None else fmt_pct(v, lang) for v in (p["first"], p["last"]))
    return t("briefing.trend_note", lang, first=first, start=p["start"], last=last, end=p["end"])


def charted(c: Claim) -> bool:
    """Whether a flows title's chart has anything to draw, as its claim says: the page draws it, or says the
    title alone."""
    p = c.params
    return bool(p["charted"])


def _watch_top(c: Claim, lang: str) -> str:
    """The watchlist slide's title: the part furthest below its glide path, that none is below, or that there is
    nothing to list (every part hidden: not 'none below')."""
    p = c.params
    if p["value"] is None:
        return t("watchlist.briefing_none" if p["listed"] else "watchlist.none", lang)
    return t("watchlist.briefing_title", lang, value=p["label"], short=fmt_number(p["short"], lang))


def _peer_window(c: Claim, lang: str) -> str:
    """A peers slide note: one peer's fastest pace and its years."""
    p = c.params
    best = fmt_number(p["best"], lang, 2)
    return t(
        "peers.notes_peer", lang, peer=p["peer"], population=p["population"], start=p["start"], end=p["end"], best=best
    )


def _centre(c: Claim, lang: str) -> str:
    """What if?'s note: the simulated paths' median at the deadline beside the projection's share."""
    p = c.params
    values = {"median": fmt_pct(p["median"], lang), "deadline": p["deadline"], "share": fmt_pct(p["share"], lang)}
    return t("track.simulated_centre", lang, **values)


def _forced(c: Claim, lang: str) -> str:
    """What if?'s note: the projection lets so many more people leave than attrition does."""
    p = c.params
    return t("track.forced_exits", lang, persons=fmt_number(p["persons"], lang), year=p["year"])


def _needed(now: float, needed: float | None, limit: float, lang: str) -> str:
    if needed is None:
        return t("whatif.takes_out_of_reach", lang, limit=fmt_pct(limit, lang, 0))
    return t("whatif.takes_met", lang) if needed == now else fmt_pct(needed, lang)


def _lever(c: Claim, lang: str) -> str:
    """What one lever needs, in words: the value, 'met already' or 'out of reach, even at' its limit."""
    p = c.params
    return _needed(p["now"], p["needed"], p["limit"], lang)


def _takes(c: Claim, lang: str) -> str:
    """The What-if slide's note: the women's attrition and the growth each would need."""
    p = c.params
    values = {"attrition": _needed(*p["attrition_women"], lang), "growth": _needed(*p["growth"], lang)}
    return t("briefing.takes_note", lang, **values)


def _status_head(c: Claim, lang: str) -> str:
    """`status`'s first line: the date, the headcount and the women's share."""
    p = c.params
    headcount, share = fmt_number(p["headcount"], lang), fmt_pct(p["share"], lang)
    return t("cli.status_head", lang, date=p["as_of"] or "–", headcount=headcount, share=share)


def _target_state(c: Claim, lang: str) -> str:
    """A target's line: its latest value (in its metric's format), its state, its value and deadline (`form`
    "note": the status slide's shorter note)."""
    p = c.params
    values = {
        "name": label("target", p["target"], lang),
        "state": label("status", p["state"], lang),
        "latest": metric_of(p["metric"]).shown(p["latest"], lang),
        "value": fmt_pct(p["value"], lang, 0),
    }
    x_out = f" {x_left_out(c, lang)}" if p.get("x_left_out") else ""
    shown = p["latest"] is not None  # else its state says it is not shown: no dash
    if p.get("form") == "note":  # the status slide's note
        return t("briefing.status_note" if shown else "briefing.status_note_unshown", lang, **values) + x_out
    line = "cli.status_target" if shown else "cli.status_target_unshown"
    return t(line, lang, **values, deadline=p["deadline"][:4]) + x_out


def _track_table(c: Claim, lang: str) -> str:
    """`backtest`'s text: the start years, then per horizon the errors in pp and how often the ranges held."""
    p = c.params
    if not p["rows"]:
        return t("track.cli_none", lang)
    lines = [t("track.cli_head", lang, origins=p["origins"])]
    for h, pairs, model, constant, trend, c50, c90 in p["rows"]:
        errors = zip(METHODS, (model, constant, trend), strict=True)
        pp = {k: fmt_number(None if v is None else 100 * v, lang, 1) for k, v in errors}
        hits = {"c50": fmt_pct(c50, lang, 0), "c90": fmt_pct(c90, lang, 0)}
        lines.append(t("track.cli_line", lang, h=h, pairs=pairs, **pp, **hits))
    return "\n".join(lines)


def part_label(value: str, lang: str) -> str:
    """A part of the allocation by name: the folded and exempt parts in words."""
    if value == OTHER:
        return t("allocation.other", lang)
    if value == EXEMPT:
        return t("allocation.exempt", lang)
    return value_label(value, lang)


def _part(c: Claim, lang: str) -> str:
    """`allocate`'s line for one part: its shares now, the hiring share needed and where it leads."""
    p = c.params
    return t(
        "allocation.cli_part",
        lang,
        part=part_label(p["part"], lang),
        share=fmt_pct(p["share"], lang),
        hire=fmt_pct(p["hire"], lang),
        of_hires=fmt_pct(p["of_hires"], lang),
        needed=fmt_pct(p["needed"], lang),
        at_deadline=fmt_pct(p["at_deadline"], lang),
    )


TEXT_RENDERERS: dict[str, Callable[[Claim, str], str]] = {
    REPORTS_TOTAL: _reports,
    SURVEY_INCLUSION: _survey,
    SAFETY_WILLING: _safety,
    TREND_SPAN: _trend,
    WATCH_TOP: _watch_top,
    PEER_WINDOW: _peer_window,
    SIM_CENTRE: _centre,
    FORCED_EXITS: _forced,
    LEVER_TAKES: _lever,
    TAKES_NOTE: _takes,
    STATUS_HEAD: _status_head,
    TARGET_STATE: _target_state,
    TRACK_TABLE: _track_table,
    ALLOCATION_PART: _part,
    FLOWS_FINDING: _flows,
}
