"""Where we stand, as typed values: the latest figures (`Status`) and each target's (`TargetStatus`).

Pure: no SQL. `status.status` fills them from the privacy-safe queries; the pages, the deck, the report and
the briefing read them; the CLI turns them into its JSON at its own edge. A target's `state`
is decided once, by `Target.state` (the glide-path rule lives with the target).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from di_metrics.models.targets import Target

STATES = ("met", "missed", "on_track", "off_track", "no_value")


@dataclass(frozen=True)
class Point:
    """One snapshot of the women's-share series; None where the figure is withheld."""

    date: dt.date
    headcount: int | None
    women: int | None
    women_share: float | None


@dataclass(frozen=True)
class TargetStatus:
    """One target's latest value against its glide path (docs/formats.md, `status`)."""

    target: Target
    as_of: dt.date
    latest: float | None
    glide_path: float
    state: str  # one of STATES
    gap_pp: float | None = None
    women_needed: int | None = None
    change_12m: float | None = None
    required_pace: float | None = None
    actual_pace: float | None = None
    reach_year_at_pace: int | None = None
    glide_from: float | None = None  # the glide path's start on the baseline date: the target's, or the selection's
    # a narrower selection's own value on the baseline date, read off its series (None: the target's own
    # population, or nothing shown by then): the data a card's stated start is checked against
    own_at_baseline: float | None = None
    # gender X left out of the latest figure by the disclosure rules (a small group, or one its parent's pattern
    # leaves out): a card says so rather than count it as none
    x_left_out: bool = False
    # a share of persons: the latest figure's women, men, X and headcount as shown (None where withheld, X where
    # left out), what the checkers re-derive "X left out" from; None for a metric that counts no persons
    shown: tuple[int | None, int | None, int | None, int | None] | None = None

    @property
    def due(self) -> bool:
        """The deadline has come: the target is met or missed, no longer on or off track."""
        return self.state in ("met", "missed")


@dataclass(frozen=True)
class Status:
    """The latest figures of a selection, its series, and the status of every target that applies to it."""

    as_of: dt.date | None = None
    headcount: int | None = 0
    women: int | None = None
    women_share: float | None = None
    suppressed: bool = False
    unknown_gender: int | None = 0
    x_left_out: bool = False
    targets: tuple[TargetStatus, ...] = ()
    series: tuple[Point, ...] = ()


__all__ = ["STATES", "Point", "Status", "TargetStatus"]
