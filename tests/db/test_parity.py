"""PostgreSQL parity: the same files give identical CLI documents on DuckDB and on PostgreSQL."""

from __future__ import annotations

import json

from di_metrics.cli.main import main
from tests.support.handmade import write_csv
from tests.support.survey import CODEBOOK, responses

COMMANDS = [
    ["status"],
    ["status", "--org-unit", "U1"],
    ["flows"],
    ["flows", "--category", "military"],
    ["project", "--simulations", "300", "--seed", "5"],
    ["survey", "--measure", "inclusion", "--by", "org_unit"],
    ["survey", "--measure", "q3", "--by", "gender"],
    ["targets", "list"],
]


def _documents(url: str, tmp_path, capsys) -> list[dict]:
    (tmp_path / "items.csv").write_text(CODEBOOK)
    (tmp_path / "answers.csv").write_text(responses())
    for kind, path in (
        ("workforce", write_csv(tmp_path / "w.csv")),
        ("items", tmp_path / "items.csv"),
        ("survey", tmp_path / "answers.csv"),
    ):
        assert main(["import", kind, str(path), "--db", url]) == 0
    capsys.readouterr()
    docs = []
    for command in COMMANDS:
        assert main([*command, "--db", url, "--json"]) == 0, command
        docs.append(json.loads(capsys.readouterr().out))
    return docs


def test_duckdb_and_postgresql_give_identical_documents(duckdb_url, postgres_url, tmp_path, capsys):
    on_duckdb = _documents(duckdb_url, tmp_path, capsys)
    on_postgres = _documents(postgres_url, tmp_path, capsys)
    for command, a, b in zip(COMMANDS, on_duckdb, on_postgres, strict=True):
        assert _rounded(a) == _rounded(b), command


def _rounded(value):
    """Floats to 12 significant digits: the engines may add a column in a different order."""
    if isinstance(value, float):
        return float(f"{value:.12g}")
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value
