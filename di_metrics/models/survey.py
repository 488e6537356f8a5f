"""Survey results, answer distributions and formal report counts as typed values, already safe to show.

Pure: no SQL. The queries fill them (a withheld figure is None and its row says `suppressed`); the CLI turns
them into its documents (docs/cli.md, `survey` and `reports`).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AnswerShare", "ReportCount", "SurveyResults", "SurveyRow"]


@dataclass(frozen=True)
class SurveyRow:
    """One wave and group of a measure: % favourable (0-100) with its 95% interval and size."""

    wave: int
    group: str
    measure: str
    n: int | None
    pct_favourable: float | None
    ci_low: float | None
    ci_high: float | None
    suppressed: bool
    differs_from_reference: bool


@dataclass(frozen=True)
class SurveyResults:
    """A measure's rows, and which source they were read from (respondent answers or a vendor's table)."""

    rows: tuple[SurveyRow, ...]
    source: str


@dataclass(frozen=True)
class AnswerShare:
    """The share (a fraction) of a wave's group giving one answer to an item."""

    wave: int
    group: str
    item: str
    answer: int
    share: float | None
    suppressed: bool


@dataclass(frozen=True)
class ReportCount:
    """Formal reports of one year: a cell (kind, category, branch) or the selection's total (level "total")."""

    category: str
    kind: str
    level: str
    branch: str | None
    personnel_category: str | None
    rank_group: str | None
    org_unit: str | None
    year: int
    count: int | None
    suppressed: bool
