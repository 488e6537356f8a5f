"""The claims behind a projection's notes, built from the core's typed results with the figures each rests on:
where the rates come from (from the calibration), a ladder's folded top ranks (from the fold the gate decided),
and where there is no projection whether the selection is hidden (from the safe share series) (kinds and
checkers: models/claims_notes.py; words: present/claims_notes.py)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from di_metrics.analysis.calibration import NEEDED
from di_metrics.models.claim import Claim
from di_metrics.models.claims_notes import RANK_FOLD, RATES_SOURCE, SELECTION_HIDDEN
from di_metrics.vocab import LADDERS

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd

    from di_metrics.analysis.calibration import Calibration
    from di_metrics.models.rank_fold import RankFold

__all__ = ["fold_claim", "hidden_selection_claim", "rates_claim"]


def _by_rate(frame: pd.DataFrame | None) -> dict[str, dict[int, float | None]]:
    """Each needed rate per year, a missing one None (unknown, never 0)."""
    if frame is None:
        return {rate: {} for rate in NEEDED}
    years = [int(y) for y in frame["year"]]
    return {
        rate: {y: None if v is None or math.isnan(v) else float(v) for y, v in zip(years, frame[rate], strict=True)}
        for rate in NEEDED
    }


def rates_claim(cal: Calibration, surface: str = "page", form: str = "line", part: str | None = None) -> Claim:
    """Where a calibration's rates come from (`form` "short": the allocation table's few words for `part`), with
    the selection's own rates, the rates used and the withheld pairs as the figures."""
    params = {"rates_from": cal.rates_from, "borrowed": list(cal.borrowed), "form": form}
    figures = {
        "needed": list(NEEDED),
        "own": _by_rate(cal.own_rates),
        "used": _by_rate(cal.rates),
        "withheld": [list(pair) for pair in cal.withheld],
        "keeps_own": cal.own_shown,
    }
    return Claim(f"rates_from:{part or form}", RATES_SOURCE, surface, params, figures)


def fold_claim(fold: RankFold | None, surface: str = "page") -> Claim | None:
    """A ladder's top ranks folded into one group, with the hidden ranks per date, the folded group's women and men
    and its lowest rank's shown ones as the figures; None when nothing is folded."""
    if fold is None or not fold.folded:
        return None
    params = {"ladder": fold.ladder, "folded": list(fold.folded), "top": fold.top, "group": fold.groups[-1]}
    figures = {
        "ranks": list(LADDERS[fold.ladder]),
        "folded": list(fold.folded),
        "k": fold.k,
        "hidden": {day: list(ranks) for day, ranks in fold.hidden},
        "group": {day: (women, men) for day, women, men in fold.group_counts},
        "lowest": {day: None if women is None else (women, men) for day, women, men in fold.lowest_counts},
    }
    return Claim(f"rank_fold:{fold.ladder}", RANK_FOLD, surface, params, figures)


def hidden_selection_claim(series: pd.DataFrame, day: dt.date, surface: str = "page") -> Claim:
    """The stamp's scenario part where there is none: whether the selection's figures are hidden on the data's
    last date `day` (what a projection would start from), with its row of the safe share series there as the
    figures (no count: only the gate's flags); no row where the selection holds nobody then."""
    rows = series[series["date"] == day]
    row = None
    if not rows.empty:
        last = rows.iloc[-1]
        row = {"suppressed": bool(last["suppressed"]), "headcount_hidden": bool(last["headcount_hidden"])}
    hidden = row is not None and (row["suppressed"] or row["headcount_hidden"])
    params = {"date": day.isoformat(), "hidden": hidden}
    return Claim("selection_hidden", SELECTION_HIDDEN, surface, params, {"date": day.isoformat(), "row": row})
