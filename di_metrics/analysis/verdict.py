"""The verdict on the track record: which of the projection, a flat line and a straight line forecast best at
each horizon with enough past starts, decided once for the What-if page, the deck and the report (the words
are in `di_metrics.present.narrative`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from di_metrics.analysis.track_record import TrackRecord

__all__ = ["BASELINES", "METHODS", "MIN_PAIRS", "MODEL_BEATEN", "MODEL_BEST", "TOO_FEW", "Verdict", "verdict"]

MIN_PAIRS = 5  # a horizon with fewer past starts says too little to judge by
METHODS = ("model", "constant", "trend")  # the projection, a flat line at the start's share, the straight line
BASELINES = METHODS[1:]
TOO_FEW, MODEL_BEST, MODEL_BEATEN = "too_few", "model_best", "model_beaten"


@dataclass(frozen=True)
class Verdict:
    """The kind (TOO_FEW, MODEL_BEST or MODEL_BEATEN), the horizons judged (at least MIN_PAIRS past starts each)
    and the method with the smallest mean absolute error at each of them."""

    kind: str
    horizons: tuple[int, ...] = ()
    best: tuple[str, ...] = ()

    def best_at(self, method: str) -> tuple[int, ...]:
        """The judged horizons at which `method` forecast best."""
        return tuple(h for h, m in zip(self.horizons, self.best, strict=True) if m == method)


def verdict(record: TrackRecord, min_pairs: int = MIN_PAIRS) -> Verdict:
    """Per horizon with at least `min_pairs` pairs, the best of the three by mean absolute error (a tie goes to
    the model, then the flat line); the model is beaten when a baseline is best at any of them."""
    rows = record.horizons[record.horizons["pairs"] >= min_pairs] if not record.empty else record.horizons
    if rows.empty:
        return Verdict(TOO_FEW)
    horizons = tuple(int(h) for h in rows["h"])
    best = tuple(min(METHODS, key=lambda m, r=row: r[f"mae_{m}"]) for _, row in rows.iterrows())
    kind = MODEL_BEST if all(m == "model" for m in best) else MODEL_BEATEN
    return Verdict(kind, horizons, best)
