"""A measure's two methods in words, one function per claim kind, Dutch and English from the same claim
(kinds and checkers: models/claims_effects.py)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from di_metrics.i18n import fmt_pp, t
from di_metrics.models.claim import Claim
from di_metrics.models.claims_effects import DID, ITS

__all__ = ["EFFECT_RENDERERS"]


def _pp(value: float | None, lang: str) -> str:
    """Signed pp at one decimal, the sign of the shown value: +0.0, never −0.0."""
    return fmt_pp(None if value is None else round(value, 1) + 0.0, lang, 1, signed=True)


def _left_out(text: str, p: Mapping[str, Any], lang: str) -> str:
    """The sentence, and how many of the points were left out as hidden or missing (unknown, never 0)."""
    if not p["hidden"]:
        return text
    total = p["before"] + p["after"] + p["hidden"]
    return f"{text} {t('safety_evidence.points_left_out', lang, n=p['hidden'], total=total)}"


def _its(c: Claim, lang: str) -> str:
    """The interrupted time series in one line: level, slope, effect and placebos, or too few points."""
    p = c.params
    if p["effect"] is None:
        text = t("safety_evidence.its_too_few", lang, before=p["before"], after=p["after"])
        return _left_out(text, p, lang)
    effect, low, high = p["effect"]
    text = t(
        "safety_evidence.its_line",
        lang,
        level=_pp(p["level"][0], lang),
        slope=_pp(p["slope"][0], lang),
        effect=_pp(effect, lang),
        low=_pp(low, lang),
        high=_pp(high, lang),
        fired=p["fired"],
        placebos=p["placebos"],
    )
    return _left_out(text, p, lang)


def _did(c: Claim, lang: str) -> str:
    """The difference in differences in one line, against the named parts; or why there is none."""
    p = c.params
    if p["reason"] == "no_comparison":
        return t("safety_evidence.did_no_comparison", lang)
    if p["effect"] is None:
        text = t(f"safety_evidence.did_{p['reason']}", lang, before=p["before"], after=p["after"])
        return _left_out(text, p, lang)
    effect, low, high = p["effect"]
    text = t(
        "safety_evidence.did_line",
        lang,
        parts=", ".join(p["part_names"][lang]),
        effect=_pp(effect, lang),
        low=_pp(low, lang),
        high=_pp(high, lang),
        trend=t(f"safety_evidence.pre_trend_{'ok' if p['pre_trend_ok'] else 'drift'}", lang),
        fired=p["fired"],
        placebos=p["placebos"],
    )
    return _left_out(text, p, lang)


EFFECT_RENDERERS: dict[str, Callable[[Claim, str], str]] = {ITS: _its, DID: _did}
