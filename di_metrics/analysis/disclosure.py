"""The release as an attacker sees it: every figure the outputs give for every selection of one and two filter
values, at every date and wave asked for, as linear equations over the organisation's true cells; then, by linear
programming with counts >= 0 (scipy's HiGHS), the interval each hidden count can lie in. `privacy audit` prints
it for the current data and tests/db/test_release_attack.py runs it on hand-made organisations.

The unknowns are read from the database's own tables (so every shown figure can be checked against them):
- stock cells: persons per snapshot date, gender and dimension values;
- transition cells: persons per snapshot date moving from one (gender, dimension values) to another, where a
  hire has no from side and an exit no to side; they tie consecutive stocks together, as an attacker would;
- answer cells: respondents per wave, gender, dimension values and answer to one item;
- report cells: formal reports per year, kind, category, branch and personnel category.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from scipy import sparse

from di_metrics.analysis.release_figures import Figures, inside, label
from di_metrics.queries import cells, meldingen, release_lp, reporting_rows, survey, workforce
from di_metrics.queries.filters import Filters
from di_metrics.vocab import DIMENSIONS, GROUP_SEPARATOR, TWO_WAY

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = [
    "FAMILIES",
    "AuditCell",
    "Figures",
    "Loss",
    "Scope",
    "audit",
    "collect",
    "default_scope",
    "default_selections",
    "inside",
    "intervals",
    "label",
    "narrow",
    "narrowed",
    "read_cells",
    "read_flows",
    "read_reporting",
    "read_reports",
    "read_survey",
    "read_workforce",
    "selections",
    "stock_and_flow",
    "truth",
]

GENDERS = {"women": "F", "men": "M", "other": "X", "unknown": ""}


@dataclass
class Scope:
    """What the attacker asks for: the snapshot dates, flow years, survey waves, the item, the breakdowns."""

    dates: tuple[dt.date, ...]
    years: tuple[int, ...]
    waves: tuple[int, ...]
    item: str | None
    survey_by: tuple[str | None, ...] = (None, "gender", "branch", "gender+branch")
    breakdowns: tuple[str, ...] = DIMENSIONS


def read_cells(conn: Connection, scope: Scope) -> pd.DataFrame:
    """Every cell of the organisation in the scope, with its true count, in one order whatever order the
    database returns its groups in: a hidden figure's row names its cells by position, so two reads of the
    same data must agree on it."""
    answers = cells.answer_cells(conn, scope.item, scope.waves) if scope.item else pd.DataFrame()
    people = [cells.stock_cells(conn, scope.dates), cells.move_cells(conn, scope.dates)] if scope.dates else []
    parts = [_ordered(p) for p in [*people, answers, _reports(conn)] if len(p)]
    return pd.concat(parts, ignore_index=True)


def _ordered(part: pd.DataFrame) -> pd.DataFrame:
    keys = [c for c in part.columns if c != "n"]
    return part.sort_values(keys, key=lambda column: column.astype(str), kind="stable", ignore_index=True)


def _reports(conn: Connection) -> pd.DataFrame:
    return (
        meldingen.report_cells(conn)
        .rename(columns={"year": "time", "category": "report_category", "count": "n", "kind": "report_kind"})
        .assign(kind="r")
    )


# --- masks over the cells --------------------------------------------------------------------------------------


def _group_mask(cells: pd.DataFrame, by: str | None, group: str) -> np.ndarray:
    if not by:
        return np.ones(len(cells), dtype=bool)
    mask = np.ones(len(cells), dtype=bool)
    for dim, value in zip(by.split(TWO_WAY), str(group).split(GROUP_SEPARATOR), strict=True):
        mask &= (cells[dim] == value).to_numpy()
    return mask


# --- the outputs, read as equations ----------------------------------------------------------------------------


def read_workforce(conn: Connection, figures: Figures, f: Filters, scope: Scope) -> None:
    cells = figures.cells
    stock = (cells["kind"] == "s").to_numpy() & inside(cells, f)
    series = workforce.share_series(conn, f)
    _stock_rows(figures, series, stock, scope, label(f))
    for dim in scope.breakdowns:
        table = workforce.breakdown(conn, f, dim)
        for value, rows in table.groupby("value"):
            _stock_rows(figures, rows, stock & (figures.col(dim) == value), scope, f"{label(f)} by {dim}={value}")


def _stock_rows(figures: Figures, rows: pd.DataFrame, base: np.ndarray, scope: Scope, name: str) -> None:
    for r in rows.itertuples():
        if r.date not in scope.dates:
            continue
        on = base & (figures.col("time") == r.date)
        g = {k: on & (figures.col("gender") == v) for k, v in GENDERS.items()}
        for col in ("women", "men"):
            figures.add(g[col], getattr(r, col), f"{name} {r.date} {col}", bool(r.suppressed))
        figures.add(g["other"], r.other, f"{name} {r.date} X", bool(r.suppressed and not r.x_left_out), False)
        if hasattr(r, "unknown"):
            figures.add(
                g["unknown"], r.unknown, f"{name} {r.date} unknown", bool(getattr(r, "unknown_hidden", False)), False
            )
        counted = g["women"] | g["men"] | (g["other"] if not r.x_left_out else False)
        figures.add(counted, r.headcount, f"{name} {r.date} headcount", bool(r.headcount_hidden))


def read_flows(conn: Connection, figures: Figures, f: Filters, scope: Scope) -> None:
    cells = figures.cells
    moves = (cells["kind"] == "t").to_numpy()
    in_to = moves & cells["org_unit"].notna().to_numpy() & inside(cells, f)
    in_from = moves & cells["f_org_unit"].notna().to_numpy() & inside(cells, f, "f_")
    year = np.array([getattr(t, "year", 0) for t in cells["time"]])
    doc = workforce.flows(conn, f)
    hires = {}
    for r in doc.rows:
        if r.year not in scope.years:
            continue
        hired = in_to & ~in_from & (year == r.year) & (cells["gender"] == r.gender).to_numpy()
        left = in_from & ~in_to & (year == r.year) & (cells["f_gender"] == r.gender).to_numpy()
        name = f"{label(f)} {r.year} {r.gender}"
        strict = r.gender != "X"
        # A row withholds each count on its own (a 0 nobody moved in is shown beside a withheld count).
        figures.add(hired, r.hires, f"{name} hires", r.suppressed and r.hires is None, strict)
        figures.add(left, r.exits, f"{name} exits", r.suppressed and r.exits is None, strict)
        hires[r.year, r.gender] = (hired, r.hires is None)  # the share leaves X out where its hires are withheld
    for s in doc.hiring_share:
        if s.year not in scope.years or s.hiring_share_women is None:
            continue
        parts = {g: h for (y, g), h in hires.items() if y == s.year}
        total = sum(h.astype(float) for g, (h, hidden) in parts.items() if not (g == "X" and hidden))
        figures.combination(parts["F"][0].astype(float) - s.hiring_share_women * total, 0.0)


def read_survey(conn: Connection, figures: Figures, f: Filters, scope: Scope) -> None:
    cells = figures.cells
    base = (cells["kind"] == "a").to_numpy() & inside(cells, f)
    item = survey.load_codebook(conn).items.loc[scope.item]
    answer = cells["answer"].astype(float)
    mirrored = item["scale_min"] + item["scale_max"] - item["favourable_min"]
    favourable = (answer <= mirrored if item["reverse"] else answer >= item["favourable_min"]).to_numpy()
    for by in scope.survey_by:
        table = survey.survey_table(conn, f, scope.item, by)
        for r in table.itertuples():
            if r.wave not in scope.waves:
                continue
            on = base & (cells["time"] == r.wave).to_numpy() & _group_mask(cells, by, r.group)
            on &= ~(bool(r.x_left_out) & (cells["gender"] == "X").to_numpy())  # the figure leaves this X out
            figures.add(on, r.n, f"{label(f)} by {by} {r.wave} {r.group} n", bool(r.suppressed))
            if not r.suppressed:
                figures.combination((on & favourable) - r.pct_favourable / 100 * on, 0.0)
            else:
                figures.add(on & favourable, None, f"{label(f)} by {by} {r.wave} {r.group} favourable", True)
        for wave in scope.waves:
            answers = survey.answer_distribution(conn, f, [scope.item], wave, by)
            for r in answers.itertuples():
                on = base & (cells["time"] == wave).to_numpy() & _group_mask(cells, by, r.group)
                on &= (cells["answer"] == r.answer).to_numpy()
                on &= ~(bool(r.x_left_out) & (cells["gender"] == "X").to_numpy())
                figures.add(on, r.n, f"{label(f)} answers by {by} {wave} {r.group} {r.answer}", bool(r.suppressed))


def read_reports(conn: Connection, figures: Figures, f: Filters, scope: Scope) -> None:
    cells = figures.cells
    base = (cells["kind"] == "r").to_numpy()
    kept = Filters.of({d: v for d, v in f.as_dict().items() if d in ("branch", "personnel_category")})
    in_choice = base & inside(cells, kept)  # reports are kept per branch and personnel category only
    for r in meldingen.formal_reports(conn, f).itertuples():
        on = in_choice & (cells["time"] == r.year).to_numpy()
        if r.level == "cell":
            on = on & (cells["report_category"] == r.category).to_numpy() & (cells["branch"] == r.branch).to_numpy()
        figures.add(on, r.count, f"{label(f)} reports {r.year} {r.level} {r.category} {r.branch}", bool(r.suppressed))
    for r in meldingen.reports_by_kind(conn, f).itertuples():
        if not r.known:
            continue  # not known for a personnel category: no figure is shown
        on = in_choice & (cells["time"] == r.year).to_numpy() & (cells["report_category"] == r.category).to_numpy()
        figures.add(on, r.count, f"{label(f)} reports by kind {r.year} {r.category}", bool(r.suppressed))


def read_reporting(conn: Connection, figures: Figures, f: Filters, scope: Scope) -> None:
    """The reporting rate's formal reports per year: the selection's social-safety reports, where shown."""
    grid = figures.cells  # not `cells`: that is the module of raw cells
    kept = Filters.of({d: v for d, v in f.as_dict().items() if d in ("branch", "personnel_category")})
    on = (grid["kind"] == "r").to_numpy() & inside(grid, kept)
    on &= (grid.get("report_kind", pd.Series(index=grid.index)) == reporting_rows.REPORTED_KIND).to_numpy()
    for r in reporting_rows.reporting_rows(conn, f):
        name = f"{label(f)} reporting {r.year} formal reports"
        figures.add(on & (grid["time"] == r.year).to_numpy(), r.formal_reports, name, r.formal_reports is None)


def stock_and_flow(figures: Figures, scope: Scope) -> None:
    """What the attacker knows of people: a stock is the one before plus who came in minus who went out (one
    equation per gender and dimension values held on either date, built at once: cell by cell took minutes)."""
    cells = figures.cells
    stock, moves = (cells["kind"] == "s").to_numpy(), np.flatnonzero((cells["kind"] == "t").to_numpy())
    times, to_key, from_key = cells["time"].to_numpy(), _keys(cells), _keys(cells, "f_")
    for before, after in itertools.pairwise(sorted(scope.dates)):
        between = [j for j in moves if before < times[j] <= after]
        ends = [(np.flatnonzero(stock & (times == when)), sign) for when, sign in ((after, 1.0), (before, -1.0))]
        equation = {k: i for i, k in enumerate(sorted({to_key[j] for at, _ in ends for j in at}))}
        entries = [(equation[to_key[j]], j, sign) for at, sign in ends for j in at]
        entries += [(equation[to_key[j]], j, -1.0) for j in between if to_key[j] in equation]
        entries += [(equation[from_key[j]], j, 1.0) for j in between if from_key[j] in equation]
        if not entries:
            continue
        at, cell, sign = zip(*entries, strict=True)
        rows = sparse.coo_matrix((sign, (at, cell)), shape=(len(equation), len(cells))).tocsr()
        rows.sum_duplicates()
        rows.eliminate_zeros()
        for i in range(len(equation)):
            figures.rows.append(rows[i])
            figures.values.append(0.0)


_NA = "\x00"  # a missing value, equal to every other missing value in a key


def _keys(grid: pd.DataFrame, prefix: str = "") -> list[tuple]:
    """Each cell's gender and dimension values (of the side `prefix` names) as one key."""
    names = [f"{prefix}{k}" for k in ("gender", *DIMENSIONS)]
    frame = grid.reindex(columns=names).astype(object)
    return list(map(tuple, frame.where(frame.notna(), _NA).to_numpy()))


def selections(values: dict[str, list[str]], pairs: Callable[[str, str, str, str], bool]) -> list[Filters]:
    """The whole, every single filter value, and every pair of two values (of one dimension or of two) that
    `pairs` keeps."""
    out = [Filters()]
    singles = [(d, v) for d, vs in values.items() for v in vs]
    out += [Filters.of({d: [v]}) for d, v in singles]
    for (d1, v1), (d2, v2) in itertools.combinations(singles, 2):
        if pairs(d1, v1, d2, v2):
            out.append(Filters.of({d1: [v1, v2]} if d1 == d2 else {d1: [v1], d2: [v2]}))
    return out


FAMILIES = {"workforce": read_workforce, "flows": read_flows, "survey": read_survey, "reports": read_reports}
FAMILIES["reporting"] = read_reporting  # the reporting rate's yearly reports (reads the survey too: slower)


def collect(conn: Connection, scope: Scope, populations: dict[str, Iterable[Filters]]) -> Figures:
    """Every figure of every family asked for (family: the selections it is read on)."""
    figures = Figures(read_cells(conn, scope))
    for family, selected in populations.items():
        figures.family = family
        for f in selected:
            FAMILIES[family](conn, figures, f, scope)
    stock_and_flow(figures, scope)
    return figures


def intervals(figures: Figures) -> dict[str, tuple[float, float]]:
    """The interval each hidden figure can lie in, given every shown figure and counts >= 0 (block by block:
    queries/release_lp.py)."""
    return release_lp.intervals(figures.rows, figures.values, figures.secrets, len(figures.cells))


def narrow(figures: Figures, found: dict[str, tuple[float, float]], width: float = 3.0) -> dict[str, tuple]:
    """Hidden figures recovered exactly, or (for women, men and totals) held in an interval under `width`."""
    return {
        name: (lo, hi)
        for name, (lo, hi) in found.items()
        if hi - lo < 0.5 or (name in figures.strict and hi - lo < width - 1e-6)
    }


def narrowed(figures: Figures, width: float = 3.0, limit: int | None = None) -> dict[str, tuple]:
    """`narrow(figures, intervals(figures), width)`, the same figures with the same intervals, without solving
    for the figures that counts meeting every shown figure (the truth, and the solutions found) hold far apart;
    with `limit`, only the first so many (enough to say a family gives something away)."""
    enough = {name: width - 1e-6 if name in figures.strict else 0.5 for name in figures.secrets}
    rows, values, secrets = figures.rows, figures.values, figures.secrets
    found = release_lp.intervals(rows, values, secrets, len(figures.cells), (enough, truth(figures)), limit)
    return narrow(figures, found, width)


def truth(figures: Figures) -> np.ndarray:
    return figures.cells["n"].to_numpy(dtype=float)


@dataclass(frozen=True)
class AuditCell:
    """A hidden figure and the interval an attacker can narrow it to; no interval where it is under 3 wide
    (it would say too much): `narrow` then says so."""

    family: str
    cell: str
    low: int | None
    high: int | None
    narrow: bool


@dataclass(frozen=True)
class Loss:
    """The share of a family's figures that are hidden, and of the persons they count."""

    family: str
    cells_hidden: float
    persons_hidden: float


def default_scope(conn: Connection) -> Scope:
    """The last two complete years (their year-end snapshots and the one before), the last two waves, and the
    item answered most."""
    dates = workforce.snapshot_dates(conn)
    years = tuple(workforce.complete_years(dates)[-2:])
    ends = {max(d for d in dates if d.year == y) for y in years}
    starts = {max(d for d in dates if d < dt.date(y, 1, 1)) for y in years}
    waves, item = cells.survey_waves_and_item(conn)
    return Scope(tuple(sorted(ends | starts)) or tuple(dates[-1:]), years, tuple(waves[-2:]), item)


def default_selections(conn: Connection) -> dict[str, list[Filters]]:
    """The whole and every single value of every dimension; surveys and reports on the whole and every single
    branch, category and rank group. (The test's attacker adds the pairs; on a real organisation reading every
    pair takes longer than an administrator waits.)"""
    values = cells.dimension_values(conn)
    alone = selections(values, lambda *_: False)
    coarse = selections({d: values[d] for d in ("branch", "personnel_category", "rank_group")}, lambda *_: False)
    return {"workforce": alone, "flows": alone, "survey": coarse, "reports": coarse}


def audit(conn: Connection, scope: Scope | None = None, chosen: dict | None = None) -> tuple[list, list]:
    """The hidden cells with their intervals, and the information lost per family, for the current data."""
    figures = collect(conn, scope or default_scope(conn), chosen or default_selections(conn))
    found = []
    for name, (lo, hi) in intervals(figures).items():
        low, high = int(np.ceil(lo - 1e-6)), (None if np.isinf(hi) else int(np.floor(hi + 1e-6)))
        narrow_one = high is not None and high - low < 3
        found.append(
            AuditCell(
                figures.families[name], name, None if narrow_one else low, None if narrow_one else high, narrow_one
            )
        )
    loss = [
        Loss(family, hidden / total if total else 0.0, hidden_persons / persons if persons else 0.0)
        for family, (total, hidden, persons, hidden_persons) in figures.tally.items()
    ]
    return found, loss
