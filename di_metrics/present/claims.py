"""Claims in words: one function per claim kind writes Dutch and English from the same claim, so the two
languages state the same values (docs/definitions.md, "claim")."""

from __future__ import annotations

from collections.abc import Callable

from di_metrics.i18n import fmt_number, fmt_pct, fmt_pp, t
from di_metrics.models.claims import HEADLINE, HIDDEN, PEERS, REQUIRED, WATCH_ROW, Claim
from di_metrics.present.claims_career import CAREER_RENDERERS
from di_metrics.present.claims_effects import EFFECT_RENDERERS
from di_metrics.present.claims_notes import NOTES_RENDERERS
from di_metrics.present.claims_text import TEXT_RENDERERS, hidden_text
from di_metrics.present.claims_whatif import WHATIF_RENDERERS

__all__ = ["RENDERERS", "hidden_text", "persons_against_path", "render", "texts"]


def _headline(c: Claim, lang: str) -> str:
    """Where we are; when the straight line of the last years reaches the target; and, where the flows were
    measured, where today's hiring and leaving rates lead. The two are named apart, never both 'current pace'."""
    p = c.params
    share, target = fmt_pct(p["share"], lang), fmt_pct(p["target"], lang, 0)
    if p.get("met"):
        return t("overview.headline_met", lang, share=share, target=target, year=p["deadline"])
    lead = t(
        "claims.headline_lead",
        lang,
        share=share,
        target=target,
        year=p["deadline"],
        gap=fmt_pp(p["gap_pp"], lang),
        needed=fmt_number(p["needed"], lang),
    )
    straight_key = "claims.straight_reach" if p["reach_year"] is not None else "claims.straight_never"
    straight = t(straight_key, lang, n=p["pace_years"], target=target, reach=p["reach_year"])
    if not p.get("flows_known"):
        return f"{lead} {straight}."
    if p["flows_reach"] is not None:
        flows = t("claims.flows_reach", lang, reach=p["flows_reach"])
    else:
        flows = t("claims.flows_below", lang, level=fmt_pct(p["flows_level"], lang), year=p["flows_level_year"])
    return f"{lead} {straight}; {flows}"


def _peers(c: Claim, lang: str) -> str:
    """The fastest peer over any period the rule admits, our own fastest named apart, and what the target needs."""
    p = c.params
    if p["best"] is None:
        return t("peers.msg_no_window", lang, years=p["min_years"])
    values = {
        "best": fmt_number(p["best"], lang, 2),
        "peer": p["peer_label"],
        "years": p["min_years"],
        "start": p["start"],
        "end": p["end"],
    }
    if p.get("needed") is None:
        text = t("peers.msg_fastest", lang, **values)
    else:
        values |= {
            "needed": fmt_number(p["needed"], lang, 2),
            "target": fmt_pct(p["target"], lang, 0),
            "deadline": p["deadline"],
            "times": fmt_number(p["needed"] / p["best"], lang, 1) if p["best"] > 0 else "–",
        }
        text = t("peers.msg_beyond" if p["needed"] > p["best"] else "peers.msg_within", lang, **values)
    if p.get("ours") is None:
        return text
    ours = {"ours": fmt_number(p["ours"], lang, 2), "start": p["ours_start"], "end": p["ours_end"]}
    return text + " " + t("peers.msg_ours", lang, **ours)


def _hidden(c: Claim, lang: str) -> str:
    return hidden_text(lang)


def _watch(c: Claim, lang: str) -> str:
    """A part against its glide path: so many persons short, or ahead."""
    p = c.params
    change = None if p["change_12m"] is None else 100 * p["change_12m"]
    return t(
        "watchlist.cli_row_ahead" if p["ahead"] else "watchlist.cli_row",
        lang,
        value=p["label"],
        share=fmt_pct(p["share"], lang),
        glide=fmt_pct(p["glide"], lang),
        short=fmt_number(p["persons"], lang),
        change=fmt_pp(change, lang, signed=True),
    ).strip()


def _required(c: Claim, lang: str) -> str:
    """What hiring share the target needs, against what it has been; or that hiring alone cannot do it."""
    p = c.params
    values = {
        "target": fmt_pct(p["target"], lang, 0),
        "deadline": p["deadline"],
        "from": p["from"],
        "required": fmt_pct(p["required"], lang, 0),
        "recent": fmt_pct(p["recent"], lang, 0),
        "full": fmt_pct(p["full"], lang),
    }
    return t("whatif.headline" if p["required"] is not None else "whatif.headline_infeasible", lang, **values)


def persons_against_path(c: Claim, lang: str) -> str:
    """A watchlist row's persons in a cell: 'n short', or 'n ahead' above its glide path."""
    p = c.params
    key = "watchlist.ahead_text" if p["ahead"] else "watchlist.short_text"
    return t(key, lang, n=fmt_number(p["persons"], lang))


RENDERERS: dict[str, Callable[[Claim, str], str]] = {
    HEADLINE: _headline,
    PEERS: _peers,
    HIDDEN: _hidden,
    WATCH_ROW: _watch,
    REQUIRED: _required,
    **WHATIF_RENDERERS,
    **CAREER_RENDERERS,
    **TEXT_RENDERERS,
    **EFFECT_RENDERERS,
    **NOTES_RENDERERS,
}


def render(claim: Claim, lang: str) -> str:
    """The claim as a sentence in the language."""
    return RENDERERS[claim.kind](claim, lang)


def texts(claim: Claim) -> tuple[str, str]:
    """The claim in Dutch and in English."""
    return render(claim, "nl"), render(claim, "en")
