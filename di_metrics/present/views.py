"""The briefing's shapes: a View is one slide (its message, its chart data, its notes) and a Briefing the
slides in order. The briefing builds them, the where-views add three, the page and the deck draw them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

__all__ = ["Briefing", "View"]


@dataclass(frozen=True)
class View:
    """One slide: its message (the title), a chart as categories and named series, and notes."""

    key: str
    title: str
    kind: str  # bar, line, column
    categories: list[str]
    series: dict[str, list[float | None]]
    notes: list[str] = field(default_factory=list)
    percent: bool = True
    decimals: int = 0  # for values that are not percentages
    codes: tuple[str, ...] = ()  # each series' stable code, in order, for its colour; see charts.briefing
    subtitle: str = ""  # a line under the message that the chart needs read with it (the page and the slide)

    def __post_init__(self) -> None:
        if self.codes and len(self.codes) != len(self.series):
            raise ValueError(f"view {self.key}: {len(self.codes)} codes for {len(self.series)} series")


@dataclass(frozen=True)
class Briefing:
    views: list[View]
    as_of: dt.date
    stamp: str
    lang: str
    scenario: str = ""  # which what-if scenario the briefing presents, with its levers
