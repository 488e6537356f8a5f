"""The What-if fan chart in two parts (issue 31): a body that a target or deadline move leaves as it is, built once
per path scenario and kept as a dict, and the target's parts on a copy of it. Put together they must be the chart
`projection_fan` builds whole, and the kept body must not change when a chart is made from it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pandas as pd
import plotly.io as pio
import pytest

from di_metrics.models.projection import path_scenario, project, simulate
from di_metrics.models.targets import Target
from di_metrics.present.charts.whatif import fan_body, fan_from_body, projection_fan, refill_fan_body
from tests.support.whatif import BASE

HISTORY = pd.DataFrame(
    {"date": [dt.date(y, 12, 31) for y in range(2018, 2026)], "women_share": [0.12 + 0.004 * i for i in range(8)]}
)
GLIDE = Target("t", "women_share", 0.3, dt.date(2030, 12, 31), dt.date(2020, 12, 31), 0.12)
TITLE = "Women's share of the workforce, projected to the deadline, with the range of the simulated paths"


def as_json(fig) -> dict:
    return json.loads(pio.to_json(fig))


@pytest.mark.parametrize(
    ("target", "deadline", "glide", "lang", "compared"),
    [
        (0.3, 2030, None, "en", False),
        (0.2, 2030, GLIDE, "en", True),
        (0.45, 2028, GLIDE, "nl", False),
        (0.25, 2040, None, "nl", True),  # a deadline past the horizon: the paths run to it
    ],
)
def test_the_chart_from_a_kept_body_is_the_chart_built_whole(target, deadline, glide, lang, compared):
    s = dataclasses.replace(BASE, target=target, deadline=deadline)
    comparisons = [("Plan B", project(dataclasses.replace(BASE, hire_share=0.4)))] if compared else []
    whole = projection_fan(HISTORY, project(s), simulate(s, 400), glide, lang, TITLE, comparisons)
    paths = path_scenario(s)  # what the body is kept by: no target, the deadline only where it lengthens the paths
    body = fan_body(HISTORY, project(paths), simulate(paths, 400), lang, comparisons).to_dict()
    kept = json.dumps(body, default=str)
    parts = fan_from_body(body, project(s), simulate(s, 400), glide, lang, TITLE)
    assert as_json(parts) == as_json(whole)
    assert json.dumps(body, default=str) == kept  # the kept body is copied, never changed


def test_a_target_move_keeps_the_body():
    """The body depends on the paths only: two targets and two deadlines inside the horizon share one."""
    bodies = {
        json.dumps(fan_body(HISTORY, project(p), simulate(p, 400), "en").to_dict(), default=str)
        for p in (
            path_scenario(dataclasses.replace(BASE, target=t, deadline=d)) for t in (0.2, 0.4) for d in (2028, 2032)
        )
    }
    assert len(bodies) == 1


def test_the_house_template_keeps_the_defaults_of_every_trace_type_koers_draws():
    """The template travels inside every figure, so it keeps plotly_white's trace defaults only for the types
    drawn: a chart of a new type must add it to `DRAWN`, or it is drawn without the house style's defaults."""
    import re
    from pathlib import Path

    from di_metrics.present.charts.style import DRAWN

    root = Path(__file__).resolve().parents[2]
    sources = [p.read_text(encoding="utf-8") for d in ("di_metrics", "ui", "pages") for p in (root / d).rglob("*.py")]
    drawn = {m.lower() for text in sources for m in re.findall(r"\bgo\.([A-Z]\w*)\(", text)} - {"figure"}
    assert drawn and drawn <= set(DRAWN)
    assert set(pio.templates["koers"].data.to_plotly_json()) == set(DRAWN)


@pytest.mark.parametrize("compared", [False, True])
@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_body_refilled_for_other_paths_is_the_body_built_whole(compared, lang):
    """A hiring-share move refills the kept body with its own fans and projection (no Plotly figure built): the
    result must be the body built whole for those paths, and the kept body must stay as it was."""
    comparisons = [("Plan B", project(dataclasses.replace(BASE, hire_share=0.4)))] if compared else []
    first = path_scenario(BASE)
    kept = fan_body(HISTORY, project(first), simulate(first, 400), lang, comparisons).to_dict()
    before = json.dumps(kept, default=str)
    others = (dataclasses.replace(first, hire_share=h, attrition_women=a) for h in (0.1, 0.37) for a in (0.05, 0.2))
    for other in others:
        whole = fan_body(HISTORY, project(other), simulate(other, 400), lang, comparisons).to_dict()
        refilled = refill_fan_body(kept, project(other), simulate(other, 400))
        assert json.dumps(refilled, default=str) == json.dumps(whole, default=str)
    assert json.dumps(kept, default=str) == before


def test_a_body_of_other_years_or_without_fans_is_built_whole():
    """Bodies of other years (a deadline past the horizon), or with the fans where the paths have none, are not
    refilled: the caller builds them whole."""
    first = path_scenario(BASE)
    kept = fan_body(HISTORY, project(first), simulate(first, 400), "en").to_dict()
    longer = path_scenario(dataclasses.replace(BASE, deadline=2040))
    assert refill_fan_body(kept, project(longer), simulate(longer, 400)) is None
    assert refill_fan_body(kept, project(first), None) is None
    bare = fan_body(HISTORY, project(first), None, "en").to_dict()
    assert refill_fan_body(bare, project(first), simulate(first, 400)) is None


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_a_decomposition_refilled_for_other_parts_is_the_chart_built_whole(lang):
    """A hiring-share move refills the kept decomposition chart (bars, colours, texts, axis): the same chart as
    built whole, for parts of either sign and size; the kept chart stays as it was."""
    import plotly.graph_objects as go

    from di_metrics.present.charts.whatif import decomposition_bars, refill_decomposition

    title = "Where the change to 2030 comes from"
    kept = decomposition_bars({"hiring": 0.021, "attrition_gap": -0.004, "promotion": 0.0}, lang, title).to_dict()
    before = json.dumps(kept, default=str)
    for hiring, gap, promotion in ((0.05, 0.01, 0.002), (-0.0123, -0.0456, 0.0), (0.0004, 0.0, -0.001)):
        parts = {"total": hiring + gap, "hiring": hiring, "attrition_gap": gap, "promotion": promotion}
        refilled = refill_decomposition(kept, parts, lang)
        assert as_json(go.Figure(refilled, _validate=False)) == as_json(decomposition_bars(parts, lang, title))
    assert json.dumps(kept, default=str) == before
    assert refill_decomposition(kept, {"hiring": 0.01, "attrition_gap": 0.0}, lang) is None  # no promotion bar
