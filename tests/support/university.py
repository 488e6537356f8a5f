"""The real university department (data/examples/university) as yearly rates and year-end shares."""

from __future__ import annotations

import pandas as pd

from di_metrics.analysis.calibration import scenario_from_rates
from di_metrics.models.projection import Scenario
from tests.support import ROOT

FILE = ROOT / "data" / "examples" / "university" / "university_department_rank_gender_flows.csv"
FIRST_YEAR = 2001  # the file gives no calendar years: its first row is called 2001 here


def university() -> tuple[dict[int, Scenario], dict[int, float | None], int]:
    """Per start year the scenario calibrated on the years up to it (at least three), the women's share at
    each year's end, and the last year. Rates are read straight from the published counts."""
    raw = pd.read_csv(FILE)
    years = [FIRST_YEAR + i for i in range(len(raw))]
    women, men = raw["act_f"].astype(float), raw["act_m"].astype(float)
    shares = {y: float(women[i] / (women[i] + men[i])) for i, y in enumerate(years)}
    rates = pd.DataFrame(
        {
            "year": years[1:],
            "attrition_women": (raw["act_fattr"][1:].to_numpy() / women[:-1].to_numpy()),
            "attrition_men": (raw["act_mattr"][1:].to_numpy() / men[:-1].to_numpy()),
            "attrition_other": float("nan"),
            "hire_share": (raw["act_fhire"][1:] / raw["act_hire"][1:]).to_numpy(),
            "hire_share_other": 0.0,
            "growth": ((women + men)[1:].to_numpy() / (women + men)[:-1].to_numpy()) - 1,
        }
    )
    scenarios = {}
    for i, origin in enumerate(years):
        history = rates[rates["year"] <= origin]
        if len(history) >= 3:
            start = Scenario(start_year=origin, women=women[i], men=men[i])
            scenarios[origin] = scenario_from_rates(history, start)
    return scenarios, shares, years[-1]
