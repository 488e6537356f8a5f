"""The metric registry: every kind of metric a target or a measure can follow is one entry here, saying how it
is read, how its target's state is decided, how it is shown and how it is hidden.

A metric is written as a code: the kind's key alone ("women_share"), or the key, a colon and a name
("indicator:training_social_safety", "survey:inclusion"). Only this module spells or takes apart those codes;
everyone else asks `metric_of` and reads the entry (tests/unit/test_metrics.py fails on a comparison of a
metric's name or prefix anywhere else). Pure: the entry names its reader, and queries/status.py binds each
reader name to its query, so this layer never imports a query.

Adding a kind (intake, retention, promotion, reporting rate) is one entry in KINDS, its reader in
queries/status.py's READERS, its label in both catalogues, and its test (docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from di_metrics.i18n import fmt_number, fmt_pct, label, t
from di_metrics.models.targets import Target

__all__ = [
    "FORMATS",
    "INDICATOR",
    "INTAKE",
    "KINDS",
    "POPULATIONS",
    "PROMOTION",
    "REPORTING",
    "RETENTION",
    "SHARE",
    "SURVEY",
    "Metric",
    "MetricKind",
    "metric_of",
    "names_of",
]

_SEPARATOR = ":"
# How a kind's value is written: a fraction as a percentage, a value already in percent, a whole count.
FORMATS = ("share", "percent", "count")
# Whose value it is: the selection inside the target's scope less its exempt units; the selection as it is;
# the whole organisation only (with anything selected the metric does not apply).
POPULATIONS = ("target_scope", "selection", "organisation")


@dataclass(frozen=True)
class MetricKind:
    """One kind of metric: how it is read, decided, shown and hidden."""

    key: str  # the code of an unnamed kind, the prefix (before the colon) of a named one
    named: bool  # whether each metric of the kind carries a name ("survey:inclusion")
    reader: str  # which query reads it: a key of queries/status.py's READERS
    population: str  # one of POPULATIONS
    hidden_by: str  # the rule that withholds a value: a threshold of di_metrics.config, or "organisation_only"
    counts_people: bool  # a share of persons: "women needed" is defined, and it can lead the headlines
    label_key: str | None  # the catalogue key naming it; None: the target catalogue names the code
    fmt: str = "share"  # one of FORMATS
    precision: int = 1  # decimals shown
    decide: Callable[[Target, float | None, dt.date], str] = Target.state  # the target's state (the glide path)

    def code(self, name: str = "") -> str:
        """The code of one metric of this kind."""
        return f"{self.key}{_SEPARATOR}{name}" if self.named else self.key

    def definition(self, lang: str) -> str:
        """What the number means, in the reader's language: the help text beside it (one catalogue key a kind)."""
        return t(f"metric_definition.{self.key}", lang)

    def shown(self, value: float | None, lang: str) -> str:
        """A value as people read it, in this kind's format and precision."""
        if self.fmt == "share":
            return fmt_pct(value, lang, self.precision)
        text = fmt_number(value, lang, self.precision)
        return f"{text}%" if self.fmt == "percent" and value is not None else text


SHARE = MetricKind(
    "women_share",
    named=False,
    reader="workforce_share",
    population="target_scope",
    hidden_by="min_workforce_cell",
    counts_people=True,
    label_key="overview.latest_share",
)
INDICATOR = MetricKind(
    "indicator",
    named=True,
    reader="indicator",
    population="organisation",
    hidden_by="organisation_only",
    counts_people=False,
    label_key=None,
)
SURVEY = MetricKind(
    "survey",
    named=True,
    reader="survey_favourable",
    population="selection",
    hidden_by="min_survey_cell",
    counts_people=False,
    label_key=None,
)
# The career metrics (docs/definitions.md, Career): the women's share of hires per year; a cohort's women still
# in service after N years ("retention:5"); one rank level's promotion impact ratio ("promotion:officieren").
INTAKE = MetricKind(
    "intake",
    named=False,
    reader="career_intake",
    population="selection",
    hidden_by="min_workforce_cell",
    counts_people=False,
    label_key="career.metric_intake",
)
RETENTION = MetricKind(
    "retention",
    named=True,
    reader="career_retention",
    population="selection",
    hidden_by="min_workforce_cell",
    counts_people=False,
    label_key=None,
)
PROMOTION = MetricKind(
    "promotion",
    named=True,
    reader="career_promotion",
    population="selection",
    hidden_by="min_workforce_cell",
    counts_people=False,
    label_key=None,
    fmt="count",
    precision=2,
)
REPORTING = MetricKind(  # formal reports per person who, by the survey, experienced unwanted behaviour
    "reporting_rate",
    named=False,
    reader="reporting_rate",
    population="selection",
    hidden_by="min_workforce_cell",
    counts_people=False,
    label_key="safety_evidence.metric_label",
)
KINDS = (SHARE, INDICATOR, SURVEY, INTAKE, RETENTION, PROMOTION, REPORTING)


@dataclass(frozen=True)
class Metric:
    """One metric: its kind (None when no entry knows the code: nothing reads it) and its name in that kind."""

    code: str
    kind: MetricKind | None
    name: str = ""

    @property
    def counts_people(self) -> bool:
        """A share of persons: "women needed" is defined, and a target on it can lead the headlines."""
        return self.kind is not None and self.kind.counts_people

    @property
    def takes_exemptions(self) -> bool:
        """Whether a target on it reads its own population, so it may exempt units."""
        return self.kind is not None and self.kind.population == "target_scope"

    def shown(self, value: float | None, lang: str) -> str:
        """A value of this metric as people read it (a code no entry knows is shown as a share)."""
        return (self.kind or SHARE).shown(value, lang)

    def label(self, lang: str) -> str:
        """The metric's name for people: the kind's own label, or the target catalogue's name of the code."""
        key = self.kind.label_key if self.kind else None
        return t(key, lang) if key else label("target", self.code, lang)


def metric_of(code: str) -> Metric:
    """The metric a code stands for."""
    prefix, colon, name = code.partition(_SEPARATOR)
    for kind in KINDS:
        if kind.key == prefix and kind.named == bool(colon) and (name or not kind.named):
            return Metric(code, kind, name)
    return Metric(code, None)


def names_of(codes: Iterable[str], kind: MetricKind) -> list[str]:
    """The names of the codes that are of one kind, in the order given."""
    return [m.name for m in map(metric_of, codes) if m.kind is kind]
