"""The one door for scenario levers: the URL, CLI options, saved scenarios and the briefing all pass here.

One registry of the levers (scenario field, URL name, range in percent as the what-if page shows it), and
one validated value type. Bounds keep every run small: the deadline and horizon stop at MAX_YEAR, and
Monte Carlo runs at most MAX_SIMULATIONS paths, whatever a link or a command line asks for.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from di_metrics.i18n import fmt_number, t
from di_metrics.vocab import HORIZON

__all__ = [
    "BY_FIELD",
    "DEADLINE_PARAM",
    "FRACTIONS",
    "LEVER_FIELDS",
    "MAX_COUNT",
    "MAX_SIMULATIONS",
    "MAX_YEAR",
    "MIN_YEAR",
    "SLIDER_KEY",
    "SLIDER_LEVERS",
    "URL_PARAMS",
    "Lever",
    "Rejected",
    "ScenarioInput",
    "ScenarioRejected",
    "check_start",
    "explain",
    "range_of",
]


@dataclass(frozen=True)
class Lever:
    """A slider of the what-if page: the scenario field, its URL name, and its range and step in percent."""

    field: str
    param: str
    low: float
    high: float
    step: float


# The what-if page's sliders by key (their widget key lever_<key> and their name whatif.lever_<key>).
SLIDER_LEVERS = {
    "hire": Lever("hire_share", "h", 0.0, 100.0, 0.5),
    "att_w": Lever("attrition_women", "aw", 0.0, 30.0, 0.1),
    "att_m": Lever("attrition_men", "am", 0.0, 30.0, 0.1),
    "growth": Lever("growth", "g", -5.0, 5.0, 0.1),
    "target": Lever("target", "t", 10.0, 50.0, 1.0),
}
BY_FIELD = {lever.field: lever for lever in SLIDER_LEVERS.values()}
SLIDER_KEY = {lever.field: key for key, lever in SLIDER_LEVERS.items()}
DEADLINE_PARAM = "d"
URL_PARAMS = (*(lever.param for lever in SLIDER_LEVERS.values()), DEADLINE_PARAM)  # what a what-if link carries
MAX_YEAR = HORIZON  # the last deadline the page offers, and the end of every projection
MIN_YEAR = 1950
MAX_SIMULATIONS = 100_000
MAX_SEED = 2**32 - 1  # a Monte Carlo seed: any whole number a user can write down and repeat
FRACTIONS = ("hire_share_other", "attrition_other")  # CLI-only levers: any fraction from 0 to 1
# Every scenario field a caller may set (the command line's lever options), in the order its help lists them.
LEVER_FIELDS = (
    "hire_share",
    "hire_share_other",
    "attrition_women",
    "attrition_men",
    "attrition_other",
    "growth",
    "until",
    "target",
    "deadline",
)
MAX_COUNT = 1e9  # explicit start counts (CLI): more people than any organisation has is a typo


@dataclass(frozen=True)
class Rejected:
    """One refused input: the field, the value as given, and a reason code (levers.reason_* in the catalogues)."""

    field: str
    value: str
    reason: str


class ScenarioRejected(ValueError):
    """Raised where a refusal must stop the work (the CLI, saving a scenario): names every refused option."""

    def __init__(self, rejected: list[Rejected]) -> None:
        self.rejected = rejected
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        """Every refusal in the user's language (the CLI's --lang), option, rule and value."""
        return "; ".join(explain(r, lang) for r in self.rejected)

    def as_dict(self) -> dict[str, Any]:
        """The refusal as the CLI's --json prints it: each option with its reason code and the value given."""
        return {
            "error": "invalid_levers",
            "levers": [
                {"option": "--" + r.field.replace("_", "-"), "code": r.reason, "value": r.value} for r in self.rejected
            ],
        }


def explain(r: Rejected, lang: str = "en") -> str:
    """One refusal as the CLI says it: the option, its rule, and the value given."""
    given = {"option": "--" + r.field.replace("_", "-"), "value": r.value}
    if r.field in _RANGES:
        low, high = _RANGES[r.field]
        return t("levers.cli_fraction", lang, low=_plain(low, lang), high=_plain(high, lang), **given)
    if r.field in _WHOLE_RANGES:
        return t("levers.cli_simulations", lang, high=fmt_number(_WHOLE_RANGES[r.field], lang), **given)
    if r.field in ("deadline", "until"):
        return t("levers.cli_year", lang, high=MAX_YEAR, **given)
    if r.field == "start_year":
        return t("levers.cli_start_year", lang, low=MIN_YEAR, high=MAX_YEAR - 1, **given)
    if r.reason == "unknown":
        return t("levers.cli_unknown", lang, **given)
    return t("levers.cli_count", lang, **given)


def _plain(x: float, lang: str) -> str:
    """A bound as short as it goes (0.05, 1) with the language's decimal mark."""
    text = f"{x:g}"
    return text.replace(".", ",") if lang == "nl" else text


@dataclass(frozen=True)
class ScenarioInput:
    """Levers that passed the door, as fractions and years; None where nothing (valid) was given."""

    hire_share: float | None = None
    attrition_women: float | None = None
    attrition_men: float | None = None
    growth: float | None = None
    target: float | None = None
    hire_share_other: float | None = None
    attrition_other: float | None = None
    deadline: int | None = None
    until: int | None = None
    simulations: int | None = None
    seed: int | None = None

    def levers(self) -> dict[str, float | int]:
        """The given levers by scenario field, for dataclasses.replace on a baseline (not the Monte Carlo's
        number of paths and seed, which are no scenario fields)."""
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None and k not in ("simulations", "seed")}

    @classmethod
    def parse(
        cls, values: Mapping[str, Any], start_year: int | None = None, strict: bool = False
    ) -> tuple[ScenarioInput, list[Rejected]]:
        """Validate levers by field name (fractions, years); returns what passed and what was refused, and why.

        `start_year` bounds the deadline from below (the deadline must lie after it). With `strict`, a name
        that is no lever is refused too (saved scenarios carry only levers; other callers pass extras).
        """
        good: dict[str, Any] = {}
        rejected: list[Rejected] = []
        for name, raw in values.items():
            if raw is None:
                continue
            if name not in _FIELDS:
                if strict:
                    rejected.append(Rejected(name, _shown(raw), "unknown"))
                continue
            value, reason = _check(name, raw, start_year)
            if reason:
                rejected.append(Rejected(name, _shown(raw), reason))
            else:
                good[name] = value
        return cls(**good), rejected

    @classmethod
    def from_url(cls, params: Mapping[str, Any], start_year: int | None) -> tuple[ScenarioInput, list[Rejected]]:
        """The levers in a link (percent under their URL names, `d` for the deadline), through the same door."""
        values: dict[str, Any] = {}
        for lever in SLIDER_LEVERS.values():
            raw = params.get(lever.param)
            if raw is not None:
                number = _number(raw)
                values[lever.field] = number / 100 if isinstance(number, float) else raw
        if params.get(DEADLINE_PARAM) is not None:
            values["deadline"] = params.get(DEADLINE_PARAM)
        given, rejected = cls.parse(values, start_year)
        url_name = {lever.field: lever.param for lever in SLIDER_LEVERS.values()} | {"deadline": DEADLINE_PARAM}
        return given, [Rejected(r.field, _shown(params.get(url_name[r.field])), r.reason) for r in rejected]

    @classmethod
    def validated(cls, values: Mapping[str, Any], start_year: int | None = None) -> ScenarioInput:
        """As parse, but any refusal raises ScenarioRejected (the CLI's exit code 2, a save refused)."""
        given, rejected = cls.parse(values, start_year)
        if rejected:
            raise ScenarioRejected(rejected)
        return given


def _number(raw: Any) -> float | str:
    """A float, or the raw text when it is none; bool is no number."""
    if isinstance(raw, bool):
        return str(raw)
    try:
        return float(str(raw).strip()) if isinstance(raw, str) else float(raw)
    except OverflowError:  # a whole number beyond any float: infinite, so refused as such
        return math.inf if raw > 0 else -math.inf
    except (TypeError, ValueError):
        return str(raw)


def _check(name: str, raw: Any, start_year: int | None) -> tuple[Any, str | None]:
    number = _number(raw)
    if isinstance(number, str):
        return None, "not_a_number"
    if not math.isfinite(number):
        return None, "not_finite"
    if name in ("deadline", "until", "simulations", "seed"):
        if number != int(number):
            return None, "not_whole"
        whole = int(number)
        if name in _WHOLE_RANGES:
            return (whole, None) if 0 <= whole <= _WHOLE_RANGES[name] else (None, "out_of_range")
        low = (start_year + 1) if start_year is not None else MIN_YEAR
        return (whole, None) if low <= whole <= MAX_YEAR else (None, "deadline_order")
    low, high = _RANGES[name]
    number += 0.0  # -0 is 0: no "-0.0%" in a briefing
    return (number, None) if low - 1e-9 <= number <= high + 1e-9 else (None, "out_of_range")


def check_start(start_year: Any, counts: Mapping[str, Any]) -> None:
    """Explicit start counts of the CLI: a year from MIN_YEAR to before MAX_YEAR, finite non-negative counts."""
    rejected = []
    year = _number(start_year)
    if isinstance(year, str) or not math.isfinite(year) or year != int(year) or not MIN_YEAR <= year < MAX_YEAR:
        rejected.append(Rejected("start_year", _shown(start_year), "out_of_range"))
    for name, raw in counts.items():
        number = _number(raw)
        if isinstance(number, str) or not math.isfinite(number) or not 0 <= number <= MAX_COUNT:
            rejected.append(Rejected(name, _shown(raw), "not_finite" if isinstance(number, float) else "not_a_number"))
    if rejected:
        raise ScenarioRejected(rejected)


def range_of(field: str) -> tuple[float, float]:
    """The allowed range of a lever as fractions."""
    return _RANGES[field]


def _shown(raw: Any) -> str:
    return str(raw)[:40]


_RANGES = {lever.field: (lever.low / 100, lever.high / 100) for lever in SLIDER_LEVERS.values()} | {
    name: (0.0, 1.0) for name in FRACTIONS
}
_FIELDS = {*LEVER_FIELDS, "simulations", "seed"}
_WHOLE_RANGES = {"simulations": MAX_SIMULATIONS, "seed": MAX_SEED}  # whole numbers from 0 to this
