"""Targets and the on-track rule: at or above the linear glide path from baseline to target (docs/definitions.md).

Pure: the registry's storage is di_metrics/storage/targets.py."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import math
import tomllib
from dataclasses import dataclass, field
from typing import Any

from di_metrics.config import PACKAGE_DIR
from di_metrics.errors import InvalidInput, Problem
from di_metrics.vocab import DIMENSIONS

__all__ = [
    "DEFAULT_FILE",
    "DEFAULT_TARGETS",
    "Target",
    "checked_target",
    "describe",
    "glide_for",
    "parse_target_bytes",
    "parse_targets",
    "rebased",
    "targets_to_toml",
    "value_on",
    "women_needed",
]


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

    def glide_path(self, on: dt.date) -> float:
        """The value a straight line from baseline to target reaches on a date."""
        span = (self.deadline - self.baseline_date).days
        done = min(max((on - self.baseline_date).days / span, 0.0), 1.0) if span > 0 else 1.0
        return self.baseline_value + done * (self.target_value - self.baseline_value)

    def is_population(self, selection: tuple[tuple[str, tuple[str, ...]], ...]) -> bool:
        """Whether a selection (Filters.values) is exactly this target's population: else its glide path,
        which starts from the population's own baseline, is another population's line."""
        return {d: tuple(sorted(v)) for d, v in selection} == {d: tuple(sorted(v)) for d, v in self.scope.items()}

    def on_track(self, latest: float, on: dt.date) -> bool:
        """By definition (docs/definitions.md): the latest value is at or above the glide path."""
        return latest >= self.glide_path(on) - 1e-12

    def state(self, latest: float | None, on: dt.date) -> str:
        """The one decision on a target (docs/formats.md): from its deadline on it is met or missed, before
        that on or off track against the glide path; no_value when the latest value is withheld or absent."""
        if latest is None:
            return "no_value"
        if on >= self.deadline:
            return "met" if latest >= self.target_value - 1e-12 else "missed"
        return "on_track" if self.on_track(latest, on) else "off_track"

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


def value_on(points: list[tuple[dt.date, float | None]], day: dt.date) -> float | None:
    """A series' value on a date: its last point on or before it; None when there is none, or it is withheld."""
    before = [(d, v) for d, v in points if d <= day]
    if not before:
        return None
    value = max(before, key=lambda p: p[0])[1]
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value)


def rebased(target: Target, points: list[tuple[dt.date, float | None]]) -> Target | None:
    """The target's glide path for a selection narrower than its population: the same value and deadline, from
    the selection's own share at the target's baseline date (value_on). None when the selection has no shown
    share by then, so the caller labels the population's line as that target's."""
    value = value_on(points, target.baseline_date)
    return None if value is None else dataclasses.replace(target, baseline_value=value)


def glide_for(
    target: Target, selection: tuple[tuple[str, tuple[str, ...]], ...], points: list[tuple[dt.date, float | None]]
) -> tuple[Target, str]:
    """The line a selection is judged against and drawn with, decided once for the Overview's chart, the targets'
    states and the watchlist: the target's own for exactly its population ("target"); for a narrower selection the
    target from the selection's own share at the baseline date ("own", `rebased`); without a shown share by then
    the population's line ("population"), which the chart labels as that target's."""
    if target.is_population(selection):
        return target, "target"
    own = rebased(target, points)
    return (own, "own") if own is not None else (target, "population")


def _date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _check_dimensions(scope: dict[str, tuple[str, ...]]) -> None:
    """A target's population names only dimensions on the allow-list."""
    for dim in scope:
        if dim not in DIMENSIONS:
            raise ValueError(f"unknown dimension '{dim}'; use one of {', '.join(DIMENSIONS)}")


DEFAULT_FILE = PACKAGE_DIR / "targets.toml"
_REQUIRED = ("name", "metric", "target_value", "deadline", "baseline_date", "baseline_value")


def parse_targets(text: str, name: str) -> list[Target]:
    """Targets from TOML or YAML text (a list under `target`), checked field by field."""
    yaml_file = name.lower().endswith((".yaml", ".yml"))
    try:
        if yaml_file:
            import yaml

            data = yaml.safe_load(text) or {}
        else:
            data = tomllib.loads(text)
    except Exception as exc:  # both parsers raise their own error kinds; their words go to the server log
        problem = Problem(None, "targets_not_yaml" if yaml_file else "targets_not_toml")
        logging.getLogger("koers.input").info("%s refused (%s): %s", name, problem.code, exc)
        raise InvalidInput(name, [problem]) from exc
    entries = data.get("target") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise InvalidInput(name, [Problem(None, "targets_none")])
    targets, problems = [], []
    for i, entry in enumerate(entries, start=1):
        found = _entry_target(entry, i)
        if isinstance(found, Target):
            targets.append(found)
        else:
            problems.extend(found)
    if problems:
        raise InvalidInput(name, problems)
    return targets


def parse_target_bytes(data: bytes, name: str) -> list[Target]:
    """As parse_targets, for an uploaded file: text that is not UTF-8 is refused by rule, not by exception."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InvalidInput(name, [Problem(None, "not_utf8", (line,))]) from exc
    return parse_targets(text, name)


def checked_target(entry: dict[str, Any], source: str) -> Target:
    """One target as a form enters it (the fields of a `[[target]]` entry), checked by exactly the rules a
    target file passes; refused as InvalidInput from `source`, with the file's rule codes."""
    found = _entry_target(entry, 1)
    if isinstance(found, Target):
        return found
    raise InvalidInput(source, found)


def _entry_target(entry: object, i: int) -> Target | list[Problem]:
    """One `[[target]]` entry as a Target, or the problems that keep it from being one."""
    if not isinstance(entry, dict):
        return [Problem(None, "target_field_missing", params={"target": str(i)})]
    missing = [k for k in _REQUIRED if k not in entry]
    if missing:
        return [Problem(", ".join(missing), "target_field_missing", params={"target": str(i)})]
    if not str(entry["name"] or "").strip():
        return [Problem("name", "target_field_missing", params={"target": str(i)})]
    which = {"target": str(i), "name": str(entry["name"])}
    values: dict[str, Any] = {}
    for key, convert in (
        ("target_value", float),
        ("baseline_value", float),
        ("deadline", _date),
        ("baseline_date", _date),
    ):
        try:
            values[key] = convert(entry[key])
        except (TypeError, ValueError):
            return [Problem(key, "target_bad_value", params=which)]
    scope, exempt = entry.get("scope") or {}, entry.get("exempt_units") or ()
    if not isinstance(scope, dict):
        return [Problem("scope", "target_bad_value", params=which)]
    scope = {k: [v] if isinstance(v, str) else v for k, v in scope.items()}  # one value needs no list
    if not all(isinstance(v, list | tuple) for v in scope.values()):
        return [Problem("scope", "target_bad_value", params=which)]
    unknown = [str(k) for k in scope if k not in DIMENSIONS]
    if unknown:
        allowed = {"dimension": unknown[0], "allowed": list(DIMENSIONS)}
        return [Problem("scope", "target_unknown_dimension", params={**which, **allowed})]
    exempt = [exempt] if isinstance(exempt, str) else exempt
    if not isinstance(exempt, list | tuple):
        return [Problem("exempt_units", "target_bad_value", params=which)]
    t = Target(
        which["name"],
        str(entry["metric"]),
        values["target_value"],
        values["deadline"],
        values["baseline_date"],
        values["baseline_value"],
        {str(k): tuple(str(v) for v in vals) for k, vals in scope.items()},
        tuple(str(u) for u in exempt),
    )
    if not (0 <= t.target_value <= 1 and 0 <= t.baseline_value <= 1):
        return [Problem("target_value", "target_fraction", params=which)]
    if t.deadline <= t.baseline_date:
        return [Problem("deadline", "target_deadline_order", params=which)]
    return t


DEFAULT_TARGETS = tuple(parse_targets(DEFAULT_FILE.read_text(), DEFAULT_FILE.name))


def describe(t: Target) -> dict[str, object]:
    """A target as the CLI and the status document show it."""
    return {
        "name": t.name,
        "metric": t.metric,
        "value": t.target_value,
        "deadline": t.deadline.isoformat(),
        "baseline_date": t.baseline_date.isoformat(),
        "baseline_value": t.baseline_value,
        "scope": {k: list(v) for k, v in t.scope.items()},
        "exempt_units": list(t.exempt_units),
    }


def women_needed(target_share: float, headcount: int, women: int) -> int:
    """How many more women the population needs at today's size, in whole persons."""
    return math.ceil(target_share * headcount - women - 1e-9)


def targets_to_toml(targets: list[Target]) -> str:
    """The registry as a TOML file that parse_targets reads back."""

    def quoted(values: tuple[str, ...]) -> str:
        return "[" + ", ".join(json.dumps(v) for v in values) + "]"

    blocks = []
    for t in targets:
        lines = [
            "[[target]]",
            f"name = {json.dumps(t.name)}",
            f"metric = {json.dumps(t.metric)}",
            f"target_value = {t.target_value!r}",
            f"deadline = {t.deadline.isoformat()}",
            f"baseline_date = {t.baseline_date.isoformat()}",
            f"baseline_value = {t.baseline_value!r}",
        ]
        if t.scope:
            lines.append("scope = { " + ", ".join(f"{k} = {quoted(v)}" for k, v in t.scope.items()) + " }")
        lines.append(f"exempt_units = {quoted(t.exempt_units)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
