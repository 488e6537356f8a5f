"""Issue 31 item 3: a view's protected counts are decided once per data version, so the dashboard's read is a
lookup and not a suppression pass per rerun; new data are decided anew. Counts the decisions, times nothing."""

from __future__ import annotations

import pytest

from di_metrics.queries import workforce
from di_metrics.queries.filters import Filters
from di_metrics.storage import store
from di_metrics.storage.ingest import import_file


def _write(path, women: int) -> None:
    lines = ["snapshot_date,person_id,gender,org_unit,branch,rank_group,personnel_category"]
    for unit, n in (("U1", women), ("U2", 20)):
        lines += [f"2023-12-31,{unit}F{i},F,{unit},B1,manschappen,military" for i in range(n)]
        lines += [f"2023-12-31,{unit}M{i},M,{unit},B1,manschappen,military" for i in range(20)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def counted(engine, tmp_path, monkeypatch):
    calls = []
    decide = workforce._protected_counts
    monkeypatch.setattr(workforce, "_protected_counts", lambda *a: calls.append(a[1:]) or decide(*a))
    _write(tmp_path / "w.csv", 30)
    import_file(engine, "workforce", tmp_path / "w.csv")
    return engine, calls, tmp_path


def test_the_unit_breakdown_is_decided_once_per_data_version(counted):
    engine, calls, folder = counted
    with store.connect(engine) as conn:
        first = workforce.breakdown(conn, Filters(), "org_unit")
        first.loc[:, "women"] = -1  # a caller changing its copy changes nothing for the next
        again = workforce.breakdown(conn, Filters(), "org_unit")
    assert calls == [(Filters(), "org_unit")]
    assert again.set_index("value")["women"].astype(int).to_dict() == {"U1": 30, "U2": 20}
    _write(folder / "w.csv", 25)
    import_file(engine, "workforce", folder / "w.csv", replace=True)
    with store.connect(engine) as conn:
        new = workforce.breakdown(conn, Filters(), "org_unit")
    assert len(calls) == 2
    assert new.set_index("value")["women"].astype(int).to_dict() == {"U1": 25, "U2": 20}
