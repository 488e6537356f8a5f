"""The attacker's ledger (analysis/disclosure.py): every shown figure as a linear equation over the organisation's
true cells, every hidden one as a row whose interval is asked, and the tally of what each family hides."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from di_metrics.queries.filters import Filters

__all__ = ["Figures", "inside", "label"]


@dataclass
class Figures:
    """Shown figures as equations (row . x = value) and hidden figures as rows, each with a name and family;
    `tally` counts, per family, the figures and persons shown and hidden (the information lost)."""

    cells: pd.DataFrame
    family: str = ""
    rows: list[np.ndarray] = field(default_factory=list)
    values: list[float] = field(default_factory=list)
    secrets: dict[str, np.ndarray] = field(default_factory=dict)
    families: dict[str, str] = field(default_factory=dict)
    strict: set[str] = field(default_factory=set)  # secrets whose interval must be at least 3 wide
    tally: dict[str, list[float]] = field(default_factory=dict)  # family: [figures, hidden, persons, hidden]
    arrays: dict[str, np.ndarray] = field(default_factory=dict)

    def col(self, name: str) -> np.ndarray:
        """A cell column as a numpy array, made once: comparing pandas string columns per shown row was most of
        the audit's reading time."""
        if name not in self.arrays:
            self.arrays[name] = self.cells[name].to_numpy(dtype=object)
        return self.arrays[name]

    def add(self, mask: np.ndarray, value: object, name: str, hidden: bool, strict: bool = True) -> None:
        row = mask.astype(float)
        if not row.any():
            return
        persons = float(row @ self.cells["n"].to_numpy(dtype=float))
        count = self.tally.setdefault(self.family, [0.0, 0.0, 0.0, 0.0])
        count[0] += 1
        count[2] += persons
        if hidden:
            count[1] += 1
            count[3] += persons
            self.secrets.setdefault(name, sparse.csr_matrix(row))
            self.families.setdefault(name, self.family)
            if strict:
                self.strict.add(name)
        elif value is not None and not pd.isna(value):
            self.rows.append(sparse.csr_matrix(row))
            self.values.append(float(value))

    def combination(self, row: np.ndarray, value: float) -> None:
        self.rows.append(sparse.csr_matrix(row))
        self.values.append(value)


def label(f: Filters) -> str:
    """A selection as text: 'all', or 'branch=B1 org_unit=U1|U2'."""
    return " ".join(f"{d}={'|'.join(v)}" for d, v in f.values) or "all"


def inside(cells: pd.DataFrame, filters: Filters, prefix: str = "") -> np.ndarray:
    mask = np.ones(len(cells), dtype=bool)
    for dim, values in filters.values:
        mask &= cells[f"{prefix}{dim}"].isin(values).to_numpy()
    return mask
