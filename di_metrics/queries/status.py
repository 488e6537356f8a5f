"""Where do we stand: the latest figures and every target's status, for the CLI, the overview and the deck."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.config import min_workforce_cell
from di_metrics.models.ladders import load_ladders
from di_metrics.models.metrics import Metric, metric_of
from di_metrics.models.standing import Point, Status, TargetStatus
from di_metrics.models.targets import Target, glide_for, value_on, women_needed
from di_metrics.queries import career
from di_metrics.queries.filters import Filters
from di_metrics.queries.privacy import output
from di_metrics.queries.reporting_rows import reporting_rows
from di_metrics.queries.survey import survey_table
from di_metrics.queries.survey_counts import load_codebook
from di_metrics.queries.workforce import share_series
from di_metrics.storage.store import indicator
from di_metrics.storage.targets import load_targets
from di_metrics.vocab import DIMENSIONS, wave_date

__all__ = [
    "PACE_YEARS",
    "READERS",
    "Reading",
    "glide_target",
    "indicator_series",
    "leading_status",
    "leading_target",
    "read_metric",
    "status",
    "survey_series",
    "target_status",
    "year_change",
]

PACE_YEARS = 3


@output
def status(conn: Connection, filters: Filters = Filters()) -> Status:
    """Where the selection stands: the latest figures, the series, and every target that applies (docs/cli.md)."""
    series = share_series(conn, filters)
    if series.empty:
        return Status()
    last = series.iloc[-1]
    targets = (target_status(conn, t, filters) for t in load_targets(conn))
    return Status(
        as_of=last["date"],
        headcount=_int(last["headcount"]),
        women=_int(last["women"]),
        women_share=_float(last["women_share"]),
        suppressed=bool(last["suppressed"]),
        unknown_gender=_int(last["unknown"]),
        x_left_out=bool(last["x_left_out"]),
        targets=tuple(x for x in targets if x is not None),
        series=tuple(
            Point(r.date, _int(r.headcount), _int(r.women), _float(r.women_share)) for r in series.itertuples()
        ),
    )


def year_change(series: Sequence[Point], key: str) -> float | None:
    """How a figure of the series ("headcount", "women", "women_share") changed over twelve months; None
    when either end is withheld. It reads the already safe series, so it reveals nothing new."""
    points = [(p.date, getattr(p, key)) for p in series]
    return _change(points, 1) if points else None


def leading_target(targets: Iterable[Target], filters: Filters) -> Target | None:
    """The women's-share target that speaks for exactly the selected population, for headlines and charts.

    A target fits when its scope does not narrow the selection: with nothing selected only the
    organisation-wide target fits; with "civilian" selected, that one and the civilian target. The most
    specific fitting target leads.
    """
    selected = filters.as_dict()
    fitting = [
        t
        for t in targets
        if metric_of(t.metric).counts_people
        and all(dim in selected and set(selected[dim]) <= set(vals) for dim, vals in t.scope.items())
    ]
    return max(fitting, key=lambda t: len(t.scope), default=None)


def leading_status(s: Status, filters: Filters) -> TargetStatus | None:
    """The status of the leading target (leading_target) among those the selection has."""
    lead = leading_target((x.target for x in s.targets), filters)
    return next((x for x in s.targets if x.target is lead), None)


def target_status(conn: Connection, t: Target, filters: Filters = Filters()) -> TargetStatus | None:
    """One target's latest value against its glide path; None when it does not apply to the filters."""
    metric = metric_of(t.metric)
    found = read_metric(conn, metric, filters, t)
    if found is None or metric.kind is None:
        return None
    points = found.points
    as_of, latest = points[-1]
    line = _line(t, metric, filters, points)
    state = metric.kind.decide(line, latest, as_of)
    own = _own_at_baseline(t, filters, points)
    entry = TargetStatus(
        t,
        as_of,
        latest,
        line.glide_path(as_of),
        state,
        glide_from=line.baseline_value,
        own_at_baseline=own,
        x_left_out=found.x_left_out and latest is not None,
        shown=found.shown,
    )
    if latest is None:
        return entry
    pace = _pace(points, PACE_YEARS)
    needed = None
    if metric.kind.counts_people and found.women is not None and found.headcount is not None:
        needed = women_needed(t.target_value, found.headcount, found.women)
    return dataclasses.replace(
        entry,
        gap_pp=100 * (t.target_value - latest),
        women_needed=needed,
        change_12m=_change(points, 1),
        required_pace=t.required_pace(latest, as_of),
        actual_pace=pace,
        reach_year_at_pace=t.year_reached_at_pace(latest, as_of, pace),
    )


def _line(t: Target, metric: Metric, filters: Filters, points: list[tuple[dt.date, float | None]]) -> Target:
    """The target whose glide path a selection is judged against (models.targets.glide_for, as the Overview's
    chart draws it): from the selection's own value at the baseline date where the selection is narrower than the
    target's population, for a women's share and a survey measure alike."""
    scoped = filters.narrowed_to(t.scope, t.exempt_units)
    if metric.kind is None or scoped is None:
        return t
    return glide_for(t, scoped.values, points)[0]


def _own_at_baseline(t: Target, filters: Filters, points: list[tuple[dt.date, float | None]]) -> float | None:
    """A narrower selection's own value on the target's baseline date, read off its series: what a card that
    names its line's start is checked against; None for the target's own population."""
    scoped = filters.narrowed_to(t.scope, t.exempt_units)
    if scoped is None or t.is_population(scoped.values):
        return None
    return value_on(points, t.baseline_date)


def glide_target(conn: Connection, t: Target, filters: Filters = Filters()) -> Target:
    """The target whose glide path the selection is judged against (`_line`), read from the selection's series."""
    metric = metric_of(t.metric)
    found = read_metric(conn, metric, filters, t)
    return t if found is None else _line(t, metric, filters, found.points)


@dataclass(frozen=True)
class Reading:
    """A metric's safe series, oldest first (None where withheld), and for a share of persons the latest
    headcount and women."""

    points: list[tuple[dt.date, float | None]]
    headcount: int | None = None
    women: int | None = None
    x_left_out: bool = False  # a share of persons whose latest figure leaves gender X out
    shown: tuple[int | None, int | None, int | None, int | None] | None = None  # its women, men, X, headcount


def read_metric(conn: Connection, metric: Metric, filters: Filters, target: Target | None = None) -> Reading | None:
    """A metric's series in the population its kind reads (models/metrics.py), by the kind's reader; None when
    the metric does not apply there or has no value."""
    if metric.kind is None:
        return None
    population = metric.kind.population
    if population == "target_scope" and target is not None:
        scoped = filters.narrowed_to(target.scope, target.exempt_units)
    elif population == "organisation":
        scoped = None if filters.values else filters
    else:
        scoped = filters
    return None if scoped is None else READERS[metric.kind.reader](conn, metric.name, scoped)


def _workforce_share(conn: Connection, _name: str, filters: Filters) -> Reading | None:
    series = share_series(conn, filters)
    if series.empty:
        return None
    last = series.iloc[-1]
    points = [(r.date, _float(r.women_share)) for r in series.itertuples()]
    shown = (_int(last["women"]), _int(last["men"]), _int(last["other"]), _int(last["headcount"]))
    return Reading(points, _int(last["headcount"]), _int(last["women"]), bool(last["x_left_out"]), shown)


def _survey_favourable(conn: Connection, name: str, filters: Filters) -> Reading | None:
    points = survey_series(conn, name, filters)
    return Reading(points) if points else None


def _indicator(conn: Connection, name: str, _filters: Filters) -> Reading | None:
    points: list[tuple[dt.date, float | None]] = list(indicator_series(conn, name))
    return Reading(points) if points else None


def _reporting_rate(conn: Connection, _name: str, filters: Filters) -> Reading | None:
    """The reporting rate at each year's end; None in a year without a wave or with a hidden figure."""
    rows = reporting_rows(conn, filters)
    points = [(dt.date(r.year, 12, 31), None if r.reporting_rate is None else r.reporting_rate.value) for r in rows]
    return Reading(points) if any(v is not None for _, v in points) else None


def survey_series(conn: Connection, measure: str, filters: Filters) -> list[tuple[dt.date, float | None]]:
    """A survey measure's % favourable per wave as a fraction, dated mid-year; hidden waves are None."""
    if not load_codebook(conn).items_of(measure):
        return []
    table = survey_table(conn, filters, measure, None)
    return [
        (wave_date(int(r.wave)), None if r.suppressed else float(r.pct_favourable) / 100) for r in table.itertuples()
    ]


@output
def indicator_series(conn: Connection, name: str) -> list[tuple[dt.date, float]]:
    """An organisation-wide indicator series, oldest first."""
    i = indicator
    dims = [i.c[d].is_(None) for d in DIMENSIONS]
    rows = conn.execute(sa.select(i.c.date, i.c.value).where(i.c.indicator == name, *dims).order_by(i.c.date)).all()
    return [(d if not isinstance(d, dt.datetime) else d.date(), float(v)) for d, v in rows]


def _value_years_before(points: list[tuple[dt.date, float | None]], years: int) -> tuple[dt.date, float] | None:
    as_of = points[-1][0]
    try:
        cutoff = as_of.replace(year=as_of.year - years)
    except ValueError:  # 29 February
        cutoff = as_of.replace(year=as_of.year - years, day=28)
    earlier = [(d, v) for d, v in points if d <= cutoff and v is not None]
    return earlier[-1] if earlier else None


def _change(points: list[tuple[dt.date, float | None]], years: int) -> float | None:
    before = _value_years_before(points, years)
    latest = points[-1][1]
    return None if before is None or latest is None else latest - before[1]


def _pace(points: list[tuple[dt.date, float | None]], years: int) -> float | None:
    """The actual yearly change over the last few years."""
    before = _value_years_before(points, years)
    latest_date, latest = points[-1]
    if before is None or latest is None:
        return None
    span = (latest_date - before[0]).days / 365.25
    return (latest - before[1]) / span if span > 0 else None


def _int(value: object) -> int | None:
    return None if pd.isna(value) else int(value)  # type: ignore[call-overload]


def _float(value: object) -> float | None:
    return None if pd.isna(value) else float(value)  # type: ignore[arg-type]


def _points(points: list[tuple[dt.date, float | None]]) -> Reading | None:
    return Reading(points) if points else None


# Each metric kind's reader (models/metrics.py names it): the registry is pure, the queries are bound here.
READERS: dict[str, Callable[[Connection, str, Filters], Reading | None]] = {
    "workforce_share": _workforce_share,
    "survey_favourable": _survey_favourable,
    "indicator": _indicator,
    "career_intake": lambda conn, _name, filters: _points(career.intake_points(conn, filters, min_workforce_cell())),
    "career_retention": lambda conn, name, filters: _points(
        career.retention_points(conn, filters, int(name), min_workforce_cell()) if name.isdigit() else []
    ),
    "career_promotion": lambda conn, name, filters: _points(
        career.promotion_points(conn, load_ladders(), filters, name, min_workforce_cell())
    ),
    "reporting_rate": _reporting_rate,
}
