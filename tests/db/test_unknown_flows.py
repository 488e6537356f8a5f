"""Unknown is never zero (issue 26): a headcount file without `hires` and `exits` (a public yearly series dated
31 December) gives flows that are unknown, null in JSON, and every model that needs them refuses in the
reader's language instead of projecting from zeros."""

from __future__ import annotations

import json

import pytest

from di_metrics.analysis.claims import claims_for
from di_metrics.cli.main import EXIT_INVALID, main
from di_metrics.models.claims import HEADLINE, holds
from di_metrics.present.claims import texts
from di_metrics.storage import store
from di_metrics.storage.database import open_database

# Seven year-ends, women and men only: 10.0% women in 2019 rising to 11.2% in 2025, no flow columns at all.
ROWS = [(2019 + i, 1000 + 2 * i, 9000 - 14 * i) for i in range(7)]
CSV = "snapshot_date,gender,headcount\n" + "".join(f"{y}-12-31,F,{w}\n{y}-12-31,M,{m}\n" for y, w, m in ROWS)


@pytest.fixture
def no_flows(duckdb_url, tmp_path):
    path = tmp_path / "uk_regular_forces.csv"
    path.write_text(CSV)
    assert main(["import", "headcount", str(path), "--db", duckdb_url]) == 0
    return duckdb_url


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_flows_without_hires_and_exits_are_null_not_zero(no_flows, capsys):
    code, out, _ = _run(capsys, "flows", "--db", no_flows, "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc["rows"], "the complete years are listed"
    assert all(r["hires"] is None and r["exits"] is None and r["attrition_rate"] is None for r in doc["rows"])
    assert all(r["headcount_start"] is not None for r in doc["rows"])  # the stock was measured
    assert all(h["hiring_share_women"] is None for h in doc["hiring_share"])


@pytest.mark.parametrize(
    "command", [["project"], ["backtest"], ["frontier"], ["allocate", "--by", "branch"]], ids=lambda c: c[0]
)
def test_models_that_need_flows_refuse_with_a_rule_code_in_the_readers_language(no_flows, capsys, command):
    code, out, err = _run(capsys, *command, "--db", no_flows, "--json")
    assert code == EXIT_INVALID and out == ""
    assert json.loads(err) == {"error": "no_flows"}
    code, _, err = _run(capsys, *command, "--db", no_flows, "--lang", "nl")
    assert code == EXIT_INVALID and "instroom en uitstroom" in err and "0%" not in err


def test_the_headline_says_only_the_straight_line_without_measured_flows(no_flows):
    with store.connect(open_database(no_flows)) as conn:
        head = next(c for c in claims_for(conn) if c.kind == HEADLINE)
    assert head.params["flows_known"] is False and holds(head)
    assert "hiring and leaving" not in texts(head)[1]
