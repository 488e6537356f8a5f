"""What a What-if target move reuses in the core (issue 31), counted, never timed: the target moves no path, so
what one lever would take is searched on the grid of shares already projected for another target."""

from __future__ import annotations

import dataclasses

import pytest

from di_metrics.models import projection
from di_metrics.models.projection import lever_needed
from tests.support.whatif import BASE


def forget() -> None:
    """Drop the remembered shares (where there are any), so each test starts from nothing remembered."""
    remembered = getattr(projection, "_remembered_share", None)
    if remembered is not None:
        remembered.cache_clear()


@pytest.fixture
def projections(monkeypatch) -> list:
    """Every deterministic projection made, as the scenario it was made for."""
    made: list = []
    real = projection.project

    def counted(s):
        made.append(s)
        return real(s)

    monkeypatch.setattr(projection, "project", counted)
    forget()
    yield made
    forget()


@pytest.mark.parametrize(("lever", "end"), [("attrition_women", 0.0), ("growth", projection.MAX_GROWTH)])
def test_a_new_target_projects_only_the_bisection_not_the_grid_again(projections, lever, end):
    lever_needed(dataclasses.replace(BASE, target=0.35), lever, end)  # the grid: out of reach, all 101 points
    assert len(projections) >= 101
    projections.clear()
    needed = lever_needed(dataclasses.replace(BASE, target=0.2), lever, end)
    # 0.2 (17.9% now) is met on the way by lowering women's attrition (a bisection inside one step of the grid,
    # ~14 halvings to 1e-7), never by growth (the grid alone): the grid itself comes from memory
    assert len(projections) <= 20
    forget()
    assert lever_needed(dataclasses.replace(BASE, target=0.2), lever, end) == needed  # as worked out afresh
