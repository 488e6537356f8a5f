"""A projection's notes in words, one function per claim kind, Dutch and English from the same claim: where its
rates come from, a ladder's folded top ranks, and why there is none (the stamp's: the selection is hidden)
(kinds and checkers: models/claims_notes.py)."""

from __future__ import annotations

from collections.abc import Callable

from di_metrics.i18n import t, value_label
from di_metrics.models.claim import Claim
from di_metrics.models.claims_notes import RANK_FOLD, RATES_SOURCE, SELECTION_HIDDEN
from di_metrics.models.levers import SLIDER_KEY

__all__ = ["NOTES_RENDERERS"]


def _lever(field: str, lang: str) -> str:
    """A rate by its slider's name (the field's code where no slider moves it)."""
    key = SLIDER_KEY.get(field)
    return t(f"whatif.lever_{key}", lang) if key else field


def _rates(c: Claim, lang: str) -> str:
    """Where the rates come from: the What-if caption's and the CLI's sentence, or (`form` "short") the allocation
    table's few words, naming the rates borrowed from the wider population."""
    p = c.params
    names = [f"“{_lever(r, lang)}”" for r in p["borrowed"]]  # quoted: a name such as "Attrition, women" has a comma
    borrowed = f" {t('rates_from.and', lang)} ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    if p["form"] == "short":
        return t(f"rates_from.short_{p['rates_from']}", lang, rates=borrowed)
    return t(f"rates_from.{p['rates_from']}", lang, rates=borrowed)


def _fold(c: Claim, lang: str) -> str:
    """The top rank is too small to show alone, so it is shown with the ranks below it, named."""
    p = c.params
    return t("explorer.ranks_folded", lang, top=value_label(p["top"], lang), group=value_label(p["group"], lang))


def _unprojected(c: Claim, lang: str) -> str:
    """The stamp's scenario part where nothing is projected: the selection's figures are hidden, or (shown, or
    nobody there) there are no rates to project with."""
    p = c.params
    return t("briefing.stamp_hidden" if p["hidden"] else "briefing.stamp_unprojected", lang)


NOTES_RENDERERS: dict[str, Callable[[Claim, str], str]] = {
    RATES_SOURCE: _rates,
    RANK_FOLD: _fold,
    SELECTION_HIDDEN: _unprojected,
}
