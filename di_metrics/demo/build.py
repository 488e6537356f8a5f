"""The seeded synthetic demo organisation, shaped on the public facts of the Dutch Ministry of Defence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from di_metrics.config import PROJECT_DIR
from di_metrics.demo import organisation as org
from di_metrics.demo.safety import reports_per_category, safety_measures, simulate_safety_pulse
from di_metrics.storage.formats import FORMATS
from di_metrics.storage.ingest import rebuild
from di_metrics.storage.parsing import read_text_frame
from di_metrics.storage.validation import parse_frame
from di_metrics.vocab import GENDERS, MILITARY_RANKS, RANK_ORDER, wave_date

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

__all__ = [
    "DEFAULT_PERSONS",
    "EXAMPLE",
    "FIRST_YEAR",
    "GENDER_CODES",
    "LAST_YEAR",
    "N_MIL",
    "PEERS_EXAMPLE",
    "Progress",
    "build_demo",
    "demo_measures",
    "peers_example",
    "public_example",
    "quarter_ends",
    "simulate_reports",
    "simulate_survey",
    "simulate_training_indicator",
    "simulate_workforce",
]

Progress = Callable[[float, str], None]
N_MIL = len(MILITARY_RANKS)
GENDER_CODES = np.array(GENDERS, dtype=object)
FIRST_YEAR, LAST_YEAR = 2015, 2025
DEFAULT_PERSONS = 63_000


def quarter_ends(first: int = FIRST_YEAR, last: int = LAST_YEAR) -> list[dt.date]:
    """The snapshot dates: the last day of every quarter."""
    ends = ((3, 31), (6, 30), (9, 30), (12, 31))
    return [dt.date(y, m, d) for y in range(first, last + 1) for m, d in ends]


def _ramp(pair: tuple[float, float], year: float) -> float:
    frac = min(max((year - FIRST_YEAR) / (LAST_YEAR - FIRST_YEAR), 0.0), 1.0)
    return pair[0] + frac * (pair[1] - pair[0])


def _quarterly(rate: np.ndarray) -> np.ndarray:
    return 1.0 - (1.0 - rate) ** 0.25


class _Workforce:
    """Person arrays, advanced one quarter at a time."""

    def __init__(self, rng: np.random.Generator, persons: int) -> None:
        self.rng = rng
        sizes = np.array([u[2] for u in org.UNITS], dtype=float)
        self.unit_size0 = sizes * persons / sizes.sum()
        self.civ_frac = np.array([u[3] for u in org.UNITS])
        self.bias = np.array([u[4] for u in org.UNITS])
        self.next_id = 0
        counts = np.maximum(np.round(self.unit_size0).astype(int), 1)
        unit = np.repeat(np.arange(len(counts)), counts)
        civ = rng.random(unit.size) < self.civ_frac[unit]
        rank = np.where(
            civ,
            N_MIL + rng.choice(len(org.CIVILIAN_START), unit.size, p=org.CIVILIAN_START),
            rng.choice(N_MIL, unit.size, p=org.MILITARY_START),
        )
        rank_bias = np.array(org.MILITARY_WOMEN_BY_RANK + org.CIVILIAN_WOMEN_BY_RANK)[rank]
        p_women = np.where(civ, 0.215, 0.092) * self.bias[unit] * rank_bias
        self.unit, self.rank = unit, rank
        self.gender = self._draw_gender(p_women)
        self.tenure = rng.integers(0, 35 * 4, unit.size) * np.where(rank < 2, 0.45, 1.0)
        self.tenure = self.tenure.astype(int)
        self.birth = 2015 - 20 - (self.tenure // 4) - rng.integers(0, 8, unit.size)
        self.id = self._new_ids(unit.size)
        self.hired = np.array([dt.date(2015, 1, 1) - dt.timedelta(days=int(q) * 91) for q in self.tenure], dtype=object)

    def _new_ids(self, n: int) -> np.ndarray:
        ids = np.arange(self.next_id, self.next_id + n)
        self.next_id += n
        return ids

    def _draw_gender(self, p_women: np.ndarray) -> np.ndarray:
        u = self.rng.random(p_women.size)
        p_women = np.clip(p_women, 0.01, 0.85)
        return np.where(u < org.X_SHARE, 2, np.where(u < org.X_SHARE + p_women, 0, 1))

    def step(self, on: dt.date) -> None:
        rng, year = self.rng, on.year + (on.month - 1) / 12
        women = self.gender == 0
        attrition = np.array(org.MILITARY_ATTRITION + org.CIVILIAN_ATTRITION)[self.rank]
        for first, last, factor in org.WOMEN_ATTRITION_BY_TENURE:
            inside = women & (self.tenure >= first) & (self.tenure < last)
            attrition = attrition * np.where(inside, factor, 1.0)
        attrition = np.where(self.tenure > 40 * 4, 0.5, attrition)
        stay = rng.random(self.unit.size) >= _quarterly(attrition)
        self._keep(stay)
        self._promote()
        self.tenure += 1
        self._hire(on, year)

    def _keep(self, mask: np.ndarray) -> None:
        for name in ("unit", "rank", "gender", "tenure", "birth", "id", "hired"):
            setattr(self, name, getattr(self, name)[mask])

    def _promote(self) -> None:
        rates = np.zeros(len(RANK_ORDER))
        rates[: N_MIL - 1] = org.MILITARY_PROMOTION
        rates[N_MIL : len(RANK_ORDER) - 1] = org.CIVILIAN_PROMOTION
        p = _quarterly(rates[self.rank]) * np.where(self.gender == 0, np.array(org.WOMEN_PROMOTION)[self.rank], 1.0)
        up = (self.rng.random(self.rank.size) < p) & (self.tenure > 8)
        self.rank = self.rank + up

    def _hire(self, on: dt.date, year: float) -> None:
        rng = self.rng
        growth = (1 + org.YEARLY_GROWTH_FROM_2019) ** max(0.0, year - 2019)
        target = np.round(self.unit_size0 * growth * (1 + 0.01 * np.sin(year * 2.1))).astype(int)
        deficit = np.maximum(target - np.bincount(self.unit, minlength=target.size), 0)
        unit = np.repeat(np.arange(target.size), deficit)
        n = unit.size
        civ = rng.random(n) < self.civ_frac[unit]
        rank = np.where(
            civ,
            N_MIL + rng.choice(len(org.CIVILIAN_ENTRY), n, p=org.CIVILIAN_ENTRY),
            rng.choice(N_MIL, n, p=org.MILITARY_ENTRY),
        )
        base = np.where(civ, _ramp(org.CIVILIAN_WOMEN_HIRES, year), _ramp(org.MILITARY_WOMEN_HIRES, year))
        gender = self._draw_gender(base * self.bias[unit] ** 0.8)
        self.unit = np.concatenate([self.unit, unit])
        self.rank = np.concatenate([self.rank, rank])
        self.gender = np.concatenate([self.gender, gender])
        self.tenure = np.concatenate([self.tenure, np.zeros(n, dtype=int)])
        self.birth = np.concatenate([self.birth, on.year - rng.integers(18, 30, n)])
        self.id = np.concatenate([self.id, self._new_ids(n)])
        self.hired = np.concatenate([self.hired, np.full(n, on - dt.timedelta(days=45), dtype=object)])


def simulate_workforce(seed: int = org.SEED, persons: int = DEFAULT_PERSONS) -> pd.DataFrame:
    """Quarterly person-level snapshots, 2015-2025, in the workforce import format."""
    rng = np.random.default_rng(seed)
    wf = _Workforce(rng, persons)
    parts = []
    for i, on in enumerate(quarter_ends()):
        if i:
            wf.step(on)
        parts.append(
            (on, wf.id.copy(), wf.gender.copy(), wf.unit.copy(), wf.rank.copy(), wf.birth.copy(), wf.hired.copy())
        )
    unit_names = np.array([u[0] for u in org.UNITS], dtype=object)
    branches = np.array([u[1] for u in org.UNITS], dtype=object)
    ranks = np.array(RANK_ORDER, dtype=object)
    ids = np.concatenate([p[1] for p in parts])
    unit = np.concatenate([p[3] for p in parts])
    rank = np.concatenate([p[4] for p in parts])
    return pd.DataFrame(
        {
            "snapshot_date": np.concatenate([np.full(p[1].size, p[0], dtype=object) for p in parts]),
            "person_id": pd.Series(ids).map("P{:07d}".format).to_numpy(),
            "gender": GENDER_CODES[np.concatenate([p[2] for p in parts])],
            "org_unit": unit_names[unit],
            "branch": branches[unit],
            "personnel_category": np.where(rank < N_MIL, "military", "civilian").astype(object),
            "rank_group": ranks[rank],
            "birth_year": np.concatenate([p[5] for p in parts]),
            "hire_date": np.concatenate([p[6] for p in parts]),
        }
    )


def simulate_survey(
    workforce: pd.DataFrame, seed: int = org.SEED, respondents: int = org.SURVEY_RESPONDENTS
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Respondent-level answers for each wave, sampled from the workforce, and the items codebook."""
    rng = np.random.default_rng(seed + 1)
    codebook = pd.DataFrame(
        org.ITEMS,
        columns=["item", "construct", "text_nl", "text_en", "scale_min", "scale_max", "favourable_min", "reverse"],
    )
    waves = []
    for wave in org.SURVEY_WAVES:
        pool = workforce[workforce["snapshot_date"] == wave_date(wave)]
        take = rng.choice(len(pool), size=min(respondents, len(pool)), replace=False)
        people = pool.iloc[np.sort(take)].reset_index(drop=True)
        waves.append(_answers(rng, people, wave))
    survey = pd.concat(waves, ignore_index=True)
    return survey, codebook


def _answers(rng: np.random.Generator, people: pd.DataFrame, wave: int) -> pd.DataFrame:
    n = len(people)
    women = (people["gender"] == "F").to_numpy()
    military = (people["personnel_category"] == "military").to_numpy()
    trend = (wave - 2019) * 0.05
    branch_effect = (
        people["branch"]
        .map({"CZSK": -0.05, "CLAS": -0.12, "CLSK": 0.05, "KMar": 0.0, "DOSCO": 0.08, "DMO": 0.06, "BS": 0.12})
        .to_numpy()
    )
    person = rng.normal(0, 0.6, n)
    out = pd.DataFrame(
        {
            "wave": wave,
            "respondent_id": [f"R{wave}-{i:05d}" for i in range(n)],
            "gender": people["gender"].to_numpy(),
            "branch": people["branch"].to_numpy(),
            "personnel_category": people["personnel_category"].to_numpy(),
            "rank_group": people["rank_group"].to_numpy(),
            "org_unit": people["org_unit"].to_numpy(),
        }
    )
    shift = {"inclusion": 0.55, "social_safety": 0.35, "reporting_willingness": 0.25}
    gap = {"inclusion": 0.22, "social_safety": 0.3, "reporting_willingness": 0.2}
    for item, construct, *_ in org.ITEMS:
        if construct not in shift:
            continue
        latent = shift[construct] + trend + branch_effect + person - gap[construct] * women * (1 + 0.6 * military)
        latent = latent + rng.normal(0, 0.75, n)
        answer = np.digitize(latent, [-1.2, -0.5, 0.2, 1.3]) + 1
        out[item] = pd.array(np.where(rng.random(n) < 0.03, pd.NA, answer), dtype="Int64")
    p_exp = np.where(women, 0.26, 0.12) * (1 + 0.25 * military) * (1 - trend)
    experienced = rng.random(n) < p_exp
    out["exp_unwanted"] = pd.array(experienced.astype(int), dtype="Int64")
    p_rep = 0.18 + trend * 0.9 + 0.04 * women
    reported = rng.random(n) < p_rep
    out["exp_reported"] = pd.array(np.where(experienced, reported.astype(int), pd.NA), dtype="Int64")
    return out


def simulate_reports(workforce: pd.DataFrame, seed: int = org.SEED) -> pd.DataFrame:
    """Formal report counts (meldingen) per year, branch and category, rising with willingness to report."""
    rng = np.random.default_rng(seed + 2)
    year_end = workforce[[d.month == 12 for d in workforce["snapshot_date"]]]
    sizes = year_end.groupby([year_end["snapshot_date"].map(lambda d: d.year), "branch"]).size()
    rows = []
    base = {"ongewenst_gedrag": 2.2, "integriteit": 1.6, "sociale_veiligheid": 0.9}
    for (year, branch), size in sizes.items():
        for category in org.REPORT_CATEGORIES:
            rate = base[category] * (1 + 0.07 * (year - FIRST_YEAR)) * size / 1000
            rows.append((year, category, int(rng.poisson(rate)), branch))
    return pd.DataFrame(rows, columns=["year", "category", "count", "branch"])


def simulate_training_indicator(seed: int = org.SEED) -> pd.DataFrame:
    """The share of relevant courses with social-safety content, quarterly from 2019."""
    rng = np.random.default_rng(seed + 3)
    rows = []
    for on in quarter_ends(2019, LAST_YEAR):
        frac = (on.year + on.month / 12 - 2019.25) / 6.75
        numerator = round(org.TRAINING_COURSES * min(0.18 + 0.74 * frac + rng.normal(0, 0.01), 1.0))
        rows.append(("training_social_safety", on, numerator / org.TRAINING_COURSES, numerator, org.TRAINING_COURSES))
    return pd.DataFrame(rows, columns=["indicator", "date", "value", "numerator", "denominator"])


EXAMPLE = PROJECT_DIR / "data" / "examples" / "csps" / "csps_survey_results.csv"


def public_example() -> pd.DataFrame:
    """The shipped public example (UK Civil Service People Survey), validated like any import."""
    return parse_frame(read_text_frame(EXAMPLE.read_bytes(), EXAMPLE.name), FORMATS["survey-results"], EXAMPLE.name)


PEERS_EXAMPLE = PROJECT_DIR / "data" / "examples" / "peers" / "peers_benchmarks.csv"


def peers_example() -> pd.DataFrame:
    """The shipped public peer figures (UK, US, NL armed forces), validated like any import."""
    data = PEERS_EXAMPLE.read_bytes()
    return parse_frame(read_text_frame(data, PEERS_EXAMPLE.name), FORMATS["benchmarks"], PEERS_EXAMPLE.name)


NAMES_EXAMPLE = PROJECT_DIR / "data" / "examples" / "names" / "demo_names.csv"


def demo_names() -> pd.DataFrame:
    """The demo's branches, peers and measures named in Dutch and English, validated like any import."""
    data = NAMES_EXAMPLE.read_bytes()
    return parse_frame(read_text_frame(data, NAMES_EXAMPLE.name), FORMATS["names"], NAMES_EXAMPLE.name)


def demo_measures() -> pd.DataFrame:
    """A few invented measures of the demo organisation, so that the charts show how measures appear."""
    rows = [
        ("Mentoring network for women", dt.date(2019, 1, 1), None, "HR director", None, "women_total", "running"),
        (
            "Recruitment campaign 'Join as you are'",
            dt.date(2021, 7, 1),
            dt.date(2023, 6, 30),
            "Recruitment",
            "military",
            "women_military",
            "completed",
        ),
        (
            "Social safety in every course",
            dt.date(2022, 1, 1),
            None,
            "Training",
            None,
            "training_social_safety",
            "running",
        ),
        (
            "Speak-up week",
            dt.date(2022, 3, 1),
            None,
            "Social safety office",
            None,
            "reporting_willingness",
            "running",
        ),
    ]
    columns = ["name", "start_date", "end_date", "owner", "personnel_category", "indicator", "status"]
    return pd.DataFrame(rows, columns=columns)


def build_demo(
    engine: Engine, seed: int = org.SEED, persons: int = DEFAULT_PERSONS, progress: Progress | None = None
) -> dict[str, int]:
    """(Re)build the demo organisation in the database, replacing every stored figure in one transaction."""
    say = progress or (lambda frac, step: None)
    say(0.05, "workforce")
    workforce = simulate_workforce(seed, persons)
    say(0.45, "survey")
    respondents = max(50, min(org.SURVEY_RESPONDENTS, persons * org.SURVEY_RESPONDENTS // DEFAULT_PERSONS))
    survey, codebook = simulate_survey(workforce, seed, respondents)
    reports = reports_per_category(simulate_reports(workforce, seed), workforce, seed)
    training = simulate_training_indicator(seed)
    say(0.6, "store")
    frames = {
        "workforce": workforce,
        "items": codebook,
        "survey": survey,
        "reports": reports,
        "indicators": pd.concat([training, simulate_safety_pulse(seed)], ignore_index=True),
        "survey-results": public_example(),
        "benchmarks": peers_example(),
        "measures": pd.concat([demo_measures(), safety_measures()], ignore_index=True),
        "names": demo_names(),
    }
    rebuild(engine, frames, f"demo seed={seed} persons={persons}")
    say(1.0, "done")
    return {kind: len(frame) for kind, frame in frames.items()}
