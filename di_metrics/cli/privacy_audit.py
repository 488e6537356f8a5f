"""`python -m di_metrics privacy audit [--json]`: the price of the disclosure rules for the current data.

For every family of outputs (workforce stocks, flows, surveys, formal reports) it lists the hidden cells with the
interval an attacker who reads every selection can narrow each to (analysis/disclosure.py), and the share of
figures and of persons hidden. It never prints a hidden value: an interval under 3 wide is not printed at all.
"""

from __future__ import annotations

import argparse
from typing import Any

from di_metrics.analysis.disclosure import audit
from di_metrics.i18n import fmt_pct, t
from di_metrics.storage import store
from di_metrics.storage.database import open_database

__all__ = ["add_parser", "run", "text"]

SHOWN_CELLS = 40  # the text form lists this many cells per family; --json lists them all


def add_parser(sub: argparse._SubParsersAction) -> None:
    """The `privacy` command: one action, `audit`."""
    p = sub.add_parser("privacy", help="the hidden cells, their intervals and the information lost per family")
    p.add_argument("action", choices=("audit",))


def run(args: argparse.Namespace) -> dict[str, Any]:
    """The audit document (docs/cli.md): cells with family, cell, low and high, and the loss per family."""
    with store.connect(open_database(args.db)) as conn:
        cells, loss = audit(conn)
    return {
        "cells": [
            {"family": c.family, "cell": c.cell, "low": c.low, "high": c.high, "narrow": c.narrow} for c in cells
        ],
        "information_loss": [
            {"family": x.family, "cells_hidden": round(x.cells_hidden, 4), "persons_hidden": round(x.persons_hidden, 4)}
            for x in loss
        ],
    }


def text(doc: dict[str, Any], lang: str) -> str:
    """The loss per family, then per family its first cells with their intervals."""
    lines = [t("cli.audit_loss_head", lang)]
    for x in doc["information_loss"]:
        cells, persons = fmt_pct(x["cells_hidden"], lang), fmt_pct(x["persons_hidden"], lang)
        lines.append(t("cli.audit_loss", lang, family=x["family"], cells=cells, persons=persons))
    for family in dict.fromkeys(c["family"] for c in doc["cells"]):
        mine = [c for c in doc["cells"] if c["family"] == family]
        lines.append(t("cli.audit_cells_head", lang, family=family, count=len(mine)))
        for c in mine[:SHOWN_CELLS]:
            key = "cli.audit_narrow" if c["narrow"] else "cli.audit_cell"
            high = "∞" if c["high"] is None else c["high"]
            lines.append(t(key, lang, cell=c["cell"], low=c["low"], high=high))
    return "\n".join(lines)
