"""What a what-if move recomputes (issue 31): calls counted with spies on the core functions, never timed.

A target move reuses the Monte Carlo's paths (the chance is read from them) and leaves the frontier and the
allocation alone while their sections are closed; opened, each is computed once per distinct input.
"""

from __future__ import annotations

import collections

import pytest

from di_metrics.models import montecarlo
from di_metrics.models.levers import SLIDER_LEVERS
from tests.support import no_failure
from ui import data


@pytest.fixture
def calls(monkeypatch) -> collections.Counter:
    """Counts of the Monte Carlo, the frontier and the allocation, as the page's caches call them."""
    counted: collections.Counter = collections.Counter()

    def spy(name, fn):
        def wrapped(*args, **kwargs):
            counted[name] += 1
            return fn(*args, **kwargs)

        return wrapped

    monkeypatch.setattr(montecarlo, "_paths_of_rates", spy("monte_carlo", montecarlo._paths_of_rates))
    monkeypatch.setattr(data, "lever_frontier", spy("frontier", data.lever_frontier))
    monkeypatch.setattr(data, "allocate", spy("allocation", data.allocate))
    return counted


def test_a_target_move_reruns_no_monte_carlo_frontier_or_allocation(app, calls):
    at = app("pages/whatif.py", lang="en")
    no_failure(at)
    assert calls["monte_carlo"] >= 1  # the scenario's run (and the track record's backtest, once per selection)
    assert calls["frontier"] == calls["allocation"] == 0  # closed sections cost nothing
    calls.clear()
    at.select_slider(key="lever_target").set_value(20.0).run()
    no_failure(at)
    assert "To reach 20% by" in at.subheader[0].value
    assert calls == {}


def test_opened_sections_are_computed_once_per_distinct_input(app, calls):
    at = app("pages/whatif.py", lang="en")
    at.toggle(key="show_frontier").set_value(True).run()
    at.toggle(key="show_allocation").set_value(True).run()
    no_failure(at)
    assert calls["frontier"] == calls["allocation"] == 1
    calls.clear()
    at.select_slider(key="lever_target").set_value(20.0).run()
    no_failure(at)
    # the target is one of their inputs: each once more; the Monte Carlo's paths are read again, not redrawn
    assert calls == {"frontier": 1, "allocation": 1}
    calls.clear()
    at.select_slider(key="lever_target").set_value(30.0).run()  # back to an input seen before: all from the caches
    no_failure(at)
    assert calls == {}
    at.select_slider(key="lever_hire").set_value(40.0).run()  # the hiring share changes the paths
    no_failure(at)
    assert calls["monte_carlo"] == 1


def test_every_slider_is_created_with_the_value_it_shows(app):
    """A browser that re-mounts a slider (while a fragment reruns) falls back to the value the slider was
    created with: that must be the value on screen, never the slider's minimum (issue 28's h=0&aw=0)."""
    at = app("pages/whatif.py", lang="en", h="40")
    at.select_slider(key="lever_target").set_value(20.0).run()
    no_failure(at)
    for key in (f"lever_{k}" for k in SLIDER_LEVERS):  # select sliders (a Dutch decimal comma): default is an index
        slider = at.select_slider(key=key)
        assert [slider.options[int(i)] for i in slider.proto.default] == [slider.format_func(slider.value)], key
    deadline = at.slider(key="lever_deadline")
    assert list(deadline.proto.default) == [deadline.value]
    assert at.select_slider(key="lever_hire").value == 40.0


def test_a_target_move_keeps_the_fan_body_the_track_notes_and_the_other_sliders_texts(app, monkeypatch):
    """A target move rebuilds no part of the fan chart but the target's, says what the track record says from
    the cache, and formats no slider's options but the target's own (41 of them, once for the grid, once as
    texts, and the held value); a hiring-share move rebuilds the fan's body once."""
    from ui import moves, widgets

    counted: collections.Counter = collections.Counter()

    def spy(module, name):
        fn = getattr(module, name)

        def wrapped(*args, **kwargs):
            counted[name] += 1
            return fn(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapped)

    for module, name in (
        (moves, "fan_body"),
        (moves, "band_evidence"),
        (moves, "verdict_text"),
        (widgets, "slider_text"),
    ):
        spy(module, name)
    at = app("pages/whatif.py", lang="en")
    no_failure(at)
    assert counted["fan_body"] == 1
    counted.clear()
    at.select_slider(key="lever_target").set_value(21.0).run()
    no_failure(at)
    assert "To reach 21% by" in at.subheader[0].value
    assert counted["fan_body"] == counted["band_evidence"] == counted["verdict_text"] == 0
    lever = SLIDER_LEVERS["target"]
    assert counted["slider_text"] <= 2 * (round((lever.high - lever.low) / lever.step) + 1) + 1
    counted.clear()
    at.select_slider(key="lever_hire").set_value(41.0).run()
    no_failure(at)
    assert counted["fan_body"] == 0  # refilled from the kept body (next test)


def test_a_hiring_share_move_refills_its_charts_and_projects_no_promotion_at_parity_zero(app, monkeypatch):
    """A hiring-share move changes the paths and the decomposition: the fan's body gets the new fans and
    projection, and the decomposition chart its new bars, each in the chart kept for the selection (no Plotly
    figure built), once; and with promotion parity at 0 the promotion part is 0 without projecting the ranks
    twice to subtract a projection from itself."""
    from di_metrics.analysis import rank_model
    from ui import moves

    counted: collections.Counter = collections.Counter()
    names = ("fan_body", "refill_fan_body", "decomposition_bars", "refill_decomposition")
    for module, name in [*((moves, n) for n in names), (rank_model, "project_ranks")]:
        real = getattr(module, name)

        def wrapped(*args, _name=name, _real=real, **kwargs):
            counted[_name] += 1
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, wrapped)
    at = app("pages/whatif.py", lang="en")
    no_failure(at)
    counted.clear()
    at.select_slider(key="lever_hire").set_value(41.0).run()
    no_failure(at)
    assert "41" in at.select_slider(key="lever_hire").format_func(at.select_slider(key="lever_hire").value)
    assert counted == {"refill_fan_body": 1, "refill_decomposition": 1}
