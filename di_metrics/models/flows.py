"""Hires, exits and attrition per complete year, as typed values (`flows` in docs/cli.md).

Pure: no SQL. `queries.workforce.flows` fills them, already safe to show (a withheld figure is None); the
Explorer, the calibration and the CLI read them.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["FlowRow", "Flows", "HiringShare", "hires_state"]


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
    """One complete year's women's share of hires; None when withheld or when nobody was hired."""

    year: int
    hiring_share_women: float | None
    suppressed: bool


@dataclass(frozen=True)
class Flows:
    """Every complete year's flows per gender, and each year's women's share of hires."""

    rows: tuple[FlowRow, ...]
    hiring_share: tuple[HiringShare, ...]


def hires_state(share: HiringShare, hires: list[int | None]) -> str:
    """Why a year's women's share of hires is shown or missing, given its genders' hires: withheld, nobody hired
    (every gender's hires shown as 0), or not measured (unknown, never 0)."""
    if share.suppressed:
        return "withheld"
    if share.hiring_share_women is not None:
        return "shown"
    return "none_hired" if hires and all(h == 0 for h in hires) else "not_measured"
