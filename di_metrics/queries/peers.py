"""Peers: other organisations' public figures, the fastest five years any of them managed, and what our
target needs from our latest value. The question it answers: has anyone ever grown this fast?"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from di_metrics.errors import InvalidInput, Problem
from di_metrics.i18n import fmt_number, fmt_pct, t
from di_metrics.queries.filters import Filters
from di_metrics.queries.status import leading_target, status
from di_metrics.storage.parsing import FIRST_DATA_LINE
from di_metrics.storage.store import benchmark

WINDOW_YEARS = 5
STRENGTH = "women_share_strength"
Yearly = dict[int, tuple[float, bool]]  # year -> (value as a fraction, needs verification)


def yearly_values(rows: Iterable[tuple[int, dt.date | None, float, bool]]) -> Yearly:
    """One value per year from (year, date, value, flagged) rows: the year's last verified value; a flagged
    value stands for a year only when the year has no verified one. A row with only a year counts as the
    year's first."""
    chosen: dict[int, tuple[tuple[bool, dt.date], float, bool]] = {}
    for year, date, value, flagged in rows:
        rank = (not flagged, date or dt.date(year, 1, 1))
        if year not in chosen or rank >= chosen[year][0]:
            chosen[year] = (rank, value, flagged)
    return {year: (value, flagged) for year, (_, value, flagged) in sorted(chosen.items())}


def fastest_window(yearly: dict[int, float], years: int = WINDOW_YEARS) -> dict[str, Any] | None:
    """The fastest change over `years` years with a value at both ends: pace = (end - start) / years, in pp a
    year, from fractions. The earliest window wins a tie; None when no two values lie `years` apart."""
    best: dict[str, Any] | None = None
    for start in sorted(yearly):
        if start + years not in yearly:
            continue
        pace = 100 * (yearly[start + years] - yearly[start]) / years
        if best is None or pace > best["pp_per_year"] + 1e-9:
            best = {"from": start, "to": start + years, "pp_per_year": pace}
    return best


def verified(yearly: Yearly) -> dict[int, float]:
    """The years whose value needs no verification: a flagged value never sets the pace."""
    return {year: value for year, (value, flagged) in yearly.items() if not flagged}


def check_benchmarks(frame: pd.DataFrame, name: str) -> None:
    """Every row is dated by a date or a year, and where it has both they agree."""
    date_year = pd.Series(_date_years(frame), dtype="Int64")
    year = frame["year"] if "year" in frame else pd.Series(pd.NA, index=frame.index, dtype="Int64")
    problems = []
    undated = (date_year.isna() & year.isna()).to_numpy()
    if undated.any():
        problems.append(Problem("date, year", "benchmark_undated", _lines(undated)))
    clash = (date_year.notna() & year.notna() & date_year.ne(year)).fillna(False).to_numpy(dtype=bool)
    if clash.any():
        problems.append(Problem("year", "benchmark_year_mismatch", _lines(clash)))
    if problems:
        raise InvalidInput(name, problems)


def with_years(frame: pd.DataFrame) -> pd.DataFrame:
    """A validated benchmark frame as stored: the year filled in from the date, values as fractions."""
    date_year = pd.Series(_date_years(frame), index=frame.index)
    year = frame["year"] if "year" in frame else pd.Series(None, index=frame.index)
    return frame.assign(
        year=year.astype("Float64").fillna(date_year.astype("Float64")).astype(int),
        value=frame["value"].astype(float) / 100,
        needs_verification=frame.get("needs_verification", False),
    )


def _date_years(frame: pd.DataFrame) -> list[int | None]:
    """Each row's date's year; None without a date (or without a date column)."""
    dates = frame["date"] if "date" in frame else [None] * len(frame)
    return [None if d is None or pd.isna(d) else d.year for d in dates]


def _lines(mask: Any) -> tuple[int, ...]:
    return tuple(int(i) + FIRST_DATA_LINE for i, bad in enumerate(mask) if bad)


def benchmark_rows(conn: Connection) -> pd.DataFrame:
    """Every stored benchmark figure, in a stable order (public figures: no disclosure rule applies)."""
    b = benchmark
    query = sa.select(*(c for c in b.c if c.name != "batch_id")).order_by(
        b.c.peer, b.c.population, b.c.measure, b.c.year, b.c.date
    )
    return pd.DataFrame([dict(r) for r in conn.execute(query).mappings()], columns=[c.name for c in b.c][:-1])


def peer_series(rows: pd.DataFrame, measure: str = STRENGTH) -> dict[tuple[str, str], Yearly]:
    """Per (peer, population), the yearly values of one measure."""
    part = rows[rows["measure"] == measure]
    return {
        key: yearly_values(
            (int(r.year), r.date, float(r.value), bool(r.needs_verification)) for r in group.itertuples()
        )
        for key, group in part.groupby(["peer", "population"], sort=True)
    }


def ours_yearly(doc: dict[str, Any]) -> dict[int, float]:
    """Our women's share per year (the year's last shown value), from the already safe status series."""
    out: dict[int, float] = {}
    for point in doc["series"]:
        if point["women_share"] is not None:
            out[int(point["date"][:4])] = float(point["women_share"])
    return out


def peers_document(conn: Connection, filters: Filters = Filters(), doc: dict[str, Any] | None = None) -> dict[str, Any]:
    """The `peers --json` document: peer series, each peer's fastest five years, and the pace our target needs.
    Our figures come from the status document (`doc`, read here when not given), which is privacy-safe."""
    rows = benchmark_rows(conn)
    series = peer_series(rows)
    doc = doc if doc is not None else status(conn, filters)
    main = leading_target(doc["targets"], filters)
    ours = ours_yearly(doc)
    fastest = []
    for (peer, population), yearly in series.items():
        window = fastest_window(verified(yearly))
        if window is not None:
            fastest.append({"peer": peer, "population": population, **window})
    own = fastest_window(ours)
    return {
        "series": [
            {"peer": peer, "population": population, "year": y, "share": v, "needs_verification": flag}
            for (peer, population), yearly in series.items()
            for y, (v, flag) in yearly.items()
        ],
        "fastest_5y": sorted(fastest, key=lambda w: -w["pp_per_year"]),
        "needed_pp_per_year": None if not main or main["required_pace"] is None else 100 * main["required_pace"],
        "ours": [{"year": y, "share": v} for y, v in ours.items()],
        "ours_fastest_5y": own,
        "target": None if not main else {"name": main["name"], "value": main["value"], "deadline": main["deadline"]},
        "latest": None if not main else main["latest"],
        "as_of": doc["as_of"],
        "figures": [_figure(r) for r in rows.itertuples()],
    }


def _figure(r: Any) -> dict[str, Any]:
    return {
        "peer": r.peer,
        "population": r.population,
        "measure": r.measure,
        "year": int(r.year),
        "date": None if r.date is None or pd.isna(r.date) else str(r.date)[:10],
        "value": float(r.value),
        "source": r.source,
        "url": r.url,
        "needs_verification": bool(r.needs_verification),
    }


def peers_message(doc: dict[str, Any], lang: str) -> str:
    """The finding in one sentence, written from the data."""
    needed, windows = doc["needed_pp_per_year"], doc["fastest_5y"]
    if not windows:
        return t("peers.msg_no_window", lang, years=WINDOW_YEARS)
    best = windows[0]
    values = {
        "best": fmt_number(best["pp_per_year"], lang, 2),
        "peer": best["peer"],
        "years": WINDOW_YEARS,
        "start": best["from"],
        "end": best["to"],
    }
    if needed is None or doc["target"] is None:
        return t("peers.msg_fastest", lang, **values)
    target = doc["target"]
    values |= {
        "needed": fmt_number(needed, lang, 2),
        "target": fmt_pct(target["value"], lang, 0),
        "deadline": target["deadline"][:4],
        "times": fmt_number(needed / best["pp_per_year"], lang, 1) if best["pp_per_year"] > 0 else "–",
    }
    return t("peers.msg_beyond" if needed > best["pp_per_year"] else "peers.msg_within", lang, **values)
