"""The target registry and the on-track rule: at or above the linear glide path from baseline to target."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.filters import Filters
from di_metrics.store import target as target_table

WOMEN_SHARE = "women_share"
INDICATOR_PREFIX = "indicator:"


@dataclass(frozen=True)
class Target:
    """A goal for one metric in one population by a deadline."""

    name: str
    metric: str
    target_value: float
    deadline: dt.date
    baseline_date: dt.date
    baseline_value: float
    scope: dict[str, tuple[str, ...]] = field(default_factory=dict)
    exempt_units: tuple[str, ...] = ()

    def filters(self, extra: Filters = Filters()) -> Filters | None:
        """The target's population inside the user's filters; None when the two do not overlap."""
        merged = {k: set(v) for k, v in extra.as_dict().items()}
        for dim, vals in self.scope.items():
            merged[dim] = merged[dim] & set(vals) if dim in merged else set(vals)
            if not merged[dim]:
                return None
        return Filters.of(merged, exempt_units=(*extra.exempt_units, *self.exempt_units))

    def glide_path(self, on: dt.date) -> float:
        """The value a straight line from baseline to target reaches on a date."""
        span = (self.deadline - self.baseline_date).days
        done = min(max((on - self.baseline_date).days / span, 0.0), 1.0) if span > 0 else 1.0
        return self.baseline_value + done * (self.target_value - self.baseline_value)

    def on_track(self, latest: float, on: dt.date) -> bool:
        """DESIGN 3: the latest value is at or above the glide path."""
        return latest >= self.glide_path(on) - 1e-12

    def year_reached_at_pace(self, latest: float, on: dt.date, pace: float | None) -> int | None:
        """The year a straight continuation of the actual pace reaches the target; None if it never does."""
        if latest >= self.target_value:
            return on.year
        if not pace or pace <= 0:
            return None
        return int((on + dt.timedelta(days=365.25 * (self.target_value - latest) / pace)).year)

    def required_pace(self, latest: float, on: dt.date) -> float | None:
        """The yearly change needed from a date to reach the target by the deadline."""
        years = (self.deadline - on).days / 365.25
        return (self.target_value - latest) / years if years > 0 else None


DEFAULT_TARGETS = (
    Target("women_total", WOMEN_SHARE, 0.30, dt.date(2030, 12, 31), dt.date(2022, 12, 31), 0.16),
    Target(
        "women_military",
        WOMEN_SHARE,
        0.30,
        dt.date(2030, 12, 31),
        dt.date(2022, 12, 31),
        0.11,
        scope={"personnel_category": ("military",)},
    ),
    Target(
        "women_civilian",
        WOMEN_SHARE,
        0.30,
        dt.date(2030, 12, 31),
        dt.date(2022, 12, 31),
        0.26,
        scope={"personnel_category": ("civilian",)},
    ),
    Target(
        "training_social_safety",
        INDICATOR_PREFIX + "training_social_safety",
        1.0,
        dt.date(2025, 12, 31),
        dt.date(2021, 12, 31),
        0.35,
    ),
)


def seed_default_targets(conn: Connection) -> None:
    """Store the built-in targets when the registry is empty."""
    if conn.execute(sa.select(sa.func.count()).select_from(target_table)).scalar():
        return
    for t in DEFAULT_TARGETS:
        save_target(conn, t)


def save_target(conn: Connection, t: Target) -> None:
    """Insert or overwrite a target by name."""
    conn.execute(target_table.delete().where(target_table.c.name == t.name))
    conn.execute(
        target_table.insert().values(
            name=t.name,
            metric=t.metric,
            scope={k: list(v) for k, v in t.scope.items()},
            exempt_units=list(t.exempt_units),
            baseline_date=t.baseline_date,
            baseline_value=t.baseline_value,
            target_value=t.target_value,
            deadline=t.deadline,
        )
    )


def load_targets(conn: Connection) -> list[Target]:
    """Every stored target, in a stable order (the built-in ones first)."""
    order = {t.name: i for i, t in enumerate(DEFAULT_TARGETS)}
    rows = conn.execute(sa.select(target_table)).mappings().all()
    targets = [
        Target(
            r["name"],
            r["metric"],
            float(r["target_value"]),
            _date(r["deadline"]),
            _date(r["baseline_date"]),
            float(r["baseline_value"]),
            {k: tuple(v) for k, v in (r["scope"] or {}).items()},
            tuple(r["exempt_units"] or ()),
        )
        for r in rows
    ]
    return sorted(targets, key=lambda t: (order.get(t.name, len(order)), t.name))


def women_needed(target_share: float, headcount: int, women: int) -> int:
    """How many more women the population needs at today's size, in whole persons."""
    return math.ceil(target_share * headcount - women - 1e-9)


def _date(value: object) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value  # type: ignore[return-value]
