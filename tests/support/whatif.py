"""A department-sized What-if scenario for the tests of a move's cost (its figures are plausible, not real)."""

from __future__ import annotations

from di_metrics.models.projection import Scenario

BASE = Scenario(
    start_year=2025,
    women=1500.0,
    men=8200.0,
    other=20.0,
    hire_share=0.24,
    hire_share_other=0.002,
    attrition_women=0.11,
    attrition_men=0.09,
    attrition_other=0.1,
    growth=0.01,
    until=2035,
    target=0.3,
    deadline=2030,
)
