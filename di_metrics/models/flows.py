"""Hires, exits and attrition per complete year, as typed values (`flows` in docs/cli.md).

Pure: no SQL. `queries.workforce.flows` fills them, already safe to show (a withheld figure is None); the
Explorer, the calibration and the CLI read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["HIRES_STATES", "FlowRow", "Flows", "HiringShare"]

# Why a year's women's share of hires is shown or missing: withheld by the gate, nobody hired (every gender's
# hires 0), or not measured (unknown, never 0).
HIRES_STATES = ("shown", "withheld", "none_hired", "not_measured")


@dataclass(frozen=True)
class FlowRow:
    """One complete year and gender: the stock at its start, hires, exits and attrition; None when withheld, or
    (hires, exits, attrition) when not measured. `suppressed`: the row is protected (below the branch level, a
    count or the stock at the start withheld, or the row small); each count is still shown or withheld on its own,
    so whether hires are withheld is read from `hires is None`, not from `suppressed`."""

    year: int
    gender: str
    headcount_start: int | None
    hires: int | None
    exits: int | None
    attrition_rate: float | None
    suppressed: bool


@dataclass(frozen=True)
class HiringShare:
    """One complete year's women's share of hires, and why it is shown or missing (`reason`, one of
    HIRES_STATES), decided once where the share is (queries.workforce.flows); None unless shown. `suppressed`
    (the gate withholds it) follows from the reason and stays for the `flows` document's older readers."""

    year: int
    hiring_share_women: float | None
    suppressed: bool = field(init=False)
    reason: str

    def __post_init__(self) -> None:
        if self.reason not in HIRES_STATES or (self.hiring_share_women is None) == (self.reason == "shown"):
            raise ValueError(f"a share of hires {self.hiring_share_women!r} with the reason {self.reason!r}")
        object.__setattr__(self, "suppressed", self.reason == "withheld")


@dataclass(frozen=True)
class Flows:
    """Every complete year's flows per gender, and each year's women's share of hires."""

    rows: tuple[FlowRow, ...]
    hiring_share: tuple[HiringShare, ...]
