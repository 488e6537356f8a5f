"""Intake against the need, the rank pyramid against the target with the top apart, and the intersection
matrices: three career views made of counts, each a frozen value with its hidden cells decided here.

Intake: per year, the women's share of hires next to the constant share of hires What if? says the target
needs for the same selection (models/projection.required_hire_share on its calibrated baseline), and the gap
in persons: how many more of that year's hires would have had to be women.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import pandas as pd

from di_metrics.analysis.calibration import CannotProject, calibrate
from di_metrics.analysis.intake_years import Cohort, hidden_intake_years, small_cohorts
from di_metrics.analysis.promotion import Promotion, promotion
from di_metrics.analysis.retention import Retention, retention, spell_durations
from di_metrics.config import min_workforce_cell
from di_metrics.models.ladders import Ladders, load_ladders
from di_metrics.models.metrics import SHARE, metric_of
from di_metrics.models.projection import required_hire_share
from di_metrics.models.rank_fold import FOLD_JOIN
from di_metrics.queries import career as reads
from di_metrics.queries import privacy
from di_metrics.queries.filters import Filters
from di_metrics.queries.privacy import output
from di_metrics.queries.workforce import (
    breakdown,
    complete_years,
    pipeline,
    snapshot_dates,
)
from di_metrics.storage.targets import load_targets
from di_metrics.vocab import (
    BRANCH,
    CATEGORY,
    DEFAULT_DEADLINE,
    DEFAULT_TARGET,
    DIMENSIONS,
    FINE_DIMENSIONS,
    RANK_GROUP,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = [
    "MATRICES",
    "Cell",
    "Intake",
    "IntakeRequest",
    "IntakeYear",
    "Matrix",
    "MatrixRequest",
    "PromotionRequest",
    "Pyramid",
    "PyramidLevel",
    "PyramidRequest",
    "Request",
    "RetentionRequest",
    "career_view",
    "intake",
    "intake_from",
    "matrix",
    "needed_hiring_share",
    "pyramid",
]


@dataclass(frozen=True)
class IntakeYear:
    year: int
    group: str  # "" for the whole selection, else the value of the breakdown
    hires: int | None
    women_hired: int | None
    needed_share: float | None
    suppressed: bool

    @property
    def share(self) -> float | None:
        return None if self.suppressed or not self.hires else self.women_hired / self.hires

    @property
    def gap_persons(self) -> int | None:
        """More women hires that year would have met the needed share; 0 when it was met."""
        if self.suppressed or self.needed_share is None or self.hires is None:
            return None
        return max(0, math.ceil(self.needed_share * self.hires - self.women_hired - 1e-9))


@dataclass(frozen=True)
class Intake:
    years: tuple[IntakeYear, ...]
    needed_share: float | None  # None: no hiring share meets the target, or the selection cannot be projected
    by: str | None
    complete_years: int | None = None  # complete years in the data (intake counts theirs); None: not counted


def intake_from(
    durations: pd.DataFrame,
    needed: float | None,
    by: str | None = None,
    k: int | None = None,
    forced: frozenset[Cohort] | None = None,
    exact: bool = False,
) -> Intake:
    """Hires per entry year (and part) from spell_durations' rows.

    `exact`: the population and its parts are above the branch level, where the flows show every year's hires
    of each gender exactly (workforce.flows; the same spell starts, but for moves in from the rest of the
    organisation): hiding them here would protect nothing, and a hidden year beside the flows' shown one was
    worked out from them, so every row is shown, X included, as the flows show it (the same hiring share).

    Otherwise a year (or year and part) with fewer than k women or men hired is hidden (small_cohorts). Below the
    branch level `forced` is the intake years hidden there (intake_years.hidden_intake_years: those small years
    and what the flows withhold, the one decision intake shares with the flows, flow_pattern): every (year,) in
    it, or (year, part), is hidden, and nothing more. Without `forced` (a population decided on its own) the
    retention curves show the hires over all years, so the years are siblings of a shown total: complements
    are hidden along the years (and along the parts of a year) until no line holds one hidden cell. Fewer than
    k X hires are left out of the hires, so hires minus women and men never tells them."""
    k = k or min_workforce_cell()
    keys = ["entry_year", *([by] if by else [])]
    counts = durations.pivot_table(index=keys, columns="gender", values="persons", aggfunc="sum", fill_value=0)
    counts = counts.reindex(columns=["F", "M", "X"], fill_value=0).reset_index()
    counts["other"] = counts["X"].where((counts["X"] >= k) | exact, 0)
    joint = forced is not None
    hide = forced if joint else small_cohorts(durations, by, k)
    years = [int(y) for y in counts["entry_year"]]
    cohorts = zip(years, counts[by].map(str), strict=True) if by else ((y,) for y in years)
    small = pd.Series([c in hide for c in cohorts], index=counts.index, dtype=bool)
    lines = [counts[by]] if by else [pd.Series(0, index=counts.index)]
    size, cells = counts[["F", "M"]].min(axis=1), [counts[key] for key in keys]
    hidden = small & (not exact)
    if not joint:
        hidden = privacy.hide_lines(hidden, size, [*lines, counts["entry_year"]] if by else lines, cells)
    years = [
        IntakeYear(
            int(row.entry_year),
            str(getattr(row, by)) if by else "",
            None if h else int(row.F + row.M + row.other),
            None if h else int(row.F),
            needed,
            bool(h),
        )
        for row, h in zip(counts.itertuples(), hidden, strict=True)
    ]
    return Intake(tuple(sorted(years, key=lambda y: (y.group, y.year))), needed, by)


def needed_hiring_share(conn: Connection, filters: Filters, target: float, deadline: int) -> float | None:
    """What if?'s required women's share of hires for the selection; None where it cannot be projected."""
    try:
        base = calibrate(conn, filters, target=target, deadline=deadline).scenario
    except CannotProject:
        return None
    return required_hire_share(base)


@output
def intake(
    conn: Connection,
    filters: Filters = Filters(),
    by: str | None = None,
    target: float = DEFAULT_TARGET,
    deadline: int = DEFAULT_DEADLINE,
) -> Intake:
    """Above the branch level (the selection and its parts) nothing is hidden: the flows show those hires. Below
    it intake hides what the flows hide (one decision, flow_pattern) and its own small years (intake_years)."""
    snapshots = reads.snapshot_index(conn)
    durations = spell_durations(reads.spell_counts(conn, filters, by), snapshots)
    # Complete years only, as the flows count hires: a first year begun in March is no year of hires
    years = complete_years(list(snapshots["snapshot_date"]))
    durations = durations[durations["entry_year"].isin(years)]
    exact = not filters.is_fine and by not in FINE_DIMENSIONS
    forced = hidden_intake_years(conn, filters, by, durations)
    needed = needed_hiring_share(conn, filters, target, deadline)
    found = intake_from(durations, needed, by, forced=forced, exact=exact)
    return replace(found, complete_years=len(years))


@dataclass(frozen=True)
class PyramidLevel:
    rank_group: str
    category: str
    women: int | None
    headcount: int | None
    share: float | None
    suppressed: bool
    top: bool
    x_left_out: bool = False  # the headcount leaves a small X group out


@dataclass(frozen=True)
class Pyramid:
    on: dt.date
    levels: tuple[PyramidLevel, ...]
    target: float
    top_target: float | None

    @property
    def top(self) -> tuple[PyramidLevel, ...]:
        return tuple(level for level in self.levels if level.top)


@output
def pyramid(
    conn: Connection,
    filters: Filters = Filters(),
    ladders: Ladders | None = None,
    target: float = DEFAULT_TARGET,
    top_target: float | None = None,
) -> Pyramid:
    """The women's share per rank level on the last snapshot, ladder by ladder, the top marked apart, beside the
    target and the top's own target (the registered target whose population is the top; None: none is). The
    Overview's pipeline decides what is hidden, so the two pages agree cell by cell."""
    ladders = ladders or load_ladders()
    if top_target is None:
        top_target = _top_target(conn, ladders)
    on = snapshot_dates(conn)[-1]
    table = pipeline(conn, filters, on).set_index("value")
    group = {rank: value for value in table.index for rank in str(value).split(FOLD_JOIN)}  # a folded top: one row
    levels = []
    for value in dict.fromkeys(group[rank] for rank in ladders.order if rank in group):
        row = table.loc[value]
        ranks = str(value).split(FOLD_JOIN)
        hidden = bool(row["suppressed"])
        levels.append(
            PyramidLevel(
                value,
                ladders.category_of(ranks[0]) or "",
                None if hidden or pd.isna(row["women"]) else int(row["women"]),
                None if pd.isna(row["headcount"]) else int(row["headcount"]),
                None if hidden or pd.isna(row["women_share"]) else float(row["women_share"]),
                hidden,
                any(rank in ladders.top for rank in ranks),
                bool(row["x_left_out"]),
            )
        )
    return Pyramid(on, tuple(levels), target, top_target)


def _top_target(conn: Connection, ladders: Ladders) -> float | None:
    """The value of the women's-share target whose population is the ladders' top, if one is registered."""
    for target in load_targets(conn):
        if metric_of(target.metric).kind is SHARE and set(target.scope.get(RANK_GROUP, ())) == set(ladders.top):
            return target.target_value
    return None


# The intersections a page offers, the first the deck's slide (bands wait for a release-wide decision)
MATRICES = ((RANK_GROUP, BRANCH), (RANK_GROUP, CATEGORY))


@dataclass(frozen=True)
class Cell:
    row: str
    column: str
    women: int | None
    headcount: int | None
    suppressed: bool

    @property
    def share(self) -> float | None:
        return None if self.suppressed or not self.headcount else self.women / self.headcount


@dataclass(frozen=True)
class Matrix:
    rows: str
    columns: str
    on: dt.date
    cells: tuple[Cell, ...]


@output
def matrix(conn: Connection, filters: Filters = Filters(), rows: str = RANK_GROUP, columns: str = "branch") -> Matrix:
    """The women's share by two dimensions on the last snapshot, each cell as the release shows its selection.
    Age and tenure bands are refused: decided per view, a branch's band matrix minus its units' gave hidden cells
    back (session 14); they wait for a decision of their own family."""
    if rows not in DIMENSIONS or columns not in DIMENSIONS:
        raise ValueError(f"intersections are by two dimensions, not {rows} x {columns}")
    on = snapshot_dates(conn)[-1]
    pairs = reads.matrix_pairs(conn, filters, rows, columns, on)
    rank = {axis: _order(axis) for axis in (rows, columns)}
    pairs = pairs.assign(r=pairs["row"].map(rank[rows]), c=pairs["column"].map(rank[columns]))
    pairs = pairs.sort_values(["r", "row", "c", "column"], na_position="last").drop(columns=["r", "c"])
    return _released(conn, filters, Matrix(rows, columns, on, ()), pairs)


def _released(conn: Connection, filters: Filters, shape: Matrix, pairs: pd.DataFrame) -> Matrix:
    """Both axes dimensions: each cell is the selection with both values, shown as every view shows it (the
    release's one decision, read through the breakdown of the rows within each column's value); a cell's own
    rule would show what the decision hides as a complement (a unit's 9 women senior officers)."""
    tables: dict[str, pd.DataFrame] = {}
    cells = []
    for row, column in zip(pairs["row"], pairs["column"], strict=True):
        if column not in tables:
            within = Filters.of({**filters.as_dict(), shape.columns: [column]}, filters.exempt_units)
            table = breakdown(conn, within, shape.rows)
            tables[column] = table[table["date"] == shape.on].set_index("value")
        r = tables[column].loc[row] if row in tables[column].index else None
        hidden = r is None or bool(r["suppressed"]) or bool(r["headcount_hidden"])
        women, persons = (None, None) if hidden else (int(r["women"]), int(r["headcount"]))
        cells.append(Cell(str(row), str(column), women, persons, hidden))
    return replace(shape, cells=tuple(cells))


def _order(axis: str) -> dict[str, int]:
    """How an axis is listed: ranks up the ladder, other values by name."""
    if axis == RANK_GROUP:
        return {rank: i for i, rank in enumerate(load_ladders().order)}
    return {}


# What a page asks for, one view at a time (the career reads take seconds): each request reads its own view,
# so the page's one cached loader needs no dispatch on names.


@dataclass(frozen=True)
class IntakeRequest:
    def read(self, conn: Connection, filters: Filters) -> Intake:
        return intake(conn, filters)


@dataclass(frozen=True)
class RetentionRequest:
    by: str | None = None

    def read(self, conn: Connection, filters: Filters) -> Retention:
        return retention(conn, filters, self.by)


@dataclass(frozen=True)
class PromotionRequest:
    def read(self, conn: Connection, filters: Filters) -> Promotion:
        return promotion(conn, filters)


@dataclass(frozen=True)
class PyramidRequest:
    def read(self, conn: Connection, filters: Filters) -> Pyramid:
        return pyramid(conn, filters)


@dataclass(frozen=True)
class MatrixRequest:
    rows: str = RANK_GROUP
    columns: str = BRANCH

    def read(self, conn: Connection, filters: Filters) -> Matrix:
        return matrix(conn, filters, self.rows, self.columns)


Request = IntakeRequest | RetentionRequest | PromotionRequest | PyramidRequest | MatrixRequest


def career_view(
    conn: Connection, filters: Filters, request: Request
) -> Intake | Retention | Promotion | Pyramid | Matrix:
    """One career view of a selection, as the request says."""
    return request.read(conn, filters)
